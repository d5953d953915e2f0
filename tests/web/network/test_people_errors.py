"""Every refusal on the people page is shown on that page, in the reader's language, with the
status that says why (403, 409, 422), and nothing is changed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models.accounts.entities import Membership
from models.accounts.operations import create_user, membership
from models.audit import AuditEvent
from models.orgs.bootstrap import add_member
from models.orgs.entities import Invitation
from tests.helpers import csrf_token, error_box, sign_in
from tests.web.network.builders import PASSWORD, supplier

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _state(session) -> tuple:
    session.expire_all()
    return (
        session.scalars(select(Membership.role).order_by(Membership.id)).all(),
        session.scalar(select(func.count(Invitation.id))),
        session.scalar(select(func.count(AuditEvent.id))),
    )


def _post(client, path: str, data: dict, headers: dict):
    return client.post(
        path, headers=headers, data={**data, "csrf_token": csrf_token(client, "/org/people")}
    )


def _reporter(session, client, n: int):
    """A supplier with its admin, and a reporter of it signed in on ``client``."""
    org, admin = supplier(session, n)
    reporter = create_user(session, f"reporter{n}@supplier.test", "Reporter", PASSWORD)
    add_member(session, org.id, reporter, "reporter")
    session.commit()
    sign_in(client, reporter.email, PASSWORD)
    return org, admin


@pytest.mark.parametrize(
    ("headers", "message"),
    [(EN, "Your role does not allow this action."), (ZH, "您的角色无权执行此操作。")],
)
def test_a_reporter_is_told_its_role_keeps_it_off_the_people_page(
    client, session, headers, message
):
    """A reporter only fills in report forms: the people page and its actions are refused."""
    org, admin_user = _reporter(session, client, 40)
    admin = membership(session, admin_user.id, org.id)
    before = _state(session)
    assert client.get("/org/people", headers=headers).status_code == 403
    for path, data in (
        ("/org/people", {"email": "new@supplier.test", "role": "reporter"}),
        (f"/org/people/{admin.id}/role", {"role": "reporter"}),
        (f"/org/people/{admin.id}/remove", {}),
    ):
        response = _post(client, path, data, headers)
        assert response.status_code == 403, path
        assert message in response.get_data(as_text=True), path
    assert _state(session) == before


@pytest.mark.parametrize(
    ("action", "data", "status", "en", "zh"),
    [
        ("role", {"role": "reporter"}, 409, "An organisation needs at least one admin.",
         "企业至少需要一名管理员。"),
        ("role", {"role": "king"}, 422, "This role does not exist for this organisation.",
         "该企业没有此角色。"),
        ("remove", {}, 409, "You cannot remove yourself. Ask another admin.",
         "不能移除自己，请让另一位管理员操作。"),
    ],
)  # fmt: skip
def test_an_admin_refused_sees_why_on_the_people_page(
    client, session, action, data, status, en, zh
):
    org, admin = supplier(session, 41)
    own = membership(session, admin.id, org.id)
    sign_in(client, admin.email, PASSWORD)
    before = _state(session)
    for headers, message in ((EN, en), (ZH, zh)):
        response = _post(client, f"/org/people/{own.id}/{action}", data, headers)
        page = response.get_data(as_text=True)
        assert response.status_code == status
        assert message in error_box(page)
        assert 'name="email"' in page  # the people page, with its invitation form
    assert _state(session) == before


def test_another_organisations_person_is_not_found_on_the_people_page(client, session):
    supplier(session, 42)
    other, other_admin = supplier(session, 43)
    theirs = membership(session, other_admin.id, other.id)
    sign_in(client, "admin42@supplier.test", PASSWORD)
    before = _state(session)
    response = _post(client, f"/org/people/{theirs.id}/remove", {}, ZH)
    assert response.status_code == 404
    assert "未找到" in error_box(response.get_data(as_text=True))
    assert _state(session) == before


def test_a_bad_invitation_role_is_shown_at_its_field(client, session):
    supplier(session, 44)
    sign_in(client, "admin44@supplier.test", PASSWORD)
    before = _state(session)
    response = _post(client, "/org/people", {"email": "x@supplier.test", "role": "king"}, EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<small class="error" id="e-role">\s*Must be one of', page)
    assert _state(session) == before


def test_an_invitation_sent_shows_its_link_once_and_a_reload_sends_nothing(client, session):
    supplier(session, 77)
    session.commit()
    sign_in(client, "admin77@supplier.test", PASSWORD)
    sent = _post(
        client, "/org/people", {"email": "colleague@supplier.test", "role": "reporter"}, EN
    )
    assert sent.status_code == 303
    page = client.get(sent.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Invitation sent to colleague@supplier.test." in page and "/invite/" in page
    client.get(sent.headers["Location"], headers=EN)  # the reload: a GET, nothing sent again
    assert session.scalar(select(func.count(Invitation.id))) == 1
