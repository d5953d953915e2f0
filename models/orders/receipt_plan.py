"""Which lots of a ship notice a receipt records, and how much of each: the lots it names,
and with ``all_as_shipped`` every other open lot in full.

Set-based (a few queries whatever the notice's size), so a notice of tens of thousands of
serial-number lots can be received in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from models.i18n import N_, Msg
from models.orders.entities import Lot, Receipt, ShipmentLot, ShipNoticeLine
from models.orders.lines import plain


@dataclass(frozen=True)
class NoticeLot:
    """A shipment lot of the notice: what shipped, on which order line, and what was received."""

    id: int
    order_line_id: int
    lot_number: str
    quantity: Decimal
    received: Decimal

    @property
    def open_quantity(self) -> Decimal:
        return max(Decimal(0), self.quantity - self.received)


@dataclass(frozen=True)
class PlannedReceipt:
    lot: NoticeLot
    received: Decimal
    rejected: Decimal
    reason_code: str | None


def received_by_lot(notice_id: int) -> Subquery:
    """``(shipment_lot_id, received)``: what was received so far of each lot of the notice."""
    return (
        select(Receipt.shipment_lot_id, func.sum(Receipt.received_quantity).label("received"))
        .join(ShipmentLot, ShipmentLot.id == Receipt.shipment_lot_id)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .where(ShipNoticeLine.notice_id == notice_id)
        .group_by(Receipt.shipment_lot_id)
        .subquery()
    )


def notice_lots(session: Session, notice_id: int) -> dict[int, NoticeLot]:
    """Every shipment lot of the notice by id, in the order sent."""
    received = received_by_lot(notice_id)
    rows = session.execute(
        select(
            ShipmentLot.id,
            ShipNoticeLine.order_line_id,
            Lot.lot_number,
            ShipmentLot.quantity,
            received.c.received,
        )
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .join(Lot, Lot.id == ShipmentLot.lot_id)
        .outerjoin(received, received.c.shipment_lot_id == ShipmentLot.id)
        .where(ShipNoticeLine.notice_id == notice_id)
        .order_by(ShipmentLot.id)
    )
    return {
        lot_id: NoticeLot(lot_id, line_id, number, quantity, Decimal(str(got or 0)))
        for lot_id, line_id, number, quantity, got in rows
    }


def plan_receipt(
    lots: dict[int, NoticeLot],
    items: list[tuple[int, dict[str, Any]]],
    all_as_shipped: bool,
    errors: dict[str, list[Any]],
) -> list[PlannedReceipt]:
    """The receipts to write: one per item naming a lot of the notice, then (with
    ``all_as_shipped``) one per open lot no item names, for its open quantity. Problems of an
    item go into ``errors`` at ``lots.<index>``."""
    by_number: dict[str, list[int]] = {}
    for lot in lots.values():
        by_number.setdefault(lot.lot_number, []).append(lot.id)
    planned, named = [], set()
    taken: dict[int, Decimal] = {}
    for index, item in items:
        place = f"lots.{index}"
        wanted_id, number = item.get("shipment_lot_id"), item.get("lot_number")
        if wanted_id is None and not number:
            continue
        match = sorted(({wanted_id} & lots.keys()) | set(by_number.get(number or "", [])))
        if len(match) != 1:
            field = "shipment_lot_id" if wanted_id is not None else "lot_number"
            errors[f"{place}.{field}"] = [_unknown(number, len(match))]
            continue
        lot = lots[match[0]]
        named.add(lot.id)
        if not item.get("received_quantity"):
            continue
        taken[lot.id] = taken.get(lot.id, Decimal(0)) + item["received_quantity"]
        if lot.received + taken[lot.id] > lot.quantity:
            errors[f"{place}.received_quantity"] = [
                Msg(
                    N_("You cannot receive more of lot %(lot)s than was shipped: %(shipped)s "
                       "shipped, %(already)s already received."),
                    lot=lot.lot_number,
                    shipped=plain(lot.quantity),
                    already=plain(lot.received),
                )
            ]  # fmt: skip
        planned.append(
            PlannedReceipt(
                lot,
                item["received_quantity"],
                item.get("rejected_quantity") or Decimal(0),
                item.get("reason_code"),
            )
        )
    if all_as_shipped:
        planned += [
            PlannedReceipt(lot, lot.open_quantity, Decimal(0), None)
            for lot in lots.values()
            if lot.id not in named and lot.open_quantity > 0
        ]
    return planned


def _unknown(number: str | None, count: int) -> Msg:
    if not count:
        return Msg(N_("This lot is not on the ship notice."))
    return Msg(
        N_("Lot %(lot)s is on %(count)s lines of this notice: name it by its shipment_lot_id."),
        lot=number,
        count=count,
    )
