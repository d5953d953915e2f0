"""API: characteristics, inspections, statistics, alerts, PPM and first-pass yield."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select

from models.errors import NotFound
from models.jobs import JobRun
from models.orgs.entities import Organisation
from models.quality import alerts, characteristics, measurements, ppm, queries, settings, voids
from models.quality.chart_data import chart_data
from models.quality.entities import Characteristic, Inspection, QualityAlert
from models.quality.schemas import (
    AlertCloseSchema,
    CharacteristicSchema,
    InspectionSchema,
    QualitySettingsSchema,
)
from models.quality.scope import get_characteristic
from models.quality.statistics_store import statistics_of
from webapp.api_base import SelectPage, json_body, json_object
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.i18n import translate
from webapp.quality.recompute import start_recompute
from webapp.quality.schemas import (
    AlertOutSchema,
    AlertQuerySchema,
    CharacteristicOutSchema,
    CharacteristicQuerySchema,
    ChartOutSchema,
    CriticalCapabilityOutSchema,
    InspectionCreatedSchema,
    InspectionOutSchema,
    InspectionRecordedSchema,
    InspectionVoidSchema,
    PeriodQuerySchema,
    PpmOutSchema,
    RecomputeSchema,
    SettingsOutSchema,
    StatisticsOutSchema,
    YieldOutSchema,
)
from webapp.system.schemas import JobSchema

bp = Blueprint(
    "quality_api",
    __name__,
    url_prefix="/api/v1/quality",
    description="Supplier quality: characteristics, inspections, SPC statistics, alerts, PPM",
)


@bp.route("/characteristics")
class Characteristics(MethodView):
    decorators = [login_required]

    @bp.arguments(CharacteristicQuerySchema, location="query")
    @bp.response(200, CharacteristicOutSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Characteristics I specified or whose supplier's quality data I may see."""
        table = queries.capability_table(current_user.org_id, **query)
        return table.with_only_columns(Characteristic)

    @json_body(CharacteristicSchema)
    @bp.response(201, CharacteristicOutSchema)
    def post(self) -> Characteristic:
        """Specify a characteristic of one of my parts for one of my direct suppliers."""
        with unit_of_work() as session:
            return characteristics.create_characteristic(session, current_actor(), json_object())


@bp.route("/characteristics/<id:characteristic_id>")
class OneCharacteristic(MethodView):
    decorators = [login_required]

    @bp.response(200, CharacteristicOutSchema)
    def get(self, characteristic_id: int) -> Characteristic:
        return get_characteristic(db_session(), current_user.org_id, characteristic_id)

    @json_body(CharacteristicSchema, "Any subset of the fields, except part and supplier.")
    @bp.response(200, CharacteristicOutSchema)
    def patch(self, characteristic_id: int) -> Characteristic:
        """Change the specification; the statistics are recomputed."""
        with unit_of_work() as session:
            changed = characteristics.update_characteristic(
                session, current_actor(), characteristic_id, json_object()
            )
        start_recompute([changed.id])
        return changed


@bp.route("/characteristics/<id:characteristic_id>/statistics")
class Statistics(MethodView):
    decorators = [login_required]

    @bp.response(200, StatisticsOutSchema)
    def get(self, characteristic_id: int) -> Any:
        """The last computed chart limits, capability indices, status and signal counts."""
        get_characteristic(db_session(), current_user.org_id, characteristic_id, data=True)
        stored = statistics_of(db_session(), characteristic_id)
        if stored is None:
            raise NotFound()
        return stored


@bp.route("/characteristics/<id:characteristic_id>/chart")
class Chart(MethodView):
    decorators = [login_required]

    @bp.response(200, ChartOutSchema)
    def get(self, characteristic_id: int) -> dict[str, Any]:
        """Plotted points, limits, specification and active signals of the control chart."""
        found = get_characteristic(db_session(), current_user.org_id, characteristic_id, True)
        return chart_data(db_session(), found)


@bp.route("/inspections")
class Inspections(MethodView):
    decorators = [login_required]

    @bp.response(200, InspectionOutSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self) -> Select[Any]:
        """Inspections whose supplier's quality data I may see, newest first."""
        return queries.inspections_query(current_user.org_id)

    @json_body(
        InspectionSchema,
        "The shape of an EDIFACT QALITY item, plus defect counts; the optional idempotency "
        "key makes retries harmless.",
    )
    @bp.response(201, InspectionRecordedSchema)
    @bp.alt_response(200, schema=InspectionRecordedSchema, description="Already recorded.")
    def post(self) -> Any:
        """Record an inspection of a lot; its characteristics are then recomputed (job_id).

        A lot number that is no lot of mine yet (measured before its ship notice) is saved
        and named in ``unknown_lot_numbers``, with a message in ``notices``; the ship notice
        or lot declaration that creates the lot (same part) links the inspection to it. A repeated
        ``idempotency_key`` with the same content returns the inspection it first recorded
        (200); with other content it is a conflict (409).
        """
        with unit_of_work() as session:
            inspection, created = measurements.record_inspection_once(
                session, current_actor(), json_object()
            )
            ids = measurements.inspection_characteristic_ids(session, inspection.id)
        job = start_recompute(ids) if ids and created else None
        unknown = measurements.unknown_lot_numbers([inspection])
        notice = measurements.unknown_lots_notice(unknown)
        answer = {
            **_inspection_out(inspection, ids, job),
            "unknown_lot_numbers": unknown,
            "notices": [translate(notice)] if notice else [],
        }
        return answer, 201 if created else 200


@bp.route("/inspections/<id:inspection_id>")
class OneInspection(MethodView):
    decorators = [login_required]

    @bp.response(200, InspectionOutSchema)
    def get(self, inspection_id: int) -> Inspection:
        found = db_session().scalar(
            queries.inspections_query(current_user.org_id).where(Inspection.id == inspection_id)
        )
        if found is None:
            raise NotFound()
        return found


@bp.route("/inspections/<id:inspection_id>/void")
class VoidInspection(MethodView):
    decorators = [login_required]

    @json_body(InspectionVoidSchema, "Why the inspection was a mistake.")
    @bp.response(200, InspectionCreatedSchema)
    def post(self, inspection_id: int) -> dict[str, Any]:
        """Void one of my organisation's inspections recorded by mistake: its values leave the
        charts (the affected characteristics are recomputed, job_id) and its counts the yield."""
        with unit_of_work() as session:
            voided = voids.void_inspection(
                session, current_actor(), inspection_id, json_object().get("reason")
            )
        ids = voided.characteristic_ids
        job = start_recompute(ids) if ids else None
        return _inspection_out(voided.inspection, ids, job)


@bp.route("/recompute")
class Recompute(MethodView):
    decorators = [login_required]

    @bp.arguments(RecomputeSchema)
    @bp.response(202, JobSchema)
    def post(self, data: dict[str, Any]) -> JobRun:
        """Recompute the given characteristics (all I may see when none are named)."""
        return start_recompute(data.get("characteristic_ids"))


@bp.route("/alerts")
class Alerts(MethodView):
    decorators = [login_required]

    @bp.arguments(AlertQuerySchema, location="query")
    @bp.response(200, AlertOutSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Out-of-control signals, each tied to its points, newest first."""
        found = alerts.alerts_query(current_user.org_id)
        if query.get("status"):
            found = found.where(QualityAlert.status == query["status"])
        if query.get("characteristic_id"):
            found = found.where(QualityAlert.characteristic_id == query["characteristic_id"])
        if query.get("active") is not None:
            found = found.where(QualityAlert.active.is_(query["active"]))
        return found


@bp.route("/alerts/<id:alert_id>/close")
class CloseAlert(MethodView):
    decorators = [login_required]

    @json_body(AlertCloseSchema)
    @bp.response(200, AlertOutSchema)
    def post(self, alert_id: int) -> QualityAlert:
        """Close an alert with a note (the buyer's quality engineer)."""
        with unit_of_work() as session:
            return alerts.close_alert(session, current_actor(), alert_id, json_object())


@bp.route("/ppm")
class Ppm(MethodView):
    decorators = [login_required]

    @bp.arguments(PeriodQuerySchema, location="query")
    @bp.response(200, PpmOutSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[ppm.MonthlyPpm]:
        """Rejected ÷ received × 10⁶ per supplier, part and month, from receipts.

        A lot rejected as a whole counts with its whole received quantity; a lot sorted at
        receipt counts only the pieces refused.
        """
        return ppm.monthly_ppm(db_session(), current_user.org_id, **query)


@bp.route("/first-pass-yield")
class FirstPassYield(MethodView):
    decorators = [login_required]

    @bp.arguments(PeriodQuerySchema(exclude=("by_part",)), location="query")
    @bp.response(200, YieldOutSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[ppm.MonthlyYield]:
        """Good ÷ inspected per supplier, part and month, from the suppliers' inspections."""
        return ppm.monthly_yield(db_session(), current_user.org_id, **query)


@bp.route("/capability/critical")
class CriticalCapability(MethodView):
    decorators = [login_required]

    @bp.response(200, CriticalCapabilityOutSchema(many=True))
    def get(self) -> list[Any]:
        """Per supplier: capability status of its critical and special characteristics."""
        query = queries.critical_capability_by_supplier(current_user.org_id)
        return list(db_session().execute(query))


@bp.route("/settings")
class Settings(MethodView):
    decorators = [login_required]

    @bp.response(200, SettingsOutSchema)
    def get(self) -> dict[str, Any]:
        """My organisation's quality settings (thresholds, rule set, 8D deadlines)."""
        org = db_session().get(Organisation, current_user.org_id)
        return settings.settings_of(org).as_dict()

    @json_body(QualitySettingsSchema)
    @bp.response(200, SettingsOutSchema)
    def put(self) -> dict[str, Any]:
        with unit_of_work() as session:
            saved = settings.update_quality_settings(session, current_actor(), json_object())
        return saved.as_dict()


def _inspection_out(inspection: Inspection, ids: list[int], job: JobRun | None) -> dict[str, Any]:
    out = {name: getattr(inspection, name) for name in InspectionOutSchema().fields}
    return {**out, "characteristic_ids": ids, "job_id": job.id if job else None}
