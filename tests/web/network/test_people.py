"""An admin changes a colleague's role and takes a colleague out of the organisation, on the
page and through the API; a removed colleague's sessions and API tokens stop working."""

from __future__ import annotations

from sqlalchemy import func, select

from models.accounts.entities import ApiToken, Membership
from models.accounts.operations import create_user, membership
from models.audit import AuditEvent
from models.orgs.bootstrap import add_member
from tests.helpers import bearer, csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor


def _colleague(session, org, email="buyer@anchor.test", role="procurement"):
    user = create_user(session, email, "Colleague", PASSWORD)
    add_member(session, org.id, user, role)
    session.commit()
    return membership(session, user.id, org.id)


def test_a_removed_colleague_is_signed_out_and_their_tokens_stop(client, session):
    org, admin = anchor(session)
    member = _colleague(session, org)
    theirs = client.application.test_client()
    sign_in(theirs, "buyer@anchor.test", PASSWORD)
    token = bearer(session, "buyer@anchor.test")
    assert theirs.get("/orders/").status_code == 200
    assert theirs.get("/api/v1/people", headers=token).status_code == 200

    sign_in(client, admin.email, PASSWORD)
    page = client.get("/org/people", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "确定将 Colleague 移出本企业吗" in page
    response = client.post(
        f"/org/people/{member.id}/remove", data={"csrf_token": csrf_token(client, "/org/people")}
    )

    assert response.status_code == 302
    assert session.scalar(select(Membership.id).where(Membership.id == member.id)) is None
    assert theirs.get("/orders/").status_code == 302
    assert theirs.get("/api/v1/people", headers=token).status_code == 401
    assert session.scalar(select(func.count(ApiToken.id)).where(ApiToken.revoked_at.is_(None))) == 0
    assert session.scalar(
        select(AuditEvent.detail).where(AuditEvent.action == "membership.remove")
    ) == {"user_id": member.user_id, "email": "buyer@anchor.test", "role": "procurement"}
    assert sign_in_fails(client.application.test_client(), "buyer@anchor.test")


def sign_in_fails(client, email: str) -> bool:
    response = client.post(
        "/auth/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    return response.status_code == 401


def test_the_api_lists_changes_and_removes_people(client, session):
    org, admin = anchor(session)
    member = _colleague(session, org)
    headers = bearer(session, admin.email)

    listed = client.get("/api/v1/people", headers=headers).json
    assert {p["email"]: p["role"] for p in listed} == {
        admin.email: "admin",
        "buyer@anchor.test": "procurement",
    }
    bad = client.patch(f"/api/v1/people/{member.id}", json={"role": "king"}, headers=headers)
    assert bad.status_code == 422 and "role" in bad.json["errors"]
    changed = client.patch(f"/api/v1/people/{member.id}", json={"role": "quality"}, headers=headers)
    assert changed.status_code == 200 and changed.json["role"] == "quality"

    assert client.delete(f"/api/v1/people/{member.id}", headers=headers).status_code == 204
    assert [p["email"] for p in client.get("/api/v1/people", headers=headers).json] == [admin.email]


def test_the_last_admin_and_oneself_are_not_removed_and_others_only_by_admins(client, session):
    org, admin = anchor(session)
    own = membership(session, admin.id, org.id)
    buyer = _colleague(session, org)
    _, other_admin = anchor(session, 2)
    headers = bearer(session, admin.email)

    myself = client.delete(f"/api/v1/people/{own.id}", headers=headers)
    assert myself.status_code == 409 and "yourself" in myself.json["message"]
    foreign = client.delete(
        f"/api/v1/people/{buyer.id}", headers=bearer(session, other_admin.email)
    )
    assert foreign.status_code == 404
    by_buyer = client.delete(
        f"/api/v1/people/{own.id}", headers=bearer(session, "buyer@anchor.test")
    )
    assert by_buyer.status_code == 403

    second = _colleague(session, org, "second@anchor.test", "admin")
    assert (
        client.delete(
            f"/api/v1/people/{own.id}", headers=bearer(session, "second@anchor.test")
        ).status_code
        == 204
    )
    last = client.delete(
        f"/api/v1/people/{second.id}", headers=bearer(session, "second@anchor.test")
    )
    assert last.status_code == 409
    assert session.scalar(select(func.count(Membership.id)).where(Membership.org_id == org.id)) == 2
