"""Notifications: in-app messages per organisation and the e-mail outbox.

Both store the English template and its parameters, so each reader sees them in their own
language. E-mail leaves through SMTP when it is configured; until then (and in the demo) the
outbox is a page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.accounts.entities import User
from models.actor import Actor
from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime, utcnow
from models.i18n import LOCALES, Msg, render
from models.roles import has_permission
from models.types import JsonDoc


class Notification(Base):
    """An in-app message to an organisation (or one user of it)."""

    __tablename__ = "notifications"

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(48))
    title: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    body: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    link: Mapped[str | None] = mapped_column(String(500))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[Timestamp]
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxEmail(Base):
    """An e-mail waiting to be sent, or sent."""

    __tablename__ = "outbox_emails"

    id: Mapped[IdPK]
    org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(48))
    created_at: Mapped[Timestamp]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def notify(
    session: Session,
    org_id: int,
    kind: str,
    title: Msg,
    body: Msg | None = None,
    link: str | None = None,
    dedupe_key: str | None = None,
    user_id: int | None = None,
) -> Notification | None:
    """Add an in-app notification; with ``dedupe_key`` a second identical one is not added."""
    if dedupe_key and session.scalar(
        select(Notification.id).where(Notification.dedupe_key == dedupe_key)
    ):
        return None
    note = Notification(
        org_id=org_id,
        user_id=user_id,
        kind=kind,
        title=title.to_dict(),
        body=body.to_dict() if body is not None else None,
        link=link,
        dedupe_key=dedupe_key,
    )
    session.add(note)
    return note


def queue_email(
    session: Session,
    to_address: str,
    subject: Msg,
    body: Msg,
    kind: str,
    locale: str | None = None,
    org_id: int | None = None,
) -> OutboxEmail:
    """Put an e-mail in the outbox, rendered in ``locale`` or in both languages when unknown."""
    locales = [locale] if locale else list(LOCALES)
    email = OutboxEmail(
        org_id=org_id,
        to_address=to_address,
        subject=" / ".join(dict.fromkeys(render(subject, lc) for lc in locales)),
        body="\n\n---\n\n".join(render(body, lc) for lc in locales),
        kind=kind,
    )
    session.add(email)
    return email


def unread_count(session: Session, org_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.org_id == org_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_sent(session: Session, email_id: int) -> None:
    email = session.get(OutboxEmail, email_id)
    if email is not None:
        email.sent_at = utcnow()


def notifications_for(session: Session, org_id: int, limit: int = 100) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.org_id == org_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(session: Session, org_id: int) -> int:
    """Mark the organisation's unread notifications as read; returns how many."""
    unread = session.scalars(
        select(Notification).where(Notification.org_id == org_id, Notification.read_at.is_(None))
    ).all()
    for note in unread:
        note.read_at = utcnow()
    return len(unread)


def outbox(session: Session, actor: Actor, limit: int = 100) -> list[OutboxEmail]:
    """The e-mails the actor may read: those addressed to them and, for an admin, those of the
    organisation. Invitation links and password resets sign anyone in who opens them, so no one
    else sees them, in the demo as elsewhere."""
    address = session.scalar(select(User.email).where(User.id == actor.user_id)) or ""
    readable = func.lower(OutboxEmail.to_address) == address.lower()
    if has_permission(actor.role, "manage_people"):
        readable = or_(readable, OutboxEmail.org_id == actor.org_id)
    query = select(OutboxEmail).where(readable).order_by(OutboxEmail.id.desc()).limit(limit)
    return list(session.scalars(query))


MAX_SEND_ATTEMPTS = 5


def pending_emails(session: Session, limit: int = 100) -> list[OutboxEmail]:
    """E-mails not yet sent that have attempts left, oldest first."""
    return list(
        session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < MAX_SEND_ATTEMPTS)
            .order_by(OutboxEmail.id)
            .limit(limit)
        )
    )


def record_failure(session: Session, email_id: int, error: str) -> None:
    email = session.get(OutboxEmail, email_id)
    if email is not None:
        email.attempts += 1
        email.last_error = error[:2000]
