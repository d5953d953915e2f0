"""Joining an organisation through a colleague invitation: a second link, blank names."""

from __future__ import annotations

from sqlalchemy import func, select

from models.accounts.entities import Membership, User
from models.accounts.operations import create_user
from models.orgs.bootstrap import add_member
from models.orgs.entities import Invitation
from tests.helpers import csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor

EN = {"Accept-Language": "en"}


def _invite(client, email: str, role: str) -> str:
    response = client.post(
        "/api/v1/invitations",
        json={"kind": "colleague", "email": email, "role": role},
        headers={"X-CSRFToken": csrf_token(client, "/")},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["link"].rsplit("/", 1)[-1]


def _join(client, token: str, name: str = "Q", password: str = PASSWORD, headers=EN):
    joining = client.application.test_client()
    return joining.post(
        f"/invite/{token}",
        headers=headers,
        data={
            "name": name,
            "password": password,
            "csrf_token": csrf_token(joining, f"/invite/{token}"),
        },
    )


def test_a_second_invitation_is_withdrawn_once_the_person_joins(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    first = _invite(client, "q@anchor.test", "viewer")
    second = _invite(client, "q@anchor.test", "admin")

    assert _join(client, first).status_code == 302
    refused = _join(client, second)

    assert refused.status_code == 409
    assert "This invitation was withdrawn." in refused.get_data(as_text=True)
    roles = session.scalars(
        select(Membership.role).join(User).where(User.email == "q@anchor.test")
    ).all()
    assert roles == ["viewer"]
    states = {i["link"].rsplit("/", 1)[-1]: i["status"] for i in client.get(
        "/api/v1/invitations").get_json()}  # fmt: skip
    assert states == {first: "used", second: "revoked"}


def test_a_member_opening_an_invitation_to_their_own_organisation_is_told_so(client, session):
    org, _ = anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client, "q@anchor.test", "admin")
    person = create_user(session, "q@anchor.test", "Q", PASSWORD)
    add_member(session, org.id, person, "viewer")  # added since, by the command line
    session.commit()

    refused = _join(client, token)
    chinese = _join(client, token, headers={"Accept-Language": "zh-CN"})

    assert refused.status_code == 409
    assert "You are already a member of Anchor 1." in refused.get_data(as_text=True)
    assert "您已是 锚点汽车1 的成员。" in chinese.get_data(as_text=True)
    assert session.scalar(select(func.count(Membership.id)).where(
        Membership.user_id == person.id)) == 1  # fmt: skip
    assert session.scalar(select(Invitation.used_at).where(Invitation.token == token)) is None


def test_an_address_no_mail_server_takes_is_refused_and_nothing_is_sent(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    refused = client.post(
        "/api/v1/invitations",
        json={"kind": "colleague", "email": "x" * 65 + "@anchor.test", "role": "viewer"},
        headers={"X-CSRFToken": csrf_token(client, "/"), **EN},
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"email": ["Enter a valid e-mail address."]}
    assert session.scalar(select(func.count(Invitation.id))) == 0
    _invite(client, "x" * 64 + "@anchor.test", "viewer")


def test_someone_with_an_account_joins_with_only_their_password(client, session):
    anchor(session)
    create_user(session, "known@elsewhere.test", "Known Person", PASSWORD)
    session.commit()
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client, "known@elsewhere.test", "viewer")

    page = client.application.test_client().get(f"/invite/{token}", headers=EN)
    body = page.get_data(as_text=True)
    assert 'name="name"' not in body
    assert 'autocomplete="current-password"' in body
    assert "Enter the password of your account." in body
    assert _join(client, token, name="").status_code == 302
    assert session.scalar(select(User.name).where(User.email == "known@elsewhere.test")) == (
        "Known Person"
    )
