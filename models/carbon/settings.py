"""An organisation's carbon accounting settings: how its sites' emissions are allocated."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.entities import CarbonSettings
from models.carbon.schemas import CarbonSettingsSchema
from models.roles import require_permission
from models.validation import load


def allocation_method(session: Session, org_id: int) -> str:
    settings = session.get(CarbonSettings, org_id)
    return settings.allocation_method if settings else "mass"


def set_allocation_method(session: Session, actor: Actor, data: dict[str, Any]) -> CarbonSettings:
    """Choose mass (default), quantity or economic value to share a site's emissions among the
    parts it made. The caller recomputes the organisation's footprints."""
    require_permission(actor.role, "manage_carbon")
    loaded = load(CarbonSettingsSchema(), data)
    settings = session.get(CarbonSettings, actor.org_id)
    before = settings.allocation_method if settings else "mass"
    if settings is None:
        settings = CarbonSettings(org_id=actor.org_id)
        session.add(settings)
    settings.allocation_method = loaded["allocation_method"]
    settings.updated_by_user_id = actor.user_id
    settings.updated_at = utcnow()
    session.flush()
    record_audit(
        session,
        actor,
        "carbon_settings.update",
        "carbon_settings",
        actor.org_id,
        {"allocation_method": [before, settings.allocation_method]},
    )
    return settings
