"""The order lines at risk a viewer may see, with every reason each is at risk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from models.i18n import Msg
from models.orders.entities import OrderLine, Part, PurchaseOrder
from models.orgs.entities import Organisation
from models.scorecards.entities import ScorecardWarning
from models.scorecards.messages import reason
from models.scorecards.sql import member_of
from models.scorecards.viewer import View

W = ScorecardWarning


@dataclass
class RiskLine:
    line_id: int
    order_id: int
    order_number: str
    line_no: int
    part: Part
    supplier: Organisation
    tier: int | None
    promised: date | None
    since: datetime
    kinds: list[str] = field(default_factory=list)
    reasons: list[Msg] = field(default_factory=list)


def _visible(session: Session, view: View) -> list[Any]:
    """Line warnings of suppliers in view whose progress the viewer sees, on lines placed by
    the viewer or by a buyer below it (the order rule of :mod:`models.orders.lines`)."""
    suppliers = view.suppliers & view.sees["progress"]
    buyers = frozenset(view.tier_of) | {view.viewer_org_id}
    return [
        W.resolved_at.is_(None),
        W.line_id.is_not(None),
        member_of(session, W.supplier_org_id, suppliers),
        member_of(session, W.buyer_org_id, buyers),
    ]


def at_risk_lines(
    session: Session, view: View, limit: int = 50, offset: int = 0
) -> tuple[list[RiskLine], int]:
    """Lines at risk, the soonest promised first, and how many there are in all (one query:
    the count rides along as a window total)."""
    first = (
        select(W.line_id, func.count().over().label("total"))
        .where(*_visible(session, view))
        .group_by(W.line_id)
        .order_by(func.min(W.promised_date), W.line_id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(first).all()
    if not rows and offset:
        total = session.scalar(
            select(func.count(func.distinct(W.line_id))).where(*_visible(session, view))
        )
    else:
        total = rows[0].total if rows else 0
    return lines_with_reasons(session, view, [row.line_id for row in rows]), int(total or 0)


def lines_with_reasons(session: Session, view: View, line_ids: list[int]) -> list[RiskLine]:
    if not line_ids:
        return []
    supplier = aliased(Organisation)
    rows = session.execute(
        select(W, OrderLine.line_no, OrderLine.order_id, PurchaseOrder.number, Part, supplier)
        .join(OrderLine, OrderLine.id == W.line_id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .join(supplier, supplier.id == W.supplier_org_id)
        .where(W.line_id.in_(line_ids), W.resolved_at.is_(None))
        .order_by(W.id)
    )
    lines: dict[int, RiskLine] = {}
    for warning, line_no, order_id, number, part, org in rows:
        line = lines.get(warning.line_id)
        if line is None:
            line = lines[warning.line_id] = RiskLine(
                warning.line_id, order_id, number, line_no, part, org,
                view.tier_of.get(org.id), warning.promised_date, warning.first_seen_at,
            )  # fmt: skip
        line.kinds.append(warning.kind)
        line.reasons.append(reason(warning))
        line.since = min(line.since, warning.first_seen_at)
    return [lines[i] for i in line_ids if i in lines]
