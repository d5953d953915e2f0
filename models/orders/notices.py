"""Read models of ship notices, lots and consumption declarations, for their two parties."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from models.orders.entities import (
    Lot,
    LotConsumption,
    OrderLine,
    Part,
    PurchaseOrder,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orders.shipping import get_notice


@dataclass
class ShippedLot:
    shipment_lot: ShipmentLot
    lot: Lot
    received: Decimal
    rejected: Decimal

    @property
    def open_quantity(self) -> Decimal:
        return max(Decimal(0), self.shipment_lot.quantity - self.received)


@dataclass
class NoticeLine:
    notice_line: ShipNoticeLine
    order_line: OrderLine
    order_number: str
    part: Part
    lots: list[ShippedLot] = field(default_factory=list)


@dataclass
class NoticeView:
    """A notice with some of its lines (``line_count`` in all)."""

    notice: ShipNotice
    lines: list[NoticeLine]
    line_count: int

    @property
    def fully_received(self) -> bool:
        """Whether every lot of the lines shown arrived in full."""
        return all(lot.open_quantity == 0 for line in self.lines for lot in line.lots)


def notices_query(org_id: int | None, role: str | None = None) -> Select[Any]:
    """Notices the organisation sent (``role="selling"``), received (``"buying"``) or both."""
    query = select(ShipNotice).order_by(ShipNotice.ship_date.desc(), ShipNotice.id.desc())
    if role == "selling":
        return query.where(ShipNotice.supplier_org_id == org_id)
    if role == "buying":
        return query.where(ShipNotice.buyer_org_id == org_id)
    return query.where(or_(ShipNotice.supplier_org_id == org_id, ShipNotice.buyer_org_id == org_id))


def notice_view(
    session: Session,
    org_id: int | None,
    notice_id: int,
    offset: int = 0,
    limit: int | None = None,
) -> NoticeView:
    """A notice of the organisation with its lines (``limit`` of them from ``offset``, in the
    order sent), their lots and what was received of each lot."""
    notice = get_notice(session, org_id, notice_id)
    received = (
        select(
            Receipt.shipment_lot_id,
            func.sum(Receipt.received_quantity).label("received"),
            func.sum(Receipt.rejected_quantity).label("rejected"),
        )
        .group_by(Receipt.shipment_lot_id)
        .subquery()
    )
    rows = session.execute(
        select(ShipNoticeLine, OrderLine, PurchaseOrder.number, Part)
        .join(OrderLine, OrderLine.id == ShipNoticeLine.order_line_id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .where(ShipNoticeLine.notice_id == notice.id)
        .order_by(ShipNoticeLine.id)
        .offset(offset)
        .limit(limit)
    )
    lines = [NoticeLine(nl, ol, number, part) for nl, ol, number, part in rows]
    by_id = {line.notice_line.id: line for line in lines}
    lots = session.execute(
        select(ShipmentLot, Lot, received.c.received, received.c.rejected)
        .join(Lot, Lot.id == ShipmentLot.lot_id)
        .outerjoin(received, received.c.shipment_lot_id == ShipmentLot.id)
        .where(ShipmentLot.notice_line_id.in_(by_id))
        .order_by(ShipmentLot.id)
    )
    for shipment_lot, lot, got, rejected in lots:
        by_id[shipment_lot.notice_line_id].lots.append(
            ShippedLot(shipment_lot, lot, Decimal(str(got or 0)), Decimal(str(rejected or 0)))
        )
    return NoticeView(notice, lines, _line_count(session, notice.id))


def notice_line_count(session: Session, org_id: int | None, notice_id: int) -> int:
    """How many lines a notice of the organisation has."""
    return _line_count(session, get_notice(session, org_id, notice_id).id)


def _line_count(session: Session, notice_id: int) -> int:
    count = select(func.count()).where(ShipNoticeLine.notice_id == notice_id)
    return session.scalar(count) or 0


def declarations(session: Session, org_id: int | None, limit: int = 50) -> list[dict[str, Any]]:
    """The organisation's latest consumption declarations: output lot, input lot, quantity."""
    output = aliased(Lot)
    source = aliased(Lot)
    rows = session.execute(
        select(LotConsumption, output.lot_number, source.lot_number, Part.part_number)
        .join(output, output.id == LotConsumption.output_lot_id)
        .join(source, source.id == LotConsumption.input_lot_id)
        .join(Part, Part.id == source.part_id)
        .where(LotConsumption.declared_by_org_id == org_id)
        .order_by(LotConsumption.id.desc())
        .limit(limit)
    )
    return [
        {"edge": edge, "output": out, "input": inp, "input_part": part}
        for edge, out, inp, part in rows
    ]


def lots_query(org_id: int | None, number: str | None = None) -> Select[Any]:
    """The organisation's own lots (newest first), optionally by number."""
    query = select(Lot).where(Lot.maker_org_id == org_id).order_by(Lot.id.desc())
    if number:
        query = query.where(Lot.lot_number == number)
    return query
