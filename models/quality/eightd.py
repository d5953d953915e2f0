"""8D cases: the buyer opens one on an alert or an incident, the supplier answers D0–D8.

Each step has a deadline counted from the opening (the buyer's settings), an owner among the
supplier's people, text, step-specific fields and attachments. The supplier saves drafts and
submits; the buyer's quality engineer accepts or returns each submitted step. Accepting D8
(which needs D0–D7 accepted) closes the case. Every action is kept in the case's history.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, NotFound, ValidationFailed
from models.files import store_attachment
from models.i18n import N_, Msg
from models.notify import notify
from models.orgs.entities import Organisation, SupplierLink
from models.quality.eightd_checks import (
    is_member,
    require_changeable,
    require_complete,
    require_implemented,
    take_source,
)
from models.quality.entities import (
    STEPS,
    EightDAttachment,
    EightDCase,
    EightDEvent,
    EightDStep,
)
from models.quality.schemas import EightDOpenSchema, EightDReviewSchema, EightDStepSchema
from models.quality.scope import get_case
from models.quality.settings import settings_of
from models.roles import require_permission
from models.validation import load

EXTRA_FIELDS = ("contained_quantity", "escape_point", "implemented_on")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: The supplier's notice of a review, one whole sentence per decision: a decision passed as a
#: parameter reached a Chinese reader in English ("8D …：D2 accepted").
REVIEW_TITLES = {
    "accepted": N_("8D %(number)s: %(step)s accepted"),
    "returned": N_("8D %(number)s: %(step)s returned"),
}


def open_eightd(
    session: Session, actor: Actor, data: dict[str, Any], *, now: datetime | None = None
) -> EightDCase:
    """Open a case for a direct supplier, from an alert, an incident or by hand.

    The nine steps get their deadlines from the buyer's settings, counted from ``now`` (the
    current time unless given: the demo and tests set it); the supplier is told.
    """
    require_permission(actor.role, "manage_quality")
    loaded = load(EightDOpenSchema(), data)
    take_source(session, actor, loaded)
    supplier_id = loaded["supplier_org_id"]
    if supplier_id is None:
        raise ValidationFailed.on("supplier_org_id", N_("Choose the supplier who owns the 8D."))
    link = session.scalar(
        select(SupplierLink.id).where(
            SupplierLink.buyer_id == actor.org_id,
            SupplierLink.supplier_id == supplier_id,
            SupplierLink.status == "active",
        )
    )
    if link is None:
        raise ValidationFailed.on(
            "supplier_org_id", N_("An 8D goes to one of your active direct suppliers.")
        )
    now = now or utcnow()
    case = EightDCase(
        number=_next_number(session, actor.org_id, now.year),
        buyer_org_id=actor.org_id,
        supplier_org_id=supplier_id,
        opened_by_user_id=actor.user_id,
        opened_at=now,
        **{key: loaded[key] for key in ("title", "description", "part_id", "lot_number")},
        **{key: loaded[key] for key in ("characteristic_id", "alert_id", "incident_id")},
    )
    session.add(case)
    session.flush()
    due = settings_of(session.get(Organisation, actor.org_id)).due_hours
    for step in STEPS:
        session.add(EightDStep(case_id=case.id, step=step, due_at=now + timedelta(hours=due[step])))
    _event(session, actor, case, None, "opened", at=now)
    record_audit(session, actor, "eightd.open", "eightd_case", case.id, {"number": case.number})
    notify(
        session,
        supplier_id,
        "eightd",
        Msg(N_("New 8D case %(number)s"), number=case.number),
        Msg(N_("%(title)s. Containment (D3) is due first."), title=case.title),
        link=f"/quality/8d/{case.id}",
    )
    return case


def save_step(
    session: Session,
    actor: Actor,
    case_id: int,
    step: str,
    data: dict[str, Any],
    *,
    now: datetime | None = None,
) -> EightDStep:
    """The supplier saves its answer to a step, and submits it with ``submit``.

    Submitting needs the text, an owner and the step's own fields (D3 the contained quantity,
    D4 the escape point, D6 the implementation date); D8 needs D0–D7 accepted.
    """
    require_permission(actor.role, "report")
    case, row = _step(session, actor, case_id, step)
    if case.supplier_org_id != actor.org_id:
        raise NotFound()
    loaded = load(EightDStepSchema(), data)
    require_changeable(row)
    require_implemented(loaded["implemented_on"], now or utcnow())
    if loaded["owner_user_id"] is not None and not is_member(
        session, loaded["owner_user_id"], case.supplier_org_id
    ):
        raise ValidationFailed.on("owner_user_id", N_("Choose a person of your organisation."))
    text = (loaded["text"] or "").strip() or None
    extra = {key: loaded[key] for key in EXTRA_FIELDS if loaded[key] not in (None, "")}
    fields = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in extra.items()}
    if loaded["submit"]:
        require_complete(case, step, text, loaded["owner_user_id"], fields)
    row.text, row.owner_user_id, row.fields = text, loaded["owner_user_id"], fields
    action = "saved"
    if loaded["submit"]:
        row.status, row.submitted_at = "submitted", now or utcnow()
        row.submitted_by_user_id = actor.user_id
        action = "submitted"
        notify(
            session,
            case.buyer_org_id,
            "eightd",
            Msg(N_("8D %(number)s: %(step)s submitted"), number=case.number, step=step),
            Msg(N_("Review the supplier's answer and accept or return it.")),
            link=f"/quality/8d/{case.id}",
        )
    _event(session, actor, case, step, action, at=now)
    record_audit(session, actor, f"eightd.step.{action}", "eightd_step", row.id, {"step": step})
    return row


def review_step(
    session: Session,
    actor: Actor,
    case_id: int,
    step: str,
    data: dict[str, Any],
    *,
    now: datetime | None = None,
) -> EightDStep:
    """The buyer's quality engineer accepts or returns a submitted step (a return needs a
    comment and may set a new deadline). Accepting D8 closes the case."""
    require_permission(actor.role, "manage_quality")
    case, row = _step(session, actor, case_id, step)
    if case.buyer_org_id != actor.org_id:
        raise NotFound()
    loaded = load(EightDReviewSchema(), data)
    if row.status != "submitted":
        raise Conflict(N_("Only a submitted step can be reviewed."))
    now = now or utcnow()
    row.reviewed_at, row.reviewed_by_user_id = now, actor.user_id
    row.review_comment = (loaded["comment"] or "").strip() or None
    if loaded["decision"] == "accept":
        row.status = "accepted"
        if step == "D8":
            case.status, case.closed_at = "closed", now
    else:
        if loaded["due_at"] is not None:
            if loaded["due_at"] <= now:
                raise ValidationFailed.on("due_at", N_("A new deadline must lie in the future."))
            row.due_at = loaded["due_at"]
        row.status = "returned"
    action = "accepted" if row.status == "accepted" else "returned"
    _event(session, actor, case, step, action, row.review_comment, at=now)
    if case.status == "closed":
        _event(session, actor, case, None, "closed", at=now)
    notify(
        session,
        case.supplier_org_id,
        "eightd",
        Msg(REVIEW_TITLES[action], number=case.number, step=step),
        Msg(row.review_comment) if row.review_comment else None,
        link=f"/quality/8d/{case.id}",
    )  # fmt: skip
    record_audit(session, actor, f"eightd.step.{action}", "eightd_step", row.id, {"step": step})
    return row


def attach_to_step(
    session: Session,
    actor: Actor,
    case_id: int,
    step: str,
    filename: str,
    content_type: str,
    content: bytes,
) -> EightDAttachment:
    """The supplier attaches a file (a photo, a report) to a step not yet accepted."""
    require_permission(actor.role, "report")
    case, row = _step(session, actor, case_id, step)
    if case.supplier_org_id != actor.org_id:
        raise NotFound()
    if row.status == "accepted":
        raise Conflict(N_("This step is accepted and cannot change any more."))
    if not content:
        raise ValidationFailed.on("file", N_("The file is empty."))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed.on("file", N_("The file is larger than 10 MB."))
    stored = store_attachment(session, actor, filename, content_type, content)
    attached = EightDAttachment(step_id=row.id, attachment_id=stored.id, filename=stored.filename)
    session.add(attached)
    session.flush()
    _event(session, actor, case, step, "attached", stored.filename)
    return attached


def history(session: Session, case_id: int) -> list[EightDEvent]:
    return list(
        session.scalars(
            select(EightDEvent)
            .where(EightDEvent.case_id == case_id)
            .order_by(EightDEvent.at, EightDEvent.id)
        )
    )


def _next_number(session: Session, buyer_id: int | None, year: int) -> str:
    """The buyer's next case number of ``year``: 8D-2026-0001, 8D-2026-0002, ... and 8D-2027-0001.

    The buyer's row is locked first (on PostgreSQL), so two engineers opening cases at the same
    moment get consecutive numbers instead of one of them a unique-key error. Cases are never
    deleted, so the count of the year's numbers is the last one given."""
    session.execute(select(Organisation.id).where(Organisation.id == buyer_id).with_for_update())
    prefix = f"8D-{year}-"
    count = session.scalar(
        select(func.count(EightDCase.id)).where(
            EightDCase.buyer_org_id == buyer_id,
            EightDCase.number.startswith(prefix, autoescape=True),
        )
    )
    return f"{prefix}{(count or 0) + 1:04d}"


def _step(session: Session, actor: Actor, case_id: int, step: str) -> tuple[EightDCase, EightDStep]:
    case = get_case(session, actor.org_id, case_id)
    row = next((s for s in case.steps if s.step == step), None)
    if row is None:
        raise NotFound()
    if case.status != "open":
        raise Conflict(N_("This 8D case is closed."))
    return case, row


def _event(
    session: Session,
    actor: Actor,
    case: EightDCase,
    step: str | None,
    action: str,
    comment: str | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        EightDEvent(
            case_id=case.id,
            step=step,
            action=action,
            comment=comment,
            by_user_id=actor.user_id,
            by_org_id=actor.org_id,
            at=at or utcnow(),
        )
    )
