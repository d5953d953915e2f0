"""What the dashboard pages and API share: reading filters from a request, showing values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import NumberPattern, parse_pattern
from flask import request
from flask_babel import format_date, format_datetime, get_locale, gettext
from flask_login import current_user

from models import jobs
from models.clock import local_today
from models.errors import ValidationFailed
from models.i18n import N_
from models.scorecards.kpis import BASIS, KPI_BY_CODE, KPI_CATEGORIES, STATUS_LABELS
from models.scorecards.periods import Period, parse_period, period_of
from models.scorecards.viewer import View, make_view
from models.validation import whole_number_up_to
from webapp.carbon.common import KIND_LABELS
from webapp.database import db_session
from webapp.i18n import translate
from webapp.quality.labels import CAPABILITY, STEPS
from webapp.tasks import start_or_join
from webapp.trace.labels import SEVERITIES, STATES
from worker.tasks.scorecards import RECOMPUTE_JOB, recompute_scorecards

STATUS_CLASSES = {"green": "ok", "amber": "warn", "red": "bad", "none": "none"}


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters as given in the query string."""

    period: Period
    tier: int | None
    category: str | None
    supplier_id: int | None
    search: str | None
    page: int

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query arguments for a link that changes some filters."""
        values = {
            "period": self.period.kind,
            "start": self.period.start.isoformat(),
            "tier": self.tier,
            "category": self.category,
            "supplier": self.supplier_id,
            "q": self.search,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _int(name: str, minimum: int = 1) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    number = whole_number_up_to(raw, 2**62)
    if number is None or number < minimum:
        raise ValidationFailed.on(name, N_("Enter a whole number, 1 or more."))
    return number


def read_filters() -> Filters:
    """Filters from the request; bad values are a validation error naming the argument."""
    period = parse_period(request.args.get("period"), request.args.get("start"), local_today())
    category = request.args.get("category") or None
    if category is not None and category not in KPI_CATEGORIES:
        raise ValidationFailed.on("category", N_("Choose progress, quality or carbon."))
    return Filters(
        period,
        _int("tier"),
        category,
        _int("supplier"),
        (request.args.get("q") or "").strip() or None,
        _int("page") or 1,
    )


def current_view(filters: Filters) -> View:
    return make_view(
        db_session(),
        current_user.org_id,
        tier=filters.tier,
        category=filters.category,
        supplier_id=filters.supplier_id,
    )


@lru_cache(maxsize=16)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def number(value: float, pattern: str) -> str:
    """A number in the user's locale (Babel's pattern parsed once: tables format hundreds)."""
    return _pattern(pattern).apply(value, get_locale())


def kpi_value(code: str, value: float | None) -> str:
    """A KPI value with its unit, in the user's number format; a dash for no data."""
    if value is None:
        return "—"
    kpi = KPI_BY_CODE[code]
    if kpi.unit == "%":
        return f"{number(round(value, 1), '#,##0.#')} %"
    if kpi.unit == "ppm":
        return number(round(value), "#,##0")
    if kpi.unit == "h":
        return f"{number(round(value, 1), '#,##0.#')} h"
    if kpi.unit == "":
        return number(value, "#,##0.#")
    return number(round(value, 2), "#,##0.##")


FLAGS = ("covered", "on_time", "in_full", "present")
#: Drill-down columns holding a whole number that names something (a year, an order line)
#: rather than counts it: shown as written, never grouped ("2026", not "2,026").
ORDINALS = ("year", "line_no")
#: Drill-down columns holding a code, with the labels the feature's own pages show for it:
#: an incident's severity and state, an 8D step, a characteristic's capability, a footprint's kind.
CODE_LABELS: dict[str, dict[Any, Any]] = {
    "severity": SEVERITIES,
    "state": STATES,
    "step": STEPS,
    "status": CAPABILITY,
    "kind": KIND_LABELS,
}


def cell_value(column: str, value: Any) -> str:
    """A drill-down cell: codes by their label and flags as yes/no in the user's language,
    times and dates and numbers in the user's format."""
    if value is None:
        return "—"
    if column in CODE_LABELS:
        return str(CODE_LABELS[column].get(value, value))
    if column in FLAGS:
        return gettext("yes") if value else gettext("no")
    if column in ORDINALS:
        return str(value)
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return number(round(float(value), 2), "#,##0.##")
    return str(value)


def index_value(value: float | None) -> str:
    return "—" if value is None else number(round(value), "#,##0")


def template_helpers() -> dict[str, Any]:
    return {
        "kpi_value": kpi_value,
        "index_value": index_value,
        "status_text": lambda status: translate(STATUS_LABELS.get(status, status)),
        "status_class": lambda status: STATUS_CLASSES.get(status, "none"),
        "cell_value": cell_value,
        "kpi_label": lambda code: translate(KPI_BY_CODE[code].label),
        "basis": lambda code: BASIS.get(code),
        "period_label": lambda kind, start: period_of(kind, start).label,
        "today": local_today,
    }


def start_recompute() -> jobs.JobRun:
    """Queue a full recompute of the scorecards for the person asking, or follow the one their
    organisation asked for that is still queued or running."""
    return start_or_join(recompute_scorecards, RECOMPUTE_JOB, None)
