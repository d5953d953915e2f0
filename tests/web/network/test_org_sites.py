"""An admin edits and removes its organisation's sites on /org/ and through the API: bad input
is refused at its field with nothing written, another organisation's site is not found, and a
site that carbon activity data refers to is kept, saying why."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models.accounts.operations import create_user
from models.actor import Actor
from models.audit import AuditEvent
from models.base import Base
from models.carbon.entities import ActivityRecord
from models.orgs.bootstrap import add_member
from models.orgs.entities import Site
from models.orgs.operations import add_site
from tests.helpers import bearer, csrf_token, error_box, field_error, sign_in
from tests.web.network.builders import PASSWORD, supplier

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
IN_USE_EN = "This site cannot be removed: carbon activity data is recorded for it"
IN_USE_ZH = "无法删除此厂址：已为其记录碳活动数据"


def _site(session, org, name="一号车间", address="苏州") -> Site:
    site = add_site(session, Actor.system("test"), {"name": name, "address": address}, org.id)
    session.commit()
    return site


def _in_use(session, org, site) -> None:
    """Carbon activity data recorded for ``site`` (the one table that refers to sites)."""
    session.add(
        ActivityRecord(
            org_id=org.id,
            site_id=site.id,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 1, 31),
        )
    )
    session.commit()


def _written(session) -> tuple:
    session.expire_all()
    return (
        session.execute(select(Site.id, Site.name, Site.address).order_by(Site.id)).all(),
        session.scalar(select(func.count(AuditEvent.id))),
    )


def _post(client, data: dict, headers: dict = EN):
    """Post a form of /org/ and follow a saved form's redirect back to the page."""
    return client.post(
        "/org/",
        headers=headers,
        data={**data, "csrf_token": csrf_token(client, "/org/")},
        follow_redirects=True,
    )


def _edit(site_id: int, name: str, address: str = "") -> dict:
    return {
        "action": "site_update",
        "site_id": str(site_id),
        f"site{site_id}_name": name,
        f"site{site_id}_address": address,
    }


def test_an_admin_edits_and_removes_a_site_on_the_page(client, session):
    org, _ = supplier(session, 50)
    site = _site(session, org)
    sign_in(client, "admin50@supplier.test", PASSWORD)
    page = client.get("/org/", headers=ZH).get_data(as_text=True)
    assert "确定删除厂址 一号车间 吗？" in page

    response = _post(client, _edit(site.id, " 二号车间 ", "无锡"))
    assert response.status_code == 200 and "The site was changed." in response.get_data(True)
    session.expire_all()
    assert (site.name, site.address) == ("二号车间", "无锡")
    assert session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "site.update")) == {
        "name": "二号车间",
        "address": "无锡",
    }

    response = _post(client, {"action": "site_remove", "site_id": str(site.id)}, ZH)
    assert response.status_code == 200 and "厂址已删除。" in response.get_data(True)
    assert session.scalar(select(func.count(Site.id))) == 0
    assert session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "site.remove")) == {
        "name": "二号车间",
        "address": "无锡",
        "region": None,
    }


@pytest.mark.parametrize(
    ("name", "en", "zh"),
    [
        ("  ", "Missing data for required field.", "必填字段缺少数据。"),
        ("S" * 201, "Longer than maximum length 200.", "超过最大长度 200。"),
    ],
)
def test_a_bad_site_edit_is_shown_at_its_field(client, session, name, en, zh):
    org, _ = supplier(session, 51)
    site = _site(session, org)
    other = _site(session, org, "仓库")
    sign_in(client, "admin51@supplier.test", PASSWORD)
    before = _written(session)
    for headers, message in ((EN, en), (ZH, zh)):
        response = _post(client, _edit(site.id, name), headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert field_error(page, f"site{site.id}_name") == message
        assert not field_error(page, f"site{other.id}_name")
        assert not field_error(page, "site_name")  # not at the new site's field
        assert not error_box(page)
        assert f'value="{name}"' in page  # what was typed is kept
    assert _written(session) == before


def test_a_site_in_use_is_kept_saying_why(client, session):
    org, _ = supplier(session, 52)
    site = _site(session, org)
    _in_use(session, org, site)
    sign_in(client, "admin52@supplier.test", PASSWORD)
    before = _written(session)
    for headers, message in ((EN, IN_USE_EN), (ZH, IN_USE_ZH)):
        response = _post(client, {"action": "site_remove", "site_id": str(site.id)}, headers)
        assert response.status_code == 409
        assert message in error_box(response.get_data(as_text=True))
    assert _written(session) == before


def test_another_organisations_site_is_not_found_and_a_reporter_may_not(client, session):
    supplier(session, 53)
    other, _ = supplier(session, 54)
    theirs = _site(session, other)
    sign_in(client, "admin53@supplier.test", PASSWORD)
    before = _written(session)
    assert _post(client, _edit(theirs.id, "Mine now")).status_code == 404
    removed = _post(client, {"action": "site_remove", "site_id": str(theirs.id)}, ZH)
    assert removed.status_code == 404 and "未找到。" in error_box(removed.get_data(as_text=True))
    # A digit to Python's isdigit that int() cannot read names no site either.
    assert _post(client, {"action": "site_remove", "site_id": "²"}).status_code == 404

    reporter = create_user(session, "reporter54@supplier.test", "Reporter", PASSWORD)
    add_member(session, other.id, reporter, "reporter")
    session.commit()
    theirs_client = client.application.test_client()
    sign_in(theirs_client, reporter.email, PASSWORD)
    refused = _post(theirs_client, _edit(theirs.id, "Renamed"))
    assert refused.status_code == 403  # a reporter does not even open the organisation's page
    assert "Your role does not allow this action." in refused.get_data(as_text=True)
    assert _written(session) == before


def test_the_api_lists_adds_changes_and_removes_sites(client, session):
    _, admin = supplier(session, 55)
    headers = bearer(session, admin.email)
    added = client.post("/api/v1/organisations/me/sites", json={"name": "A"}, headers=headers)
    assert added.status_code == 201
    site_id = added.json["id"]
    changed = client.patch(
        f"/api/v1/organisations/me/sites/{site_id}", json={"address": "Wuxi"}, headers=headers
    )
    assert changed.status_code == 200
    assert (changed.json["name"], changed.json["address"]) == ("A", "Wuxi")
    listed = client.get("/api/v1/organisations/me/sites", headers=headers).json
    assert [(s["id"], s["name"]) for s in listed] == [(site_id, "A")]
    assert client.get("/api/v1/organisations/me", headers=headers).json["sites"] == listed
    removed = client.delete(f"/api/v1/organisations/me/sites/{site_id}", headers=headers)
    assert removed.status_code == 204
    assert client.get("/api/v1/organisations/me/sites", headers=headers).json == []
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "site").order_by(AuditEvent.id)
    ).all()
    assert actions == ["site.create", "site.update", "site.remove"]


@pytest.mark.parametrize(
    ("body", "field", "en", "zh"),
    [
        ({"name": ""}, "name", "Missing data for required field.", "必填字段缺少数据。"),
        ({"name": "S" * 201}, "name", "Longer than maximum length 200.", "超过最大长度 200。"),
        ({"address": "A" * 501}, "address", "Longer than maximum length 500.",
         "超过最大长度 500。"),
        ({"colour": "red"}, "colour", "Unknown field.", "未知字段。"),
    ],
)  # fmt: skip
def test_the_api_refuses_a_bad_site_at_its_field(client, session, body, field, en, zh):
    org, admin = supplier(session, 56)
    site = _site(session, org)
    token = bearer(session, admin.email)
    before = _written(session)
    for headers, message in ((EN, en), (ZH, zh)):
        for response in (
            client.patch(
                f"/api/v1/organisations/me/sites/{site.id}", json=body, headers=token | headers
            ),
            client.post(
                "/api/v1/organisations/me/sites", json={"name": "B"} | body, headers=token | headers
            ),
        ):
            assert response.status_code == 422
            assert response.json["code"] == "validation_error"
            assert response.json["errors"] == {field: [message]}
    assert _written(session) == before


def test_the_api_hides_other_sites_and_keeps_a_site_in_use(client, session):
    org, admin = supplier(session, 57)
    other, _ = supplier(session, 58)
    theirs = _site(session, other)
    mine = _site(session, org)
    _in_use(session, org, mine)
    token = bearer(session, admin.email)
    before = _written(session)
    path = f"/api/v1/organisations/me/sites/{theirs.id}"
    assert client.patch(path, json={"name": "X"}, headers=token).status_code == 404
    assert client.delete(path, headers=token).status_code == 404
    for headers, message in ((EN, IN_USE_EN), (ZH, IN_USE_ZH)):
        kept = client.delete(f"/api/v1/organisations/me/sites/{mine.id}", headers=token | headers)
        assert kept.status_code == 409 and message in kept.json["message"]
    assert _written(session) == before


def test_carbon_activity_data_is_the_only_record_that_refers_to_a_site(app):
    """remove_site checks activity records only: a new table referring to sites must be
    checked there too (and named in its message), or removing a site would fail unexplained."""
    referring = {
        fk.parent.table.name
        for table in Base.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "sites"
    }
    assert referring == {"activity_records"}
