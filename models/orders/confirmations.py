"""Confirming order lines: the supplier confirms or proposes, the buyer accepts or rejects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, Forbidden, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify
from models.orders.entities import LineConfirmation, OrderLine
from models.orders.lines import agreed_quantity, party_line, plain, promised_date
from models.orders.purchasing import source_of
from models.orders.schemas import ConfirmationSchema
from models.roles import require_permission
from models.validation import load

SUPPLIER_ACTIONS = ("confirm", "propose")
BUYER_ACTIONS = ("accept", "reject")


def record_confirmation(
    session: Session, actor: Actor, line_id: int, data: dict[str, Any]
) -> LineConfirmation:
    """Add one step to a line's confirmation history and move the line's confirmation state.

    - ``confirm`` (supplier): the line as ordered; refused when already confirmed.
    - ``propose`` (supplier): another quantity and/or date, at any time while the line is open;
      what it leaves out stays as the line stands (its last agreement, else as ordered). One
      equal to what the line stands at changes nothing and is refused on both fields. The last
      agreement stays in force until the buyer accepts the proposal.
    - ``accept`` / ``reject`` (buyer): answer the open proposal; accepting makes its quantity
      and date the agreed ones, rejecting returns the line to its earlier agreement (confirmed,
      with the quantity and date agreed before) or, when it had none, marks it rejected.

    A line neither party of the actor's organisation is not found; the other party's action is
    forbidden; a closed line or a step out of turn is a conflict.
    """
    loaded = load(ConfirmationSchema(), data)
    line = party_line(session, actor.org_id, line_id)
    action = loaded["action"]
    if action in SUPPLIER_ACTIONS:
        if line.supplier_org_id != actor.org_id:
            raise Forbidden(N_("Only the supplier confirms or proposes."))
        require_permission(actor.role, "sell")
    else:
        if line.buyer_org_id != actor.org_id:
            raise Forbidden(N_("Only the buyer accepts or rejects a proposal."))
        require_permission(actor.role, "buy")
    if line.status != "open":
        raise Conflict(N_("This line is closed."))
    step = LineConfirmation(
        line_id=line.id,
        action=action,
        note=loaded["note"],
        source=source_of(actor),
        by_org_id=actor.org_id,
        by_user_id=actor.user_id,
        at=loaded["at"] or utcnow(),
    )
    {"confirm": _confirm, "propose": _propose, "accept": _accept, "reject": _reject}[action](
        session, line, loaded, step
    )
    session.add(step)
    session.flush()
    record_audit(
        session,
        actor,
        f"line.{action}",
        "order_line",
        line.id,
        {
            "quantity": None if step.quantity is None else str(step.quantity),
            "promised_date": None if step.promised_date is None else step.promised_date.isoformat(),
        },
    )
    other = line.buyer_org_id if action in SUPPLIER_ACTIONS else line.supplier_org_id
    notify(
        session,
        other,
        f"line.{action}",
        Msg(_TITLES[action], number=line.order.number, line=line.line_no),
        link=f"/orders/lines/{line.id}",
    )
    return step


_TITLES = {
    "confirm": N_("Order %(number)s line %(line)s was confirmed"),
    "propose": N_("The supplier proposes a change to order %(number)s line %(line)s"),
    "accept": N_("Your proposal for order %(number)s line %(line)s was accepted"),
    "reject": N_("Your proposal for order %(number)s line %(line)s was rejected"),
}


def _confirm(_: Session, line: OrderLine, loaded: dict[str, Any], step: LineConfirmation) -> None:
    if line.confirmation == "confirmed":
        raise Conflict(N_("This line is already confirmed."))
    errors = {}
    if loaded["quantity"] is not None and loaded["quantity"] != line.quantity:
        errors["quantity"] = [N_("This differs from the order: propose it instead.")]
    if loaded["promised_date"] is not None and loaded["promised_date"] != line.due_date:
        errors["promised_date"] = [N_("This differs from the order: propose it instead.")]
    if errors:
        raise ValidationFailed(errors)
    step.quantity, step.promised_date = line.quantity, line.due_date
    _agree(line, line.quantity, line.due_date, step)


def _propose(_: Session, line: OrderLine, loaded: dict[str, Any], step: LineConfirmation) -> None:
    quantity, due = _current_terms(line)
    step.quantity = loaded["quantity"] or quantity
    step.promised_date = loaded["promised_date"] or due
    if step.promised_date < line.order.order_date:
        raise ValidationFailed.on(
            "promised_date",
            N_("The promised date is before the order date %(date)s."),
            date=line.order.order_date.isoformat(),
        )
    if (step.quantity, step.promised_date) == (quantity, due):
        same = Msg(
            N_(
                "This proposal changes nothing: the line already has %(quantity)s %(unit)s "
                "by %(date)s. Propose another quantity or another date."
            ),
            quantity=plain(quantity),
            unit=line.unit,
            date=due.isoformat(),
        )
        raise ValidationFailed({"quantity": [same], "promised_date": [same]})
    line.confirmation = "proposed"


def _current_terms(line: OrderLine) -> tuple[Decimal, date]:
    """The quantity and date the line stands at: its last agreement (kept on the line while a
    proposal is open or after one was rejected), else as ordered."""
    return agreed_quantity(line), promised_date(line)


def _open_proposal(session: Session, line: OrderLine) -> LineConfirmation:
    if line.confirmation != "proposed":
        raise Conflict(N_("There is no open proposal on this line."))
    proposal = session.scalar(
        select(LineConfirmation)
        .where(LineConfirmation.line_id == line.id, LineConfirmation.action == "propose")
        .order_by(LineConfirmation.id.desc())
        .limit(1)
    )
    assert proposal is not None
    return proposal


def _accept(session: Session, line: OrderLine, _: dict[str, Any], step: LineConfirmation) -> None:
    proposal = _open_proposal(session, line)
    step.quantity, step.promised_date = proposal.quantity, proposal.promised_date
    _agree(line, proposal.quantity or line.quantity, proposal.promised_date or line.due_date, step)


def _reject(session: Session, line: OrderLine, _: dict[str, Any], step: LineConfirmation) -> None:
    proposal = _open_proposal(session, line)
    step.quantity, step.promised_date = proposal.quantity, proposal.promised_date
    # A proposal leaves the earlier agreement's quantity and date on the line, so refusing the
    # change restores that agreement rather than leaving the line without one.
    line.confirmation = "rejected" if line.confirmed_at is None else "confirmed"


def _agree(line: OrderLine, quantity: Any, promised: Any, step: LineConfirmation) -> None:
    line.confirmation = "confirmed"
    line.confirmed_quantity = quantity
    line.confirmed_date = promised
    line.confirmed_at = step.at


def open_proposals(session: Session, lines: list[OrderLine]) -> dict[int, LineConfirmation]:
    """The proposal each line in the ``proposed`` state is waiting on, by line id."""
    waiting = [line.id for line in lines if line.confirmation == "proposed"]
    if not waiting:
        return {}
    steps = session.scalars(
        select(LineConfirmation)
        .where(LineConfirmation.line_id.in_(waiting), LineConfirmation.action == "propose")
        .order_by(LineConfirmation.id)
    )
    return {step.line_id: step for step in steps}
