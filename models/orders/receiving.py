"""Receipts: the buyer records what arrived of each shipped lot and what it rejected."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.clock import local_today
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify
from models.orders.entities import (
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
from models.orders.receipt_plan import NoticeLot, notice_lots, plan_receipt
from models.orders.schemas import ReceiptSchema
from models.roles import require_permission


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
    reason; the day of receipt is neither in the future nor before the ship date. With
    ``all_as_shipped``, every open lot the receipt does not name is received in full, without
    rejects (the named lots are the exceptions). A line whose
    accepted quantity (received minus rejected) reaches the agreed quantity
    closes, and an order whose lines are all closed closes. The supplier is told of rejects.
    """
    require_permission(actor.role, "buy")
    loaded, items, errors = load_with_items(ReceiptSchema(), data, "lots")
    if "ship_notice_id" not in loaded and "notice_number" not in loaded:
        raise ValidationFailed(errors)
    notice = _notice(session, actor, loaded)
    key = loaded.get("idempotency_key")
    lots = notice_lots(session, notice.id)
    all_as_shipped = bool(loaded.get("all_as_shipped"))
    known = _receipts_of_key(session, notice, key) if key else []
    if known:
        _require_same_content(known, lots, items, all_as_shipped)
        return known, False
    planned = plan_receipt(lots, items, all_as_shipped, errors)
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
    # One multi-row INSERT: a notice of tens of thousands of serial lots is received at once.
    receipts = list(
        session.scalars(
            insert(Receipt).returning(Receipt, sort_by_parameter_order=True),
            [
                {
                    "shipment_lot_id": plan.lot.id,
                    "order_line_id": plan.lot.order_line_id,
                    "buyer_org_id": notice.buyer_org_id,
                    "supplier_org_id": notice.supplier_org_id,
                    "received_quantity": plan.received,
                    "rejected_quantity": plan.rejected,
                    "reason_code": plan.reason_code,
                    "received_on": received_on,
                    "idempotency_key": key,
                    "source": source_of(actor),
                    "created_by_user_id": actor.user_id,
                }
                for plan in planned
            ],
        )
    )
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


def _require_same_content(
    known: list[Receipt],
    lots: dict[int, NoticeLot],
    items: list[tuple[int, dict[str, Any]]],
    all_as_shipped: bool,
) -> None:
    """A key sent again must carry what it recorded (a retry): the request is planned against
    the notice as it stood before those receipts, and must give the same receipts. Other lots,
    quantities or reasons under it are another receipt, refused rather than silently dropped."""
    recorded = Counter(
        (r.shipment_lot_id, r.received_quantity, r.rejected_quantity, r.reason_code or None)
        for r in known
    )
    taken = Counter()
    for receipt in known:
        taken[receipt.shipment_lot_id] += receipt.received_quantity
    before = {
        lot_id: replace(lot, received=lot.received - taken[lot_id]) for lot_id, lot in lots.items()
    }
    errors: dict[str, list[Any]] = {}
    asked = Counter(
        (plan.lot.id, plan.received, plan.rejected, plan.reason_code or None)
        for plan in plan_receipt(before, items, all_as_shipped, errors)
    )
    if errors or asked != recorded:
        raise Conflict(
            N_("This form was already sent with other quantities and that earlier receipt was "
               "recorded; nothing new was recorded. To record another receipt, reload the page "
               "(or send a new idempotency key).")
        )  # fmt: skip


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
