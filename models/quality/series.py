"""Loading measurement series in time order as numpy arrays, in one pass over the table.

PostgreSQL packs each characteristic's measurements into binary strings that numpy reads
without a Python object per value; other databases go through an ordinary query. Either way
the result is ordered by characteristic, then measurement time, then id, which keeps the values
of a subgroup together and in the order they were recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models.quality.entities import Measurement


@dataclass(frozen=True, eq=False)
class Series:
    """Measurements of many characteristics end to end: owner id, measurement id and value."""

    characteristic: np.ndarray
    measurement: np.ndarray
    value: np.ndarray

    def bounds(self, characteristic_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) of each given characteristic's values (ids sorted ascending)."""
        return (
            np.searchsorted(self.characteristic, characteristic_ids, side="left"),
            np.searchsorted(self.characteristic, characteristic_ids, side="right"),
        )


def load_series(session: Session, characteristic_ids: Sequence[int] | None = None) -> Series:
    """The measurements of the given characteristics (all when None), ordered for charting."""
    if session.get_bind().dialect.name == "postgresql":
        return _load_postgres(session, characteristic_ids)
    query = select(Measurement.characteristic_id, Measurement.id, Measurement.value).order_by(
        Measurement.characteristic_id, Measurement.measured_at, Measurement.id
    )
    if characteristic_ids is not None:
        query = query.where(Measurement.characteristic_id.in_(list(characteristic_ids)))
    rows = session.execute(query).all()
    if not rows:
        return _empty()
    owners, ids, values = zip(*rows, strict=True)
    return Series(
        np.asarray(owners, dtype=np.int64),
        np.asarray(ids, dtype=np.int64),
        np.asarray(values, dtype=np.float64),
    )


def _load_postgres(session: Session, characteristic_ids: Sequence[int] | None) -> Series:
    """One row per characteristic, its ids and values packed by the server as binary.

    ``int8send``/``float8send`` give each number's 8 big-endian bytes and ``string_agg`` joins
    them in time order, so 10,000 rows carry a million values and numpy reads them as they
    are; a row per value (even with COPY) costs a Python round per row.
    """
    where = "" if characteristic_ids is None else "WHERE characteristic_id = ANY(:ids)"
    statement = text(
        "SELECT characteristic_id, count(*), "
        "string_agg(int8send(id), ''::bytea ORDER BY measured_at, id), "
        "string_agg(float8send(value), ''::bytea ORDER BY measured_at, id) "
        f"FROM quality_measurements {where} "
        "GROUP BY characteristic_id ORDER BY characteristic_id"
    )
    params = {} if characteristic_ids is None else {"ids": [int(c) for c in characteristic_ids]}
    rows = session.execute(statement, params).all()
    if not rows:
        return _empty()
    owners = np.asarray([row[0] for row in rows], dtype=np.int64)
    counts = np.asarray([row[1] for row in rows], dtype=np.int64)
    return Series(
        np.repeat(owners, counts),
        np.frombuffer(b"".join(row[2] for row in rows), dtype=">i8").astype(np.int64),
        np.frombuffer(b"".join(row[3] for row in rows), dtype=">f8").astype(np.float64),
    )


def _empty() -> Series:
    return Series(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))
