"""The audit rows of the signed-in organisation, with who wrote them: shared by page and API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from models.accounts.entities import User
from models.audit import AuditEvent, organisation_trail
from models.errors import ValidationFailed
from models.i18n import N_
from webapp.audit.labels import KINDS, kind_label


@dataclass(frozen=True)
class AuditRow:
    """One write: when, by whom, through which channel, what, on which record."""

    id: int
    at: datetime
    user_id: int | None
    user_name: str | None
    user_email: str | None
    channel: str
    action: str
    kind_label: str
    entity: str
    entity_id: str
    detail: dict[str, Any] | None


def check_kind(kind: str | None) -> str | None:
    """The kind filter, refused when it names no kind of record the trail knows."""
    if kind and kind not in KINDS:
        raise ValidationFailed.on("kind", N_("Choose one of the kinds of record listed."))
    return kind or None


def trail_count(session: Session, org_id: int, kind: str | None) -> int:
    counted = organisation_trail(org_id, kind).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(counted)) or 0)


def trail_rows(
    session: Session, org_id: int, kind: str | None, offset: int, size: int
) -> list[AuditRow]:
    """One page of the trail, newest first, each row with its writer's name and e-mail."""
    query = (
        organisation_trail(org_id, kind)
        .add_columns(User.name, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_user_id)
        .limit(size)
        .offset(offset)
    )
    return [_row(found) for found in session.execute(query)]


def _row(found: Row[Any]) -> AuditRow:
    event, name, email = found
    return AuditRow(
        event.id, event.at, event.actor_user_id, name, email, event.channel, event.action,
        kind_label(event.action), event.entity, event.entity_id, event.detail,
    )  # fmt: skip
