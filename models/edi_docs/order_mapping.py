"""Orders, confirmations and ship notices from EDI records, through the orders operations.

The records come as the reader gives them (850/ORDERS ``purchase_order``, 855/ORDRSP
``order_response``, 856/DESADV ``ship_notice``); here they gain what the envelope says (who
the buyer and the supplier are) and the partner's unit codes are read as the part's units.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.edi_docs.identities import Partners
from models.edi_docs.units import as_local_unit
from models.errors import InputFault, ValidationFailed
from models.i18n import N_, Msg
from models.orders.confirmations import record_confirmation
from models.orders.entities import OrderLine, Part, PurchaseOrder
from models.orders.purchasing import create_purchase_order
from models.orders.ship_lookups import named_lines
from models.orders.shipping import create_ship_notice
from models.orgs.entities import Organisation
from models.validation import MAX_DB_INT4, whole_number_up_to

Written = tuple[str, int, str | None]


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The record without its empty values: the operations' schemas fill in their defaults."""
    return {key: value for key, value in data.items() if value is not None and key != "kind"}


def _line_number(value: Any) -> int | None:
    """The order line number an element gives, if it can be one (no line has a number past
    what its column holds: looking one up would fail in the database)."""
    return whole_number_up_to(str(value or ""), MAX_DB_INT4)


def purchase_order(session: Session, actor: Actor, partners: Partners, record: dict) -> Written:
    """An 850 / ORDERS: the sender orders from the receiver (its supplier)."""
    lines = [present(line) for line in record.get("lines") or []]
    numbers = {line.get("part_number") for line in lines if line.get("part_number")}
    units = dict(
        session.execute(
            select(Part.part_number, Part.unit).where(
                Part.owner_org_id == actor.org_id, Part.part_number.in_(numbers)
            )
        ).all()
    )
    for line in lines:
        line["unit"] = as_local_unit(line.get("unit"), units.get(line.get("part_number")))
    data = {**present(record), "supplier_org_id": partners.receiver_org_id, "lines": lines}
    order = create_purchase_order(session, actor, data)
    return "purchase_order", order.id, order.number


def ship_notice(session: Session, actor: Actor, partners: Partners, record: dict) -> Written:
    """An 856 / DESADV: the sender ships to the receiver (its buyer) against its orders.

    The order lines the notice names (order number and line number) are found in one query
    per 500 and handed to the operation by id, with the line's unit for the partner's unit
    code: the operation still checks every line (the supplier's, open, part, unit, lots,
    tolerance). A line not found keeps its order number, so the operation reports it as
    unknown.
    """
    lines = []
    for line in record.get("lines") or []:
        shipped = present(line)
        shipped["lots"] = [present(lot) for lot in line.get("lots") or []]
        lines.append(shipped)
    _name_order_lines(session, actor.org_id, partners.receiver_org_id, lines)
    _require_line_numbers(lines)
    if partners.receiver_org_id is not None:
        session.get(Organisation, partners.receiver_org_id)
    data = {**present(record), "buyer_org_id": partners.receiver_org_id, "lines": lines}
    notice = create_ship_notice(session, actor, data)
    return "ship_notice", notice.id, notice.number


def _require_line_numbers(lines: list[dict]) -> None:
    """Refuse lines that name their order but not its line: an EDI sender names lines by order
    and line number, so the message points at the element where the line number belongs."""
    errors = {
        f"lines.{index}.po_line": [
            InputFault(
                N_("Order %(order)s is named without its line number: give it in this element."),
                order=line["po_number"],
            )
        ]
        for index, line in enumerate(lines)
        if line.get("po_number") and line.get("po_line") in (None, "")
    }
    if errors:
        raise ValidationFailed(errors)


def _name_order_lines(
    session: Session, supplier_id: int | None, buyer_id: int | None, lines: list[dict]
) -> None:
    """Give each line the id of the order line it names, and its unit in the line's terms."""
    found = _order_lines(session, supplier_id, buyer_id, lines)
    for line in lines:
        order_line = found.get((line.get("po_number"), _line_number(line.get("po_line"))))
        if order_line is not None:
            line["order_line_id"], unit = order_line
            line["unit"] = as_local_unit(line.get("unit"), unit)


def _order_lines(
    session: Session, supplier_id: int | None, buyer_id: int | None, lines: list[dict]
) -> dict[tuple[str, int], tuple[int, str]]:
    """The id and unit of each of the buyer's order lines to the supplier that the notice
    names, by order number and line number (rows, not entities: a notice may name 50,000)."""
    keys = sorted(
        {
            (line["po_number"], number)
            for line in lines
            if line.get("po_number") and (number := _line_number(line.get("po_line"))) is not None
        }
    )
    if buyer_id is None:
        return {}
    columns = (OrderLine.id, OrderLine.unit)
    return {
        key: (line_id, unit)
        for key, (line_id, unit) in named_lines(session, columns, keys, supplier_id, buyer_id)
    }


def order_response(session: Session, actor: Actor, partners: Partners, record: dict) -> Written:
    """An 855 / ORDRSP: the supplier confirms the lines of the receiver's order as ordered,
    or proposes another quantity or date. A refused line cannot be taken: the supplier
    proposes instead (or talks to the buyer); a line already confirmed as the response says
    is left as it is, so a repeated response changes nothing."""
    order = session.scalar(
        select(PurchaseOrder).where(
            PurchaseOrder.buyer_org_id == partners.receiver_org_id,
            PurchaseOrder.supplier_org_id == actor.org_id,
            PurchaseOrder.number == (record.get("order_number") or ""),
        )
    )
    if order is None:
        raise ValidationFailed.on(
            "order_number",
            N_("No order %(number)s of this buyer to you."),
            number=record.get("order_number") or "?",
        )
    answers = record.get("lines") or [
        {"line": str(line.line_no), "status": record.get("status") or "accepted"}
        for line in order.lines
        if line.status == "open"
    ]
    errors: dict[str, list[str]] = {}
    steps: list[tuple[int, OrderLine, dict[str, Any]]] = []
    for index, answer in enumerate(answers):
        line = _order_line(order, answer)
        if line is None:
            errors[f"lines.{index}.line"] = [
                Msg(N_("Order %(number)s has no such line."), number=order.number)
            ]
            continue
        step = _step(line, answer)
        if isinstance(step, Msg):
            errors[f"lines.{index}.status"] = [step]
        elif step is not None:
            steps.append((index, line, step))
    if errors:
        raise ValidationFailed(errors)
    for index, line, step in steps:
        try:
            record_confirmation(session, actor, line.id, step)
        except ValidationFailed as failed:
            # The operation names its own fields; the file names them per line.
            raise ValidationFailed(
                {f"lines.{index}.{field}": found for field, found in failed.errors.items()}
            ) from None
    return "purchase_order", order.id, order.number


def _order_line(order: PurchaseOrder, answer: dict[str, Any]) -> OrderLine | None:
    number = _line_number(answer.get("line"))
    named = {answer.get("part_number"), answer.get("supplier_part_number")} - {None}
    for line in order.lines:
        if number is not None and line.line_no == number:
            return line
        if number is None and named & {line.part.part_number, line.part.supplier_part_number}:
            return line
    return None


def _step(line: OrderLine, answer: dict[str, Any]) -> dict[str, Any] | Msg | None:
    """The confirmation step an answered line calls for; None when nothing changes."""
    if (answer.get("status") or "accepted") == "rejected":
        return InputFault(
            N_("A line cannot be refused by EDI; propose another quantity or date instead.")
        )
    try:
        quantity = Decimal(answer["quantity"]) if answer.get("quantity") else None
        given = answer.get("promised_date")
        promised = date.fromisoformat(given) if given else None
    except (InvalidOperation, ValueError):
        return InputFault(N_("The quantity or date of this line cannot be read."))
    changed = (quantity is not None and quantity != line.quantity) or (
        promised is not None and promised != line.due_date
    )
    agreed = (quantity or line.quantity, promised or line.due_date)
    confirmed = (line.confirmed_quantity, line.confirmed_date)
    if line.confirmation == "confirmed" and agreed == confirmed:
        return None
    if not changed:
        return {"action": "confirm"}
    step: dict[str, Any] = {"action": "propose"}
    if quantity is not None:
        step["quantity"] = str(quantity)
    if promised is not None:
        step["promised_date"] = promised.isoformat()
    return step
