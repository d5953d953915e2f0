"""Sign-in, rate limit, password reset by e-mail token, API tokens and bearer authentication."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models.accounts.entities import User
from models.notify import OutboxEmail
from models.orgs.bootstrap import add_member
from models.orgs.entities import Invitation
from tests.helpers import bearer, csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor, supplier

EN = {"Accept-Language": "en"}


def _login(client, email, password):
    return client.post(
        "/auth/login",
        headers=EN,
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )


def test_passwords_are_stored_as_argon2_hashes(session):
    _, user = anchor(session)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("path", "allowed"), [("/auth/forgot", 10), ("/invite/no-such-invitation", 30)]
)
def test_password_resets_and_invitation_answers_are_rate_limited(client, session, path, allowed):
    token = csrf_token(client)
    statuses = [
        client.post(path, data={"email": "x@y.test", "csrf_token": token}).status_code
        for _ in range(allowed + 1)
    ]
    assert 429 not in statuses[:allowed]
    assert statuses[allowed] == 429


def test_reset_e_mails_to_one_address_are_limited_whatever_the_senders_address(client, session):
    anchor(session)
    token = csrf_token(client)

    def ask(email: str, sender: int) -> int:
        data = {"email": email, "csrf_token": token}
        return client.post(
            "/auth/forgot", data=data, environ_base={"REMOTE_ADDR": f"10.0.0.{sender}"}
        ).status_code

    flood = [ask(" Admin1@anchor.test", n) for n in range(11)]
    other = ask("admin2@anchor.test", 99)

    assert flood[:10] == [200] * 10 and flood[10] == 429
    assert other == 200
    sent = select(func.count()).where(OutboxEmail.kind == "password_reset")
    assert session.scalar(sent) == 10


def test_pages_without_a_limit_of_their_own_are_not_limited(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    statuses = {client.get("/auth/tokens").status_code for _ in range(40)}
    assert statuses == {200}


def test_wrong_password_is_refused_without_saying_which_part(client, session):
    anchor(session)
    response = _login(client, "admin1@anchor.test", "wrong-password")
    assert response.status_code == 401
    assert "E-mail or password is wrong." in response.get_data(as_text=True)
    assert _login(client, "nobody@anchor.test", "x").status_code == 401


def test_sign_in_is_rate_limited(client, session):
    anchor(session)
    statuses = [_login(client, "admin1@anchor.test", "wrong").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert "Too many attempts" in _login(client, "admin1@anchor.test", PASSWORD).get_data(
        as_text=True
    )


def test_session_cookie_is_http_only(client, session):
    anchor(session)
    response = _login(client, "admin1@anchor.test", PASSWORD)
    assert "HttpOnly" in response.headers["Set-Cookie"]


def test_password_reset_by_e_mailed_token(client, session):
    anchor(session)
    client.post(
        "/auth/forgot", data={"email": "admin1@anchor.test", "csrf_token": csrf_token(client)}
    )
    email = session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "password_reset")).one()
    token = re.search(r"/auth/reset/(\S+)", email.body).group(1)
    too_short = client.post(
        f"/auth/reset/{token}",
        headers=EN,
        data={"password": "short", "csrf_token": csrf_token(client)},
    )
    assert too_short.status_code == 422
    assert "Use at least 8 characters." in too_short.get_data(as_text=True)
    done = client.post(
        f"/auth/reset/{token}",
        data={"password": "a-new-password", "csrf_token": csrf_token(client)},
    )
    assert done.status_code == 302
    assert _login(client, "admin1@anchor.test", "a-new-password").status_code == 302
    other = client.application.test_client()
    reused = other.post(
        f"/auth/reset/{token}",
        headers=EN,
        data={"password": "another-password", "csrf_token": csrf_token(other)},
    )
    assert reused.status_code == 409


def test_a_password_reset_ends_the_sessions_opened_before_it(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    assert client.get("/org/people").status_code == 200
    fresh = client.application.test_client()
    fresh.post(
        "/auth/forgot", data={"email": "admin1@anchor.test", "csrf_token": csrf_token(fresh)}
    )
    email = session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "password_reset")).one()
    token = re.search(r"/auth/reset/(\S+)", email.body).group(1)

    fresh.post(
        f"/auth/reset/{token}", data={"password": "a-new-password", "csrf_token": csrf_token(fresh)}
    )

    stale = client.get("/org/people")
    assert stale.status_code == 302 and "/auth/login" in stale.headers["Location"]
    sign_in(fresh, "admin1@anchor.test", "a-new-password")
    assert fresh.get("/org/people").status_code == 200


def test_unknown_address_gets_the_same_answer_and_no_mail(client, session):
    anchor(session)
    page = client.post(
        "/auth/forgot",
        headers=EN,
        data={"email": "ghost@anchor.test", "csrf_token": csrf_token(client)},
    )
    assert "If this address belongs to an account" in page.get_data(as_text=True)
    assert session.scalars(select(OutboxEmail)).all() == []


def test_api_token_created_on_the_page_authenticates_and_can_be_revoked(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    page = client.post(
        "/auth/tokens", data={"name": "ERP", "csrf_token": csrf_token(client, "/auth/tokens")}
    ).get_data(as_text=True)
    secret = re.search(r'id="new-token">(tl_[^<]+)<', page).group(1)
    machine = client.application.test_client()
    me = machine.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.get_json()["email"] == "admin1@anchor.test"
    token_id = re.search(r"/auth/tokens/(\d+)/revoke", page).group(1)
    client.post(
        f"/auth/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/auth/tokens")}
    )
    assert (
        machine.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_bearer_clients_need_no_csrf_token(client, session):
    anchor(session)
    headers = bearer(session, "admin1@anchor.test")
    response = client.post("/api/v1/invitations", json={"company_hint": "X"}, headers=headers)
    assert response.status_code == 201


def test_a_browser_api_write_without_csrf_is_refused(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    refused = client.post("/api/v1/invitations", json={"company_hint": "X"})
    assert refused.status_code == 400 and refused.json["code"] == "csrf_failed"


def test_an_expired_form_says_so_and_how_to_send_it_again(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    stale = client.post(
        "/invitations",
        headers={"Accept-Language": "zh-CN"},
        data={"company_hint": "过期表单", "csrf_token": "a-token-from-an-old-session"},
    )
    assert stale.status_code == 400
    assert "表单已过期" in stale.get_data(as_text=True)
    english = client.post("/invitations", headers=EN, data={"company_hint": "x"})
    assert "This form has expired" in english.get_data(as_text=True)
    assert session.scalars(select(Invitation)).all() == []


@pytest.mark.parametrize("path", ["/api/v1/invitations", "/api/v1/edi/documents"])
def test_an_api_write_with_no_credentials_is_told_to_sign_in(client, session, path):
    response = client.post(path, json={"company_hint": "X"})
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_the_chosen_language_is_remembered_for_the_user(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    client.get("/lang/en")
    assert (
        session.scalars(select(User.locale).where(User.email == "admin1@anchor.test")).one() == "en"
    )


def test_the_language_chosen_before_signing_in_stays_after(client, session):
    """Chosen on the login page of a browser that asks for English: the pages after signing in
    are in Chinese too, and the session is still a new one."""
    anchor(session)
    client.get("/lang/zh_Hans_CN", headers=EN)
    before = client.get_cookie("session").value
    sign_in(client, "admin1@anchor.test", PASSWORD)
    assert client.get_cookie("session").value != before
    assert "退出" in client.get("/", headers=EN).get_data(as_text=True)


def test_a_language_the_user_saved_wins_over_the_one_chosen_before_signing_in(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    client.get("/lang/en")
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    client.get("/lang/zh_Hans_CN")
    sign_in(client, "admin1@anchor.test", PASSWORD)
    assert "Sign out" in client.get("/", headers=EN).get_data(as_text=True)


def _member_of_two(session):
    """admin2@supplier.test, admin of 供应商2 and reporter of 供应商3; returns 供应商3."""
    _, user = supplier(session, 2)
    second, _ = supplier(session, 3, role="reporter")
    add_member(session, second.id, user, "reporter")
    session.commit()
    return second


def test_a_person_in_two_organisations_switches_between_them(client, session):
    second = _member_of_two(session)
    sign_in(client, "admin2@supplier.test", PASSWORD)
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert "供应商2" in home and "Act for 供应商3" in home

    switched = client.post(
        "/auth/switch",
        headers=EN,
        data={"org_id": second.id, "csrf_token": csrf_token(client)},
        follow_redirects=True,
    )

    page = switched.get_data(as_text=True)
    assert "You now act for 供应商3." in page
    assert "供应商3 · Reporter" in page and "Act for 供应商2" in page
    tokens = client.get("/auth/tokens", headers={"Accept-Language": "zh-CN"})
    assert "切换到 供应商2" in tokens.get_data(as_text=True)


def test_a_remembered_person_comes_back_to_the_organisation_they_switched_to(client, session):
    second = _member_of_two(session)
    data = {"email": "admin2@supplier.test", "password": PASSWORD, "remember": "on"}
    signed_in = client.post("/auth/login", data={**data, "csrf_token": csrf_token(client)})
    assert signed_in.status_code == 302
    client.post("/auth/switch", data={"org_id": second.id, "csrf_token": csrf_token(client)})

    client.delete_cookie("session")  # the browser was closed: the remember cookie is left

    assert "供应商3 · Reporter" in client.get("/", headers=EN).get_data(as_text=True)


def test_switching_without_remember_me_leaves_no_remember_cookie(client, session):
    second = _member_of_two(session)
    sign_in(client, "admin2@supplier.test", PASSWORD)
    client.post("/auth/switch", data={"org_id": second.id, "csrf_token": csrf_token(client)})

    client.delete_cookie("session")

    assert client.get("/auth/tokens", headers=EN).status_code == 302


def test_switching_to_an_organisation_one_is_not_in_is_refused(client, session):
    supplier(session, 2)
    stranger, _ = supplier(session, 3)
    sign_in(client, "admin2@supplier.test", PASSWORD)
    token = csrf_token(client)

    refused = client.post("/auth/switch", data={"org_id": stranger.id, "csrf_token": token})
    unnamed = client.post("/auth/switch", data={"csrf_token": token})
    no_csrf = client.post("/auth/switch", data={"org_id": stranger.id})

    assert refused.status_code == unnamed.status_code == 404 and no_csrf.status_code == 400
    assert "供应商2 · " in client.get("/", headers=EN).get_data(as_text=True)
    assert "Act for" not in client.get("/", headers=EN).get_data(as_text=True)
