"""Pages: one supplier's scorecard (a buyer's drill-down, or the supplier's own with what it
still owes) and the records behind any of its numbers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from models.base import utcnow
from models.clock import local_today
from models.errors import NotFound
from models.orgs.directory import customers
from models.scorecards.cards import SupplierCard, supplier_card, supplier_view
from models.scorecards.disputes import disputes_query
from models.scorecards.drilldown import HEADERS, drill
from models.scorecards.entities import ScorecardWarning
from models.scorecards.kpis import KPI_BY_CODE, KPIS
from models.scorecards.messages import reason
from models.scorecards.owed import owed
from models.scorecards.periods import parse_period
from models.scorecards.risks import at_risk_lines
from models.scorecards.settings import rules_of
from models.scorecards.viewer import View
from webapp.dashboard.common import template_helpers
from webapp.database import db_session
from webapp.i18n import translate

bp = Blueprint("scorecard", __name__, url_prefix="/dashboard")
bp.context_processor(template_helpers)

TREND_PERIODS = 12


def _chart(card: SupplierCard) -> dict[str, Any]:
    visible = [k for k in KPIS if k.category not in card.withheld]
    return {
        "labels": [p.period.label for p in card.periods],
        "index": [None if p.index is None else round(p.index, 1) for p in card.periods],
        "series": {
            k.code: [None if p.cells[k.code].value is None else round(p.cells[k.code].value, 2)
                     for p in card.periods]
            for k in visible
        },
        "names": {k.code: translate(k.label) for k in visible},
        "index_name": gettext("Transparency index"),
    }  # fmt: skip


def _descriptions(org_id: int) -> dict[str, str]:
    """Each KPI's definition, with the rules of the viewer filled in."""
    rules = rules_of(db_session(), org_id)
    params = {
        "hours": rules.coverage_hours,
        "early": rules.otd_early_days,
        "late": rules.otd_late_days,
    }
    return {k.code: gettext(k.description) % params for k in KPIS}


def _card_page(template: str, view: View, org_id: int, **extra: Any) -> str:
    kind = parse_period(request.args.get("period"), None, local_today()).kind
    card = supplier_card(db_session(), view, org_id, kind, TREND_PERIODS, local_today())
    return render_template(
        template,
        card=card,
        kind=kind,
        kpis=KPIS,
        chart=_chart(card),
        descriptions=_descriptions(current_user.org_id),
        **extra,
    )


@bp.get("/suppliers/<id:org_id>")
@login_required
def supplier(org_id: int) -> str:
    """A buyer's drill-down into one supplier of its chain."""
    session = db_session()
    view = supplier_view(session, current_user.org_id, org_id)
    narrowed = View(view.viewer_org_id, view.weights, view.tier_of, view.sees, frozenset({org_id}))
    lines, line_total = at_risk_lines(session, narrowed, 50)
    flags = []
    if view.can_see(org_id, "quality"):
        # One warning per customer of the supplier, all with the same count: show one.
        flags = [
            reason(w)
            for w in session.scalars(
                select(ScorecardWarning)
                .where(
                    ScorecardWarning.supplier_org_id == org_id,
                    ScorecardWarning.kind == "subtier_incident",
                    ScorecardWarning.resolved_at.is_(None),
                )
                .order_by(ScorecardWarning.id)
                .limit(1)
            )
        ]
    disputes = list(session.scalars(disputes_query(current_user.org_id, supplier_id=org_id)))
    return _card_page(
        "dashboard/supplier.html", view, org_id, lines=lines, line_total=line_total,
        flags=flags, disputes=disputes,
    )  # fmt: skip


@bp.get("/mine")
@login_required
def mine() -> str:
    """The supplier's own scorecard, what it still owes, and its comments on scores."""
    session = db_session()
    view = supplier_view(session, current_user.org_id, current_user.org_id)
    buyers = [link for link in customers(session, current_user.org_id) if link.status != "ended"]
    disputes = list(
        session.scalars(disputes_query(current_user.org_id, supplier_id=current_user.org_id))
    )
    return _card_page(
        "dashboard/mine.html", view, current_user.org_id,
        owed=owed(session, current_user.org_id, utcnow()), buyers=buyers, disputes=disputes,
    )  # fmt: skip


@bp.get("/suppliers/<id:org_id>/kpis/<code>", endpoint="drill")
@login_required
def drill_page(org_id: int, code: str) -> str:
    """The records behind one number (withheld ones counted, not shown)."""
    if code not in KPI_BY_CODE:
        raise NotFound()
    session = db_session()
    view = supplier_view(session, current_user.org_id, org_id)
    period = parse_period(request.args.get("period"), request.args.get("start"), local_today())
    found = drill(session, view, org_id, code, period, utcnow())
    card = supplier_card(session, view, org_id, period.kind, 1, period.start)
    return render_template(
        "dashboard/drill.html",
        drill=found,
        kpi=KPI_BY_CODE[code],
        card=card,
        headers={column: gettext(header) for column, header in HEADERS.items()},
        description=_descriptions(current_user.org_id)[code],
    )
