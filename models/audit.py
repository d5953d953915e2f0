"""The audit trail: one row per write, recorded by the domain operation that made it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, Select, String, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.actor import Actor
from models.base import Base, BigId, IdPK, Timestamp
from models.types import JsonDoc


class AuditEvent(Base):
    """Who did what to which record, when, through which channel."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[IdPK]
    at: Mapped[Timestamp]
    actor_user_id: Mapped[int | None] = mapped_column(BigId, index=True)
    actor_org_id: Mapped[int | None] = mapped_column(BigId, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


def record_audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    detail: dict[str, Any] | None = None,
) -> None:
    """Write an audit row in the caller's transaction (so it commits or rolls back with the
    write). A plain INSERT, not an object for the next flush: every write of the product comes
    here, and the ORM's unit of work costs several times the statement."""
    row = {
        "actor_user_id": actor.user_id,
        "actor_org_id": actor.org_id,
        "channel": actor.channel,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "detail": detail,
    }
    session.execute(_INSERT, row)


_INSERT = insert(AuditEvent.__table__)


def organisation_trail(org_id: int, kind: str | None = None) -> Select[tuple[AuditEvent]]:
    """The writes made in the name of an organisation (by its people, its API keys, its EDI
    files), newest first; ``kind`` keeps one kind of record (the part of the action before
    its dot: ``purchase_order`` for ``purchase_order.create``)."""
    query = select(AuditEvent).where(AuditEvent.actor_org_id == org_id)
    if kind:
        query = query.where(AuditEvent.action.startswith(f"{kind}.", autoescape=True))
    return query.order_by(AuditEvent.id.desc())


def audit_trail(session: Session, entity: str, entity_id: object) -> list[AuditEvent]:
    """Every audit row of one record, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
