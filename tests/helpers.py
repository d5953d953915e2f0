"""Helpers for web tests: CSRF tokens, signing in, bearer headers."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models.accounts.operations import create_api_token, find_user_by_email, membership
from models.actor import Actor

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_META.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str) -> None:
    token = csrf_token(client)
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def post_form(client: FlaskClient, path: str, data: dict, page: str = "/") -> object:
    """POST a form the way a browser does, with the CSRF token of the session."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def bearer(session: Session, email: str) -> dict[str, str]:
    """An Authorization header for a fresh API token of the user (in their first organisation)."""
    user = find_user_by_email(session, email)
    assert user is not None
    member = membership(session, user.id)
    assert member is not None
    secret, _ = create_api_token(session, Actor(user.id, member.org_id, member.role), "test")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def field_error(page: str, name: str) -> str:
    """The message a page shows under the field ``name`` ("" when there is none)."""
    found = re.search(rf'<small class="error" id="e-{name}">(.*?)</small>', page, re.S)
    return found.group(1).strip() if found else ""


def error_box(page: str) -> str:
    """The box of errors at the top of a page ("" when there is none)."""
    found = re.search(r'<article class="errors".*?</article>', page, re.S)
    return found.group(0) if found else ""
