"""Names made of spaces and passwords made of spaces are refused wherever they are typed."""

from __future__ import annotations

from sqlalchemy import func, select

from models.accounts.entities import User
from models.orgs.entities import Invitation, Organisation, Site
from tests.helpers import csrf_token, sign_in
from tests.web.network.builders import PASSWORD, anchor, credit_code
from tests.web.network.test_colleague_invitations import _invite, _join

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _counts(session) -> tuple[int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(entity))
        for entity in (Organisation, Site, User)
    )


def test_a_supplier_registered_with_blank_names_is_refused(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    created = client.post(
        "/api/v1/invitations",
        json={"kind": "supplier", "email": None, "company_hint": None},
        headers={"X-CSRFToken": csrf_token(client, "/")},
    )
    token = session.scalar(
        select(Invitation.token).where(Invitation.id == created.get_json()["id"])
    )
    before = _counts(session)
    body = {
        "organisation": {"name_zh": "   ", "credit_code": credit_code(40)},
        "site": {"name": "  "},
        "admin": {"name": "   ", "email": "owner@new.test", "password": " " * 8},
    }

    response = client.application.test_client().post(
        f"/api/v1/invitations/{token}/accept", json=body, headers=EN
    )

    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"] == {
        "organisation.name_zh": ["Missing data for required field."],
        "site.name": ["Missing data for required field."],
        "admin.name": ["Missing data for required field."],
        "admin.password": ["A password cannot be only spaces."],
    }
    assert _counts(session) == before


def test_an_organisation_cannot_be_renamed_to_spaces(client, session):
    org, _ = anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    response = client.post(
        "/org/",
        headers=ZH,
        data={
            "name_zh": "   ",
            "name_en": "  Anchor One  ",
            "csrf_token": csrf_token(client, "/org/"),
        },
    )
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Organisation, org.id).name_zh == "锚点汽车1"


def test_a_colleague_joins_with_a_name_and_a_real_password(client, session):
    anchor(session)
    sign_in(client, "admin1@anchor.test", PASSWORD)
    token = _invite(client, "q@anchor.test", "viewer")

    nameless = _join(client, token, name="   ")
    spaces = _join(client, token, password=" " * 8, headers=ZH)

    assert nameless.status_code == 422
    assert "Missing data for required field." in nameless.get_data(as_text=True)
    assert spaces.status_code == 422
    assert "密码不能只由空格组成。" in spaces.get_data(as_text=True)
    assert session.scalar(select(User.id).where(User.email == "q@anchor.test")) is None
    assert _join(client, token, name="  Qian  ").status_code == 302
    assert session.scalar(select(User.name).where(User.email == "q@anchor.test")) == "Qian"
