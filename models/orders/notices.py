"""Read models of ship notices, lots and consumption declarations, for their two parties."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager

from models.errors import NotFound
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
from models.orders.receipt_plan import received_by_lot
from models.orders.shipping import get_notice

#: Lots of each notice line shown with the notice; the others are paged through apart.
LOTS_SHOWN = 50


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
    """A line of a notice with a window of its lots (``lot_count`` in all, ``open_lots`` of
    them not yet received in full)."""

    notice_line: ShipNoticeLine
    order_line: OrderLine
    order_number: str
    part: Part
    lots: list[ShippedLot] = field(default_factory=list)
    lot_count: int = 0
    open_lots: int = 0

    @property
    def more_lots(self) -> int:
        """How many of the line's lots are not in ``lots``."""
        return self.lot_count - len(self.lots)


@dataclass
class NoticeView:
    """A notice with some of its lines (``line_count`` in all) and how many of all its lots
    are still open (not received in full)."""

    notice: ShipNotice
    lines: list[NoticeLine]
    line_count: int
    open_lots: int = 0

    @property
    def fully_received(self) -> bool:
        """Whether every lot of the notice arrived in full."""
        return self.open_lots == 0

    @property
    def open_lots_elsewhere(self) -> int:
        """Open lots of the notice that are not among the lots shown."""
        shown = sum(1 for line in self.lines for lot in line.lots if lot.open_quantity > 0)
        return self.open_lots - shown


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
    order sent), the first :data:`LOTS_SHOWN` lots of each and what was received of them.

    A few queries whatever the notice's size: a notice may carry tens of thousands of lots.
    """
    notice = get_notice(session, org_id, notice_id)
    lines = _lines(session, [notice.id], offset=offset, limit=limit)
    _fill_lots(session, lines, 0, LOTS_SHOWN)
    return NoticeView(
        notice, lines, _line_count(session, notice.id), _open_lot_count(session, notice.id)
    )


def notice_views(session: Session, notices: list[ShipNotice]) -> list[NoticeView]:
    """The notices (already checked to be the viewer's) with all their lines, each with its
    first :data:`LOTS_SHOWN` lots: the API's notice resource, a few queries for them all."""
    lines = _lines(session, [notice.id for notice in notices])
    _fill_lots(session, lines, 0, LOTS_SHOWN)
    by_notice: dict[int, list[NoticeLine]] = {notice.id: [] for notice in notices}
    for line in lines:
        by_notice[line.notice_line.notice_id].append(line)
    return [NoticeView(n, by_notice[n.id], len(by_notice[n.id])) for n in notices]


def line_lots_view(
    session: Session, org_id: int | None, notice_id: int, line_id: int, offset: int, limit: int
) -> NoticeView:
    """One line of a notice of the organisation with ``limit`` of its lots from ``offset``;
    a line of another notice is not found."""
    notice = get_notice(session, org_id, notice_id)
    lines = _lines(session, [notice.id], line_id=line_id)
    if not lines:
        raise NotFound()
    _fill_lots(session, lines, offset, limit)
    return NoticeView(notice, lines, 1, _open_lot_count(session, notice.id))


def line_lot_count(session: Session, org_id: int | None, notice_id: int, line_id: int) -> int:
    """How many lots a line of a notice of the organisation has."""
    notice = get_notice(session, org_id, notice_id)
    count = (
        select(func.count())
        .select_from(ShipmentLot)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .where(ShipNoticeLine.notice_id == notice.id, ShipNoticeLine.id == line_id)
    )
    return session.scalar(count) or 0


def notice_lots_query(
    session: Session, org_id: int | None, notice_id: int, line_id: int | None = None
) -> Select[Any]:
    """The shipment lots of a notice of the organisation (of one of its lines), in the order
    sent, each with its lot loaded."""
    notice = get_notice(session, org_id, notice_id)
    query = (
        select(ShipmentLot)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .join(Lot, Lot.id == ShipmentLot.lot_id)
        .options(contains_eager(ShipmentLot.lot))
        .where(ShipNoticeLine.notice_id == notice.id)
        .order_by(ShipmentLot.id)
    )
    if line_id is not None:
        query = query.where(ShipmentLot.notice_line_id == line_id)
    return query


def _lines(
    session: Session,
    notice_ids: list[int],
    offset: int = 0,
    limit: int | None = None,
    line_id: int | None = None,
) -> list[NoticeLine]:
    query = (
        select(ShipNoticeLine, OrderLine, PurchaseOrder.number, Part)
        .join(OrderLine, OrderLine.id == ShipNoticeLine.order_line_id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .where(ShipNoticeLine.notice_id.in_(notice_ids))
        .order_by(ShipNoticeLine.id)
        .offset(offset)
        .limit(limit)
    )
    if line_id is not None:
        query = query.where(ShipNoticeLine.id == line_id)
    return [NoticeLine(nl, ol, number, part) for nl, ol, number, part in session.execute(query)]


def _received(line_ids: list[int]) -> Any:
    """Received and rejected per shipment lot, over the receipts of these notice lines."""
    return (
        select(
            Receipt.shipment_lot_id,
            func.sum(Receipt.received_quantity).label("received"),
            func.sum(Receipt.rejected_quantity).label("rejected"),
        )
        .join(ShipmentLot, ShipmentLot.id == Receipt.shipment_lot_id)
        .where(ShipmentLot.notice_line_id.in_(line_ids))
        .group_by(Receipt.shipment_lot_id)
        .subquery()
    )


def _fill_lots(session: Session, lines: list[NoticeLine], offset: int, limit: int) -> None:
    """Give each line its lots ``offset`` to ``offset + limit`` (in the order sent), its lot
    count and its count of open lots."""
    by_id = {line.notice_line.id: line for line in lines}
    if not by_id:
        return
    received = _received(list(by_id))
    got = func.coalesce(received.c.received, 0)
    counts = session.execute(
        select(
            ShipmentLot.notice_line_id,
            func.count(),
            func.sum(case((got < ShipmentLot.quantity, 1), else_=0)),
        )
        .outerjoin(received, received.c.shipment_lot_id == ShipmentLot.id)
        .where(ShipmentLot.notice_line_id.in_(by_id))
        .group_by(ShipmentLot.notice_line_id)
    )
    for line_id, count, still_open in counts:
        by_id[line_id].lot_count, by_id[line_id].open_lots = count, int(still_open or 0)
    rank = (
        func.row_number()
        .over(partition_by=ShipmentLot.notice_line_id, order_by=ShipmentLot.id)
        .label("rank")
    )
    window = select(ShipmentLot.id, rank).where(ShipmentLot.notice_line_id.in_(by_id)).subquery()
    lots = session.execute(
        select(ShipmentLot, Lot, received.c.received, received.c.rejected)
        .join(window, window.c.id == ShipmentLot.id)
        .join(Lot, Lot.id == ShipmentLot.lot_id)
        .outerjoin(received, received.c.shipment_lot_id == ShipmentLot.id)
        .where(window.c.rank > offset, window.c.rank <= offset + limit)
        .order_by(ShipmentLot.id)
    )
    for shipment_lot, lot, got_, rejected in lots:
        by_id[shipment_lot.notice_line_id].lots.append(
            ShippedLot(shipment_lot, lot, Decimal(str(got_ or 0)), Decimal(str(rejected or 0)))
        )


def notice_line_count(session: Session, org_id: int | None, notice_id: int) -> int:
    """How many lines a notice of the organisation has."""
    return _line_count(session, get_notice(session, org_id, notice_id).id)


def _line_count(session: Session, notice_id: int) -> int:
    count = select(func.count()).where(ShipNoticeLine.notice_id == notice_id)
    return session.scalar(count) or 0


def _open_lot_count(session: Session, notice_id: int) -> int:
    """How many lots of the notice were not received in full."""
    received = received_by_lot(notice_id)
    count = (
        select(func.count())
        .select_from(ShipmentLot)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .outerjoin(received, received.c.shipment_lot_id == ShipmentLot.id)
        .where(
            ShipNoticeLine.notice_id == notice_id,
            func.coalesce(received.c.received, 0) < ShipmentLot.quantity,
        )
    )
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
