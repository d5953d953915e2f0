"""API: scorecards, their records, lines at risk, warnings, disputes, weights and rules, jobs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select, select

from models import jobs
from models.base import utcnow
from models.clock import local_today
from models.errors import NotFound
from models.roles import require_permission
from models.scorecards.cards import supplier_card, supplier_view
from models.scorecards.dashboard import at_risk, overview, supplier_table
from models.scorecards.disputes import answer_dispute, disputes_query, get_dispute, open_dispute
from models.scorecards.drilldown import drill
from models.scorecards.entities import ScorecardDispute, ScorecardWarning
from models.scorecards.kpis import KPI_BY_CODE
from models.scorecards.owed import owed
from models.scorecards.periods import Period, begun, period_of
from models.scorecards.risks import at_risk_lines
from models.scorecards.schemas import (
    DisputeAnswerSchema,
    DisputeSchema,
    ScorecardSettingsSchema,
)
from models.scorecards.settings import rules_of, update_scorecard_settings
from models.scorecards.viewer import View, make_view
from webapp.api_base import SelectPage, first_item, json_body, json_object
from webapp.auth.session import current_actor
from webapp.dashboard.common import start_recompute
from webapp.dashboard.schemas import (
    CardQuerySchema,
    DisputeQuerySchema,
    DisputeViewSchema,
    DrillSchema,
    OverviewSchema,
    OwedSchema,
    PeriodQuerySchema,
    RiskLineSchema,
    RulesSchema,
    ScorecardQuerySchema,
    SupplierCardSchema,
    SupplierScoreSchema,
    WarningSchema,
)
from webapp.database import db_session, unit_of_work
from webapp.system.schemas import JobSchema
from webapp.tasks import enqueue
from worker.tasks.scorecards import RECOMPUTE_JOB, recompute_scorecards

bp = Blueprint(
    "scorecards_api",
    __name__,
    url_prefix="/api/v1/scorecards",
    description="Supplier scorecards, early warnings and disputes",
)


def _period(query: dict[str, Any]) -> Period:
    today = local_today()
    return begun(period_of(query["period"], query.get("start") or today), today)


def _view(query: dict[str, Any]) -> View:
    return make_view(
        db_session(),
        current_user.org_id,
        tier=query.get("tier"),
        category=query.get("category"),
        supplier_id=query.get("supplier"),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@bp.route("")
class Scorecards(MethodView):
    decorators = [login_required]

    @bp.arguments(ScorecardQuerySchema, location="query")
    @bp.response(200, SupplierScoreSchema(many=True))
    @bp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[Any]:
        """The suppliers in my chain with their index and KPIs, lowest index first.

        KPIs of categories a supplier does not share with me are ``null`` and listed in
        ``withheld``; a KPI without data for the period is ``null`` too.
        """
        rows, total = supplier_table(
            db_session(), _view(query), _period(query), pagination_parameters.page_size,
            first_item(pagination_parameters), query.get("q"),
        )  # fmt: skip
        pagination_parameters.item_count = total
        return rows


@bp.route("/overview")
class Overview(MethodView):
    decorators = [login_required]

    @bp.arguments(ScorecardQuerySchema, location="query")
    @bp.response(200, OverviewSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The dashboard tiles: KPI totals, mean index, suppliers by status, lines at risk."""
        session, view, period = db_session(), _view(query), _period(query)
        found = overview(session, view, period, at_risk(session, view))
        _lines, total = at_risk_lines(session, view, 1)
        return {**found.__dict__, "period": period.label, "lines_at_risk": total}


@bp.route("/<id:org_id>")
class SupplierCard(MethodView):
    decorators = [login_required]

    @bp.arguments(CardQuerySchema, location="query")
    @bp.response(200, SupplierCardSchema)
    def get(self, query: dict[str, Any], org_id: int) -> Any:
        """One supplier's scorecard over the last ``count`` periods (my own with my org id)."""
        view = supplier_view(db_session(), current_user.org_id, org_id)
        return supplier_card(
            db_session(), view, org_id, query["period"], query["count"], local_today()
        )


@bp.route("/<id:org_id>/kpis/<code>")
class KpiRecords(MethodView):
    decorators = [login_required]

    @bp.arguments(PeriodQuerySchema, location="query")
    @bp.response(200, DrillSchema)
    def get(self, query: dict[str, Any], org_id: int, code: str) -> Any:
        """The records behind one KPI of one supplier for one period."""
        if code not in KPI_BY_CODE:
            raise NotFound()
        view = supplier_view(db_session(), current_user.org_id, org_id)
        found = drill(db_session(), view, org_id, code, _period(query), utcnow())
        found.rows = [
            {k: _plain(v) for k, v in row.items() if k != "owner_id"} for row in found.rows
        ]
        return found


@bp.route("/at-risk")
class AtRisk(MethodView):
    decorators = [login_required]

    @bp.arguments(ScorecardQuerySchema, location="query")
    @bp.response(200, RiskLineSchema(many=True))
    @bp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[Any]:
        """Order lines at risk in my chain, the soonest promised first, with every reason."""
        lines, total = at_risk_lines(
            db_session(), _view(query), pagination_parameters.page_size,
            first_item(pagination_parameters),
        )  # fmt: skip
        pagination_parameters.item_count = total
        return lines


@bp.route("/warnings")
class Warnings(MethodView):
    decorators = [login_required]

    @bp.response(200, WarningSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self) -> Select[Any]:
        """Active early warnings addressed to my organisation, newest first."""
        return (
            select(ScorecardWarning)
            .where(
                ScorecardWarning.buyer_org_id == current_user.org_id,
                ScorecardWarning.resolved_at.is_(None),
            )
            .order_by(ScorecardWarning.id.desc())
        )


@bp.route("/mine/owed")
class Owed(MethodView):
    decorators = [login_required]

    @bp.response(200, OwedSchema)
    def get(self) -> dict[str, Any]:
        """What my organisation still owes its customers (lines, data, 8D steps)."""
        found = owed(db_session(), current_user.org_id, utcnow())
        return {
            name: [{k: _plain(v) for k, v in row.items()} for row in getattr(found, name)]
            for name in ("unreported", "unconfirmed", "unmeasured", "carbon", "eightd")
        }


@bp.route("/settings")
class Settings(MethodView):
    decorators = [login_required]

    @bp.response(200, RulesSchema)
    def get(self) -> Any:
        """My organisation's index weights and the rules applied to the lines it ordered."""
        return rules_of(db_session(), current_user.org_id).as_dict()

    @json_body(ScorecardSettingsSchema, "Every rule and the weight of each KPI (0-100).")
    @bp.response(200, RulesSchema)
    def put(self) -> Any:
        """Change the weights and rules; a recompute starts so the rules take effect."""
        with unit_of_work() as session:
            rules = update_scorecard_settings(session, current_actor(), json_object())
            job = jobs.create_job(session, current_actor(), RECOMPUTE_JOB)
        enqueue(recompute_scorecards, job.id, job_id=job.id)
        return rules.as_dict()


@bp.route("/recompute")
class Recompute(MethodView):
    decorators = [login_required]

    @bp.response(202, JobSchema)
    def post(self) -> jobs.JobRun:
        """Recompute every scorecard now; follow the job at /api/v1/jobs/{id}. Asked again
        while the organisation's recompute is queued or running, answers that job."""
        actor = current_actor()
        require_permission(actor.role, "manage_suppliers")
        return start_recompute()


@bp.route("/disputes")
class Disputes(MethodView):
    decorators = [login_required]

    @bp.arguments(DisputeQuerySchema, location="query")
    @bp.response(200, DisputeViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Comments on scores my organisation sent or received."""
        return disputes_query(current_user.org_id, query.get("status"))

    @json_body(DisputeSchema, "The score (KPI and period), the customer, and the comment.")
    @bp.response(201, DisputeViewSchema)
    def post(self) -> ScorecardDispute:
        """As a supplier, comment on one of my scores to one of my customers."""
        with unit_of_work() as session:
            return open_dispute(session, current_actor(), json_object())


@bp.route("/disputes/<id:dispute_id>")
class Dispute(MethodView):
    decorators = [login_required]

    @bp.response(200, DisputeViewSchema)
    def get(self, dispute_id: int) -> ScorecardDispute:
        """One comment and its answer."""
        return get_dispute(db_session(), current_user.org_id, dispute_id)


@bp.route("/disputes/<id:dispute_id>/answer")
class DisputeAnswer(MethodView):
    decorators = [login_required]

    @json_body(DisputeAnswerSchema, "The answer and whether the score stands or was corrected.")
    @bp.response(200, DisputeViewSchema)
    def post(self, dispute_id: int) -> ScorecardDispute:
        """As the customer addressed, answer a comment once."""
        with unit_of_work() as session:
            return answer_dispute(session, current_actor(), dispute_id, json_object())
