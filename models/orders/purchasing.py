"""Purchase orders: a buyer orders parts from one of its active suppliers."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.clock import local_today
from models.errors import NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify
from models.orders.entities import OrderLine, PurchaseOrder
from models.orders.loading import load_with_items
from models.orders.parts import own_part, part_by_supplier_number
from models.orders.schemas import PurchaseOrderSchema
from models.orgs.sharing import find_link
from models.roles import require_permission

SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 8


def new_short_code(session: Session) -> str:
    """A random code for a line's QR code and short link (no 0/O, 1/I/L to misread)."""
    while True:
        code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
        if session.scalar(select(OrderLine.id).where(OrderLine.short_code == code)) is None:
            return code


def source_of(actor: Actor) -> str:
    return {"web": "form", "api": "api", "file": "file", "edi": "edi"}.get(actor.channel, "demo")


def create_purchase_order(session: Session, actor: Actor, data: dict[str, Any]) -> PurchaseOrder:
    """Issue a purchase order to an active supplier of the actor.

    Guarantees: the number is new for this buyer, every part is one of the buyer's parts (by its
    number, or by the supplier's number for it), units match the part, no line is due before
    the order date, line numbers are unique
    (missing ones are numbered on from the highest), and the supplier is notified. Every problem
    is reported at once, per field (``lines.2.part_number``); nothing is written then.
    """
    require_permission(actor.role, "buy")
    loaded, items, errors = load_with_items(PurchaseOrderSchema(), data, "lines")
    supplier_id = loaded.get("supplier_org_id")
    if supplier_id is not None:
        link = find_link(session, actor.org_id, supplier_id)  # type: ignore[arg-type]
        if link is None or link.status != "active":
            errors["supplier_org_id"] = [Msg(N_("Not an active supplier of yours."))]
    if loaded.get("number") and session.scalar(
        select(PurchaseOrder.id).where(
            PurchaseOrder.buyer_org_id == actor.org_id, PurchaseOrder.number == loaded["number"]
        )
    ):
        errors["number"] = [
            Msg(N_("Order number %(number)s is already used."), number=loaded["number"])
        ]
    order_date = loaded.get("order_date") or local_today()
    lines = _resolve_lines(session, actor, supplier_id, items, errors)
    if "order_date" not in errors:
        _check_due_dates(order_date, items, errors)
    if errors:
        raise ValidationFailed(errors)
    order = PurchaseOrder(
        number=loaded["number"],
        buyer_org_id=actor.org_id,
        supplier_org_id=supplier_id,
        order_date=order_date,
        currency=loaded["currency"],
        note=loaded["note"],
        source=source_of(actor),
        created_by_user_id=actor.user_id,
    )
    session.add(order)
    session.flush()
    for values in lines:
        session.add(
            OrderLine(
                order_id=order.id,
                buyer_org_id=actor.org_id,
                supplier_org_id=supplier_id,
                short_code=new_short_code(session),
                **values,
            )
        )
    session.flush()
    record_audit(
        session,
        actor,
        "purchase_order.create",
        "purchase_order",
        order.id,
        {"number": order.number, "supplier_org_id": supplier_id, "lines": len(lines)},
    )
    notify(
        session,
        supplier_id,
        "order.new",
        Msg(N_("New purchase order %(number)s"), number=order.number),
        link=f"/orders/{order.id}",
    )
    return order


def _check_due_dates(
    order_date: date, lines: list[tuple[int, dict[str, Any]]], errors: dict[str, list[str]]
) -> None:
    """A line due before the order was placed is a slip of the date (a year, a month swapped)."""
    for index, line in lines:
        due = line.get("due_date")
        if due is not None and due < order_date:
            errors.setdefault(f"lines.{index}.due_date", []).append(
                Msg(
                    N_("The due date is before the order date %(date)s."),
                    date=order_date.isoformat(),
                )
            )


def _resolve_lines(
    session: Session,
    actor: Actor,
    supplier_id: int | None,
    lines: list[tuple[int, dict[str, Any]]],
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    numbers = [line["line"] for _, line in lines if line.get("line") is not None]
    next_no = max(numbers, default=0)
    seen: set[int] = set()
    resolved = []
    for index, line in lines:
        place = f"lines.{index}"
        if not (line.get("part_number") or line.get("supplier_part_number")):
            continue
        if line.get("part_number"):
            part = own_part(session, actor.org_id, line.get("part_number"))
        else:
            part = part_by_supplier_number(
                session, actor.org_id, supplier_id, line.get("supplier_part_number")
            )
        if part is None:
            errors[f"{place}.part_number"] = [
                Msg(
                    N_("Unknown part number %(part)s."),
                    part=line.get("part_number") or line.get("supplier_part_number"),
                )
            ]
            continue
        unit = line.get("unit") or part.unit
        if unit != part.unit:
            errors[f"{place}.unit"] = [
                Msg(
                    N_("Part %(part)s is counted in %(unit)s."),
                    part=part.part_number,
                    unit=part.unit,
                )
            ]
        line_no = line.get("line")
        if line_no is None:
            next_no += 1
            line_no = next_no
        if line_no in seen:
            errors[f"{place}.line"] = [Msg(N_("Line %(line)s appears twice."), line=line_no)]
        seen.add(line_no)
        resolved.append(
            {
                "line_no": line_no,
                "part_id": part.id,
                "quantity": line.get("quantity"),
                "unit": unit,
                "due_date": line.get("due_date"),
                "unit_price": line.get("unit_price"),
            }
        )
    return resolved


def get_order(session: Session, org_id: int | None, order_id: int) -> PurchaseOrder:
    """An order the organisation placed or received; any other is not found."""
    order = session.get(PurchaseOrder, order_id)
    if order is None or org_id not in (order.buyer_org_id, order.supplier_org_id):
        raise NotFound()
    return order
