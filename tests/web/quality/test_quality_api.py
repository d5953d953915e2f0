"""The quality API: characteristics, inspections, statistics, alerts, PPM, 8D; access by 404."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from models.accounts.entities import User
from tests.helpers import bearer
from tests.integration.quality import builders
from tests.integration.quality.builders import PISTON_RINGS


@pytest.fixture
def token(session):
    def for_(actor):
        return bearer(session, session.get(User, actor.user_id).email)

    return for_


def _shifted() -> list[float]:
    values = list(PISTON_RINGS)
    values[-5:] = [74.030, 74.031, 74.029, 74.032, 74.030]
    return values


def test_api_round_trip(client, session, chain, token):
    engineer, reporter = token(chain.engineer), token(chain.reporter)
    created = client.post("/api/v1/quality/characteristics", headers=engineer, json={
        "part_id": chain.parts["ring"].id, "code": "D1", "name": "Inside diameter",
        "unit": "mm", "lsl": 73.95, "usl": 74.05, "target": 74.0,
        "classification": "critical", "subgroup_size": 5})  # fmt: skip
    assert created.status_code == 201, created.get_json()
    cid = created.get_json()["id"]

    recorded = client.post("/api/v1/quality/inspections", headers=reporter, json={
        "part_number": "RING-1", "lot_number": "L1",
        "characteristics": [{"code": "D1", "unit": "mm", "measurements": _shifted()}]})  # fmt: skip
    assert recorded.status_code == 201, recorded.get_json()
    body = recorded.get_json()
    assert body["characteristic_ids"] == [cid] and body["job_id"]
    job = client.get(f"/api/v1/jobs/{body['job_id']}", headers=reporter).get_json()
    assert job["status"] == "succeeded"

    stats = client.get(f"/api/v1/quality/characteristics/{cid}/statistics", headers=engineer)
    assert stats.get_json()["chart"] == "xbar_r"
    assert stats.get_json()["signal_counts"]["1"] == 1
    chart = client.get(f"/api/v1/quality/characteristics/{cid}/chart", headers=engineer)
    assert len(chart.get_json()["points"]) == 25
    assert any(s["points"] == [24] for s in chart.get_json()["signals"])

    alerts = client.get("/api/v1/quality/alerts?status=open", headers=engineer)
    assert alerts.headers["X-Pagination"]
    alert = next(a for a in alerts.get_json() if a["rule"] == 1)
    assert alert["points"] == [24]

    case = client.post("/api/v1/quality/8d", headers=engineer,
                       json={"title": "Out of control", "alert_id": alert["id"]})  # fmt: skip
    assert case.status_code == 201, case.get_json()
    case_id = case.get_json()["id"]
    supplier = token(chain.supplier_admin)
    incomplete = client.put(f"/api/v1/quality/8d/{case_id}/steps/D3", headers=supplier,
                            json={"text": "Sorted stock", "submit": True})  # fmt: skip
    assert incomplete.status_code == 422
    assert set(incomplete.get_json()["errors"]) == {"owner_user_id", "contained_quantity"}
    done = client.put(f"/api/v1/quality/8d/{case_id}/steps/D3", headers=supplier, json={
        "text": "Sorted stock", "owner_user_id": chain.reporter.user_id,
        "contained_quantity": 400, "submit": True})  # fmt: skip
    assert done.get_json()["status"] == "submitted" and done.get_json()["on_time"] is True
    accepted = client.post(f"/api/v1/quality/8d/{case_id}/steps/D3/review", headers=engineer,
                           json={"decision": "accept"})  # fmt: skip
    assert accepted.get_json()["status"] == "accepted"
    written_small = client.put(f"/api/v1/quality/8d/{case_id}/steps/d4", headers=supplier,
                               json={"text": "Worn die"})  # fmt: skip
    assert written_small.status_code == 200 and written_small.get_json()["step"] == "D4"
    attached = client.post(f"/api/v1/quality/8d/{case_id}/steps/D4/attachments",
                           headers=supplier, data={"file": (io.BytesIO(b"x"),
                                                            "fishbone.txt")})  # fmt: skip
    assert attached.status_code == 201
    detail = client.get(f"/api/v1/quality/8d/{case_id}", headers=supplier).get_json()
    assert [s["step"] for s in detail["steps"]][:4] == ["D0", "D1", "D2", "D3"]


def test_bad_input_over_the_api_writes_nothing(client, session, chain, ring, token):
    reporter = token(chain.reporter)
    response = client.post("/api/v1/quality/inspections", headers=reporter, json={
        "part_number": "RING-1", "lot_number": "L1",
        "characteristics": [{"code": "D1", "measurements": PISTON_RINGS[:5]}]})  # fmt: skip
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "characteristics.0.unit": ["Give the unit of the measurements (mm)."]
    }
    listed = client.get("/api/v1/quality/inspections", headers=reporter)
    assert listed.get_json() == []
    bad_spec = client.patch(f"/api/v1/quality/characteristics/{ring.id}",
                            headers=token(chain.engineer), json={"lsl": 80})  # fmt: skip
    assert bad_spec.status_code == 422


def test_absurd_values_fractions_and_future_dates_are_refused_in_chinese(
    client, session, chain, token
):
    engineer, reporter = token(chain.engineer), token(chain.reporter)
    zh = {**reporter, "Accept-Language": "zh-CN"}
    created = client.post("/api/v1/quality/characteristics", headers=engineer, json={
        "part_id": chain.parts["ring"].id, "code": "U", "name": "Voltage", "unit": "V",
        "usl": 12.0})  # fmt: skip
    cid = created.get_json()["id"]
    entry = {"code": "U", "unit": "V", "measurements": [1e300]}
    tomorrow_but_one = (date.today() + timedelta(days=3)).isoformat()
    cases = [
        ({"characteristics": [entry]}, "characteristics.0.measurements.0",
         "1e+300 V 超出任何物理测量的范围：数值必须在 -1,000,000,000,000 与 "
         "1,000,000,000,000 V 之间。"),
        ({"characteristics": [{**entry, "measurements": [5.0], "date": tomorrow_but_one}]},
         "characteristics.0.date", "测量日期在将来。"),
        ({"inspected_quantity": 5.5}, "inspected_quantity", "不是有效的整数。"),
    ]  # fmt: skip
    for extra, field, message in cases:
        body = {"part_number": "RING-1", "lot_number": "L1", **extra}
        response = client.post("/api/v1/quality/inspections", headers=zh, json=body)
        assert response.status_code == 422, response.get_json()
        assert response.get_json()["errors"] == {field: [message]}
    assert client.get("/api/v1/quality/inspections", headers=reporter).get_json() == []
    assert client.get(f"/api/v1/quality/characteristics/{cid}/statistics",
                      headers=engineer).status_code == 404  # fmt: skip

    case = client.post("/api/v1/quality/8d", headers=engineer, json={
        "title": "Burrs", "supplier_org_id": chain.supplier.id}).get_json()  # fmt: skip
    supplier = {**token(chain.supplier_admin), "Accept-Language": "zh-CN"}
    step = f"/api/v1/quality/8d/{case['id']}/steps/D3"
    cut = client.put(step, headers=supplier, json={"text": "Sorted", "contained_quantity": 5.5})
    assert cut.status_code == 422
    assert cut.get_json()["errors"] == {"contained_quantity": ["不是有效的整数。"]}
    d3 = client.get(f"/api/v1/quality/8d/{case['id']}", headers=engineer).get_json()["steps"][3]
    assert d3["text"] is None


def test_an_inspection_of_a_lot_not_yet_known_is_saved_and_named(
    client, session, chain, ring, token
):
    builders.lot(session, chain.supplier, chain.parts["ring"], "L-SHIPPED")
    session.commit()
    zh = {**token(chain.reporter), "Accept-Language": "zh-CN"}
    body = {
        "part_number": "RING-1",
        "characteristics": [{"code": "D1", "unit": "mm", "measurements": PISTON_RINGS[:5]}],
    }

    new = client.post(
        "/api/v1/quality/inspections", headers=zh, json={**body, "lot_number": "L-NEW"}
    ).get_json()
    known = client.post(
        "/api/v1/quality/inspections", headers=zh, json={**body, "lot_number": "L-SHIPPED"}
    ).get_json()

    assert new["id"] and new["lot_id"] is None and new["unknown_lot_numbers"] == ["L-NEW"]
    assert new["notices"][0].startswith("以下批次号尚未登记：L-NEW（")
    assert known["lot_id"] and (known["unknown_lot_numbers"], known["notices"]) == ([], [])


def test_ppm_yield_and_critical_capability(client, session, chain, ring, token):
    builders.receipt(session, chain.anchor, chain.supplier, chain.parts["ring"], 1000, 3,
                     date(2026, 10, 5))  # fmt: skip
    session.commit()
    engineer = token(chain.engineer)
    ppm = client.get("/api/v1/quality/ppm", headers=engineer).get_json()
    assert ppm == [{"supplier_org_id": chain.supplier.id, "part_id": chain.parts["ring"].id,
                    "period": "2026-10", "received": 1000.0, "rejected": 3.0, "lots": 1,
                    "rejected_lots": 1, "ppm": 3000.0}]  # fmt: skip
    assert client.get("/api/v1/quality/first-pass-yield", headers=engineer).get_json() == []
    critical = client.get("/api/v1/quality/capability/critical", headers=engineer).get_json()
    assert critical[0]["characteristics"] == 1 and critical[0]["unknown"] == 1


def test_invisible_is_not_found(client, session, chain, ring, token):
    outsider = token(chain.outsider)
    for path in (f"/api/v1/quality/characteristics/{ring.id}",
                 f"/api/v1/quality/characteristics/{ring.id}/chart",
                 f"/api/v1/quality/characteristics/{ring.id}/statistics"):  # fmt: skip
        assert client.get(path, headers=outsider).status_code == 404
    assert client.get("/api/v1/quality/characteristics", headers=outsider).get_json() == []
    recompute = client.post("/api/v1/quality/recompute", headers=outsider,
                            json={"characteristic_ids": [ring.id]})  # fmt: skip
    assert recompute.status_code == 404


def test_settings(client, session, chain, token):
    engineer = token(chain.engineer)
    saved = client.put("/api/v1/quality/settings", headers=engineer,
                       json={"capable": 1.5, "watch": 1.6, "rules": "nelson"})  # fmt: skip
    assert saved.status_code == 422 and "watch" in saved.get_json()["errors"]
    settings = {"capable": 2.0, "watch": 1.5, "rules": "western_electric", "due_hours": {"D3": 12}}
    saved = client.put("/api/v1/quality/settings", headers=engineer, json=settings)
    assert saved.get_json()["due_hours"]["D3"] == 12
    assert saved.get_json()["due_hours"]["D4"] == 240


def test_openapi_lists_the_quality_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/quality/characteristics", "/api/v1/quality/inspections",
                 "/api/v1/quality/alerts", "/api/v1/quality/ppm", "/api/v1/quality/8d",
                 "/api/v1/quality/8d/{case_id}/steps/{step}/review"):  # fmt: skip
        assert path in paths, path


def test_an_inspection_retried_with_its_key_is_recorded_once(client, session, chain, ring, token):
    reporter = {**token(chain.reporter), "Accept-Language": "zh-CN"}
    body = {
        "part_number": "RING-1", "lot_number": "L1", "idempotency_key": "api-inspection-0001",
        "characteristics": [{"code": "D1", "unit": "mm", "measurements": PISTON_RINGS[:5]}],
    }  # fmt: skip
    first = client.post("/api/v1/quality/inspections", headers=reporter, json=body)
    again = client.post("/api/v1/quality/inspections", headers=reporter, json=body)
    assert (first.status_code, again.status_code) == (201, 200), first.get_json()
    assert again.get_json()["id"] == first.get_json()["id"]
    assert first.get_json()["idempotency_key"] == "api-inspection-0001"
    other = {**body, "lot_number": "L2"}
    conflict = client.post("/api/v1/quality/inspections", headers=reporter, json=other)
    assert conflict.status_code == 409
    assert "较早的检验已记录" in conflict.get_json()["message"]
    listed = client.get("/api/v1/quality/inspections", headers=reporter).get_json()
    assert [i["id"] for i in listed] == [first.get_json()["id"]]


def test_a_lot_shipped_after_its_inspection_shows_it(client, session, chain, ring, token):
    line = builders.order_line(session, chain.anchor, chain.supplier, chain.parts["ring"], 10,
                               date(2026, 11, 20))  # fmt: skip
    session.commit()
    entry = {"code": "D1", "unit": "mm", "measurements": PISTON_RINGS[:5]}
    recorded = client.post("/api/v1/quality/inspections", headers=token(chain.reporter), json={
        "part_number": "RING-1", "lot_number": "L-PHONE", "characteristics": [entry]})  # fmt: skip
    assert recorded.get_json()["lot_id"] is None
    shipped = client.post("/api/v1/ship-notices", headers=token(chain.supplier_admin), json={
        "number": "ASN-PHONE", "ship_date": "2026-11-20", "lines": [{
            "order_line_id": line.id, "quantity": "10",
            "lots": [{"lot_number": "L-PHONE", "quantity": "10"}]}]})  # fmt: skip
    assert shipped.status_code == 201, shipped.get_json()
    lot_id = shipped.get_json()["lines"][0]["lots"][0]["lot_id"]
    inspection_id = recorded.get_json()["id"]
    again = client.get(f"/api/v1/quality/inspections/{inspection_id}",
                       headers=token(chain.engineer))  # fmt: skip
    assert again.get_json()["lot_id"] == lot_id
