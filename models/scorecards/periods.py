"""Scorecard periods (ISO weeks from Monday, calendar months) and a period seen at a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.clock import local_day, local_midnight
from models.errors import ValidationFailed
from models.i18n import N_
from models.validation import FIRST_DAY, LAST_DAY


@dataclass(frozen=True, order=True)
class Period:
    """A week (Monday to Sunday) or a calendar month; ``end`` is the first day after it."""

    kind: str
    start: date

    @property
    def end(self) -> date:
        if self.kind == "week":
            return self.start + timedelta(days=7)
        year, month = divmod(self.start.month, 12)
        return date(self.start.year + year, month + 1, 1)

    @property
    def label(self) -> str:
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start.year}-{self.start.month:02d}"

    def previous(self) -> Period:
        return period_of(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        return Period(self.kind, self.end)


def period_of(kind: str, day: date) -> Period:
    """The week or month that contains ``day``."""
    if kind == "week":
        return Period("week", day - timedelta(days=day.weekday()))
    if kind == "month":
        return Period("month", day.replace(day=1))
    raise ValueError(f"unknown period kind {kind!r}")


def periods_back(kind: str, today: date, count: int) -> list[Period]:
    """The ``count`` periods ending with the one containing ``today``, oldest first."""
    periods = [period_of(kind, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


def current_periods(today: date) -> list[Period]:
    """What the regular recompute and incremental updates cover: the current week and month.

    Closed periods are settled by the nightly history recompute (which also takes in receipts
    recorded late for them).
    """
    return periods_back("week", today, 1) + periods_back("month", today, 1)


def parse_period(kind: str | None, start: str | None, today: date) -> Period:
    """A period from query arguments (kind and any day in it); the current week by default."""
    kind = kind or "week"
    if kind not in ("week", "month"):
        raise ValidationFailed.on("period", N_("Choose week or month."))
    if not start:
        return period_of(kind, today)
    try:
        day = date.fromisoformat(start)
    except ValueError:
        raise ValidationFailed.on("start", N_("Enter a date as YYYY-MM-DD.")) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationFailed.on(
            "start", N_("Give a date from %(first)s to %(last)s."), first=FIRST_DAY, last=LAST_DAY
        )
    return begun(period_of(kind, day), today)


def begun(period: Period, today: date) -> Period:
    """``period`` when it has begun by ``today``, else a validation error on ``start``: a later
    period has no scores, and the records behind its numbers would be today's."""
    if period.start > today:
        raise ValidationFailed.on("start", N_("This period has not begun yet."))
    return period


@dataclass(frozen=True)
class Window:
    """A period as evaluated at ``now``: facts up to ``cutoff`` (the period's end, or now)."""

    period: Period
    now: datetime

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.period.start)

    @property
    def end_at(self) -> datetime:
        return local_midnight(self.period.end)

    @property
    def cutoff(self) -> datetime:
        return min(self.end_at, self.now)

    @property
    def is_current(self) -> bool:
        return self.start_at <= self.now < self.end_at

    @property
    def last_day(self) -> date:
        """The last day whose facts count (today for the current period)."""
        return min(self.period.end - timedelta(days=1), local_day(self.now))

    @property
    def day_after(self) -> date:
        return self.last_day + timedelta(days=1)


#: Monthly energy data of month M is due by this day of month M+1.
CARBON_DUE_DAY = 15


def months_due(window: Window) -> list[date]:
    """First days of the months whose energy data fell due within the period (up to today)."""
    due: list[date] = []
    month = _previous_month(window.period.start.replace(day=1))
    while True:
        following = _next_month(month)
        deadline = following.replace(day=CARBON_DUE_DAY)
        if deadline >= window.day_after:
            return due
        if deadline >= window.period.start:
            due.append(month)
        month = following


def _previous_month(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
