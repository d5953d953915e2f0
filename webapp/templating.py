"""Template helpers: translation of domain messages, locale-aware formats, the navigation menu."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, g, url_for
from flask_babel import format_date, format_datetime, format_decimal, lazy_gettext
from flask_login import current_user

from models.accounts.operations import memberships_of
from models.notify import unread_count
from webapp.auth.areas import may_reach, serves_report_forms
from webapp.database import db_session
from webapp.i18n import LOCALES, current_locale, translate

PLAIN_NUMBER_LIMIT = 1e15

ROLE_LABELS = {
    "admin": lazy_gettext("Admin"),
    "procurement": lazy_gettext("Procurement"),
    "quality": lazy_gettext("Quality"),
    "carbon": lazy_gettext("Carbon / ESG"),
    "viewer": lazy_gettext("Viewer"),
    "reporter": lazy_gettext("Reporter"),
}


STATUS_LABELS = {
    "invited": lazy_gettext("Invited"),
    "active": lazy_gettext("Active"),
    "suspended": lazy_gettext("Suspended"),
    "ended": lazy_gettext("Ended"),
    "pending": lazy_gettext("Pending"),
    "used": lazy_gettext("Used"),
    "expired": lazy_gettext("Expired"),
    "revoked": lazy_gettext("Withdrawn"),
    "queued": lazy_gettext("Queued"),
    "running": lazy_gettext("Running"),
    "succeeded": lazy_gettext("Done"),
    "failed": lazy_gettext("Failed"),
}

CATEGORY_LABELS = {
    "progress": lazy_gettext("Progress"),
    "quality": lazy_gettext("Quality"),
    "carbon": lazy_gettext("Carbon"),
    "traceability": lazy_gettext("Traceability"),
}

SIZE_LABELS = {
    "micro": lazy_gettext("Micro"),
    "small": lazy_gettext("Small"),
    "medium": lazy_gettext("Medium"),
    "large": lazy_gettext("Large"),
}


#: Background jobs by kind, as the system page lists them.
JOB_KIND_LABELS = {
    "containment": lazy_gettext("Containment scope of an incident"),
    "edi_ingest": lazy_gettext("EDI file processing"),
    "footprint_rollup": lazy_gettext("Carbon footprint roll-up"),
    "quality_recompute": lazy_gettext("Quality statistics recompute"),
    "scorecards_recompute": lazy_gettext("Scorecard recompute"),
    "worker_check": lazy_gettext("Worker check"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def job_kind_label(kind: str) -> str:
    return str(JOB_KIND_LABELS.get(kind, kind))


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))


def size_label(size_class: str | None) -> str:
    return str(SIZE_LABELS.get(size_class, "—")) if size_class else "—"


@dataclass(frozen=True)
class NavItem:
    """A menu entry shown to users for whom ``visible`` is true."""

    endpoint: str
    label: Any
    visible: Callable[[Any], bool] = lambda user: True


#: The menu, in order. Each feature adds its entries here.
NAV_ITEMS: list[NavItem] = [
    NavItem("dashboard.index", lazy_gettext("Supplier dashboard")),
    NavItem("scorecard.mine", lazy_gettext("My scorecard"), lambda u: not u.is_anchor),
    NavItem("orders.index", lazy_gettext("Orders")),
    NavItem("reporting.open_lines", lazy_gettext("Report progress"), lambda u: u.can("report")),
    NavItem("logistics.notices", lazy_gettext("Ship notices")),
    NavItem("parts.index", lazy_gettext("Parts")),
    NavItem("network.suppliers", lazy_gettext("Suppliers")),
    NavItem("network.tree", lazy_gettext("Tier tree")),
    NavItem(
        "network.invitations_page", lazy_gettext("Invitations"), lambda u: u.can("invite_supplier")
    ),
    NavItem("org.customers", lazy_gettext("My customers"), lambda u: not u.is_anchor),
    NavItem("org.overview", lazy_gettext("My organisation")),
    NavItem("org.people", lazy_gettext("People")),
    NavItem("inbox.notifications", lazy_gettext("Notifications")),
    NavItem("edi.index", lazy_gettext("EDI")),
    NavItem("carbon.overview", lazy_gettext("Carbon")),
    NavItem(
        "carbon_activity.new", lazy_gettext("Enter carbon data"), lambda u: not u.can("browse")
    ),
    NavItem(
        "quality_measure.choose", lazy_gettext("Enter measurements"), lambda u: u.can("report")
    ),
    NavItem("quality.overview", lazy_gettext("Supplier quality")),
    NavItem("eightd.cases", lazy_gettext("8D cases")),
    NavItem("trace.search", lazy_gettext("Trace lots")),
    NavItem("incidents.index", lazy_gettext("Quality incidents")),
    NavItem("audit.index", lazy_gettext("Audit trail"), lambda u: u.can("manage_people")),
    NavItem("system.status", lazy_gettext("System status"), lambda u: u.can("manage_people")),
]


def nav_items() -> list[dict[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        {"label": str(item.label), "url": url_for(item.endpoint)}
        for item in NAV_ITEMS
        if item.visible(current_user)
        and (current_user.can("browse") or serves_report_forms(item.endpoint))
    ]


def other_organisations() -> list[dict[str, object]]:
    """The other organisations the signed-in person belongs to (to act for instead)."""
    if not current_user.is_authenticated or current_user.via_token:
        return []
    if "other_organisations" not in g:
        locale = current_locale()
        g.other_organisations = [
            {"id": m.org_id, "name": m.organisation.display_name(locale)}
            for m in memberships_of(db_session(), current_user.user_id)
            if m.org_id != current_user.org_id
        ]
    return g.other_organisations


def _unread() -> int:
    if not current_user.is_authenticated:
        return 0
    return unread_count(db_session(), current_user.org_id)


def _datetime(value: datetime | None, fmt: str = "short") -> str:
    return format_datetime(value, fmt) if value else ""


def _date(value: date | None, fmt: str = "medium") -> str:
    return format_date(value, fmt) if value else ""


def _number(value: float | Decimal | int | None, digits: int = 2) -> str:
    """A number in the viewer's locale; a dash for none or for infinity and NaN, and a huge
    value (past the digits a float holds) in scientific notation, so stored data never fails."""
    number = float(value) if value is not None else math.nan
    if not math.isfinite(number):
        return "—"
    if abs(number) >= PLAIN_NUMBER_LIMIT:
        return f"{number:.3e}"
    return format_decimal(
        round(number, digits), format=f"#,##0.{'#' * digits}" if digits else "#,##0"
    )


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        current_locale=current_locale,
        locales=LOCALES,
        nav_items=nav_items,
        may_reach=may_reach,
        other_organisations=other_organisations,
        unread_notifications=_unread,
        role_label=lambda role: str(ROLE_LABELS.get(role, role)),
        status_label=status_label,
        job_kind_label=job_kind_label,
        category_label=category_label,
        size_label=size_label,
        tr=translate,
    )
    app.jinja_env.filters.update(datetime=_datetime, date=_date, number=_number)
