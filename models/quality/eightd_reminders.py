"""Reminders and escalation for overdue 8D steps, run by the beat scheduler.

A step the supplier still owes (open or returned) past its deadline gets one reminder to the
supplier (in the app and by e-mail to its admins); once it is overdue by the buyer's
escalation time, the buyer is told once as well. Each message carries a dedupe key made of
the step and its deadline, so running the job again sends nothing twice, while a new deadline
(set when a step is returned) earns a new reminder.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts.entities import Membership, User
from models.base import utcnow
from models.i18n import N_, Msg
from models.notify import Notification, notify, queue_email
from models.orgs.entities import Organisation
from models.quality.entities import EightDCase, EightDEvent, EightDStep
from models.quality.settings import settings_by_org

OWED = ("open", "returned")


def remind_overdue_steps(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Send what is due for every overdue step; returns how many reminders and escalations."""
    now = now or utcnow()
    rows = session.execute(
        select(EightDStep, EightDCase)
        .join(EightDCase, EightDCase.id == EightDStep.case_id)
        .where(
            EightDCase.status == "open",
            EightDStep.status.in_(OWED),
            EightDStep.due_at < now,
        )
        .order_by(EightDStep.due_at, EightDStep.id)
    ).all()
    if not rows:
        return {"reminders": 0, "escalations": 0}
    settings = settings_by_org(session, {case.buyer_org_id for _step, case in rows})
    wanted: list[tuple[str, EightDStep, EightDCase]] = []
    for step, case in rows:
        wanted.append((_key("remind", step), step, case))
        late_for = timedelta(hours=settings[case.buyer_org_id].escalate_after_hours)
        if now - step.due_at >= late_for:
            wanted.append((_key("escalate", step), step, case))
    sent = set(
        session.scalars(
            select(Notification.dedupe_key).where(
                Notification.dedupe_key.in_([key for key, _s, _c in wanted])
            )
        )
    )
    counts = {"reminders": 0, "escalations": 0}
    for key, step, case in wanted:
        if key in sent:
            continue
        if key.startswith("8d-remind"):
            _remind(session, key, step, case)
            counts["reminders"] += 1
        else:
            _escalate(session, key, step, case)
            counts["escalations"] += 1
    return counts


def _key(kind: str, step: EightDStep) -> str:
    return f"8d-{kind}-{step.id}-{step.due_at:%Y%m%d%H%M}"


def _remind(session: Session, key: str, step: EightDStep, case: EightDCase) -> None:
    title = Msg(N_("8D %(number)s: %(step)s is overdue"), number=case.number, step=step.step)
    body = Msg(
        N_("The deadline for %(step)s of %(title)s has passed. Please submit it now."),
        step=step.step,
        title=case.title,
    )
    notify(session, case.supplier_org_id, "eightd_overdue", title, body,
           link=f"/quality/8d/{case.id}", dedupe_key=key)  # fmt: skip
    admins = session.execute(
        select(User.email, User.locale)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.org_id == case.supplier_org_id, Membership.role == "admin")
    ).all()
    for email, locale in admins:
        queue_email(session, email, title, body, "eightd_overdue", locale, case.supplier_org_id)
    session.add(EightDEvent(case_id=case.id, step=step.step, action="reminded"))


def _escalate(session: Session, key: str, step: EightDStep, case: EightDCase) -> None:
    supplier = session.get(Organisation, case.supplier_org_id)
    notify(
        session,
        case.buyer_org_id,
        "eightd_escalation",
        Msg(N_("8D %(number)s: %(step)s is still overdue"), number=case.number, step=step.step),
        Msg(
            N_("%(supplier)s has not submitted %(step)s, due %(due)s."),
            supplier=supplier.local_name() if supplier else "",
            step=step.step,
            due=f"{step.due_at:%Y-%m-%d %H:%M} UTC",
        ),
        link=f"/quality/8d/{case.id}",
        dedupe_key=key,
    )
    session.add(EightDEvent(case_id=case.id, step=step.step, action="escalated"))
