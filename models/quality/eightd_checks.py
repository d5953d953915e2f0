"""What an 8D operation checks: where a case comes from, and whether a step may change or be
submitted (the text, an owner and the step's own fields; D8 only after D0–D7 are accepted)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import require_visible
from models.accounts.entities import Membership
from models.actor import Actor
from models.clock import local_day
from models.errors import Conflict, ValidationFailed
from models.i18n import N_, Msg
from models.quality.alerts import get_alert
from models.quality.entities import EightDCase, EightDStep
from models.quality.incidents import incident_scope
from models.quality.scope import get_characteristic

#: Fields a step needs before it can be submitted, besides its text and owner.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "D3": ("contained_quantity",),
    "D4": ("escape_point",),
    "D6": ("implemented_on",),
}


def take_source(session: Session, actor: Actor, loaded: dict[str, Any]) -> None:
    """Fill supplier, part, lot and characteristic from the alert or incident named."""
    if loaded["alert_id"] is not None:
        alert = get_alert(session, actor.org_id, loaded["alert_id"])
        characteristic = alert.characteristic
        loaded["supplier_org_id"] = alert.supplier_org_id
        loaded["characteristic_id"] = characteristic.id
        loaded["part_id"] = characteristic.part_id
    elif loaded["characteristic_id"] is not None:
        characteristic = get_characteristic(session, actor.org_id, loaded["characteristic_id"])
        loaded["supplier_org_id"] = characteristic.supplier_org_id
        loaded["part_id"] = characteristic.part_id
    if loaded["incident_id"] is not None:
        scope = incident_scope(session, actor.org_id, loaded["incident_id"])
        for key, value in scope.items():
            if value is not None and loaded.get(key) is None:
                loaded[key] = value
    if loaded["supplier_org_id"] is not None:
        require_visible(session, actor.org_id, loaded["supplier_org_id"], "quality")


def require_changeable(row: EightDStep) -> None:
    if row.status == "submitted":
        raise Conflict(N_("This step waits for the buyer's review and cannot change now."))
    if row.status == "accepted":
        raise Conflict(N_("This step is accepted and cannot change any more."))


def require_complete(
    case: EightDCase, step: str, text: str | None, owner: int | None, fields: dict[str, Any]
) -> None:
    """Raise ValidationFailed naming every field a submitted step still lacks."""
    errors: dict[str, list[str]] = {}
    required = N_("Required before the step can be submitted.")
    if not text:
        errors["text"] = [Msg(required)]
    if owner is None:
        errors["owner_user_id"] = [Msg(required)]
    for name in STEP_FIELDS.get(step, ()):
        if name not in fields:
            errors[name] = [Msg(required)]
    if step == "D8":
        open_steps = [s.step for s in case.steps if s.step != "D8" and s.status != "accepted"]
        if open_steps:
            errors["_schema"] = [
                Msg(
                    N_("Closing (D8) needs every other step accepted; still open: %(steps)s."),
                    steps=", ".join(open_steps),
                )
            ]
    if errors:
        raise ValidationFailed(errors)


def require_implemented(day: date | None, now: datetime) -> None:
    """D6 reports a corrective action in place: its day cannot come after today."""
    if day is not None and day > local_day(now):
        raise ValidationFailed.on(
            "implemented_on",
            N_("The day of implementation (%(date)s) lies in the future."),
            date=day.isoformat(),
        )


def is_member(session: Session, user_id: int, org_id: int) -> bool:
    found = session.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.org_id == org_id)
    )
    return found is not None
