"""The active footprints a roll-up reads: per part and year, the declared and the computed one.

A footprint's ``origins`` (its kilograms by organisation) can hold hundreds of entries for a
finished part, so they are read only where the roll-up needs them: for the inputs it will not
recompute, and for declared footprints (which the roll-up uses as they are). The computed
footprints it recomputes are compared by their numbers alone.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from models.carbon.compose import Effective
from models.carbon.constants import ACTIVE
from models.carbon.entities import ProductFootprint as PF
from models.carbon.sql import among

CHUNK = 5000


def _query(with_origins: bool):  # type: ignore[no-untyped-def]
    return select(
        PF.id,
        PF.pf_id,
        PF.part_id,
        PF.org_id,
        PF.kind,
        PF.pcf_kg,
        PF.primary_data_share,
        PF.dqr_technological,
        PF.dqr_temporal,
        PF.dqr_geographical,
        PF.origins if with_origins else literal(None).label("origins"),
        PF.scope1_kg,
        PF.scope2_kg,
        PF.inputs_kg,
        PF.missing_inputs,
        PF.allocation,
    )


def active_footprints(
    session: Session, year: int, targets: set[int] | None, others: set[int]
) -> tuple[dict[int, dict[str, Effective]], list[int]]:
    """The active footprints of ``targets`` (every part when None) and of ``others``, by part
    and kind; and the ids of older active ones of the same part and kind (left by a concurrent
    run) to retire. Origins are read for ``others`` and for declared footprints only."""
    active = (PF.year == year) & (PF.status == ACTIVE)
    queries = []
    if targets is None:
        queries += [
            _query(False).where(active, PF.kind == "computed"),
            _query(True).where(active, PF.kind == "declared"),
        ]
    else:
        for chunk in _chunks(targets):
            queries += [
                _query(False).where(
                    active, PF.kind == "computed", among(session, PF.part_id, chunk)
                ),
                _query(True).where(
                    active, PF.kind == "declared", among(session, PF.part_id, chunk)
                ),
            ]
    queries += [_query(True).where(active, among(session, PF.part_id, c)) for c in _chunks(others)]
    result: dict[int, dict[str, Effective]] = {}
    stale: list[int] = []
    rows = [row for query in queries for row in session.execute(query)]
    for row in sorted(rows, key=lambda r: r.id):
        held = result.setdefault(row.part_id, {})
        if row.kind in held:
            stale.append(held[row.kind].id)  # type: ignore[arg-type]
        dqr = (row.dqr_technological, row.dqr_temporal, row.dqr_geographical)
        held[row.kind] = Effective(
            part_id=row.part_id,
            org_id=row.org_id,
            kind=row.kind,
            pcf=float(row.pcf_kg),
            pds=_float(row.primary_data_share),
            dqr=None if None in dqr else (float(dqr[0]), float(dqr[1]), float(dqr[2])),
            origins=row.origins or {},
            pf_id=row.pf_id,
            id=row.id,
            scope1=_float(row.scope1_kg),
            scope2=_float(row.scope2_kg),
            inputs=_float(row.inputs_kg),
            missing=row.missing_inputs,
            allocation=row.allocation,
        )
    return result, stale


def pick(found: dict[str, Effective]) -> Effective:
    """The footprint the roll-up uses: the maker's declared one, else the computed one."""
    return found.get("declared") or found["computed"]


def _chunks(ids: set[int]) -> list[list[int]]:
    values = sorted(ids)
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
