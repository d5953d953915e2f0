"""Quality settings of a buying organisation: capability thresholds, rule set and 8D deadlines.

They live under the ``quality`` key of ``Organisation.settings``. The buyer that specifies a
characteristic (the anchor, for its tier-1 suppliers) decides how its statistics are judged
and how long its suppliers have for each 8D step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.errors import NotFound
from models.orgs.entities import Organisation
from models.quality.capability import DEFAULT_THRESHOLDS, CapabilityThresholds
from models.quality.schemas import DEFAULT_ESCALATE_AFTER_HOURS, QualitySettingsSchema
from models.roles import require_permission
from models.validation import load

#: Hours from opening a case to each step's deadline: containment (D3) within a day, root
#: cause (D4) and corrective action (D5) within ten days, the rest and closure within thirty.
DEFAULT_DUE_HOURS = {
    "D0": 24, "D1": 24, "D2": 24, "D3": 24, "D4": 240, "D5": 240, "D6": 720, "D7": 720, "D8": 720,
}  # fmt: skip


@dataclass(frozen=True)
class QualitySettings:
    """One buyer's settings, defaults filled in."""

    thresholds: CapabilityThresholds = DEFAULT_THRESHOLDS
    rules: str = "nelson"
    due_hours: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DUE_HOURS))
    escalate_after_hours: int = DEFAULT_ESCALATE_AFTER_HOURS

    def as_dict(self) -> dict[str, Any]:
        return {
            "capable": self.thresholds.capable,
            "watch": self.thresholds.watch,
            "rules": self.rules,
            "due_hours": dict(self.due_hours),
            "escalate_after_hours": self.escalate_after_hours,
        }


def settings_of(org: Organisation | None) -> QualitySettings:
    """The organisation's quality settings (defaults for anything it has not set)."""
    stored = org.setting("quality", {}) if org is not None else {}
    return QualitySettings(
        thresholds=CapabilityThresholds(
            capable=float(stored.get("capable", 1.67)), watch=float(stored.get("watch", 1.33))
        ),
        rules=stored.get("rules", "nelson"),
        due_hours={**DEFAULT_DUE_HOURS, **stored.get("due_hours", {})},
        escalate_after_hours=int(stored.get("escalate_after_hours", DEFAULT_ESCALATE_AFTER_HOURS)),
    )


def settings_by_org(session: Session, org_ids: Iterable[int]) -> dict[int, QualitySettings]:
    """Settings of several organisations in one query."""
    ids = set(org_ids)
    if not ids:
        return {}
    orgs = session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    return {org.id: settings_of(org) for org in orgs}


def update_quality_settings(
    session: Session, actor: Actor, data: dict[str, Any]
) -> QualitySettings:
    """Set the actor's organisation's quality settings; takes effect at the next recompute."""
    require_permission(actor.role, "manage_quality")
    loaded = load(QualitySettingsSchema(), data)
    org = session.get(Organisation, actor.org_id)
    if org is None:
        raise NotFound()
    loaded["due_hours"] = {**DEFAULT_DUE_HOURS, **loaded["due_hours"]}
    org.settings = {**(org.settings or {}), "quality": loaded}
    record_audit(session, actor, "quality.settings", "organisation", org.id, loaded)
    return settings_of(org)
