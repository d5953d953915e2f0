"""Disputes: a supplier comments on one of its scores, the buyer it addressed answers.

The supplier addresses one of its direct buyers (it cannot know who else looks at its scores);
that buyer is notified, answers once, and the supplier is notified of the answer. Either party
sees the dispute; nobody else does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.clock import local_today
from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify
from models.orgs.entities import Organisation, SupplierLink
from models.roles import require_permission
from models.scorecards.entities import ScorecardDispute, scorecards_table
from models.scorecards.periods import period_of
from models.scorecards.schemas import DisputeAnswerSchema, DisputeSchema
from models.validation import load


def open_dispute(session: Session, actor: Actor, data: dict[str, Any]) -> ScorecardDispute:
    """The supplier's admin comments on one score of one period, to one of its buyers.

    Guarantees: the buyer is a direct buyer of the actor's organisation over a link that has
    not ended; the period has begun and is normalised to its start; the value shown at the
    time is kept.
    """
    require_permission(actor.role, "sell")
    loaded = load(DisputeSchema(), data)
    link = session.scalar(
        select(SupplierLink).where(
            SupplierLink.buyer_id == loaded["buyer_org_id"],
            SupplierLink.supplier_id == actor.org_id,
            SupplierLink.status.in_(("active", "suspended")),
        )
    )
    if link is None:
        raise ValidationFailed.on("buyer_org_id", N_("Choose one of your customers."))
    period = period_of(loaded["period_kind"], loaded["period_start"])
    if period.start > local_today():
        raise ValidationFailed.on("period_start", N_("This period has not begun yet."))
    table = scorecards_table
    value = session.scalar(
        select(table.c[loaded["kpi"]]).where(
            table.c.supplier_org_id == actor.org_id,
            table.c.period_kind == period.kind,
            table.c.period_start == period.start,
        )
    )
    dispute = ScorecardDispute(
        supplier_org_id=actor.org_id,
        buyer_org_id=link.buyer_id,
        kpi=loaded["kpi"],
        period_kind=period.kind,
        period_start=period.start,
        value_shown=value,
        comment=loaded["comment"].strip(),
        created_by_user_id=actor.user_id,
    )
    session.add(dispute)
    session.flush()
    record_audit(
        session, actor, "scorecards.dispute", "scorecard_dispute", dispute.id,
        {"kpi": dispute.kpi, "period": period.label, "buyer_org_id": link.buyer_id},
    )  # fmt: skip
    supplier = session.get(Organisation, actor.org_id)
    notify(
        session,
        link.buyer_id,
        "scorecard_dispute",
        Msg(
            N_("%(supplier)s comments on one of its scores for %(period)s"),
            supplier=supplier.local_name() if supplier else "",
            period=period.label,
        ),
        Msg(N_("%(comment)s"), comment=dispute.comment[:500]),
        link=f"/dashboard/disputes/{dispute.id}",
    )
    return dispute


def answer_dispute(
    session: Session, actor: Actor, dispute_id: int, data: dict[str, Any]
) -> ScorecardDispute:
    """The addressed buyer answers a dispute once (``explained`` or ``corrected``)."""
    require_permission(actor.role, "manage_suppliers")
    loaded = load(DisputeAnswerSchema(), data)
    dispute = get_dispute(session, actor.org_id, dispute_id)
    if dispute.buyer_org_id != actor.org_id:
        raise Forbidden(N_("Only the customer the comment was sent to answers it."))
    if dispute.status != "open":
        raise Conflict(N_("This dispute was already answered."))
    dispute.answer = loaded["answer"].strip()
    dispute.outcome = loaded["outcome"]
    dispute.status = "answered"
    dispute.answered_by_user_id = actor.user_id
    dispute.answered_at = utcnow()
    record_audit(
        session, actor, "scorecards.answer", "scorecard_dispute", dispute.id,
        {"outcome": dispute.outcome},
    )  # fmt: skip
    notify(
        session,
        dispute.supplier_org_id,
        "scorecard_dispute_answer",
        Msg(
            N_("Your comment on a score for %(period)s was answered"),
            period=period_of(dispute.period_kind, dispute.period_start).label,
        ),
        Msg(N_("%(comment)s"), comment=dispute.answer[:500]),
        link=f"/dashboard/disputes/{dispute.id}",
    )
    return dispute


def get_dispute(session: Session, org_id: int | None, dispute_id: int) -> ScorecardDispute:
    """A dispute the organisation is a party to; any other is not found."""
    dispute = session.get(ScorecardDispute, dispute_id)
    if dispute is None or org_id not in (dispute.supplier_org_id, dispute.buyer_org_id):
        raise NotFound()
    return dispute


def disputes_query(org_id: int, status: str | None = None, supplier_id: int | None = None) -> Any:
    """Disputes the organisation raised or received, newest first (a select to page)."""
    query = select(ScorecardDispute).where(
        or_(ScorecardDispute.supplier_org_id == org_id, ScorecardDispute.buyer_org_id == org_id)
    )
    if status:
        query = query.where(ScorecardDispute.status == status)
    if supplier_id is not None:
        query = query.where(ScorecardDispute.supplier_org_id == supplier_id)
    return query.order_by(ScorecardDispute.id.desc())
