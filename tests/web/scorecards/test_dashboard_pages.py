"""The dashboard pages: what the anchor and a supplier see, in both languages, and the forms."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import jobs
from models.base import utcnow
from models.clock import local_today
from models.orgs.sharing import link_supplier
from models.scorecards.entities import ScorecardDirty, ScorecardDispute, ScorecardSettings
from models.scorecards.recompute import recompute
from models.scorecards.warnings import refresh_warnings
from tests.helpers import bearer, post_form, sign_in
from tests.integration.scorecards.builders import ALL, PASSWORD, incident, line, network, report
from worker.tasks.scorecards import RECOMPUTE_JOB, sweep_scorecard_facts


@pytest.fixture
def net(session):
    made = network(session)
    now = utcnow()
    today = now.date()
    for supplier in (made.t1, made.t1b):
        placed = line(
            session,
            made.anchor,
            supplier,
            due=today + timedelta(days=3),
            ordered=today - timedelta(days=10),
        )
        report(session, placed, 10, now - timedelta(days=6))
    for supplier in (made.t2, made.hidden):
        placed = line(session, made.t1, supplier, due=today + timedelta(days=3))
        report(session, placed, 10, now - timedelta(hours=2))
    recompute(session, now=now)
    session.commit()
    return made


def login(client, actor, net, who: str) -> None:
    tag = net.anchor.name_en.split()[-1]
    sign_in(client, f"{who}{tag}@{actor}.test", PASSWORD)


def test_the_anchor_sees_tier_ones_and_the_consented_tier_two_with_withheld_kpis(client, net):
    login(client, "anchor", net, "admin")
    page = client.get("/dashboard").get_data(as_text=True)
    for shown in (net.t1, net.t1b, net.t2):
        assert shown.name_en in page
    assert net.hidden.name_en not in page
    assert "withheld" in page and "Lines at risk" in page and "Transparency index" in page
    tree = client.get("/dashboard/tree.json").get_json()
    lights = {child["name"]: child["light"] for child in tree["children"]}
    assert lights[net.t1.name_en] == "red"  # stalled: at risk
    assert client.get("/dashboard/at-risk").status_code == 200


def test_the_dashboard_speaks_chinese(client, net):
    login(client, "anchor", net, "admin")
    client.get("/lang/zh_Hans_CN")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "供应商看板" in page and "透明度指数" in page


def test_filters_and_bad_filters(client, net):
    login(client, "anchor", net, "admin")
    page = client.get("/dashboard?tier=2&period=month&category=quality").get_data(as_text=True)
    assert net.t2.name_en in page and net.t1.name_en not in page.split("<h2>")[-1]
    bad = client.get("/dashboard?period=year&tier=x")
    assert bad.status_code == 422
    assert "Choose week or month." in bad.get_data(as_text=True)
    # "²" is a digit to Python's isdigit, but no number; int() reads at most 4,300 digits.
    for bad in ("-1", "²", "1" * 5000):
        refused = client.get(f"/dashboard?tier={bad}")
        assert refused.status_code == 422
        assert "Enter a whole number, 1 or more." in refused.get_data(as_text=True)
    today = f'max="{local_today().isoformat()}"'
    assert today in client.get("/dashboard").get_data(as_text=True), "no later period to pick"
    mine = client.get(f"/dashboard/suppliers/{net.t1.id}?period=year")
    assert mine.status_code == 422 and "Choose week or month." in mine.get_data(as_text=True)


def test_a_phone_report_moves_the_dashboard_within_one_refresh(app, client, session, net):
    placed = line(session, net.anchor, net.t1, due=utcnow().date() + timedelta(days=3))
    session.commit()
    login(client, "anchor", net, "admin")
    stamp = client.get("/dashboard/stamp.json").get_json()["stamp"]
    before = client.get("/dashboard/live").get_data(as_text=True)
    tag = net.anchor.name_en.split()[-1]
    token = bearer(session, f"floor{tag}@t1.test")
    body = {"stage": "production", "quantity_done": "5", "idempotency_key": "phone-report-1"}
    phone = app.test_client()
    posted = phone.post(f"/api/v1/order-lines/{placed.id}/progress", json=body, headers=token)
    assert posted.status_code == 201
    assert client.get("/dashboard/stamp.json").get_json()["stamp"] != stamp
    assert client.get("/dashboard/live").get_data(as_text=True) != before
    again = phone.post(f"/api/v1/order-lines/{placed.id}/progress", json=body, headers=token)
    assert again.status_code == 200
    assert session.scalar(select(func.count()).select_from(ScorecardDirty)) == 0


def test_a_report_that_did_not_ask_is_picked_up_by_the_sweep(client, session, net):
    from models.scorecards.updates import advance_watermarks

    advance_watermarks(session)
    placed = line(session, net.anchor, net.t1b, due=utcnow().date() + timedelta(days=3))
    report(session, placed, 5, utcnow() - timedelta(minutes=1))
    session.commit()
    login(client, "anchor", net, "admin")
    stamp = client.get("/dashboard/stamp.json").get_json()["stamp"]
    assert sweep_scorecard_facts.delay().get() == 1
    assert client.get("/dashboard/stamp.json").get_json()["stamp"] != stamp


def test_recompute_now_runs_the_job_and_a_finished_job_is_no_longer_shown(client, net):
    login(client, "anchor", net, "admin")
    started = post_form(client, "/dashboard/recompute", {}, "/dashboard")
    assert started.status_code == 302 and "job=" in started.headers["Location"]
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "data-job-url" not in page  # done at once here: the eager worker ran it
    assert "The recompute failed" not in page


def test_a_failed_recompute_says_so_after_the_page_reloads(client, session, net):
    job = jobs.create_job(session, net.anchor_admin, RECOMPUTE_JOB)
    jobs.fail_job(session, job.id, "worker lost")
    session.commit()
    login(client, "anchor", net, "admin")
    page = client.get(f"/dashboard?job={job.id}").get_data(as_text=True)
    assert "data-job-url" not in page
    assert "The recompute failed; the figures are those of the last one that finished." in page


def test_a_supplier_page_its_records_and_the_export(client, net):
    login(client, "anchor", net, "admin")
    page = client.get(f"/dashboard/suppliers/{net.t2.id}").get_data(as_text=True)
    assert net.t2.name_en in page and "withheld" in page
    assert client.get(f"/dashboard/suppliers/{net.hidden.id}").status_code == 404
    drill = client.get(f"/dashboard/suppliers/{net.t1.id}/kpis/coverage")
    assert drill.status_code == 200 and "PO-" in drill.get_data(as_text=True)
    assert client.get(f"/dashboard/suppliers/{net.t2.id}/kpis/primary_share").status_code == 404
    export = client.get("/dashboard/export.xlsx")
    book = load_workbook(BytesIO(export.data))
    assert book.sheetnames == ["Scorecards", "At risk", "Trends"]
    names = {row[0] for row in book["Scorecards"].iter_rows(min_row=2, values_only=True)}
    assert names == {net.t1.name_en, net.t1b.name_en, net.t2.name_en}


def test_the_supplier_sees_what_it_owes_and_comments_on_a_score(client, session, net):
    login(client, "t1", net, "admin")
    page = client.get("/dashboard/mine").get_data(as_text=True)
    assert "What you still owe" in page and "Lines without a recent progress report" in page
    bad = post_form(
        client,
        "/dashboard/disputes",
        {
            "kpi": "coverage",
            "period_kind": "week",
            "period_start": "2026-01-05",
            "buyer_org_id": str(net.anchor.id),
            "comment": "  We  ",
        },
        "/dashboard/mine",
    )
    assert bad.status_code == 422 and "Your comment:" in bad.get_data(as_text=True)
    assert ">  We  </textarea>" in bad.get_data(as_text=True)  # sent back, to be corrected
    assert session.scalar(select(func.count()).select_from(ScorecardDispute)) == 0
    sent = post_form(
        client,
        "/dashboard/disputes",
        {
            "kpi": "coverage",
            "period_kind": "week",
            "period_start": "2026-01-05",
            "buyer_org_id": str(net.anchor.id),
            "comment": "We reported by phone.",
        },
        "/dashboard/mine",
    )
    assert sent.status_code == 302
    dispute = session.scalar(select(ScorecardDispute))
    client.post("/auth/logout", data={"csrf_token": ""})
    buyer = client.application.test_client()
    login(buyer, "anchor", net, "buyer")
    answer = post_form(
        buyer,
        f"/dashboard/disputes/{dispute.id}/answer",
        {"answer": "Thanks, our mistake.", "outcome": "corrected"},
        f"/dashboard/disputes/{dispute.id}",
    )
    assert answer.status_code == 302
    session.refresh(dispute)
    assert dispute.status == "answered"


def test_the_weights_page_refuses_bad_numbers_and_saves_good_ones(client, session, net):
    login(client, "anchor", net, "admin")
    form = {
        "coverage_hours": "0",
        "otd_early_days": "3",
        "otd_late_days": "0",
        "stall_days": "3",
        "stall_due_within_days": "14",
        "projection_days": "14",
        "weight_coverage": "-5",
    }
    bad = post_form(client, "/dashboard/settings", form, "/dashboard/settings")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Must be greater than or equal to 1" in text and 'id="e-weight_coverage"' in text
    assert session.scalar(select(func.count()).select_from(ScorecardSettings)) == 0
    good = post_form(
        client,
        "/dashboard/settings",
        {**form, "coverage_hours": "24", "weight_coverage": "40"},
        "/dashboard/settings",
    )
    assert good.status_code == 302 and "job=" in good.headers["Location"]
    assert session.get(ScorecardSettings, net.anchor.id).coverage_hours == 24


def test_a_viewer_may_look_but_not_change_weights(client, net):
    login(client, "anchor", net, "viewer")
    assert client.get("/dashboard").status_code == 200
    assert client.get("/dashboard/settings").status_code == 403


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_records_of_a_period_far_outside_any_history_are_refused(client, net, start):
    login(client, "anchor", net, "admin")
    for path in (f"/dashboard/suppliers/{net.t1.id}/kpis/otd", "/dashboard"):
        response = client.get(f"{path}?start={start}")
        assert response.status_code == 422, path
        assert "Give a date from 2000-01-01 to 2099-12-31." in response.get_data(as_text=True)


def test_a_supplier_filter_outside_my_chain_is_refused(client, net):
    login(client, "anchor", net, "admin")
    for path in ("/dashboard", "/dashboard/tree.json", "/dashboard/export.xlsx"):
        response = client.get(f"{path}?supplier={net.hidden.id}")
        assert response.status_code == 422, path
        assert "Choose a supplier in your supply chain." in response.get_data(as_text=True)


def test_a_sub_tier_incident_is_flagged_once_on_a_supplier_with_two_customers(client, session, net):
    link_supplier(session, net.t1_admin, net.other.id, net.t1.id, ALL)
    incident(session, net.t1, net.t2)
    refresh_warnings(session, utcnow())
    session.commit()
    login(client, "anchor", net, "admin")
    page = client.get(f"/dashboard/suppliers/{net.t1.id}").get_data(as_text=True)
    assert page.count("Open critical quality incidents at its sub-tier suppliers: 1.") == 1


def test_a_dispute_list_filter_that_is_not_a_state_is_refused(client, net):
    """``?status=zzz`` said "No comments yet." over a list that had comments."""
    login(client, "anchor", net, "admin")
    response = client.get("/dashboard/disputes?status=zzz")
    assert response.status_code == 422
    assert "Choose open or answered." in response.get_data(as_text=True)
    for status in ("", "open", "answered"):
        assert client.get(f"/dashboard/disputes?status={status}").status_code == 200


def test_a_nul_character_in_a_filter_or_a_field_is_refused_naming_it(client, session, net):
    """PostgreSQL cannot hold a NUL character: ``?q=a%00b`` ended in a server error there."""
    login(client, "anchor", net, "admin")
    page = client.get("/dashboard?q=a%00b")
    assert page.status_code == 422 and "q" in page.get_data(as_text=True)
    auth = bearer(session, f"admin{net.anchor.name_en.split()[-1]}@anchor.test")
    found = client.get("/api/v1/scorecards?q=a%00b", headers=auth)
    assert found.status_code == 422 and set(found.get_json()["errors"]) == {"q"}
    sent = client.post(
        "/api/v1/scorecards/disputes",
        headers=auth,
        json={"kpi": "coverage", "period_kind": "week", "comment": ["ok", "a\x00b"]},
    )
    assert sent.status_code == 422 and set(sent.get_json()["errors"]) == {"comment.1"}
    assert session.scalar(select(func.count()).select_from(ScorecardDispute)) == 0
