"""Linking inspections measured before their lot existed to the lot once it is created.

A supplier may inspect a lot in process or at final inspection, before the ship notice or lot
declaration that creates it (:data:`models.quality.measurements.UNKNOWN_LOTS`): the inspection
keeps the lot number without a lot. Every operation that creates lots calls
:func:`link_inspections` in the same transaction, so the lot's quality data holds them from then
on. Only the maker's own inspections of the same part are linked: a lot number is unique per
maker only, and a lot of another part is another thing (see :func:`models.access.made_for_chain`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.orders.entities import Lot
from models.quality.entities import Inspection

#: Lots per statement, to stay well within the bind-parameter limits of both databases.
BATCH = 1000


def link_inspections(
    session: Session, actor: Actor, maker_org_id: int, lot_ids: Sequence[int]
) -> int:
    """Link the maker's unlinked inspections of these new lots (same maker, part and lot number)
    to them; returns how many were linked. Each link is audited."""
    linked = 0
    for start in range(0, len(lot_ids), BATCH):
        rows = _link_batch(session, maker_org_id, lot_ids[start : start + BATCH])
        for inspection_id, lot_id in rows:
            held = session.identity_map.get(session.identity_key(Inspection, inspection_id))
            if held is not None:
                session.expire(held, ["lot_id"])
            detail = {"lot_id": lot_id}
            record_audit(
                session, actor, "inspection.link_lot", "quality_inspection", inspection_id, detail
            )
        linked += len(rows)
    return linked


def _link_batch(
    session: Session, maker_org_id: int, lot_ids: Sequence[int]
) -> list[tuple[int, int]]:
    same_lot = (
        select(Lot.id)
        .where(
            Lot.id.in_(lot_ids),
            Lot.maker_org_id == Inspection.supplier_org_id,
            Lot.part_id == Inspection.part_id,
            Lot.lot_number == Inspection.lot_number,
        )
        .scalar_subquery()
    )
    statement = (
        update(Inspection)
        .where(
            Inspection.supplier_org_id == maker_org_id,
            Inspection.lot_id.is_(None),
            same_lot.is_not(None),
        )
        .values(lot_id=same_lot)
        .returning(Inspection.id, Inspection.lot_id)
        .execution_options(synchronize_session=False)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]
