"""Recomputing each characteristic's chart, capability and run-rule signals, and storing them.

:func:`recompute_statistics` is what the worker runs after an upload and on demand: it loads the
measurements in one pass (:mod:`models.quality.series`), computes every characteristic with the
vectorised library (:func:`models.quality.batch.capability_many`, one call per subgroup size,
rule set and thresholds), replaces the stored statistics and brings the alerts up to date
(:mod:`models.quality.alerts`). Running it twice on the same data changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.quality.alerts import LocatedSignal, sync_alerts
from models.quality.batch import FIGURES, capability_many
from models.quality.bulk import bulk_insert
from models.quality.capability import CapabilityThresholds
from models.quality.entities import Characteristic, CharacteristicStatistics, Measurement
from models.quality.series import load_series
from models.quality.settings import settings_by_org


@dataclass(frozen=True, eq=False)
class _Specs:
    """The characteristics being recomputed, as parallel arrays sorted by id."""

    ids: np.ndarray
    buyers: np.ndarray
    suppliers: np.ndarray
    sizes: np.ndarray
    lsl: np.ndarray
    usl: np.ndarray
    target: np.ndarray


def recompute_statistics(
    session: Session, characteristic_ids: Sequence[int] | None = None
) -> dict[str, int]:
    """Recompute and store the statistics of the given characteristics (every one when None).

    Each buyer's settings decide the rule set (Nelson or Western Electric) and the capability
    thresholds of its characteristics. Returns counts: characteristics, measurements, signals,
    new alerts.
    """
    specs = _load_specs(session, characteristic_ids)
    if specs.ids.size == 0:
        return {"characteristics": 0, "measurements": 0, "signals": 0, "new_alerts": 0}
    chosen = None if characteristic_ids is None else specs.ids.tolist()
    series = load_series(session, chosen)
    starts, ends = series.bounds(specs.ids)
    settings = settings_by_org(session, set(specs.buyers.tolist()))
    now = utcnow()
    last_measured = _last_measured(session, chosen)
    rows: list[dict[str, Any]] = []
    located: list[LocatedSignal] = []
    for (size, rules, thresholds), members in _buckets(specs, settings).items():
        counts = ends[members] - starts[members]
        picked = _ranges(starts[members], counts)
        offsets = np.concatenate(([0], np.cumsum(counts)))
        batch = capability_many(
            series.value[picked],
            offsets,
            specs.lsl[members],
            specs.usl[members],
            specs.target[members],
            size,
            rules,
            thresholds,
            locate=True,
        )
        rows.extend(_rows(batch, specs, members, size, rules, thresholds, now, last_measured))
        point_ids = series.measurement[picked]
        for group, signal in batch.located or []:
            first = offsets[group] + np.asarray(signal["points"]) * size
            index = members[group]
            located.append(
                LocatedSignal(
                    characteristic_id=int(specs.ids[index]),
                    buyer_org_id=int(specs.buyers[index]),
                    supplier_org_id=int(specs.suppliers[index]),
                    rules=rules,
                    rule=signal["rule"],
                    points=signal["points"],
                    measurement_ids=point_ids[first].tolist(),
                )
            )
    _store(session, chosen, rows)
    new_alerts = sync_alerts(session, chosen, located, now)
    return {
        "characteristics": int(specs.ids.size),
        "measurements": int(series.value.size),
        "signals": len(located),
        "new_alerts": new_alerts,
    }


def _load_specs(session: Session, characteristic_ids: Sequence[int] | None) -> _Specs:
    query = select(
        Characteristic.id,
        Characteristic.buyer_org_id,
        Characteristic.supplier_org_id,
        Characteristic.subgroup_size,
        Characteristic.lsl,
        Characteristic.usl,
        Characteristic.target,
    ).order_by(Characteristic.id)
    if characteristic_ids is not None:
        query = query.where(Characteristic.id.in_(list(characteristic_ids)))
    rows = session.execute(query).all()
    columns = list(zip(*rows, strict=True)) if rows else [()] * 7

    def floats(values: tuple[Any, ...]) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    return _Specs(
        ids=np.asarray(columns[0], dtype=np.int64),
        buyers=np.asarray(columns[1], dtype=np.int64),
        suppliers=np.asarray(columns[2], dtype=np.int64),
        sizes=np.asarray(columns[3], dtype=np.int64),
        lsl=floats(columns[4]),
        usl=floats(columns[5]),
        target=floats(columns[6]),
    )


def _buckets(
    specs: _Specs, settings: dict[int, Any]
) -> dict[tuple[int, str, CapabilityThresholds], np.ndarray]:
    """Indexes of the characteristics that share a subgroup size, rule set and thresholds."""
    keys: dict[tuple[int, str, CapabilityThresholds], list[int]] = {}
    pairs = zip(specs.sizes.tolist(), specs.buyers.tolist(), strict=True)
    for index, (size, buyer) in enumerate(pairs):
        chosen = settings[buyer]
        keys.setdefault((size, chosen.rules, chosen.thresholds), []).append(index)
    return {key: np.asarray(members, dtype=np.int64) for key, members in keys.items()}


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indexes start..start+count of every range, concatenated, without a Python loop."""
    total = int(counts.sum())
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return np.repeat(starts - offsets, counts) + np.arange(total)


def _last_measured(session: Session, ids: list[int] | None) -> dict[int, datetime]:
    query = select(Measurement.characteristic_id, func.max(Measurement.measured_at)).group_by(
        Measurement.characteristic_id
    )
    if ids is not None:
        query = query.where(Measurement.characteristic_id.in_(ids))
    found: dict[int, datetime] = {}
    for characteristic_id, moment in session.execute(query):
        found[characteristic_id] = moment
    return found


def _rows(
    batch: Any,
    specs: _Specs,
    members: np.ndarray,
    size: int,
    rules: str,
    thresholds: CapabilityThresholds,
    now: datetime,
    last_measured: dict[int, datetime],
) -> list[dict[str, Any]]:
    columns = {name: getattr(batch, name).tolist() for name in FIGURES}
    counts = batch.signals.tolist()
    n = batch.n.tolist()
    ignored = batch.ignored.tolist()
    status = batch.status.tolist()
    rows = []
    for position, index in enumerate(members.tolist()):
        characteristic_id = int(specs.ids[index])
        row: dict[str, Any] = {
            "characteristic_id": characteristic_id,
            "computed_at": now,
            "chart": batch.chart,
            "subgroup_size": size,
            "rules": rules,
            "n": n[position],
            "ignored": ignored[position],
            "points": n[position] // size,
            "status": status[position],
            "capable_threshold": thresholds.capable,
            "watch_threshold": thresholds.watch,
            "signal_counts": {
                str(rule): count for rule, count in enumerate(counts[position], 1) if count
            },
            "last_measured_at": last_measured.get(characteristic_id),
        }
        for name, column in columns.items():
            value = column[position]
            row[name] = None if math.isnan(value) else value
        rows.append(row)
    return rows


def _store(session: Session, ids: list[int] | None, rows: list[dict[str, Any]]) -> None:
    """Replace the stored statistics of the recomputed characteristics."""
    statement = delete(CharacteristicStatistics)
    if ids is not None:
        statement = statement.where(CharacteristicStatistics.characteristic_id.in_(ids))
    session.execute(statement)
    bulk_insert(session, CharacteristicStatistics.__table__, rows)


def statistics_of(session: Session, characteristic_id: int) -> CharacteristicStatistics | None:
    return session.get(CharacteristicStatistics, characteristic_id)
