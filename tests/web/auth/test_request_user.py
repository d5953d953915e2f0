"""Who a request is: the signed-in user or the bearer token's, loaded in one query per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import delete, event, func, select

from models.accounts.entities import ApiToken, EndedSession, Membership, User
from models.base import utcnow
from tests.helpers import bearer, csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor

EMAIL = "admin1@anchor.test"


@contextmanager
def statements(session) -> Iterator[list[str]]:
    """The queries and writes sent while the block runs (the tests' savepoints left out)."""
    sent: list[str] = []
    engine = session.connection().engine

    def record(_conn, _cursor, statement, *_args) -> None:
        if "SAVEPOINT" not in statement:
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def user(session) -> User:
    return session.scalars(
        select(User).where(User.email == EMAIL).execution_options(populate_existing=True)
    ).one()


def token(session) -> ApiToken:
    return session.scalars(select(ApiToken).execution_options(populate_existing=True)).one()


def test_a_signed_in_request_loads_user_membership_and_organisation_in_one_query(client, session):
    anchor(session)
    sign_in(client, EMAIL, PASSWORD)
    with statements(session) as sent:
        me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert (me.get_json()["email"], me.get_json()["org_kind"]) == (EMAIL, "anchor")
    assert len(sent) == 1 and "JOIN organisations" in sent[0]


def test_a_deactivated_user_or_a_lost_membership_ends_the_session(client, session):
    anchor(session)
    sign_in(client, EMAIL, PASSWORD)
    user(session).is_active = False
    session.commit()
    assert client.get("/api/v1/me").status_code == 401
    user(session).is_active = True
    session.commit()
    assert client.get("/api/v1/me").status_code == 200
    session.execute(delete(Membership).where(Membership.user_id == user(session).id))
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_a_bearer_token_costs_one_query_and_records_its_use_every_few_minutes(client, session):
    anchor(session)
    headers = bearer(session, EMAIL)
    assert token(session).last_used_at is None
    with statements(session) as first:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    used = token(session).last_used_at
    assert used is not None and len(first) == 2  # the look-up and the recorded use
    with statements(session) as again:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert len(again) == 1 and token(session).last_used_at == used
    token(session).last_used_at = utcnow() - timedelta(minutes=6)
    session.commit()
    client.get("/api/v1/me", headers=headers)
    assert token(session).last_used_at > used


def test_the_token_of_a_deactivated_user_is_refused(client, session):
    anchor(session)
    headers = bearer(session, EMAIL)
    user(session).is_active = False
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_new_secret_key_signs_sessions_out_and_the_old_one_kept_as_fallback_keeps_them(
    app, client, session
):
    anchor(session)
    sign_in(client, EMAIL, PASSWORD)
    assert client.get("/auth/tokens").status_code == 200
    app.secret_key = app.config["SECRET_KEY"] = "a-new-key-after-a-leak-" + "x" * 32
    assert client.get("/auth/tokens").status_code == 302
    sign_in(client, EMAIL, PASSWORD)
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = app.config["SECRET_KEY"] = "the-next-key-" + "y" * 32
    assert client.get("/auth/tokens").status_code == 200


def test_an_api_client_gets_the_language_it_asks_for_and_a_browser_the_persons_choice(
    client, session
):
    """A buyer who chose Chinese still gets English errors from a script sending
    Accept-Language: en; in the browser their choice wins over the browser's default."""
    anchor(session)
    session.scalar(select(User).where(User.email == EMAIL)).locale = "zh_Hans_CN"
    session.commit()
    token = bearer(session, EMAIL)
    bad = {"kpi": "?"}

    english = client.post(
        "/api/v1/scorecards/disputes", headers=token | {"Accept-Language": "en"}, json=bad
    )
    unasked = client.post("/api/v1/scorecards/disputes", headers=token, json=bad)
    sign_in(client, EMAIL, PASSWORD)
    page = client.get("/suppliers", headers={"Accept-Language": "en"})

    assert english.get_json()["message"] == "The input is not valid."
    assert unasked.get_json()["message"] == "输入无效。"  # the owner's choice
    assert '<html lang="zh' in page.get_data(as_text=True)


def test_signing_out_ends_the_session_even_for_a_copy_of_its_cookies(client, session):
    """Sessions live in a signed cookie: a copy taken before signing out (another tab on a
    shared shop-floor phone, a stolen cookie) signed in for 14 days more."""
    anchor(session)
    client.post(
        "/auth/login",
        data={
            "email": EMAIL,
            "password": PASSWORD,
            "remember": "1",
            "csrf_token": csrf_token(client),
        },
    )
    kept = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    other = client.application.test_client()
    sign_in(other, EMAIL, PASSWORD)  # the same person on another device

    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})

    copy = client.application.test_client()
    copy.set_cookie("session", kept["session"])
    remembered = client.application.test_client()
    remembered.set_cookie("remember_token", kept["remember_token"])
    assert copy.get("/api/v1/me").status_code == 401
    assert remembered.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 200, "only the session signed out of ends"
    assert session.scalar(select(func.count()).select_from(EndedSession)) == 1
