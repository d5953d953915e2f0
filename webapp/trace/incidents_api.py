"""API: quality incidents (open on lots, move through states, containment scope)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select

from models.jobs import JobRun
from models.trace import incidents
from models.trace.schemas import IncidentActionSchema, IncidentCreateSchema
from models.trace.scope import Lens, current_snapshot, scope_lots, scope_orgs
from webapp.api_base import SelectPage, json_body, json_object
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.system.schemas import JobSchema
from webapp.trace.incident_views import start_containment
from webapp.trace.schemas import IncidentQuerySchema, IncidentSchema, ScopeSchema

bp = Blueprint(
    "incidents_api",
    __name__,
    url_prefix="/api/v1/incidents",
    description="Quality incidents on lots and their containment scope across tiers",
)


@bp.route("")
class Incidents(MethodView):
    decorators = [login_required]

    @bp.arguments(IncidentQuerySchema, location="query")
    @bp.response(200, IncidentSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Incidents I opened, am the supplier of, or was notified of; newest first."""
        return incidents.incidents_query(current_user.org_id, query["state"], query["severity"])

    @json_body(IncidentCreateSchema, "Lots by id (``lot_ids``) or by number (``lots``).")
    @bp.response(201, IncidentSchema)
    def post(self) -> Any:
        """Open an incident; its containment scope is computed in the background."""
        with unit_of_work() as session:
            incident = incidents.open_incident(session, current_actor(), json_object())
        start_containment(incident.scope_job_id, incident.id)
        db_session().refresh(incident)
        return incident


@bp.route("/<id:incident_id>")
class Incident(MethodView):
    decorators = [login_required]

    @bp.response(200, IncidentSchema)
    def get(self, incident_id: int) -> Any:
        """One incident with its history."""
        return incidents.get_incident(db_session(), current_user.org_id, incident_id)


@bp.route("/<id:incident_id>/actions")
class Actions(MethodView):
    decorators = [login_required]

    @json_body(IncidentActionSchema, "send, acknowledge, accept, decline (with a note) or close")
    @bp.response(200, IncidentSchema)
    def post(self, incident_id: int) -> Any:
        """Move the incident on: the opener sends and closes, the supplier answers."""
        base_url = current_app.extensions["tierlight.settings"].public_base_url
        with unit_of_work() as session:
            incidents.change_incident_state(
                session, current_actor(), incident_id, json_object(), base_url
            )
        return incidents.get_incident(db_session(), current_user.org_id, incident_id)


@bp.route("/<id:incident_id>/scope")
class Scope(MethodView):
    decorators = [login_required]

    @bp.response(200, ScopeSchema)
    def get(self, incident_id: int) -> dict[str, Any]:
        """The current containment scope as I may see it (withheld lots counted per tier)."""
        session = db_session()
        incident = incidents.get_incident(session, current_user.org_id, incident_id)
        snapshot = current_snapshot(session, incident.snapshot_id)
        if snapshot is None:
            return {
                "snapshot_id": None,
                "status": "none",
                "summary": None,
                "lots": [],
                "withheld": [],
                "organisations": [],
            }
        lens = Lens.of(session, current_user.org_id)
        lots, withheld = scope_lots(session, lens, snapshot.id)
        return {
            "snapshot_id": snapshot.id,
            "status": snapshot.status,
            "summary": snapshot.summary,
            "lots": lots,
            "withheld": withheld,
            "organisations": scope_orgs(session, lens, snapshot.id),
        }

    @bp.response(202, JobSchema)
    def post(self, incident_id: int) -> JobRun:
        """Compute the scope again (for instance after new consumption was declared)."""
        with unit_of_work() as session:
            job = incidents.request_containment(session, current_actor(), incident_id)
        start_containment(job.id, incident_id)
        db_session().refresh(job)
        return job
