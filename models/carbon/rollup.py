"""Recomputing footprints across tiers: the whole year, or only what a change affects.

A supplier's new number (activity data, a declared footprint, a factor version) changes its
parts and every part above them. :func:`recompute_footprints` reads the affected set with a
handful of set-based queries, composes each part after its inputs, and writes only footprints
whose numbers changed: a new footprint (new PACT id) that names the one it replaces, which
becomes deprecated. A supplier's number always counts in its buyer's footprint; who may see
which supplier is decided when the footprint is shown, not here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.compose import Composed, Effective, compose
from models.carbon.constants import ACTIVE, DEPRECATED
from models.carbon.effective import active_footprints, pick
from models.carbon.entities import ProductFootprint
from models.carbon.factors import factor_book
from models.carbon.graph import (
    ancestors,
    ancestors_in_memory,
    input_lines,
    part_facts,
    topological,
)
from models.carbon.own_emissions import own_emissions, parts_with_output

CHUNK = 2000
_TOLERANCE = 1e-9


def recompute_footprints(
    session: Session, actor: Actor, year: int, part_ids: Iterable[int] | None = None
) -> dict[str, Any]:
    """Bring the computed footprints of ``year`` up to date.

    With ``part_ids`` only those parts and their ancestors are read and recomputed (a change
    propagating upward); without, every part with activity data or a footprint in the year and
    all their ancestors (the full roll-up). Idempotent: a second run writes nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        # one roll-up of a year at a time; SQLite's BEGIN IMMEDIATE serialises writers already
        session.execute(text("SELECT pg_advisory_xact_lock(8808, :year)"), {"year": year})
        if part_ids is not None:
            # a propagation reads a few hundred rows by id from tables it would otherwise scan
            # whole: PostgreSQL's default random_page_cost (4, spinning disks) hides that
            session.execute(text("SET LOCAL random_page_cost = 1.1"))
    factors = factor_book(session)
    if part_ids is None:
        lines = input_lines(session, year)
        seeds = parts_with_output(session, year) | _parts_with_footprints(session, year)
        targets = seeds | ancestors_in_memory(seeds, lines)
        facts = part_facts(session)
        own = own_emissions(session, year, factors)
    else:
        seeds = set(part_ids)
        targets = seeds | ancestors(session, seeds, year)
        lines = input_lines(session, year, targets)
        children = {line.child_id for ls in lines.values() for line in ls}
        facts = part_facts(session, targets | children)
        own = own_emissions(session, year, factors, {facts[p][0] for p in targets if p in facts})
    children = {line.child_id for ls in lines.values() for line in ls}
    if part_ids is None:
        active, stale = active_footprints(session, year, None, set())
    else:
        active, stale = active_footprints(session, year, targets, children - targets)
    effective: dict[int, Effective] = {
        pid: pick(found) for pid, found in active.items() if pid not in targets
    }
    makers = {pid: maker for pid, (maker, _mass) in facts.items()}
    rows: list[dict[str, Any]] = []
    retired: list[int] = list(stale)
    unchanged = declared = without_data = 0
    now = utcnow()
    for pid in topological(targets, lines):
        found = active.get(pid, {})
        if "declared" in found:
            effective[pid] = found["declared"]
            declared += 1
            continue
        if pid not in facts:
            without_data += 1
            continue
        maker, mass = facts[pid]
        result = compose(pid, maker, mass, own.get(pid), lines.get(pid, []), effective, makers)
        old = found.get("computed")
        if result is None:
            without_data += 1
            if old is not None:
                retired.append(old.id)  # type: ignore[arg-type]
            continue
        if old is not None and _same(old, result):
            effective[pid] = replace(old, origins=result.origins)  # read without its origins
            unchanged += 1
            continue
        row = _row(pid, maker, year, result, old, actor, now)
        rows.append(row)
        # consumers use the value as stored, so a later run recomputes exactly the same numbers
        effective[pid] = Effective(
            pid,
            maker,
            "computed",
            float(row["pcf_kg"]),
            result.pds,
            result.dqr,
            result.origins,
            pf_id=row["pf_id"],
        )
        if old is not None:
            retired.append(old.id)  # type: ignore[arg-type]
    _write(session, rows, retired, now)
    # every target is one of: written, unchanged, declared (kept as its maker declared it), or
    # without data (nothing to compute from); "deprecated" counts the footprints replaced
    summary = {
        "year": year,
        "targets": len(targets),
        "written": len(rows),
        "unchanged": unchanged,
        "declared": declared,
        "without_data": without_data,
        "deprecated": len(retired),
        "scope": "all" if part_ids is None else "affected",
    }
    record_audit(
        session,
        actor,
        "footprint.recompute",
        "footprint_year",
        year,
        summary | {"seeds": sorted(seeds)[:50]},
    )
    return summary


def _parts_with_footprints(session: Session, year: int) -> set[int]:
    return set(
        session.scalars(
            select(ProductFootprint.part_id)
            .where(ProductFootprint.year == year, ProductFootprint.status == ACTIVE)
            .distinct()
        )
    )


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= _TOLERANCE * max(1.0, abs(a), abs(b))


def _same(old: Effective, new: Composed) -> bool:
    return (
        old.missing == new.missing
        and old.allocation == new.allocation
        and _close(old.pcf, new.pcf)
        and _close(old.scope1, new.scope1)
        and _close(old.scope2, new.scope2)
        and _close(old.inputs, new.inputs)
        and _close(old.pds, new.pds)
    )


def _dec(value: float | None, places: int = 10) -> Decimal | None:
    return None if value is None else Decimal(repr(round(value, places)))


def _row(
    part_id: int,
    maker: int,
    year: int,
    result: Composed,
    old: Effective | None,
    actor: Actor,
    now: Any,
) -> dict[str, Any]:
    dqr = result.dqr or (None, None, None)
    return {
        "pf_id": str(uuid.uuid4()),
        "part_id": part_id,
        "org_id": maker,
        "year": year,
        "kind": "computed",
        "status": ACTIVE,
        "pcf_kg": _dec(result.pcf),
        "scope1_kg": _dec(result.scope1),
        "scope2_kg": _dec(result.scope2),
        "inputs_kg": _dec(result.inputs),
        "mass_kg": _dec(result.mass_kg, 6),
        "primary_data_share": _dec(result.pds, 3),
        "dqr_technological": _dec(dqr[0], 3),
        "dqr_temporal": _dec(dqr[1], 3),
        "dqr_geographical": _dec(dqr[2], 3),
        "missing_inputs": result.missing,
        "allocation": result.allocation,
        "origins": {k: round(v, 7) for k, v in result.origins.items()},
        "calc": result.calc | {"year": year, "period": [f"{year}-01-01", f"{year}-12-31"]},
        "source": "system",
        "preceding_id": old.id if old is not None else None,
        "created_by_user_id": actor.user_id,
        "created_at": now,
    }


def _write(session: Session, rows: list[dict[str, Any]], retired: list[int], now: Any) -> None:
    for start in range(0, len(retired), CHUNK):
        session.execute(
            update(ProductFootprint)
            .where(ProductFootprint.id.in_(retired[start : start + CHUNK]))
            .values(status=DEPRECATED, deprecated_at=now)
        )
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(ProductFootprint), rows[start : start + CHUNK])
