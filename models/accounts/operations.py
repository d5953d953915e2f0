"""Domain operations on people: sign-in, password reset, API tokens, colleagues and roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, delete, select
from sqlalchemy.orm import Session, contains_eager

from models.accounts.entities import ApiToken, EndedSession, Membership, PasswordReset, User
from models.accounts.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from models.accounts.schemas import UserNameSchema
from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import queue_email
from models.orgs.entities import Organisation
from models.roles import require_permission, roles_for_kind
from models.tokens import digest, new_token
from models.validation import load

RESET_TOKEN_LIFETIME = timedelta(hours=1)
#: The longest a sign-in lasts, "remember me" included (the web app sets its cookies so).
SESSION_LIFETIME = timedelta(days=30)
#: How stale an API token's ``last_used_at`` may be: recording every call would be a write
#: (and a commit) per request.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
#: A hash to verify against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH = hash_password("not-a-real-password")


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    session: Session, email: str, name: str, password: str, locale: str | None = None
) -> User:
    """A new active user; refuses an e-mail address already registered."""
    name = load(UserNameSchema(), {"name": name})["name"]
    check_new_password(password)
    email = email.strip().lower()
    if find_user_by_email(session, email) is not None:
        raise ValidationFailed.on("email", N_("This e-mail address is already registered."))
    user = User(email=email, name=name, password_hash=hash_password(password), locale=locale)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user for these credentials, or ``None``; records the sign-in time."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def membership(session: Session, user_id: int, org_id: int | None = None) -> Membership | None:
    """The user's membership in ``org_id``, or their first one when no organisation is given."""
    query = select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)
    if org_id is not None:
        query = query.where(Membership.org_id == org_id)
    return session.scalars(query).first()


def _member_with_user_and_org() -> Select[Any]:
    """Memberships with their user and organisation loaded by the same query."""
    return (
        select(Membership)
        .join(Membership.user)
        .join(Membership.organisation)
        .options(contains_eager(Membership.user), contains_eager(Membership.organisation))
        .order_by(Membership.id)
    )


def memberships_of(session: Session, user_id: int) -> list[Membership]:
    """Every organisation the user belongs to, oldest membership first, each with its org."""
    query = _member_with_user_and_org().where(Membership.user_id == user_id)
    return list(session.scalars(query))


def session_stamp(password_hash: str) -> str:
    """What a session keeps of the password it was opened with: a new password (a reset)
    changes it, and every session opened before no longer names the user."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class Identity(NamedTuple):
    """Who a signed-in request acts for: the user, and the organisation they act in, as what."""

    user_id: int
    name: str
    email: str
    locale: str | None
    org_id: int
    role: str
    org_kind: str
    org_name_zh: str
    org_name_en: str
    stamp: str
    #: The signed-in session's own name (none for a bearer token): see :func:`end_session`.
    sid: str = ""

    @classmethod
    def of(cls, user: User, member: Membership, sid: str = "") -> Identity:
        org = member.organisation
        stamp = session_stamp(user.password_hash)
        return cls(user.id, user.name, user.email, user.locale, member.org_id, member.role,
                   org.kind, org.name_zh, org.name_en, stamp, sid)  # fmt: skip


def _identity_query() -> Select[Any]:
    users, members, orgs = User.__table__, Membership.__table__, Organisation.__table__
    ended = EndedSession.__table__
    return (
        select(
            users.c.id,
            users.c.name,
            users.c.email,
            users.c.locale,
            members.c.org_id,
            members.c.role,
            orgs.c.kind,
            orgs.c.name_zh,
            orgs.c.name_en,
            users.c.password_hash,
            ended.c.sid,
        )
        .join(members, members.c.user_id == users.c.id)
        .join(orgs, orgs.c.id == members.c.org_id)
        .outerjoin(ended, ended.c.sid == bindparam("sid"))
        .where(
            users.c.id == bindparam("user_id"),
            members.c.org_id == bindparam("org_id"),
            users.c.is_active.is_(True),
        )
        .limit(1)
    )


#: Built once: this query runs on every signed-in request, and a statement built anew would
#: cost more Python time than the database spends answering it.
_IDENTITY = _identity_query()


def signed_in_identity(
    session: Session, user_id: int, org_id: int, stamp: str, sid: str
) -> Identity | None:
    """Who a signed-in session names, in one query of plain columns (it runs on every
    request); ``None`` when the user is inactive, no longer a member of the organisation, has
    a new password since the session was opened (``stamp``) or signed out of it (``sid``)."""
    params = {"user_id": user_id, "org_id": org_id, "sid": sid}
    row = session.execute(_IDENTITY, params).first()
    if row is None or row[-1] is not None:
        return None
    if not hmac.compare_digest(session_stamp(row[-2]), stamp):
        return None
    return Identity(*row[:-2], stamp, sid)


def new_session_id() -> str:
    return secrets.token_hex(16)


def end_session(session: Session, user_id: int, sid: str) -> None:
    """Record that the user signed out of session ``sid``: a copy of its cookie no longer signs
    in. Sessions ended longer ago than any cookie lives are forgotten on the way."""
    if not sid or session.get(EndedSession, sid) is not None:
        return
    now = utcnow()
    session.execute(delete(EndedSession).where(EndedSession.ended_at < now - SESSION_LIFETIME))
    session.add(EndedSession(sid=sid, user_id=user_id, ended_at=now))


def request_password_reset(session: Session, email: str, base_url: str) -> None:
    """E-mail a reset link when the address is known; say nothing either way."""
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    token = new_token()
    session.add(
        PasswordReset(
            user_id=user.id, token_hash=digest(token), expires_at=utcnow() + RESET_TOKEN_LIFETIME
        )
    )
    queue_email(
        session,
        user.email,
        Msg(N_("Reset your Tierlight password")),
        Msg(
            N_(
                "Open this link within one hour to choose a new password:\n%(link)s\n\n"
                "If you did not ask for this, ignore this e-mail."
            ),
            link=f"{base_url}/auth/reset/{token}",
        ),
        kind="password_reset",
        locale=user.locale,
    )
    record_audit(
        session, Actor(user.id, None, None, "web"), "user.password_reset_requested", "user", user.id
    )


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set a new password with a valid reset token; the token cannot be used again."""
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise Conflict(N_("This reset link is invalid or has expired. Ask for a new one."))
    check_new_password(new_password)
    user = session.get(User, reset.user_id)
    assert user is not None
    user.password_hash = hash_password(new_password)
    reset.used_at = utcnow()
    record_audit(session, Actor(user.id, None, None, "web"), "user.password_reset", "user", user.id)
    return user


def create_api_token(session: Session, actor: Actor, name: str) -> tuple[str, ApiToken]:
    """A new bearer token for the actor in its organisation; the secret is returned once."""
    if not name.strip():
        raise ValidationFailed.on("name", N_("Give the token a name."))
    secret = "tl_" + new_token(30)
    token = ApiToken(
        user_id=actor.user_id,
        org_id=actor.org_id,
        name=name.strip()[:120],
        token_hash=digest(secret),
        prefix=secret[:10],
    )
    session.add(token)
    session.flush()
    record_audit(session, actor, "api_token.create", "api_token", token.id, {"name": token.name})
    return secret, token


def revoke_api_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.user_id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_audit(session, actor, "api_token.revoke", "api_token", token.id)
    return token


class TokenUse(NamedTuple):
    """Who a bearer token speaks for; ``touched`` when its last use was recorded just now."""

    user: User
    member: Membership
    touched: bool


def resolve_api_token(session: Session, secret: str) -> TokenUse | None:
    """The user and membership behind a bearer token (its user and organisation loaded by the
    same single query: it runs on every API call), or ``None`` when the token is unknown or
    revoked, the user inactive or no longer a member. The token's last use is recorded at
    most every :data:`TOKEN_USE_RESOLUTION`; the caller commits when ``touched``."""
    row = session.execute(
        _member_with_user_and_org()
        .add_columns(ApiToken)
        .join(
            ApiToken,
            and_(ApiToken.user_id == Membership.user_id, ApiToken.org_id == Membership.org_id),
        )
        .where(ApiToken.token_hash == digest(secret))
        .limit(1)
    ).first()
    if row is None:
        return None
    member, token = row
    if token.revoked_at is not None or not member.user.is_active:
        return None
    now = utcnow()
    touched = token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION
    if touched:
        token.last_used_at = now
    return TokenUse(member.user, member, touched)


def list_api_tokens(session: Session, actor: Actor) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id.desc())
        )
    )


def set_member_role(session: Session, actor: Actor, membership_id: int, role: str) -> Membership:
    """Change a colleague's role (admins only); an organisation always keeps one admin."""
    require_permission(actor.role, "manage_people")
    member = session.get(Membership, membership_id)
    if member is None or member.org_id != actor.org_id:
        raise NotFound()
    org = session.get(Organisation, member.org_id)
    assert org is not None
    if role not in roles_for_kind(org.kind):
        raise ValidationFailed.on("role", N_("This role does not exist for this organisation."))
    if member.role == "admin" and role != "admin" and _admin_count(session, org.id) <= 1:
        raise Conflict(N_("An organisation needs at least one admin."))
    before = member.role
    member.role = role
    record_audit(
        session, actor, "membership.role", "membership", member.id, {"from": before, "to": role}
    )
    return member


def remove_member(session: Session, actor: Actor, membership_id: int) -> Membership:
    """Take a colleague out of the organisation (admins only): their sessions in it end at
    their next request and their API tokens for it are revoked. What they wrote stays, under
    their name. An organisation always keeps one admin; an admin does not remove themselves."""
    require_permission(actor.role, "manage_people")
    member = session.get(Membership, membership_id)
    if member is None or member.org_id != actor.org_id:
        raise NotFound()
    if member.user_id == actor.user_id:
        raise Conflict(N_("You cannot remove yourself. Ask another admin."))
    if member.role == "admin" and _admin_count(session, member.org_id) <= 1:
        raise Conflict(N_("An organisation needs at least one admin."))
    now = utcnow()
    for token in session.scalars(
        select(ApiToken).where(
            ApiToken.user_id == member.user_id,
            ApiToken.org_id == member.org_id,
            ApiToken.revoked_at.is_(None),
        )
    ):
        token.revoked_at = now
    record_audit(
        session,
        actor,
        "membership.remove",
        "membership",
        member.id,
        {"user_id": member.user_id, "email": member.user.email, "role": member.role},
    )
    session.delete(member)
    session.flush()
    return member


def _admin_count(session: Session, org_id: int) -> int:
    return len(
        session.scalars(
            select(Membership.id).where(Membership.org_id == org_id, Membership.role == "admin")
        ).all()
    )


def members(session: Session, org_id: int) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership).where(Membership.org_id == org_id).order_by(Membership.id)
        )
    )


def set_locale(session: Session, user_id: int, locale: str) -> None:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    user.locale = locale


def require_member(actor: Actor) -> None:
    if actor.org_id is None:
        raise Forbidden()
