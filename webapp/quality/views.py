"""Pages: quality overview, supplier quality, capability table, control chart, alerts, settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from models.access import can_see
from models.base import utcnow
from models.clock import local_day
from models.errors import ValidationFailed
from models.orgs.entities import Organisation
from models.quality import alerts, ppm, queries, settings
from models.quality.chart_data import chart_data
from models.quality.entities import EightDCase, QualityAlert
from models.quality.overview import supplier_overview
from models.quality.scope import get_characteristic, quality_orgs
from models.quality.statistics_store import statistics_of
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.paging import paged, paged_list, paged_rows, pager_args
from webapp.quality.labels import labels_context
from webapp.quality.recompute import start_recompute
from webapp.query_args import whole_number
from webapp.security import safe_redirect_target
from webapp.tasks import pending_job

bp = Blueprint("quality", __name__, url_prefix="/quality")
bp.context_processor(labels_context)


@bp.get("/")
@login_required
def overview() -> str:
    now = utcnow()
    rows = supplier_overview(db_session(), current_user.org_id, now, local_day(now))
    return render_template("quality/overview.html", paged=paged_list(rows), pager_args=pager_args())


@bp.get("/suppliers/<id:org_id>")
@login_required
def supplier(org_id: int) -> str:
    """One supplier's quality: PPM trend, first-pass yield, capability, 8Ds and overdue steps."""
    session = db_session()
    org = session.get(Organisation, org_id)
    if org is None or not can_see(session, current_user.org_id, org_id, "quality"):
        abort(404)
    now = utcnow()
    since = (local_day(now).replace(day=1) - timedelta(days=335)).replace(day=1)
    months = ppm.monthly_ppm(
        session, current_user.org_id, supplier_org_id=org_id, since=since, by_part=False
    )
    yields = ppm.monthly_yield(session, current_user.org_id, supplier_org_id=org_id, since=since)
    table = session.execute(queries.capability_table(current_user.org_id, supplier_org_id=org_id))
    cases = session.scalars(
        queries.cases_query(current_user.org_id, "open").where(EightDCase.supplier_org_id == org_id)
    ).all()
    overdue = session.execute(
        queries.overdue_steps(current_user.org_id, now).where(EightDCase.supplier_org_id == org_id)
    ).all()
    return render_template(
        "quality/supplier.html",
        org=org,
        months=months,
        yields=_yield_by_period(yields),
        trend={
            "periods": [m.period for m in months],
            "ppm": [None if m.ppm is None else round(m.ppm, 1) for m in months],
            "received": [m.received for m in months],
        },
        table=table.all(),
        cases=cases,
        overdue=overdue,
        now=now,
    )


@bp.get("/characteristics")
@login_required
def characteristics() -> str:
    supplier_id = request.args.get("supplier", type=whole_number)
    classification = request.args.get("classification") or None
    if classification not in (None, "standard", "special", "critical"):
        classification = None
    table = queries.capability_table(current_user.org_id, supplier_id, None, classification)
    return render_template(
        "quality/characteristics.html",
        paged=paged_rows(table),
        pager_args=pager_args("job"),
        names=_org_names(),
        supplier_id=supplier_id,
        classification=classification,
        job_id=pending_job(request.args.get("job", type=whole_number)),
    )


@bp.get("/characteristics/<id:characteristic_id>")
@login_required
def characteristic(characteristic_id: int) -> str:
    session = db_session()
    found = get_characteristic(session, current_user.org_id, characteristic_id)
    data_visible = can_see(session, current_user.org_id, found.supplier_org_id, "quality")
    signals = session.scalars(
        alerts.alerts_query(current_user.org_id).where(
            QualityAlert.characteristic_id == characteristic_id
        )
    ).all()
    cases = session.scalars(
        queries.cases_query(current_user.org_id).where(
            EightDCase.alert_id.in_([alert.id for alert in signals])
        )
    ).all()
    return render_template(
        "quality/characteristic.html",
        item=found,
        cases={case.alert_id: case for case in cases},
        stats=statistics_of(session, characteristic_id) if data_visible else None,
        data=chart_data(session, found) if data_visible else None,
        signals=signals,
        supplier=session.get(Organisation, found.supplier_org_id),
        job_id=pending_job(request.args.get("job", type=whole_number)),
    )


@bp.post("/characteristics/<id:characteristic_id>/recompute")
@login_required
def recompute(characteristic_id: int) -> Response:
    job = start_recompute([characteristic_id])
    return redirect(url_for(".characteristic", characteristic_id=characteristic_id, job=job.id))


@bp.post("/recompute")
@login_required
def recompute_all() -> Response:
    job = start_recompute(None)
    return redirect(url_for(".characteristics", job=job.id))


@bp.get("/alerts")
@login_required
def alerts_page() -> str:
    status = request.args.get("status", "open")
    query = alerts.alerts_query(current_user.org_id)
    if status in ("open", "closed"):
        query = query.where(QualityAlert.status == status)
    return render_template(
        "quality/alerts.html",
        paged=paged(query),
        pager_args=pager_args(),
        status=status,
        names=_org_names(),
    )


@bp.post("/alerts/<id:alert_id>/close")
@require_permission("manage_quality")
def close_alert(alert_id: int) -> Response:
    with unit_of_work() as session:
        closed = alerts.close_alert(session, current_actor(), alert_id, dict(request.form))
    flash(gettext("The alert was closed."), "success")
    page = url_for(".characteristic", characteristic_id=closed.characteristic_id)
    return redirect(safe_redirect_target(request.form.get("next"), page))


@bp.route("/settings", methods=["GET", "POST"])
@require_permission("manage_quality")
def settings_page() -> str | Response | tuple[str, int]:
    current = settings.settings_of(db_session().get(Organisation, current_user.org_id))
    if request.method == "GET":
        return render_template("quality/settings.html", values=current.as_dict(), errors={})
    form = request.form
    data: dict[str, Any] = {
        "capable": form.get("capable", ""),
        "watch": form.get("watch", ""),
        "rules": form.get("rules", ""),
        "escalate_after_hours": form.get("escalate_after_hours", ""),
        "due_hours": {
            step: form.get(f"due_{step}") for step in current.due_hours if form.get(f"due_{step}")
        },
    }
    try:
        with unit_of_work() as session:
            settings.update_quality_settings(session, current_actor(), data)
    except ValidationFailed as error:
        return render_template("quality/settings.html", values=data, errors=error.errors), 422
    flash(gettext("Saved. The next recompute uses the new settings."), "success")
    return redirect(url_for(".settings_page"))


def _org_names() -> dict[int, Organisation]:
    visible = select(Organisation).where(Organisation.id.in_(quality_orgs(current_user.org_id)))
    return {org.id: org for org in db_session().scalars(visible)}


def _yield_by_period(yields: list[ppm.MonthlyYield]) -> dict[str, float | None]:
    totals: dict[str, list[int]] = {}
    for item in yields:
        inspected, defective = totals.setdefault(item.period, [0, 0])
        totals[item.period] = [inspected + item.inspected, defective + item.defective]
    return {
        period: (inspected - defective) / inspected if inspected else None
        for period, (inspected, defective) in totals.items()
    }
