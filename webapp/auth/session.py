"""The signed-in user (from the session cookie or a bearer token) and the actor behind a request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import redirect, request, session, url_for
from flask_babel import gettext
from flask_login import UserMixin, current_user, login_user
from werkzeug.wrappers import Response

from models.accounts.entities import Membership, User
from models.accounts.operations import (
    Identity,
    new_session_id,
    resolve_api_token,
    set_locale,
    signed_in_identity,
)
from models.actor import Actor
from models.errors import Forbidden
from models.roles import has_permission
from webapp.database import db_session
from webapp.errors import error_response, wants_json
from webapp.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


class SessionUser(UserMixin):
    """What a request knows about its user: who they are and in which organisation, as what."""

    def __init__(self, identity: Identity, via_token: bool = False) -> None:
        self.user_id = identity.user_id
        self.name = identity.name
        self.email = identity.email
        self.locale = identity.locale
        self.org_id = identity.org_id
        self.role = identity.role
        self.org_kind = identity.org_kind
        self.org_name_zh = identity.org_name_zh
        self.org_name_en = identity.org_name_en
        self.stamp = identity.stamp
        self.sid = identity.sid
        self.via_token = via_token

    def get_id(self) -> str:
        return f"{self.user_id}:{self.org_id}:{self.stamp}:{self.sid}"

    def can(self, permission: str) -> bool:
        return has_permission(self.role, permission)

    @property
    def is_anchor(self) -> bool:
        return self.org_kind == "anchor"

    def org_name(self, locale: str) -> str:
        return self.org_name_en if locale == "en" and self.org_name_en else self.org_name_zh


@login_manager.user_loader
def _load_user(identity: str) -> SessionUser | None:
    """The session's user in one query of plain columns (user, membership and organisation);
    none when the session was opened before the user's password last changed."""
    try:
        user, org, stamp, sid = identity.split(":")
        user_id, org_id = int(user), int(org)
    except ValueError:
        return None
    found = signed_in_identity(db_session(), user_id, org_id, stamp, sid)
    return SessionUser(found) if found is not None else None


@login_manager.request_loader
def _load_user_from_token(req: Any) -> SessionUser | None:
    """The bearer token's user in one query; the token's last use (recorded every few
    minutes, not on every call) is committed at once, whatever the request does next."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    used = resolve_api_token(db_session(), header.removeprefix("Bearer ").strip())
    if used is None:
        return None
    if used.touched:
        db_session().commit()
    return SessionUser(Identity.of(used.user, used.member), via_token=True)


@login_manager.unauthorized_handler
def _unauthorized() -> Response | tuple[Any, ...]:
    if wants_json():
        return error_response(
            401,
            "unauthorized",
            gettext("Please sign in first."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def sign_in(user: User, member: Membership, remember: bool = False) -> None:
    """A new session for the user (nothing of the one before it is kept, but the language
    chosen on this browser, for a user who has not chosen one)."""
    chosen = session.get("locale")
    session.clear()
    login_user(SessionUser(Identity.of(user, member, new_session_id())), remember=remember)
    locale = user.locale or chosen
    if locale:
        session["locale"] = locale


def current_actor() -> Actor:
    """The actor of this request; the channel is ``api`` for /api calls and token clients."""
    channel = "api" if request.path.startswith("/api/") or current_user.via_token else "web"
    return Actor(current_user.user_id, current_user.org_id, current_user.role, channel)


def remember_locale(locale: str) -> None:
    set_locale(db_session(), current_user.user_id, locale)
    db_session().commit()


def require_permission(permission: str) -> Callable[[F], F]:
    """Refuse the view to a signed-in user whose role lacks ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(permission):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
