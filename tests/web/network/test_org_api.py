"""PATCH /api/v1/organisations/me: an admin changes its own organisation through the same
operation and checks as the /org/ form, with the API's error shape in the request's language."""

from __future__ import annotations

from sqlalchemy import func, select

from models.accounts.operations import create_user
from models.audit import AuditEvent
from models.orgs.bootstrap import add_member
from models.orgs.entities import Organisation
from tests.helpers import bearer
from tests.web.network.builders import PASSWORD, supplier

ME = "/api/v1/organisations/me"


def _written(session, org_id: int) -> tuple:
    session.expire_all()
    org = session.get(Organisation, org_id)
    return (
        (org.name_zh, org.name_en, org.employees, org.industry, org.credit_code),
        session.scalar(select(func.count(AuditEvent.id))),
    )


def test_an_admin_changes_its_organisation(client, session):
    org, admin = supplier(session, 60)
    response = client.patch(
        ME, json={"industry": "C3670", "employees": 40}, headers=bearer(session, admin.email)
    )
    assert response.status_code == 200
    assert (response.json["industry"], response.json["employees"]) == ("C3670", 40)
    assert response.json["name_zh"] == "供应商60"  # what was not sent is kept
    assert _written(session, org.id)[0][2:4] == (40, "C3670")
    assert session.scalar(
        select(AuditEvent.detail).where(AuditEvent.action == "organisation.update")
    ) == {"industry": "C3670", "employees": "40"}


def test_bad_input_is_refused_at_its_field_in_the_request_language(client, session):
    org, admin = supplier(session, 61)
    token = bearer(session, admin.email)
    before = _written(session, org.id)
    cases = [
        ({"name_zh": ""}, "name_zh", "Missing data for required field.", "必填字段缺少数据。"),
        ({"industry": "C" * 121}, "industry", "Longer than maximum length 120.",
         "超过最大长度 120。"),
        ({"credit_code": "91320000MA1T000618"}, "credit_code", "Unknown field.", "未知字段。"),
        ({"employees": 3000000000}, "employees", "Number too large.", None),
    ]  # fmt: skip
    for body, field, en, zh in cases:
        for language, message in (("en", en), ("zh-CN", zh)):
            response = client.patch(ME, json=body, headers=token | {"Accept-Language": language})
            assert response.status_code == 422, body
            assert response.json["code"] == "validation_error"
            assert list(response.json["errors"]) == [field]
            shown = response.json["errors"][field][0]
            assert shown == message if message else shown
    not_json = client.patch(ME, data="x", headers=token)
    assert not_json.status_code == 422 and not_json.json["errors"]["_schema"]
    assert _written(session, org.id) == before


def test_only_an_admin_changes_the_organisation(client, session):
    org, _ = supplier(session, 62)
    reporter = create_user(session, "reporter62@supplier.test", "Reporter", PASSWORD)
    add_member(session, org.id, reporter, "reporter")
    session.commit()
    before = _written(session, org.id)
    response = client.patch(
        ME,
        json={"industry": "X"},
        headers=bearer(session, reporter.email) | {"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 403
    assert response.json["message"] == "您的角色无权执行此操作。"
    assert _written(session, org.id)[0] == before[0]


def test_the_openapi_document_describes_my_organisation_and_its_sites(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    me = paths["/api/v1/organisations/me"]
    assert {"get", "patch"} <= set(me)
    body = me["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/OrganisationUpdate")
    assert {"get", "post"} <= set(paths["/api/v1/organisations/me/sites"])
    assert {"patch", "delete"} <= set(paths["/api/v1/organisations/me/sites/{site_id}"])


def test_a_size_class_that_contradicts_the_numbers_is_refused_and_nothing_is_audited(
    client, session
):
    org, _ = supplier(session, 88)
    headers = bearer(session, "admin88@supplier.test")
    client.patch("/api/v1/organisations/me", headers=headers,
                 json={"employees": 15, "annual_revenue_wan": "100"})  # fmt: skip
    audited = session.scalar(select(func.count(AuditEvent.id)))
    contradicting = client.patch(
        "/api/v1/organisations/me", headers={**headers, "Accept-Language": "zh-CN"},
        json={"size_class": "large"},
    )  # fmt: skip
    fraction = client.patch("/api/v1/organisations/me", headers=headers, json={"employees": 1.5})
    nothing = client.patch("/api/v1/organisations/me", headers=headers, json={"name_en": ""})

    assert contradicting.status_code == 422
    assert contradicting.get_json()["errors"]["size_class"] == [
        "已填写员工人数和年营业收入时，企业规模由它们得出（微型）：请留空。"
    ]
    assert fraction.status_code == 422 and "employees" in fraction.get_json()["errors"]
    assert nothing.status_code == 200
    session.expire_all()
    assert (
        session.get(Organisation, org.id).size_class,
        session.get(Organisation, org.id).employees,
    ) == ("micro", 15)
    assert session.scalar(select(func.count(AuditEvent.id))) == audited, "no change, no audit row"
