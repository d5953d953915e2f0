"""The registration form and /org/: every error at its field, in the user's language, and the
size class can be chosen where it cannot be worked out."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models.accounts.entities import User
from models.audit import AuditEvent
from models.orgs.entities import Invitation, Organisation, Site
from tests.helpers import csrf_token, error_box, field_error, sign_in
from tests.web.network.builders import PASSWORD, anchor, registration, supplier

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
TOO_BIG = "12345678901234567.89"


def _value(page: str, name: str) -> str:
    found = re.search(rf'<input id="f-{name}" name="{name}" type="\w+" value="([^"]*)"', page)
    return found.group(1) if found else ""


def _token(client, session) -> str:
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    client.post(
        "/invitations",
        data={"email": "", "csrf_token": csrf_token(client, "/invitations")},
    )
    return session.scalars(select(Invitation.token).order_by(Invitation.id.desc())).first()


def _count(session) -> tuple[int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(entity))
        for entity in (Organisation, User, Site)
    )


@pytest.mark.parametrize(
    ("field", "value", "en", "zh"),
    [
        ("industry", "C" * 121, "Longer than maximum length 120.", "超过最大长度 120。"),
        ("site_address", "路" * 501, "Longer than maximum length 500.", "超过最大长度 500。"),
        ("annual_revenue_wan", TOO_BIG, "Number too large.", None),
        ("employees", "3000000000", "Number too large.", None),
        ("size_class", "huge", "Choose a size class from the list.", "请从列表中选择企业规模。"),
        ("admin_email", "admin1@anchor.test", "This e-mail address is already registered.", None),
    ],
)
def test_registration_shows_each_error_at_its_field(client, session, field, value, en, zh):
    token = _token(client, session)
    before = _count(session)
    for headers, message in ((EN, en), (ZH, zh)):
        newcomer = client.application.test_client()
        form = registration(20, **{field: value})
        response = newcomer.post(
            f"/invite/{token}",
            headers=headers,
            data={**form, "csrf_token": csrf_token(newcomer, f"/invite/{token}")},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        shown = field_error(page, field)
        assert shown and (message is None or message in shown), (headers, shown)
        if headers is ZH:
            assert re.search("[\u4e00-\u9fff]", shown), shown  # in Chinese
        assert not error_box(page)
        assert _value(page, "name_zh") == form["name_zh"]  # what was typed is kept
        if field != "size_class":
            assert _value(page, field) == value
        assert _value(page, "admin_password") == ""  # passwords are never sent back
    assert _count(session) == before


def test_registration_api_names_the_admin_email(client, session):
    token = _token(client, session)
    form = registration(21, admin_email="admin1@anchor.test")
    body = {
        "organisation": {"name_zh": form["name_zh"], "credit_code": form["credit_code"]},
        "admin": {"name": "N", "email": "admin1@anchor.test", "password": PASSWORD},
    }
    before = _count(session)
    response = client.application.test_client().post(
        f"/api/v1/invitations/{token}/accept", json=body, headers=EN
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "admin.email": ["This e-mail address is already registered."]
    }
    body["admin"]["email"] = "new21@new.test"
    body["organisation"]["annual_revenue_wan"] = TOO_BIG
    response = client.application.test_client().post(
        f"/api/v1/invitations/{token}/accept", json=body, headers=EN
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "organisation.annual_revenue_wan": ["Number too large."]
    }
    assert _count(session) == before


def test_a_tier2_registers_with_a_size_class_it_chose(client, session):
    token = _token(client, session)
    newcomer = client.application.test_client()
    page = newcomer.get(f"/invite/{token}", headers=ZH).get_data(as_text=True)
    assert 'name="size_class"' in page and "规模" in page
    form = registration(22, annual_revenue_wan="", size_class="small", employees="15")
    response = newcomer.post(
        f"/invite/{token}", data={**form, "csrf_token": csrf_token(newcomer, f"/invite/{token}")}
    )
    assert response.status_code == 302
    org = session.scalars(select(Organisation).where(Organisation.name_zh == "新供应商22")).one()
    assert (org.employees, org.size_class) == (15, "small")


@pytest.mark.parametrize(
    ("data", "field", "english"),
    [
        ({"action": "site", "site_name": ""}, "site_name", "Length|Missing|Enter"),
        ({"action": "site", "site_name": "S" * 201}, "site_name", "200"),
        ({"action": "site", "site_name": "S", "site_address": "A" * 501}, "site_address", "500"),
        ({"name_zh": "供应商30", "industry": "C" * 121}, "industry", "maximum length 120"),
        ({"name_zh": "供应商30", "annual_revenue_wan": TOO_BIG}, "annual_revenue_wan", "too large"),
        ({"name_zh": "供应商30", "size_class": "huge"}, "size_class", "Choose a size class"),
    ],
)
def test_org_page_shows_each_error_at_its_field(client, session, data, field, english):
    org, _ = supplier(session, 30)
    sign_in(client, "admin30@supplier.test", PASSWORD)
    before = _count(session), session.scalar(select(func.count()).select_from(AuditEvent))
    for headers in (EN, ZH):
        response = client.post(
            "/org/", headers=headers, data={**data, "csrf_token": csrf_token(client, "/org/")}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        shown = field_error(page, field)
        assert shown and not error_box(page)
        if headers is EN:
            assert re.search(english, shown), shown
        else:
            assert re.search("[\u4e00-\u9fff]", shown), shown  # in Chinese
        if field != "size_class":
            assert _value(page, field) == data.get(field, "")
    session.expire_all()
    after = _count(session), session.scalar(select(func.count()).select_from(AuditEvent))
    assert after == before
    assert session.get(Organisation, org.id).industry is None


def test_org_page_sets_the_size_class_when_it_cannot_be_worked_out(client, session):
    org, _ = supplier(session, 31)
    sign_in(client, "admin31@supplier.test", PASSWORD)
    response = client.post(
        "/org/",
        headers=ZH,
        data={"name_zh": "供应商31", "employees": "15", "size_class": "micro",
              "csrf_token": csrf_token(client, "/org/")},
    )  # fmt: skip
    assert response.status_code == 303, "saved, then the page again (a reload sends nothing)"
    session.expire_all()
    assert session.get(Organisation, org.id).size_class == "micro"
    page = client.get("/org/", headers=ZH).get_data(as_text=True)
    assert re.search(r'<option value="micro"\s+selected>', page)


def test_registration_api_names_the_size_class_under_the_organisation(client, session):
    """A size class that contradicts the employees and revenue is named where the request
    holds it (``organisation.size_class``), as every other organisation field is."""
    token = _token(client, session)
    form = registration(22)
    body = {
        "organisation": {
            "name_zh": form["name_zh"],
            "credit_code": form["credit_code"],
            "employees": 25,
            "annual_revenue_wan": "500",
            "size_class": "large",
        },
        "admin": {"name": "N", "email": "new22@new.test", "password": PASSWORD},
    }
    before = _count(session)
    response = client.application.test_client().post(
        f"/api/v1/invitations/{token}/accept", json=body, headers=EN
    )
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["organisation.size_class"]
    assert _count(session) == before


def test_a_registration_starts_the_new_organisations_own_audit_trail(client, session):
    """The new supplier's admins see who registered their organisation, and through which
    channel: every row of the registration is in the organisation's name, marked ``api``."""
    token = _token(client, session)
    form = registration(23)
    body = {
        "organisation": {"name_zh": form["name_zh"], "credit_code": form["credit_code"]},
        "site": {"name": "一号车间"},
        "admin": {"name": "N", "email": "new23@new.test", "password": PASSWORD},
    }
    newcomer = client.application.test_client()
    response = newcomer.post(f"/api/v1/invitations/{token}/accept", json=body, headers=EN)
    assert response.status_code == 201
    org_id = response.get_json()["id"]
    rows = session.execute(
        select(AuditEvent.action, AuditEvent.actor_org_id, AuditEvent.channel).where(
            AuditEvent.action.in_(("organisation.create", "site.create", "link.activate")),
            AuditEvent.actor_user_id
            == select(User.id).where(User.email == "new23@new.test").scalar_subquery(),
        )
    ).all()
    assert sorted(rows) == [
        ("link.activate", org_id, "api"),
        ("organisation.create", org_id, "api"),
        ("site.create", org_id, "api"),
    ]
