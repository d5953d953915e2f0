"""API: activity data, emission factors, footprints (with breakdown and PACT export), scope 3."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select, select

from models import jobs
from models.base import utcnow
from models.carbon.activity import affected_parts, record_activity
from models.carbon.breakdown import breakdown
from models.carbon.entities import ActivityRecord, EmissionFactor, ProductFootprint
from models.carbon.factors import anchor_of, current_factors, record_factor
from models.carbon.footprints import declare_footprint, get_footprint, visible_footprints_query
from models.carbon.own_emissions import year_bounds
from models.carbon.pact_exchange import import_pact_document
from models.carbon.pact_export import export_document
from models.carbon.reports import scope3_purchased_goods
from models.carbon.rollup_scope import ROLLUP_JOB, check_rollup_year
from models.carbon.schemas import (
    ActivityRecordSchema,
    DeclaredFootprintSchema,
    EmissionFactorSchema,
)
from models.clock import local_today
from models.errors import ValidationFailed
from models.i18n import N_
from models.roles import require_permission
from webapp.api_base import SelectPage, json_body, json_object
from webapp.auth.session import current_actor
from webapp.carbon.common import propagate
from webapp.carbon.schemas import (
    ActivityRecordOutSchema,
    EmissionFactorOutSchema,
    FootprintDetailSchema,
    FootprintOutSchema,
    FootprintQuerySchema,
    PactExportQuerySchema,
    PactImportSchema,
    RollupSchema,
    Scope3Schema,
    YearQuerySchema,
)
from webapp.database import db_session, unit_of_work
from webapp.system.schemas import JobSchema
from webapp.tasks import start_or_join
from webapp.templating import current_locale
from worker.tasks.carbon import run_footprint_rollup

bp = Blueprint(
    "carbon_api",
    __name__,
    url_prefix="/api/v1/carbon",
    description="Carbon: activity data, emission factors, product footprints, scope 3",
)


@bp.route("/activity")
class Activity(MethodView):
    decorators = [login_required]

    @bp.arguments(YearQuerySchema, location="query")
    @bp.response(200, ActivityRecordOutSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """My organisation's activity records (corrections included), newest first."""
        found = select(ActivityRecord).where(ActivityRecord.org_id == current_user.org_id)
        if query["year"]:
            found = found.where(ActivityRecord.period_start.between(*year_bounds(query["year"])))
        return found.order_by(ActivityRecord.period_start.desc(), ActivityRecord.id.desc())

    @json_body(ActivityRecordSchema, "A site's month: energy per fuel with its unit, and output")
    @bp.response(201, ActivityRecordOutSchema)
    def post(self) -> ActivityRecord:
        """Record a month of energy and output (or correct one with ``supersedes_id``)."""
        with unit_of_work() as session:
            record = record_activity(session, current_actor(), json_object(), source="api")
            year = record.period_start.year
            parts = affected_parts(session, record.site_id, year)
        propagate(year, parts)
        return record


@bp.route("/factors")
class Factors(MethodView):
    decorators = [login_required]

    @bp.response(200, EmissionFactorOutSchema(many=True))
    def get(self) -> list[EmissionFactor]:
        """The current version of every emission factor that applies in my supply chain: the
        published ones, with my anchor's own versions over them."""
        session = db_session()
        return current_factors(session, anchor_of(session, current_user.org_id))

    @json_body(EmissionFactorSchema, "A factor; the same fuel, region and year gets a new version")
    @bp.response(201, EmissionFactorOutSchema)
    def post(self) -> EmissionFactor:
        """Add a factor or a new version of one (the anchor's carbon managers)."""
        with unit_of_work() as session:
            return record_factor(session, current_actor(), json_object())


@bp.route("/footprints")
class Footprints(MethodView):
    decorators = [login_required]

    @bp.arguments(FootprintQuerySchema, location="query")
    @bp.response(200, FootprintOutSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Footprints whose maker's carbon data I may see."""
        found = visible_footprints_query(current_user.org_id)
        if query["year"]:
            found = found.where(ProductFootprint.year == query["year"])
        if query["part_id"]:
            found = found.where(ProductFootprint.part_id == query["part_id"])
        if query["status"]:
            found = found.where(ProductFootprint.status == query["status"])
        return found.order_by(ProductFootprint.id.desc())

    @json_body(DeclaredFootprintSchema, "kgCO2e per ONE unit of a part I make, for a year")
    @bp.response(201, FootprintOutSchema)
    def post(self) -> ProductFootprint:
        """Declare a footprint of a part my organisation makes."""
        with unit_of_work() as session:
            footprint = declare_footprint(session, current_actor(), json_object(), source="api")
        propagate(footprint.year, [footprint.part_id])
        return footprint


@bp.route("/footprints/pact")
class PactImport(MethodView):
    decorators = [login_required]

    @json_body(PactImportSchema, "The part it is for and a PACT v2/v3 ProductFootprint")
    @bp.response(201, FootprintOutSchema)
    def post(self) -> ProductFootprint:
        """Declare a footprint from a PACT ProductFootprint document (kept as received)."""
        body = json_object()
        if not isinstance(body.get("part_id"), int) or not isinstance(body.get("document"), dict):
            raise ValidationFailed.on("part_id", N_("Give part_id and the document object."))
        with unit_of_work() as session:
            footprint = import_pact_document(
                session, current_actor().via("api"), body["part_id"], body["document"]
            )
        propagate(footprint.year, [footprint.part_id])
        return footprint


@bp.route("/footprints/<id:footprint_id>")
class Footprint(MethodView):
    decorators = [login_required]

    @bp.response(200, FootprintDetailSchema)
    def get(self, footprint_id: int) -> dict[str, Any]:
        """One footprint with its breakdown as I may see it (withheld suppliers summed)."""
        session = db_session()
        found = get_footprint(session, current_user.org_id, footprint_id)
        view = breakdown(session, current_user.org_id, found, current_locale())
        data = {column.key: getattr(found, column.key) for column in found.__table__.columns}
        return data | {"bars": view.bars, "tiers": view.tiers, "calc": _shown_calc(found, view)}


def _shown_calc(found: ProductFootprint, view: Any) -> dict[str, Any] | None:
    """The calculation without the identity of inputs from suppliers the viewer may not see."""
    calc = dict(found.calc or {})
    shown = {bar.part_id for bar in view.bars if bar.kind == "input"}
    if "inputs" in calc:
        calc["inputs"] = [i for i in calc["inputs"] if i["part_id"] in shown]
        calc["missing"] = [m for m in calc.get("missing", []) if m.get("org_id") in view.names]
    return calc


@bp.route("/footprints/<id:footprint_id>/pact")
class PactExport(MethodView):
    decorators = [login_required]

    @bp.arguments(PactExportQuerySchema, location="query")
    @bp.response(200)
    def get(self, query: dict[str, Any], footprint_id: int) -> dict[str, Any]:
        """The footprint as a PACT ProductFootprint JSON object (``version`` 2 or 3)."""
        if query["version"] not in (2, 3):
            raise ValidationFailed.on("version", N_("Must be 2 or 3."))
        session = db_session()
        found = get_footprint(session, current_user.org_id, footprint_id)
        return export_document(session, found, query["version"])


@bp.route("/scope3")
class Scope3(MethodView):
    decorators = [login_required]

    @bp.arguments(YearQuerySchema, location="query")
    @bp.response(200, Scope3Schema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """My purchased-goods (scope 3, category 1) estimate: Σ quantity bought x footprint."""
        year = query["year"] or utcnow().year
        result = scope3_purchased_goods(db_session(), current_user.org_id, year, current_locale())
        return {
            "year": year,
            "total_kg": result.total_kg,
            "by_supplier": result.by_supplier,
            "by_tier": {str(tier): kg for tier, kg in result.by_tier.items()},
            "missing_parts": len(result.missing),
        }


@bp.route("/rollup")
class Rollup(MethodView):
    decorators = [login_required]

    @bp.arguments(RollupSchema)
    @bp.response(202, JobSchema)
    def post(self, data: dict[str, Any]) -> jobs.JobRun:
        """Recompute my supply chain's footprints of a year (this year by default) in the
        background; follow the job's progress."""
        require_permission(current_actor().role, "manage_carbon")
        check_rollup_year(data["year"], local_today())
        return start_or_join(run_footprint_rollup, ROLLUP_JOB, {"year": data["year"]}, data["year"])
