"""How an incident's alert travels: the organisations a snapshot involves, tier by tier.

Every organisation that made or received a lot in scope is involved. The alert starts at the
incident's opener and is forwarded one link at a time (a consumption between two makers, a
shipment, or a supply link), breadth first, so each organisation hears of it from a neighbour
it already deals with and never learns who else is further along the chain.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from sqlalchemy import and_, case, func, insert, select
from sqlalchemy.orm import Session, aliased

from models.orders.entities import Lot, LotConsumption
from models.orgs.entities import SupplierLink
from models.trace.entities import ContainmentLot, ContainmentOrg, ContainmentShipment


def insert_organisations(session: Session, snapshot_id: int, opener_org_id: int) -> None:
    """One row per organisation that made or received a lot in scope (and the opener)."""
    made = session.execute(
        select(
            Lot.maker_org_id,
            func.count(),
            func.sum(case((ContainmentLot.finished.is_(True), 1), else_=0)),
        )
        .join(ContainmentLot, ContainmentLot.lot_id == Lot.id)
        .where(ContainmentLot.snapshot_id == snapshot_id)
        .group_by(Lot.maker_org_id)
    ).all()
    received = session.execute(
        select(
            ContainmentShipment.buyer_org_id, func.count(func.distinct(ContainmentShipment.lot_id))
        )
        .where(ContainmentShipment.snapshot_id == snapshot_id)
        .group_by(ContainmentShipment.buyer_org_id)
    ).all()
    rows: dict[int, dict[str, Any]] = {}

    def row(org_id: int) -> dict[str, Any]:
        return rows.setdefault(
            org_id,
            {
                "snapshot_id": snapshot_id,
                "org_id": org_id,
                "lots_made": 0,
                "lots_received": 0,
                "finished_lots": 0,
                "hop": None,
                "forwarded_by_org_id": None,
            },
        )

    for org_id, count, finished in made:
        row(org_id).update(lots_made=count, finished_lots=int(finished or 0))
    for org_id, count in received:
        row(org_id)["lots_received"] = count
    row(opener_org_id)
    hops = _forwarding(session, snapshot_id, set(rows), opener_org_id)
    for org_id, (hop, via) in hops.items():
        rows[org_id].update(hop=hop, forwarded_by_org_id=via)
    session.execute(insert(ContainmentOrg), list(rows.values()))


def _forwarding(
    session: Session, snapshot_id: int, involved: set[int], opener_org_id: int
) -> dict[int, tuple[int, int | None]]:
    """How the alert travels: breadth-first from the opener over the links between involved
    organisations (a consumption, a shipment or a supply link), one hop per tier.

    Returns ``{org_id: (hop, forwarded_by)}`` for every organisation reached.
    """
    neighbours: dict[int, set[int]] = {org_id: set() for org_id in involved}
    for a, b in _org_pairs(session, snapshot_id, involved):
        if a != b and a in neighbours and b in neighbours:
            neighbours[a].add(b)
            neighbours[b].add(a)
    reached: dict[int, tuple[int, int | None]] = {opener_org_id: (0, None)}
    queue = deque([opener_org_id])
    while queue:
        current = queue.popleft()
        hop = reached[current][0]
        for other in sorted(neighbours.get(current, ())):
            if other not in reached:
                reached[other] = (hop + 1, current)
                queue.append(other)
    return reached


def _org_pairs(session: Session, snapshot_id: int, involved: set[int]) -> list[tuple[int, int]]:
    made_in, made_out = aliased(Lot, name="made_in"), aliased(Lot, name="made_out")
    scope_in = aliased(ContainmentLot, name="scope_in")
    scope_out = aliased(ContainmentLot, name="scope_out")
    consumed = (
        select(made_in.maker_org_id, made_out.maker_org_id)
        .select_from(LotConsumption)
        .join(
            scope_in,
            and_(
                scope_in.lot_id == LotConsumption.input_lot_id, scope_in.snapshot_id == snapshot_id
            ),
        )
        .join(
            scope_out,
            and_(
                scope_out.lot_id == LotConsumption.output_lot_id,
                scope_out.snapshot_id == snapshot_id,
            ),
        )
        .join(made_in, made_in.id == LotConsumption.input_lot_id)
        .join(made_out, made_out.id == LotConsumption.output_lot_id)
        .where(made_in.maker_org_id != made_out.maker_org_id)
        .distinct()
    )
    shipped = (
        select(ContainmentShipment.supplier_org_id, ContainmentShipment.buyer_org_id)
        .where(ContainmentShipment.snapshot_id == snapshot_id)
        .distinct()
    )
    linked = select(SupplierLink.buyer_id, SupplierLink.supplier_id).where(
        SupplierLink.status == "active",
        SupplierLink.buyer_id.in_(involved),
        SupplierLink.supplier_id.in_(involved),
    )
    pairs: list[tuple[int, int]] = []
    for query in (consumed, shipped, linked):
        pairs.extend((a, b) for a, b in session.execute(query))
    return pairs
