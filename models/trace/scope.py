"""Reading a containment snapshot as one organisation may see it.

Each viewer sees the lots whose makers share traceability with it, made for its own supply
chain (:class:`Lens`); the rest of the scope is counted per relation and tier ("withheld by a
tier-2 supplier: 3 lots"). Organisations are
named when the viewer may know they exist (:func:`models.access.network_org_ids`) or may see
their traceability data; the others are counted the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from models.access import network_org_ids, tiers, visible_org_ids
from models.orders.entities import Lot, LotConsumption, Part, ShipNotice
from models.orgs.entities import Organisation
from models.trace.entities import (
    RELATIONS,
    ContainmentLot,
    ContainmentOrg,
    ContainmentShipment,
    ContainmentSnapshot,
    Incident,
)


@dataclass
class ScopeLot:
    relation: str
    depth: int
    finished: bool
    lot: Lot
    part: Part
    maker: Organisation
    tier: int | None
    #: (ship notice number, receiver or ``None`` when the reader may not name it)
    shipped: list[tuple[str, Organisation | None]] = field(default_factory=list)
    received: Any = None
    rejected: Any = None

    def receivers(self, locale: str) -> list[str]:
        """Each shipment as "notice → receiver", the receiver named in ``locale``."""
        return [
            f"{notice} → {buyer.display_name(locale) if buyer else '—'}"
            for notice, buyer in self.shipped
        ]


@dataclass(frozen=True)
class WithheldGroup:
    relation: str
    tier: int | None
    lots: int
    finished: int


@dataclass(frozen=True)
class ScopeOrg:
    row: ContainmentOrg
    organisation: Organisation | None
    tier: int | None
    forwarded_by: Organisation | None


@dataclass
class Lens:
    """What one viewer may see and name; ``viewer_org_id`` ``None`` sees everything."""

    viewer_org_id: int | None
    visible: set[int] | None
    named: set[int] | None
    tier_of: dict[int, int]

    @classmethod
    def of(cls, session: Session, viewer_org_id: int | None) -> Lens:
        if viewer_org_id is None:
            return cls(None, None, None, {})
        visible = visible_org_ids(session, viewer_org_id, "traceability")
        named = visible | network_org_ids(session, viewer_org_id)
        return cls(
            viewer_org_id, visible, named, {viewer_org_id: 0, **tiers(session, viewer_org_id)}
        )

    def sees(self, lot: Lot) -> bool:
        """The viewer's own lot, or one whose maker shares traceability with the viewer, made
        for the viewer's own supply chain (:func:`models.access.made_for_chain`)."""
        if self.visible is None or lot.maker_org_id == self.viewer_org_id:
            return True
        return lot.maker_org_id in self.visible and lot.part.owner_org_id in self.tier_of

    def reads(self, incident: Incident) -> bool:
        """Whether the viewer reads the incident's own words (title, description, notes): its
        parties do, and those that may know the opener exists. An organisation told only that
        lots of its own are in the scope of another customer's incident is not given what that
        customer wrote about its part."""
        viewer = self.viewer_org_id
        parties = (incident.opener_org_id, incident.supplier_org_id)
        return viewer is None or viewer in parties or self.may_name(incident.opener_org_id)

    def may_name(self, org_id: int | None) -> bool:
        return org_id is not None and (self.named is None or org_id in self.named)

    def tier(self, org_id: int) -> int | None:
        return self.tier_of.get(org_id)


def current_snapshot(session: Session, snapshot_id: int | None) -> ContainmentSnapshot | None:
    return session.get(ContainmentSnapshot, snapshot_id) if snapshot_id else None


def scope_lots(
    session: Session,
    lens: Lens,
    snapshot_id: int,
    finished_only: bool = False,
    limit: int | None = None,
) -> tuple[list[ScopeLot], list[WithheldGroup]]:
    """Visible lots of a snapshot (incident, downstream, suspects, siblings; nearest first)
    with their shipments, and the withheld rest counted per relation and tier."""
    query = (
        select(ContainmentLot, Lot, Part, Organisation)
        .join(Lot, Lot.id == ContainmentLot.lot_id)
        .join(Part, Part.id == Lot.part_id)
        .join(Organisation, Organisation.id == Lot.maker_org_id)
        .where(ContainmentLot.snapshot_id == snapshot_id)
        .order_by(ContainmentLot.depth, Lot.lot_number)
    )
    if finished_only:
        query = query.where(ContainmentLot.finished.is_(True), ContainmentLot.relation != "suspect")
    shown: list[ScopeLot] = []
    hidden: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for scoped, lot, part, maker in session.execute(query):
        if lens.sees(lot):
            shown.append(
                ScopeLot(
                    scoped.relation,
                    scoped.depth,
                    scoped.finished,
                    lot,
                    part,
                    maker,
                    lens.tier(maker.id),
                )
            )
        else:
            counts = hidden[(scoped.relation, lens.tier(maker.id))]
            counts[0] += 1
            counts[1] += int(scoped.finished)
    order = {relation: n for n, relation in enumerate(RELATIONS)}
    shown.sort(key=lambda s: (order[s.relation], s.depth, s.lot.lot_number))
    if limit is not None:
        shown = shown[:limit]
    _attach_shipments(session, lens, snapshot_id, shown)
    withheld = [
        WithheldGroup(relation, tier, lots, finished)
        for (relation, tier), (lots, finished) in sorted(
            hidden.items(), key=lambda item: (order[item[0][0]], item[0][1] or 99)
        )
    ]
    return shown, withheld


def _attach_shipments(
    session: Session, lens: Lens, snapshot_id: int, shown: list[ScopeLot]
) -> None:
    by_lot = {item.lot.id: item for item in shown}
    if not by_lot:
        return
    rows = session.execute(
        select(ContainmentShipment, ShipNotice.number, Organisation)
        .join(ShipNotice, ShipNotice.id == ContainmentShipment.notice_id)
        .join(Organisation, Organisation.id == ContainmentShipment.buyer_org_id)
        .where(ContainmentShipment.snapshot_id == snapshot_id)
        .order_by(ContainmentShipment.shipment_lot_id)
    )
    for shipment, notice_number, buyer in rows:
        item = by_lot.get(shipment.lot_id)
        if item is None:
            continue
        named = lens.may_name(buyer.id) or item.maker.id == lens.viewer_org_id
        item.shipped.append((notice_number, buyer if named else None))
        if shipment.received_quantity is not None:
            item.received = (item.received or 0) + shipment.received_quantity
            item.rejected = (item.rejected or 0) + (shipment.rejected_quantity or 0)


def scope_orgs(session: Session, lens: Lens, snapshot_id: int) -> list[ScopeOrg]:
    """The organisations of a snapshot, nearest hop first; unnamed ones without identity."""
    rows = list(
        session.scalars(
            select(ContainmentOrg)
            .where(ContainmentOrg.snapshot_id == snapshot_id)
            .order_by(ContainmentOrg.hop, ContainmentOrg.org_id)
        )
    )
    ids = {r.org_id for r in rows} | {r.forwarded_by_org_id for r in rows if r.forwarded_by_org_id}
    orgs = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}
    return [
        ScopeOrg(
            row,
            orgs[row.org_id] if lens.may_name(row.org_id) else None,
            lens.tier(row.org_id),
            orgs.get(row.forwarded_by_org_id) if lens.may_name(row.forwarded_by_org_id) else None,
        )
        for row in rows
    ]


def scope_edges(session: Session, snapshot_id: int) -> list[tuple[int, int]]:
    """Consumption links between lots of a snapshot, as (input lot id, output lot id)."""
    source = aliased(ContainmentLot, name="source")
    target = aliased(ContainmentLot, name="target")
    query = (
        select(LotConsumption.input_lot_id, LotConsumption.output_lot_id)
        .join(
            source,
            and_(source.lot_id == LotConsumption.input_lot_id, source.snapshot_id == snapshot_id),
        )
        .join(
            target,
            and_(target.lot_id == LotConsumption.output_lot_id, target.snapshot_id == snapshot_id),
        )
    )
    return [(a, b) for a, b in session.execute(query)]


def received_in_scope(
    session: Session, viewer_org_id: int, snapshot_id: int, limit: int = 200
) -> list[tuple[str, str, Organisation]]:
    """Lots of the scope shipped to the viewer: (lot number, ship notice, supplier).

    The receiver holds these numbers on its own delivery papers, so they are listed even when
    the maker does not share its genealogy.
    """
    rows = session.execute(
        select(Lot.lot_number, ShipNotice.number, Organisation)
        .select_from(ContainmentShipment)
        .join(Lot, Lot.id == ContainmentShipment.lot_id)
        .join(ShipNotice, ShipNotice.id == ContainmentShipment.notice_id)
        .join(Organisation, Organisation.id == ContainmentShipment.supplier_org_id)
        .where(
            ContainmentShipment.snapshot_id == snapshot_id,
            ContainmentShipment.buyer_org_id == viewer_org_id,
        )
        .order_by(Lot.lot_number)
        .limit(limit)
    )
    return [(number, notice, supplier) for number, notice, supplier in rows]
