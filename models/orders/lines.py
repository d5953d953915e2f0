"""Loading order lines for a party: the supplier's own lines, the buyer's own lines, and the
lines a viewer further up the chain may follow through the suppliers' sharing agreements.

A line the actor may not act on is reported as not found, whoever it belongs to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, case, or_, select
from sqlalchemy.orm import Session

from models.access import downstream_cte, visible_org_ids_query
from models.errors import NotFound
from models.orders.entities import OrderLine
from models.orgs.entities import Organisation

DEFAULT_OVER_SHIP_PCT = Decimal(5)


class AgreedTerms(Protocol):
    """What :func:`agreed_quantity` reads: an order line, or a row of its columns."""

    @property
    def quantity(self) -> Decimal: ...

    @property
    def confirmation(self) -> str: ...

    @property
    def confirmed_quantity(self) -> Decimal | None: ...


def supplier_line(session: Session, org_id: int | None, line_id: int) -> OrderLine:
    """A line the organisation supplies; any other line is not found."""
    line = session.get(OrderLine, line_id)
    if line is None or org_id is None or line.supplier_org_id != org_id:
        raise NotFound()
    return line


def party_line(session: Session, org_id: int | None, line_id: int) -> OrderLine:
    """A line the organisation ordered or supplies."""
    line = session.get(OrderLine, line_id)
    if line is None or org_id is None or org_id not in (line.buyer_org_id, line.supplier_org_id):
        raise NotFound()
    return line


def visible_lines_clause(viewer_org_id: int) -> ColumnElement[bool]:
    """Lines the viewer may see: its own as buyer or supplier, and lines inside its chain
    (the buyer is below the viewer) whose supplier shares progress with the viewer."""
    below = downstream_cte(viewer_org_id, name="below_viewer")
    shared = visible_org_ids_query(viewer_org_id, "progress").subquery()
    return or_(
        OrderLine.buyer_org_id == viewer_org_id,
        OrderLine.supplier_org_id == viewer_org_id,
        and_(
            OrderLine.buyer_org_id.in_(select(below.c.org_id)),
            OrderLine.supplier_org_id.in_(select(shared.c[0])),
        ),
    )


def visible_line(session: Session, viewer_org_id: int, line_id: int) -> OrderLine:
    """A line the viewer may see (see :func:`visible_lines_clause`), else not found."""
    line = session.get(OrderLine, line_id)
    if line is None:
        raise NotFound()
    if viewer_org_id in (line.buyer_org_id, line.supplier_org_id):
        return line
    found = session.scalar(
        select(OrderLine.id).where(OrderLine.id == line_id, visible_lines_clause(viewer_org_id))
    )
    if found is None:
        raise NotFound()
    return line


#: The states in which the line's last agreement is in force: agreed, or agreed and a further
#: change proposed (the agreement holds until the buyer accepts the change).
AGREEMENT_IN_FORCE = ("confirmed", "proposed")


def has_agreement(line: OrderLine) -> bool:
    """Whether the parties agreed on the line (and that agreement is in force)."""
    return line.confirmation in AGREEMENT_IN_FORCE and line.confirmed_quantity is not None


def agreed_quantity(line: AgreedTerms) -> Decimal:
    """The quantity last agreed (kept while a change is proposed), else the ordered one."""
    if line.confirmation in AGREEMENT_IN_FORCE and line.confirmed_quantity is not None:
        return line.confirmed_quantity
    return line.quantity


def promised_date(line: OrderLine) -> Any:
    """The date last agreed (kept while a change is proposed), else the due date."""
    if line.confirmation in AGREEMENT_IN_FORCE and line.confirmed_date is not None:
        return line.confirmed_date
    return line.due_date


def agreed_quantity_sql() -> ColumnElement[Any]:
    """:func:`agreed_quantity` as an SQL expression."""
    return case(
        (
            and_(
                OrderLine.confirmation.in_(AGREEMENT_IN_FORCE),
                OrderLine.confirmed_quantity.is_not(None),
            ),
            OrderLine.confirmed_quantity,
        ),
        else_=OrderLine.quantity,
    )


def promised_date_sql() -> ColumnElement[Any]:
    """:func:`promised_date` as an SQL expression."""
    return case(
        (
            and_(
                OrderLine.confirmation.in_(AGREEMENT_IN_FORCE),
                OrderLine.confirmed_date.is_not(None),
            ),
            OrderLine.confirmed_date,
        ),
        else_=OrderLine.due_date,
    )


def over_ship_pct(buyer: Organisation | None) -> Decimal:
    """How far above the agreed quantity the buyer accepts shipments (its setting, else 5%)."""
    value = buyer.setting("over_ship_tolerance_pct", None) if buyer is not None else None
    return DEFAULT_OVER_SHIP_PCT if value is None else Decimal(str(value))


def quantity_limit(line: AgreedTerms, buyer: Organisation | None) -> Decimal:
    """The most that may be shipped (or reported done) on a line."""
    return agreed_quantity(line) * (1 + over_ship_pct(buyer) / 100)


def plain(value: Decimal | None) -> str:
    """A quantity as people write it: 12.5, not 12.5000."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
