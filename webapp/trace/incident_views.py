"""Pages: quality incidents (list, open, detail with containment scope, actions, exports)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from models.errors import Conflict, NotFound, ValidationFailed
from models.jobs import JobRun
from models.trace import incidents, photos
from models.trace.entities import INCIDENT_STATES, SEVERITIES
from models.trace.scope import Lens
from models.trace.search import get_visible_lot, split_numbers
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.files import stored_file_response
from webapp.i18n import translate
from webapp.paging import paged, pager_args
from webapp.query_args import whole_numbers
from webapp.tasks import enqueue
from webapp.templating import current_locale
from webapp.trace.exports import containment_file
from webapp.trace.incident_page import incident_context
from webapp.trace.labels import WITHHELD_WORDS, labels_context
from worker.tasks.trace import compute_containment_scope

bp = Blueprint("incidents", __name__, url_prefix="/trace/incidents")
bp.context_processor(labels_context)


def settings() -> Any:
    return current_app.extensions["tierlight.settings"]


def start_containment(job_id: int | None, incident_id: int) -> None:
    """Enqueue the containment job of an incident (after the transaction that created it)."""
    if job_id is not None:
        enqueue(compute_containment_scope, job_id, incident_id, job_id=job_id)


@bp.get("/")
@login_required
def index() -> str:
    state = request.args.get("state") if request.args.get("state") in INCIDENT_STATES else None
    severity = request.args.get("severity")
    severity = severity if severity in SEVERITIES else None
    page = paged(incidents.incidents_query(current_user.org_id, state, severity))
    lens = Lens.of(db_session(), current_user.org_id)
    return render_template(
        "trace/incidents.html",
        paged=page,
        pager_args=pager_args(),
        titles={i.id: i.title if lens.reads(i) else WITHHELD_WORDS for i in page.rows},
        state=state,
        severity=severity,
        states=INCIDENT_STATES,
        severities=SEVERITIES,
    )


@bp.route("/new", methods=["GET", "POST"])
@require_permission("manage_quality")
def new() -> str | Response | tuple[str, int]:
    session, viewer = db_session(), current_user.org_id
    if request.method == "GET":
        ids = whole_numbers(request.args.getlist("lot"))
        lots = [get_visible_lot(session, viewer, lot_id) for lot_id in ids]
        return render_template("trace/incident_new.html", lots=lots, form={}, errors={})
    form = request.form
    data = {
        "title": form.get("title", ""),
        "severity": form.get("severity", ""),
        "description": form.get("description", ""),
        "lot_ids": form.getlist("lot_id"),
        "lots": [{"lot_number": n} for n in split_numbers(form.get("lot_numbers", ""))],
    }
    uploads = [f for f in request.files.getlist("photos") if f and f.filename]
    try:
        with unit_of_work() as session:
            incident = incidents.open_incident(session, current_actor(), data)
            for upload in uploads:
                photos.add_incident_photo(
                    session,
                    current_actor(),
                    incident.id,
                    upload.filename or "photo",
                    upload.mimetype,
                    upload.read(),
                    settings().max_photo_bytes,
                )
    except ValidationFailed as error:
        lots = _lots_for_form(form.getlist("lot_id"))
        errors = error.errors
        return render_template("trace/incident_new.html", lots=lots, form=form, errors=errors), 422
    start_containment(incident.scope_job_id, incident.id)
    flash(
        gettext(
            "Incident %(ref)s opened; its containment scope is being computed.",
            ref=incident.reference,
        ),
        "success",
    )
    return redirect(url_for("incidents.detail", incident_id=incident.id))


def _lots_for_form(values: list[str]) -> list[Any]:
    lots = []
    for lot_id in whole_numbers(values):
        try:
            lots.append(get_visible_lot(db_session(), current_user.org_id, lot_id))
        except NotFound:
            continue
    return lots


@bp.get("/<id:incident_id>")
@login_required
def detail(incident_id: int) -> str:
    return render_template(
        "trace/incident.html", **incident_context(db_session(), incident_id, current_locale())
    )


@bp.post("/<id:incident_id>/actions")
@login_required
def act(incident_id: int) -> Response:
    data = {"action": request.form.get("action", ""), "note": request.form.get("note") or None}
    try:
        with unit_of_work() as session:
            incidents.change_incident_state(
                session, current_actor(), incident_id, data, settings().public_base_url
            )
    except ValidationFailed as error:
        _flash_errors(error)
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    except Conflict as error:
        # The page was out of date (the other party moved the incident on, or the button was
        # pressed twice): show the incident as it is now, with the reason, not an error page.
        flash(translate(error.message), "error")
        return redirect(url_for("incidents.detail", incident_id=incident_id))
    flash(gettext("Done."), "success")
    return redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.post("/<id:incident_id>/photos")
@login_required
def add_photo(incident_id: int) -> Response:
    photo = request.files.get("photo")
    try:
        with unit_of_work() as session:
            photos.add_incident_photo(
                session,
                current_actor(),
                incident_id,
                (photo.filename if photo else "") or "photo",
                photo.mimetype if photo else "",
                photo.read() if photo else b"",
                settings().max_photo_bytes,
            )
    except ValidationFailed as error:
        _flash_errors(error)
    else:
        flash(gettext("Photo added."), "success")
    return redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.get("/<id:incident_id>/photos/<id:photo_id>")
@login_required
def photo(incident_id: int, photo_id: int) -> Response:
    attachment = photos.incident_photo(db_session(), current_user.org_id, incident_id, photo_id)
    return stored_file_response(
        attachment.content, attachment.filename, attachment.content_type, max_age=3600
    )


def _flash_errors(error: ValidationFailed) -> None:
    for messages in error.errors.values():
        for message in messages:
            flash(translate(message), "error")


@bp.post("/<id:incident_id>/scope")
@login_required
def rescope(incident_id: int) -> Response:
    with unit_of_work() as session:
        job: JobRun = incidents.request_containment(session, current_actor(), incident_id)
    start_containment(job.id, incident_id)
    flash(gettext("The containment scope is being computed again."), "success")
    return redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.get("/<id:incident_id>/containment.<any(csv, xlsx):fmt>")
@login_required
def export(incident_id: int, fmt: str) -> Response:
    return containment_file(db_session(), current_user.org_id, incident_id, fmt, current_locale())
