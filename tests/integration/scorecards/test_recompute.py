"""Scorecard KPIs computed set-based from the facts, for every supplier at once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from models.clock import local_day
from models.scorecards.periods import period_of
from models.scorecards.recompute import recompute
from models.scorecards.settings import update_scorecard_settings
from models.scorecards.sql import at, day_number, epoch_days
from tests.integration.scorecards.builders import (
    NOW,
    TODAY,
    characteristic,
    confirm,
    deliver,
    eightd,
    hours_ago,
    incident,
    line,
    report,
    stored,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CURRENT = [period_of("week", TODAY), period_of("month", TODAY)]


def run(session, periods=CURRENT):
    return recompute(session, periods, NOW)


def test_coverage_is_the_share_of_open_lines_reported_in_the_last_48_hours(session, net):
    due = TODAY + timedelta(days=20)
    fresh = line(session, net.anchor, net.t1, due=due)
    report(session, fresh, 10, hours_ago(5))
    stale = line(session, net.anchor, net.t1, due=due)
    report(session, stale, 10, hours_ago(50))
    line(session, net.anchor, net.t1, due=due)  # never reported
    line(session, net.anchor, net.t1, due=due, status="closed")  # not open: not counted
    run(session)
    row = stored(session, net.t1.id)
    assert (row["coverage_num"], row["coverage_den"]) == (1, 3)
    assert row["coverage"] == pytest.approx(100 / 3)
    assert row["coverage_score"] == pytest.approx(100 / 3)


def test_a_buyer_widens_the_coverage_window_for_its_own_lines(session, net):
    reported = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=20))
    report(session, reported, 10, hours_ago(50))
    update_scorecard_settings(session, net.anchor_admin, _rules(coverage_hours=72))
    run(session)
    assert stored(session, net.t1.id)["coverage"] == 100


def test_a_period_without_activity_is_no_data_not_zero(session, net):
    line(session, net.anchor, net.t1, due=TODAY + timedelta(days=5))
    run(session, [period_of("week", TODAY), period_of("week", TODAY - timedelta(days=70))])
    assert stored(session, net.t1.id) is not None
    assert stored(session, net.t1.id, day=TODAY - timedelta(days=70)) is None
    row = stored(session, net.t1.id)
    assert row["otd"] is None and row["ppm"] is None  # nothing received this week
    assert row["open_incidents"] == 0  # an active supplier with no incident has a real zero


def test_on_time_delivery_uses_the_promised_date_and_the_buyers_window(session, net):
    early = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=9), confirmed=TODAY)
    deliver(session, early, 100, TODAY - timedelta(days=2))  # 2 days early: inside -3
    late = line(session, net.anchor, net.t1, due=TODAY - timedelta(days=2))
    deliver(session, late, 100, TODAY - timedelta(days=1))  # 1 day late: outside +0
    run(session)
    row = stored(session, net.t1.id)
    assert (row["otd_num"], row["otd_den"]) == (1, 2)
    update_scorecard_settings(session, net.anchor_admin, _rules(otd_late_days=1))
    run(session)
    assert stored(session, net.t1.id)["otd"] == 100


def test_otif_counts_lines_due_in_the_period_delivered_complete_in_the_window(session, net):
    due = TODAY - timedelta(days=1)
    complete = line(session, net.anchor, net.t1, due=due, quantity=100)
    deliver(session, complete, 60, due)
    deliver(session, complete, 40, due)
    short = line(session, net.anchor, net.t1, due=due, quantity=100)
    deliver(session, short, 100, due, rejected=10)  # 90 accepted: not in full
    line(session, net.anchor, net.t1, due=TODAY + timedelta(days=2))  # not due yet: undecided
    run(session)
    row = stored(session, net.t1.id)
    assert (row["otif_num"], row["otif_den"]) == (1, 2)
    assert row["ppm"] == pytest.approx(10 / 200 * 1_000_000)
    assert (row["ppm_num"], row["ppm_den"]) == (10, 200)


def test_hours_to_confirm_is_the_median_and_an_unanswered_line_counts_until_now(session, net):
    ordered = TODAY - timedelta(days=1)
    for hours in (2, 10, 30):
        made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=30), ordered=ordered)
        confirm(session, made, made.created_at + timedelta(hours=hours))
    line(session, net.anchor, net.t1, due=TODAY + timedelta(days=30), ordered=ordered)  # 24 h
    run(session)
    row = stored(session, net.t1.id)
    assert row["confirm_hours"] == pytest.approx((10 + 24) / 2)
    assert row["confirm_hours_den"] == 4


def test_incidents_8d_steps_and_capability_of_critical_characteristics(session, net):
    line(session, net.anchor, net.t1, due=TODAY + timedelta(days=9))
    incident(session, net.anchor, net.t1, severity="major")
    incident(session, net.anchor, net.t1, state="closed")
    eightd(
        session,
        net.anchor,
        net.t1,
        NOW - timedelta(days=2),
        [
            ("D1", NOW - timedelta(days=1), None),
            ("D2", NOW - timedelta(days=1), hours_ago(30)),
            ("D3", NOW + timedelta(days=1), None),
        ],
    )
    characteristic(session, net.anchor, net.t1, "capable")
    characteristic(session, net.anchor, net.t1, "watch")
    characteristic(session, net.anchor, net.t1, "action")
    characteristic(session, net.anchor, net.t1, "action", classification="standard")
    run(session)
    row = stored(session, net.t1.id)
    assert row["open_incidents"] == 1
    assert row["open_incidents_score"] == 75
    assert row["overdue_8d"] == 1
    assert row["eightd_hours"] == pytest.approx(18)  # opened 48 h ago, first answer 30 h ago
    assert (row["cpk_num"], row["cpk_den"]) == (1, 3)
    assert row["cpk_score"] == pytest.approx(50)


def test_a_case_opened_just_after_local_midnight_on_monday_counts_in_that_week(session, net):
    """00:30 on Monday in Suzhou is Sunday afternoon in UTC: the case belongs to Monday's week."""
    line(session, net.anchor, net.t1, due=TODAY + timedelta(days=9))
    monday = period_of("week", TODAY).start
    opened = datetime.combine(monday, time(0, 30), tzinfo=SHANGHAI)
    eightd(session, net.anchor, net.t1, opened, [("D1", NOW, opened + timedelta(hours=2))])
    run(session, [period_of("week", TODAY), period_of("week", TODAY).previous()])
    assert stored(session, net.t1.id)["eightd_hours"] == pytest.approx(2)
    assert stored(session, net.t1.id, day=monday - timedelta(days=1))["eightd_hours"] is None


def test_day_numbers_in_sql_are_the_local_days_python_counts(session):
    """The scorecard queries compare timestamps with typed dates as local day numbers."""
    for moment in (
        datetime(2026, 3, 15, 23, 30, tzinfo=SHANGHAI),
        datetime(2026, 3, 16, 0, 30, tzinfo=SHANGHAI),
        datetime(2026, 3, 16, 12, 0, tzinfo=UTC),
    ):
        in_sql = session.scalar(select(epoch_days(at(moment))))
        assert in_sql == pytest.approx(day_number(moment))
        assert int(in_sql) == day_number(local_day(moment))


def test_recomputing_twice_changes_nothing_and_stale_rows_go(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=9))
    report(session, made, 10, hours_ago(1))
    run(session)
    first = stored(session, net.t1.id)
    run(session)
    second = stored(session, net.t1.id)
    assert _values(first) == _values(second)
    made.status = "cancelled"
    session.flush()
    run(session)
    assert stored(session, net.t1.id) is None  # no activity left: no data


def test_every_supplier_is_computed_in_one_pass(session, net):
    for supplier in (net.t1, net.t1b, net.t2, net.hidden):
        made = line(session, net.anchor, supplier, due=TODAY + timedelta(days=9))
        report(session, made, 5, hours_ago(3))
    result = run(session)
    assert result.rows >= 8
    assert all(stored(session, s.id)["coverage"] == 100 for s in (net.t1, net.t1b, net.t2))


def _values(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("computed_at", "cutoff_at")}


def _rules(**changes: int) -> dict:
    rules = {
        "coverage_hours": 48,
        "otd_early_days": 3,
        "otd_late_days": 0,
        "stall_days": 3,
        "stall_due_within_days": 14,
        "projection_days": 14,
        "weights": {"coverage": 15, "otd": 15},
    }
    rules.update(changes)
    return rules
