"""Receipts: the buyer records what arrived of each shipped lot and what it rejected."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.clock import local_today
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify
from models.orders.entities import (
    Lot,
    OrderLine,
    PurchaseOrder,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orders.lines import agreed_quantity, plain
from models.orders.loading import load_with_items
from models.orders.purchasing import source_of
from models.orders.schemas import ReceiptSchema
from models.roles import require_permission


def received_of_shipment_lot(session: Session, shipment_lot_id: int) -> Decimal:
    total = session.scalar(
        select(func.sum(Receipt.received_quantity)).where(
            Receipt.shipment_lot_id == shipment_lot_id
        )
    )
    return Decimal(total or 0)


def accepted_of_line(session: Session, line_id: int) -> Decimal:
    """Received minus rejected, over every receipt of the line."""
    total = session.scalar(
        select(func.sum(Receipt.received_quantity - Receipt.rejected_quantity)).where(
            Receipt.order_line_id == line_id
        )
    )
    return Decimal(total or 0)


def rejected_of_line(session: Session, line_id: int) -> Decimal:
    """Rejected on receipt, over every receipt of the line: goods the supplier is to replace."""
    total = session.scalar(
        select(func.sum(Receipt.rejected_quantity)).where(Receipt.order_line_id == line_id)
    )
    return Decimal(total or 0)


def record_receipt(
    session: Session, actor: Actor, data: dict[str, Any]
) -> tuple[list[Receipt], bool]:
    """Record the receipt of some or all lots of a ship notice addressed to the actor.

    Returns ``(receipts, created)``. The same ``idempotency_key`` sent again for the same notice
    with the same lots, quantities and reasons returns the receipts it first recorded and
    writes nothing; the key sent with other content, or used for another notice, is a
    conflict and writes nothing. Receipts of one notice are recorded one request at a time
    (its row is locked), so two copies racing find the key, and the shipped quantity holds.

    Guarantees: the notice is the actor's (else not found); each lot is on the notice, named
    by its shipment-lot id where its number is on several lines; something is received; what is
    received of a lot, over all receipts, is at most what was shipped of it; rejects have a
    reason; the day of receipt is neither in the future nor before the ship date. A line whose
    accepted quantity (received minus rejected) reaches the agreed quantity
    closes, and an order whose lines are all closed closes. The supplier is told of rejects.
    """
    require_permission(actor.role, "buy")
    loaded, items, errors = load_with_items(ReceiptSchema(), data, "lots")
    if "ship_notice_id" not in loaded and "notice_number" not in loaded:
        raise ValidationFailed(errors)
    notice = _notice(session, actor, loaded)
    planned = _match_lots(session, notice, items, errors)
    key = loaded.get("idempotency_key")
    known = _receipts_of_key(session, notice, key) if key else []
    if known:
        _require_same_content(known, planned, errors)
        return known, False
    taken: dict[int, Decimal] = {}
    for index, shipment_lot, lot, item in planned:
        taken[shipment_lot.id] = taken.get(shipment_lot.id, Decimal(0)) + item["received_quantity"]
        already = received_of_shipment_lot(session, shipment_lot.id)
        if already + taken[shipment_lot.id] > shipment_lot.quantity:
            errors[f"lots.{index}.received_quantity"] = [
                Msg(
                    N_("You cannot receive more of lot %(lot)s than was shipped: %(shipped)s "
                       "shipped, %(already)s already received."),
                    lot=lot.lot_number,
                    shipped=plain(shipment_lot.quantity),
                    already=plain(already),
                )
            ]  # fmt: skip
    if not planned and not errors:
        errors["lots"] = [Msg(N_("Nothing received: enter what was received of at least one lot."))]
    received_on = loaded.get("received_on") or local_today()
    if received_on > local_today():
        errors["received_on"] = [Msg(N_("The day of receipt lies in the future."))]
    elif received_on < notice.ship_date:
        errors["received_on"] = [
            Msg(
                N_("The goods were shipped on %(date)s: they cannot be received before."),
                date=notice.ship_date.isoformat(),
            )
        ]
    if errors:
        raise ValidationFailed(errors)
    receipts = []
    for _, shipment_lot, _, item in planned:
        receipt = Receipt(
            shipment_lot_id=shipment_lot.id,
            order_line_id=shipment_lot.notice_line.order_line_id,
            buyer_org_id=notice.buyer_org_id,
            supplier_org_id=notice.supplier_org_id,
            received_quantity=item["received_quantity"],
            rejected_quantity=item["rejected_quantity"],
            reason_code=item["reason_code"],
            received_on=received_on,
            idempotency_key=key,
            source=source_of(actor),
            created_by_user_id=actor.user_id,
        )
        session.add(receipt)
        receipts.append(receipt)
    session.flush()
    for line_id in dict.fromkeys(r.order_line_id for r in receipts):
        _close_if_complete(session, line_id)
    rejected = sum((r.rejected_quantity for r in receipts), Decimal(0))
    record_audit(
        session,
        actor,
        "receipt.create",
        "ship_notice",
        notice.id,
        {"receipts": [r.id for r in receipts], "rejected": plain(rejected)},
    )
    if rejected > 0:
        notify(
            session,
            notice.supplier_org_id,
            "receipt.rejects",
            Msg(
                N_("%(rejected)s rejected on receipt of ship notice %(number)s"),
                rejected=plain(rejected),
                number=notice.number,
            ),
            link=f"/orders/notices/{notice.id}",
        )
    return receipts, True


Planned = tuple[int, ShipmentLot, Lot, dict[str, Any]]


def _match_lots(
    session: Session, notice: ShipNotice, items: list[tuple[int, dict[str, Any]]], errors: dict
) -> list[Planned]:
    """The request's lots with something received, each matched to its lot on the notice
    (by shipment-lot id or lot number); a lot not on the notice, or ambiguous, is an error."""
    shipped = {
        # The notice line comes along so that ``shipment_lot.notice_line`` needs no query.
        shipment_lot.id: (shipment_lot, lot)
        for shipment_lot, lot, _ in session.execute(
            select(ShipmentLot, Lot, ShipNoticeLine)
            .join(Lot, Lot.id == ShipmentLot.lot_id)
            .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
            .where(ShipNoticeLine.notice_id == notice.id)
            .order_by(ShipmentLot.id)
        )
    }
    planned = []
    for index, item in items:
        if item.get("shipment_lot_id") is None and not item.get("lot_number"):
            continue
        match = [
            key
            for key, (_, lot) in shipped.items()
            if key == item.get("shipment_lot_id") or lot.lot_number == item.get("lot_number")
        ]
        if len(match) != 1:
            field = "shipment_lot_id" if item.get("shipment_lot_id") is not None else "lot_number"
            errors[f"lots.{index}.{field}"] = [
                Msg(N_("This lot is not on the ship notice."))
                if not match
                else Msg(
                    N_("Lot %(lot)s is on %(count)s lines of this notice: name it by its "
                       "shipment_lot_id."),
                    lot=item.get("lot_number"),
                    count=len(match),
                )
            ]  # fmt: skip
            continue
        if item.get("received_quantity"):
            planned.append((index, *shipped[match[0]], item))
    return planned


def _require_same_content(known: list[Receipt], planned: list[Planned], errors: dict) -> None:
    """A key sent again must carry what it recorded (a retry); other lots, quantities or
    reasons under it are another receipt, refused rather than silently dropped."""
    recorded = Counter(
        (r.shipment_lot_id, r.received_quantity, r.rejected_quantity, r.reason_code or None)
        for r in known
    )
    asked = Counter(
        (
            shipment_lot.id,
            item["received_quantity"],
            item.get("rejected_quantity") or Decimal(0),
            item.get("reason_code") or None,
        )
        for _, shipment_lot, _, item in planned
    )
    if errors or asked != recorded:
        raise Conflict(
            N_("This form was already sent with other quantities and that earlier receipt was "
               "recorded; nothing new was recorded. To record another receipt, reload the page "
               "(or send a new idempotency key).")
        )  # fmt: skip


def _notice(session: Session, actor: Actor, loaded: dict[str, Any]) -> ShipNotice:
    """The notice named by id or by number, its row locked until the receipt is written."""
    if loaded.get("ship_notice_id") is not None:
        notice = session.get(ShipNotice, loaded["ship_notice_id"], with_for_update=True)
    else:
        query = (
            select(ShipNotice)
            .where(
                ShipNotice.buyer_org_id == actor.org_id,
                ShipNotice.number == loaded["notice_number"],
            )
            .with_for_update()
        )
        if loaded.get("supplier_org_id") is not None:
            query = query.where(ShipNotice.supplier_org_id == loaded["supplier_org_id"])
        found = list(session.scalars(query))
        if len(found) > 1:
            raise ValidationFailed.on(
                "supplier_org_id", N_("Several suppliers sent this number: name the supplier.")
            )
        notice = found[0] if found else None
    if notice is None or notice.buyer_org_id != actor.org_id:
        raise NotFound()
    return notice


def _receipts_of_key(session: Session, notice: ShipNotice, key: str) -> list[Receipt]:
    """What an earlier request with this key recorded; the key of another notice conflicts."""
    found = session.execute(
        select(Receipt, ShipNoticeLine.notice_id)
        .join(ShipmentLot, ShipmentLot.id == Receipt.shipment_lot_id)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .where(Receipt.buyer_org_id == notice.buyer_org_id, Receipt.idempotency_key == key)
        .order_by(Receipt.id)
    ).all()
    if any(notice_id != notice.id for _, notice_id in found):
        raise Conflict(N_("This idempotency key was already used for another receipt."))
    return [receipt for receipt, _ in found]


def _close_if_complete(session: Session, line_id: int) -> None:
    line = session.get(OrderLine, line_id)
    assert line is not None
    if line.status != "open" or accepted_of_line(session, line_id) < agreed_quantity(line):
        return
    line.status, line.closed_at = "closed", utcnow()
    session.flush()
    order = session.get(PurchaseOrder, line.order_id)
    assert order is not None
    still_open = session.scalar(
        select(OrderLine.id).where(OrderLine.order_id == order.id, OrderLine.status == "open")
    )
    if still_open is None:
        order.status = "closed"
