"""The scorecard API: lists with pagination, a supplier's card and records, disputes, settings."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import jobs
from models.base import utcnow
from models.jobs import JobRun
from models.scorecards.entities import ScorecardDispute, ScorecardSettings
from models.scorecards.recompute import recompute
from models.scorecards.warnings import refresh_warnings
from tests.helpers import bearer
from tests.integration.scorecards.builders import line, network, report
from worker.tasks.scorecards import RECOMPUTE_JOB


@pytest.fixture
def net(session):
    made = network(session)
    now = utcnow()
    for supplier in (made.t1, made.t1b):
        placed = line(session, made.anchor, supplier, due=now.date() + timedelta(days=3))
        report(session, placed, 10, now - timedelta(days=6))
    placed = line(session, made.t1, made.t2, due=now.date() + timedelta(days=3))
    report(session, placed, 10, now - timedelta(hours=2))
    recompute(session, now=now)
    refresh_warnings(session, now)
    session.commit()
    return made


def headers(session, net, who: str = "admin", where: str = "anchor") -> dict[str, str]:
    return bearer(session, f"{who}{net.anchor.name_en.split()[-1]}@{where}.test")


def test_the_list_is_paged_and_withholds_what_is_not_shared(client, session, net):
    auth = headers(session, net)
    response = client.get("/api/v1/scorecards?page_size=2", headers=auth)
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    rows = client.get("/api/v1/scorecards?page_size=10", headers=auth).get_json()
    t2 = next(r for r in rows if r["org_id"] == net.t2.id)
    assert t2["tier"] == 2 and "primary_share" in t2["withheld"]
    assert t2["values"]["coverage"] == 100
    overview = client.get("/api/v1/scorecards/overview", headers=auth).get_json()
    assert overview["suppliers"] == 3 and overview["lines_at_risk"] == 2


def test_a_card_its_records_and_lines_at_risk(client, session, net):
    auth = headers(session, net)
    card = client.get(f"/api/v1/scorecards/{net.t1.id}?count=3", headers=auth).get_json()
    assert len(card["periods"]) == 3
    current = {k["code"]: k for k in card["periods"][-1]["kpis"]}
    assert current["coverage"]["value"] == 0 and current["coverage"]["den"] == 1
    records = client.get(f"/api/v1/scorecards/{net.t1.id}/kpis/coverage", headers=auth)
    assert records.get_json()["rows"][0]["covered"] == 0
    assert client.get(f"/api/v1/scorecards/{net.hidden.id}", headers=auth).status_code == 404
    lines = client.get("/api/v1/scorecards/at-risk", headers=auth).get_json()
    assert {line["supplier_id"] for line in lines} == {net.t1.id, net.t1b.id}
    assert all(line["reasons"] for line in lines)
    warnings = client.get("/api/v1/scorecards/warnings", headers=auth).get_json()
    assert all(w["buyer_org_id"] == net.anchor.id and w["reason"] for w in warnings)


def test_bad_query_arguments_are_a_validation_error(client, session, net):
    response = client.get("/api/v1/scorecards?period=year&tier=0", headers=headers(session, net))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"period", "tier"}


def test_settings_are_read_and_changed_through_one_door(client, session, net):
    auth = headers(session, net)
    assert (
        client.get("/api/v1/scorecards/settings", headers=auth).get_json()["coverage_hours"] == 48
    )
    bad = client.put("/api/v1/scorecards/settings", headers=auth, json={"coverage_hours": -1})
    assert bad.status_code == 422
    assert {"coverage_hours", "weights", "stall_days"} <= set(bad.get_json()["errors"])
    assert session.scalar(select(func.count()).select_from(ScorecardSettings)) == 0
    good = client.put(
        "/api/v1/scorecards/settings",
        headers=auth,
        json={
            "coverage_hours": 24,
            "otd_early_days": 1,
            "otd_late_days": 1,
            "stall_days": 2,
            "stall_due_within_days": 7,
            "projection_days": 7,
            "weights": {"coverage": 1},
        },
    )
    assert good.status_code == 200 and good.get_json()["weights"]["otd"] == 0


def test_a_dispute_through_the_api(client, session, net):
    supplier = bearer(session, f"admin{net.anchor.name_en.split()[-1]}@t1.test")
    body = {
        "kpi": "coverage",
        "period_kind": "week",
        "period_start": utcnow().date().isoformat(),
        "buyer_org_id": net.anchor.id,
        "comment": "Reported on paper.",
    }
    created = client.post("/api/v1/scorecards/disputes", headers=supplier, json=body)
    assert created.status_code == 201 and created.get_json()["value_shown"] == 0
    own = client.post(
        f"/api/v1/scorecards/disputes/{created.get_json()['id']}/answer",
        headers=supplier | {"Accept-Language": "zh"},
        json={"answer": "Answering myself.", "outcome": "corrected"},
    )
    assert own.status_code == 403 and own.get_json()["message"] == "只有收到此意见的客户可以答复。"
    auth = headers(session, net, "buyer")
    answered = client.post(
        f"/api/v1/scorecards/disputes/{created.get_json()['id']}/answer",
        headers=auth,
        json={"answer": "Understood.", "outcome": "explained"},
    )
    assert answered.get_json()["status"] == "answered"
    listed = client.get("/api/v1/scorecards/disputes", headers=auth).get_json()
    assert [d["status"] for d in listed] == ["answered"]
    bad = client.post("/api/v1/scorecards/disputes", headers=supplier, json={**body, "kpi": "?"})
    assert bad.status_code == 422 and "kpi" in bad.get_json()["errors"]
    assert session.scalar(select(func.count()).select_from(ScorecardDispute)) == 1


def test_a_recompute_job_reports_its_progress(client, session, net):
    auth = headers(session, net)
    started = client.post("/api/v1/scorecards/recompute", headers=auth)
    assert started.status_code == 202
    path = f"/api/v1/jobs/{started.get_json()['id']}"
    job = client.get(path, headers=auth).get_json()
    assert job["status"] == "succeeded" and job["progress"] == 100
    assert job["result"]["periods"] == 2  # the current week and month
    rows = job["result"]["rows"]
    assert job["message_label"] == f"Finished: 2 periods; scorecard rows written: {rows}."
    zh = client.get(path, headers={**auth, "Accept-Language": "zh"}).get_json()
    assert zh["message_label"] == f"已完成：2 个周期；写入的评分行：{rows}。"
    assert zh["status_label"] != "succeeded"
    viewer = headers(session, net, "viewer")
    assert client.post("/api/v1/scorecards/recompute", headers=viewer).status_code == 403


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_a_period_far_outside_any_history_is_refused_on_start(client, session, net, start):
    auth = headers(session, net)
    for path in (f"/api/v1/scorecards/{net.t1.id}/kpis/coverage", "/api/v1/scorecards"):
        response = client.get(f"{path}?start={start}", headers=auth)
        assert response.status_code == 422, path
        assert response.get_json()["errors"] == {
            "start": ["Give a date from 2000-01-01 to 2099-12-31."]
        }


def test_a_period_that_has_not_begun_is_refused_on_start(client, session, net):
    """A later month has no scores; its records were the lines covered today, shown as if
    they belonged to it."""
    auth = headers(session, net)
    later = (utcnow() + timedelta(days=40)).date().isoformat()
    for path in (
        f"/api/v1/scorecards/{net.t1.id}/kpis/coverage",
        "/api/v1/scorecards/overview",
        "/api/v1/scorecards",
        f"/dashboard/suppliers/{net.t1.id}/kpis/coverage",
        "/dashboard",
    ):
        response = client.get(f"{path}?period=month&start={later}", headers=auth)
        assert response.status_code == 422, path
        if path.startswith("/api"):
            assert response.get_json()["errors"] == {"start": ["This period has not begun yet."]}
    this_month = client.get(f"/api/v1/scorecards/overview?period=month&start={utcnow().date()}",
                            headers=auth)  # fmt: skip
    assert this_month.status_code == 200


def test_a_dispute_on_a_period_that_has_not_begun_is_refused(client, session, net):
    supplier = bearer(session, f"admin{net.anchor.name_en.split()[-1]}@t1.test")
    body = {
        "kpi": "coverage",
        "period_kind": "week",
        "buyer_org_id": net.anchor.id,
        "comment": "Reported on paper.",
    }
    for start in ((utcnow() + timedelta(days=15)).date().isoformat(), "9999-12-31"):
        refused = client.post(
            "/api/v1/scorecards/disputes", headers=supplier, json={**body, "period_start": start}
        )
        assert refused.status_code == 422 and "period_start" in refused.get_json()["errors"]
    assert session.scalar(select(func.count()).select_from(ScorecardDispute)) == 0


def test_a_supplier_filter_outside_my_chain_is_refused_on_its_argument(client, session, net):
    auth = headers(session, net)
    for supplier in (net.hidden.id, 10**9):
        for path in ("", "/overview", "/at-risk"):
            response = client.get(f"/api/v1/scorecards{path}?supplier={supplier}", headers=auth)
            assert response.status_code == 422, (path, supplier)
            assert response.get_json()["errors"] == {
                "supplier": ["Choose a supplier in your supply chain."]
            }
    mine = client.get(f"/api/v1/scorecards?supplier={net.t1.id}", headers=auth)
    assert mine.status_code == 200 and {r["org_id"] for r in mine.get_json()} >= {net.t1.id}


def test_a_name_search_takes_percent_and_underscore_literally(client, session, net):
    auth = headers(session, net)
    for wildcard in ("%25", "_"):
        response = client.get(f"/api/v1/scorecards?q={wildcard}", headers=auth)
        assert response.status_code == 200 and response.get_json() == [], wildcard
    found = client.get("/api/v1/scorecards?q=tier1B", headers=auth).get_json()
    assert [row["org_id"] for row in found] == [net.t1b.id]


def test_asking_again_while_a_recompute_is_queued_follows_it(client, session, net):
    queued = jobs.create_job(session, net.anchor_admin, RECOMPUTE_JOB)
    session.commit()
    auth = headers(session, net)

    again = client.post("/api/v1/scorecards/recompute", headers=auth)

    assert (again.status_code, again.get_json()["id"]) == (202, queued.id)
    assert session.scalar(select(func.count(JobRun.id))) == 1
    jobs.fail_job(session, queued.id, "worker lost")
    session.commit()
    fresh = client.post("/api/v1/scorecards/recompute", headers=auth).get_json()
    assert fresh["id"] != queued.id
    assert (
        client.get(f"/api/v1/jobs/{fresh['id']}", headers=auth).get_json()["status"] == "succeeded"
    )


def test_a_recompute_stuck_for_long_no_longer_stands_in_the_way(client, session, net):
    stuck = jobs.create_job(session, net.anchor_admin, RECOMPUTE_JOB)
    stuck.created_at = utcnow() - jobs.JOINABLE_FOR - timedelta(minutes=1)
    session.commit()

    auth = headers(session, net)
    fresh = client.post("/api/v1/scorecards/recompute", headers=auth).get_json()

    assert fresh["id"] != stuck.id
    assert (
        client.get(f"/api/v1/jobs/{fresh['id']}", headers=auth).get_json()["status"] == "succeeded"
    )
