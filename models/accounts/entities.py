"""User, Membership, ApiToken and PasswordReset entities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.orgs.entities import Organisation


class User(Base):
    """A person who signs in. Passwords are stored as argon2 hashes only."""

    __tablename__ = "users"

    id: Mapped[IdPK]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", order_by="Membership.id"
    )


class Membership(Base):
    """A user's role in one organisation."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "org_id"),)

    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[Timestamp]

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()


class ApiToken(Base):
    """A bearer token for machine clients; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[Timestamp]
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordReset(Base):
    """A single-use password reset token sent by e-mail; only its SHA-256 is stored."""

    __tablename__ = "password_resets"

    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EndedSession(Base):
    """A signed-in session its user signed out of. Sessions live in a signed cookie, so a copy
    taken before signing out would otherwise stay good until it expires; each session names
    itself (``sid``) and a request naming an ended one is not signed in."""

    __tablename__ = "ended_sessions"

    sid: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
