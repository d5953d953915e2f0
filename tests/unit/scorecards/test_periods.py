"""Scorecard periods, the months whose carbon data falls due, status lights and weights."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from models.clock import local_day
from models.errors import ValidationFailed
from models.scorecards.kpis import DEFAULT_WEIGHTS, KPIS, status_of
from models.scorecards.periods import (
    Period,
    Window,
    current_periods,
    months_due,
    parse_period,
    period_of,
    periods_back,
)
from models.scorecards.sql import day_number

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_weeks_start_on_monday_and_months_on_the_first():
    week = period_of("week", date(2026, 3, 18))
    assert (week.start, week.end, week.label) == (date(2026, 3, 16), date(2026, 3, 23), "2026-W12")
    month = period_of("month", date(2026, 12, 31))
    assert (month.start, month.end, month.label) == (date(2026, 12, 1), date(2027, 1, 1), "2026-12")
    assert month.previous() == Period("month", date(2026, 11, 1))
    assert week.next().start == date(2026, 3, 23)


def test_periods_back_and_the_current_ones():
    weeks = periods_back("week", date(2026, 1, 7), 3)
    assert [p.label for p in weeks] == ["2025-W52", "2026-W01", "2026-W02"]
    assert [p.kind for p in current_periods(date(2026, 1, 7))] == ["week", "month"]


def test_a_window_stops_at_now_in_the_current_period():
    now = datetime(2026, 3, 18, 12, tzinfo=UTC)
    current = Window(period_of("week", now.date()), now)
    assert current.is_current and current.cutoff == now and current.last_day == date(2026, 3, 18)
    past = Window(period_of("week", date(2026, 3, 1)), now)
    assert not past.is_current and past.cutoff == datetime(2026, 3, 2, tzinfo=SHANGHAI)
    assert past.last_day == date(2026, 3, 1)


def test_weeks_turn_at_local_midnight_not_at_utc_midnight():
    """Monday 00:30 in Suzhou is still Sunday in UTC: the new week has begun there."""
    monday_early = datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)
    window = Window(period_of("week", local_day(monday_early)), monday_early)
    assert window.period.start == date(2026, 3, 2) and window.is_current
    assert window.last_day == date(2026, 3, 2)
    assert window.start_at == datetime(2026, 3, 1, 16, tzinfo=UTC)
    sunday_late = datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI)
    assert sunday_late < window.start_at


def test_day_numbers_count_local_days():
    """A timestamp's day number falls on the local day a person sees it on."""
    assert int(day_number(datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI))) == day_number(
        date(2026, 3, 2)
    )
    assert int(day_number(datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI))) == day_number(
        date(2026, 3, 1)
    )


def test_energy_data_of_a_month_falls_due_on_the_fifteenth_of_the_next():
    now = datetime(2026, 3, 18, 12, tzinfo=UTC)
    assert months_due(Window(period_of("month", now.date()), now)) == [date(2026, 2, 1)]
    assert months_due(Window(period_of("week", date(2026, 3, 10)), now)) == [date(2026, 2, 1)]
    assert months_due(Window(period_of("week", now.date()), now)) == []
    early = datetime(2026, 3, 10, tzinfo=UTC)
    assert months_due(Window(period_of("month", early.date()), early)) == []


def test_query_arguments_are_checked():
    assert parse_period(None, None, date(2026, 3, 18)).start == date(2026, 3, 16)
    assert parse_period("month", "2026-02-20", date(2026, 3, 18)).start == date(2026, 2, 1)
    with pytest.raises(ValidationFailed) as caught:
        parse_period("year", None, date(2026, 3, 18))
    assert caught.value.errors == {"period": ["Choose week or month."]}
    with pytest.raises(ValidationFailed):
        parse_period("week", "18.03.2026", date(2026, 3, 18))


def test_status_lights_and_weights():
    assert [status_of(v) for v in (None, 59.9, 60, 80)] == ["none", "red", "amber", "green"]
    assert status_of(95, at_risk=True) == "amber" and status_of(None, at_risk=True) == "red"
    assert sum(DEFAULT_WEIGHTS.values()) == 100
    assert len({k.code for k in KPIS}) == len(KPIS)


def test_day_numbers_of_dates_and_times():
    assert day_number(date(1970, 1, 2)) == 1
    assert day_number(datetime(1970, 1, 1, 12, tzinfo=SHANGHAI)) == 0.5
    assert day_number(datetime(1970, 1, 1, 12, tzinfo=UTC)) == pytest.approx(20 / 24)
