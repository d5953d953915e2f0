"""Pages: the buyer's dashboard (tiles, tier tree, lines at risk, trends, suppliers), its live
refresh, the tree's data, the full list of lines at risk, the recompute button and the export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from models.clock import local_today
from models.orgs.directory import tier_tree
from models.scorecards.dashboard import (
    at_risk,
    lights,
    overview,
    overview_and_table,
    supplier_table,
    trends,
)
from models.scorecards.entities import Scorecard
from models.scorecards.export import export_dashboard
from models.scorecards.kpis import KPI_CATEGORIES, KPIS
from models.scorecards.risks import at_risk_lines
from webapp.auth.session import require_permission
from webapp.dashboard.common import (
    Filters,
    current_view,
    read_filters,
    start_recompute,
    template_helpers,
)
from webapp.database import db_session
from webapp.i18n import translate
from webapp.query_args import whole_number
from webapp.tasks import failed_job, pending_job
from webapp.templating import current_locale

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
bp.context_processor(template_helpers)

PAGE_SIZE = 25
RISK_LINES_SHOWN = 10
TREND_PERIODS = 12


def _live_data(filters: Filters) -> dict[str, Any]:
    """Everything that changes when suppliers report: tiles, lines at risk, supplier table."""
    session = db_session()
    view = current_view(filters)
    risky = at_risk(session, view)
    offset = (filters.page - 1) * PAGE_SIZE
    if filters.search:
        tiles = overview(session, view, filters.period, risky)
        rows, total = supplier_table(
            session, view, filters.period, PAGE_SIZE, offset, filters.search, risky
        )
    else:
        tiles, rows = overview_and_table(session, view, filters.period, PAGE_SIZE, offset, risky)
        total = tiles.suppliers
    lines, line_total = at_risk_lines(session, view, RISK_LINES_SHOWN)
    return {
        "view": view,
        "filters": filters,
        "overview": tiles,
        "rows": rows,
        "total": total,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "lines": lines,
        "line_total": line_total,
        "kpis": [k for k in KPIS if not filters.category or k.category == filters.category],
    }


def _trend_data(filters: Filters) -> dict[str, Any]:
    view = current_view(filters)
    kpis = [k for k in KPIS if not filters.category or k.category == filters.category]
    points = trends(db_session(), view, filters.period.kind, TREND_PERIODS, local_today())
    return {
        "labels": [p.period.label for p in points],
        "index": [None if p.index is None else round(p.index, 1) for p in points],
        "series": {
            k.code: [None if p.totals[k.code] is None else round(p.totals[k.code], 2)
                     for p in points]
            for k in kpis if k.total != "sum"
        },
        "names": {k.code: translate(k.label) for k in kpis},
        "index_name": gettext("Transparency index"),
    }  # fmt: skip


@bp.get("")
@login_required
def index() -> str:
    filters = read_filters()
    data = _live_data(filters)
    view = data["view"]
    job_id = request.args.get("job", type=whole_number)
    return render_template(
        "dashboard/index.html",
        **data,
        tiers=sorted(set(view.tier_of.values())),
        categories=KPI_CATEGORIES,
        job_id=pending_job(job_id),
        failed_job=failed_job(job_id),
    )


@bp.get("/live")
@login_required
def live() -> str:
    """The parts of the dashboard that change, for the page's refresh."""
    return render_template("dashboard/_live.html", **_live_data(read_filters()))


@bp.get("/stamp.json")
@login_required
def stamp() -> Response:
    """When scorecards last changed: the page reloads its live parts when this moves."""
    latest = db_session().scalar(select(func.max(Scorecard.__table__.c.computed_at)))
    return jsonify({"stamp": latest.isoformat() if latest else None})


@bp.get("/trends.json")
@login_required
def trend() -> Response:
    """The index and KPI totals of the last twelve periods, for the trend chart."""
    return jsonify(_trend_data(read_filters()))


@bp.get("/tree.json")
@login_required
def tree() -> Response:
    """The tier tree with each supplier's status light (suppliers not shared are withheld)."""
    filters = read_filters()
    session = db_session()
    view = current_view(filters)
    light = lights(session, view, filters.period)
    root = tier_tree(session, current_user.org_id, current_locale())

    def paint(node: dict[str, Any]) -> dict[str, Any]:
        shown = light.get(node["id"], {})
        node["light"] = shown.get("status", "none")
        node["index"] = None if shown.get("index") is None else round(shown["index"])
        node["children"] = [paint(child) for child in node["children"]]
        return node

    return jsonify(paint(root))


@bp.get("/at-risk")
@login_required
def at_risk_page() -> str:
    filters = read_filters()
    view = current_view(filters)
    lines, total = at_risk_lines(db_session(), view, PAGE_SIZE, (filters.page - 1) * PAGE_SIZE)
    return render_template(
        "dashboard/at_risk.html",
        lines=lines,
        total=total,
        filters=filters,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@bp.post("/recompute")
@require_permission("manage_suppliers")
def recompute() -> Response:
    """Start a full recompute now; the dashboard shows its progress."""
    return redirect(url_for("dashboard.index", job=start_recompute().id))


@bp.get("/export.xlsx")
@login_required
def export() -> Response:
    filters = read_filters()
    content = export_dashboard(
        db_session(), current_view(filters), filters.period, local_today(), translate,
        current_locale(),
    )  # fmt: skip
    name = f"tierlight-scorecards-{filters.period.label}.xlsx"
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
