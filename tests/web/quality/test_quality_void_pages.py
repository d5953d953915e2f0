"""Voiding a mistaken inspection from the supplier's page and through the API, in both
languages; a bad request is named and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.accounts.entities import User
from models.quality.entities import CharacteristicStatistics, Inspection, Measurement
from models.quality.measurements import record_inspection
from models.quality.statistics_store import recompute_statistics
from tests.helpers import bearer, csrf_token
from tests.integration.quality.builders import PISTON_RINGS, inspection


@pytest.fixture
def recorded(session, chain, ring):
    """Twenty good values, then a subgroup measured with the wrong gauge."""
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS[:20]))
    mistake = record_inspection(session, chain.reporter, inspection("L2", "D1", [74.03] * 5))
    recompute_statistics(session, [ring.id])
    session.commit()
    return mistake


def _values(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Measurement))


def _void(client, inspection_id, reason, **kwargs):
    token = csrf_token(client, "/quality/measure/inspections")
    return client.post(
        f"/quality/measure/inspections/{inspection_id}/void",
        data={"reason": reason, "csrf_token": token},
        **kwargs,
    )


def test_the_supplier_voids_an_inspection_from_its_list(session, chain, ring, recorded, login):
    phone = login(chain.reporter)
    page = phone.get("/quality/measure/inspections").get_data(as_text=True)
    assert "L2" in page and "Void" in page
    response = _void(phone, recorded.id, "Wrong gauge")
    assert response.status_code == 302
    assert _values(session) == 20
    assert session.get(CharacteristicStatistics, ring.id).n == 20  # recomputed (eager worker)
    page = phone.get(response.headers["Location"]).get_data(as_text=True)
    assert "The inspection is void" in page and "Wrong gauge" in page
    again = _void(phone, recorded.id, "Once more", follow_redirects=True)
    assert "This inspection is void already." in again.get_data(as_text=True)


def test_a_void_without_a_reason_is_named_in_chinese_and_changes_nothing(
    session, chain, ring, recorded, login
):
    phone = login(chain.reporter)
    phone.get("/lang/zh_Hans_CN")
    page = phone.get("/quality/measure/inspections").get_data(as_text=True)
    assert "我的检验记录" in page
    response = _void(phone, recorded.id, " ")
    assert response.status_code == 422
    assert "请说明此检验作废的原因。" in response.get_data(as_text=True)
    assert _values(session) == 25
    assert session.get(Inspection, recorded.id).voided_at is None


def test_another_organisation_cannot_void_it(session, chain, ring, recorded, login):
    buyer = login(chain.sub_admin)
    assert _void(buyer, recorded.id, "Not ours").status_code == 404
    assert _values(session) == 25


def test_voiding_through_the_api(client, session, chain, ring, recorded):
    reporter = bearer(session, session.get(User, chain.reporter.user_id).email)
    url = f"/api/v1/quality/inspections/{recorded.id}/void"
    refused = client.post(url, headers=reporter, json={"reason": 5})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["reason"]
    assert _values(session) == 25
    done = client.post(url, headers=reporter, json={"reason": "Typed twice"})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["void_reason"] == "Typed twice" and body["voided_at"]
    assert body["characteristic_ids"] == [ring.id] and body["job_id"]
    assert _values(session) == 20
    job = client.get(
        f"/api/v1/jobs/{body['job_id']}", headers={**reporter, "Accept-Language": "zh-CN"}
    ).get_json()
    assert (job["status"], job["status_label"]) == ("succeeded", "已完成")
    listed = client.get(f"/api/v1/quality/inspections/{recorded.id}", headers=reporter)
    assert listed.get_json()["void_reason"] == "Typed twice"
    assert client.post(url, headers=reporter, json={"reason": "Again"}).status_code == 409
