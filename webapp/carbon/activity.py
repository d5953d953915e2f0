"""Pages: a site's monthly energy and output (phone form, corrections, spreadsheet upload)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from models.carbon.activity import (
    affected_parts,
    record_activity,
    records_of,
    superseded_ids,
)
from models.carbon.activity_checks import parts_made_by
from models.carbon.activity_import import import_activity, template
from models.carbon.constants import CANONICAL_UNIT, FUEL_LABELS, FUEL_UNITS, FUELS
from models.carbon.entities import ActivityRecord
from models.errors import NotFound, ValidationFailed
from models.orders.entities import Part
from models.orgs.entities import Site
from webapp.auth.session import current_actor, require_permission
from webapp.carbon.common import propagate, year_arg
from webapp.carbon.forms import OUTPUT_ROWS, activity_data, form_errors
from webapp.database import db_session, unit_of_work
from webapp.i18n import translate
from webapp.query_args import whole_number
from webapp.templating import current_locale

bp = Blueprint("carbon_activity", __name__, url_prefix="/carbon/activity")


def _choices() -> dict[str, Any]:
    session = db_session()
    sites = list(session.scalars(select(Site).where(Site.org_id == current_user.org_id)))
    parts = list(
        session.scalars(
            select(Part).where(parts_made_by(current_user.org_id)).order_by(Part.part_number)
        )
    )
    return {
        "sites": sites,
        "parts": parts,
        "fuels": FUELS,
        "fuel_labels": FUEL_LABELS,
        "fuel_units": FUEL_UNITS,
        "canonical": CANONICAL_UNIT,
        "output_rows": OUTPUT_ROWS,
    }


@bp.get("/")
@require_permission("view")
def records() -> str:
    year = year_arg()
    found = records_of(db_session(), current_user.org_id, year)
    return render_template(
        "carbon/activity_list.html",
        records=found,
        replaced=superseded_ids(db_session(), [r.id for r in found]),
        year=year,
        fuel_labels=FUEL_LABELS,
    )


def _prefill(record: ActivityRecord) -> dict[str, str]:
    values = {
        "site_id": str(record.site_id),
        "month": record.period_start.strftime("%Y-%m"),
        "supersedes_id": str(record.id),
    }
    for energy in record.energy:
        values[f"energy.{energy.fuel}.quantity"] = f"{energy.entered_quantity.normalize():f}"
        values[f"energy.{energy.fuel}.unit"] = energy.entered_unit
    for index, output in enumerate(record.outputs[:OUTPUT_ROWS]):
        values[f"outputs.{index}.part_id"] = str(output.part_id)
        values[f"outputs.{index}.quantity"] = f"{output.quantity.normalize():f}"
        values[f"outputs.{index}.mass_kg"] = f"{output.mass_kg.normalize():f}"
    return values


@bp.route("/new", methods=["GET", "POST"])
@require_permission("report")
def new() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        values: dict[str, str] = {}
        supersedes = request.args.get("supersedes", type=whole_number)
        if supersedes:
            old = db_session().get(ActivityRecord, supersedes)
            if old is None or old.org_id != current_user.org_id:
                raise NotFound()
            values = _prefill(old)
        return render_template("carbon/activity_form.html", values=values, errors={}, **_choices())
    data, rows = activity_data(request.form)
    try:
        with unit_of_work() as session:
            record = record_activity(session, current_actor(), data)
            year, parts = (
                record.period_start.year,
                affected_parts(session, record.site_id, record.period_start.year),
            )
    except ValidationFailed as error:
        return (
            render_template(
                "carbon/activity_form.html",
                values=request.form,
                errors=form_errors(error.errors, rows),
                **_choices(),
            ),
            422,
        )
    propagate(year, parts)
    flash(gettext("Saved. The footprints are being updated."), "success")
    return redirect(url_for("carbon_activity.records", year=year))


@bp.route("/upload", methods=["GET", "POST"])
@require_permission("report")
def upload() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("carbon/activity_upload.html", result=None)
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template("carbon/activity_upload.html", result=None, missing=True), 422
    with unit_of_work() as session:
        result = import_activity(session, current_actor(), file.filename, file.read())
        written = list(
            session.execute(
                select(ActivityRecord.site_id, ActivityRecord.period_start).where(
                    ActivityRecord.id.in_(result.written)
                )
            )
        )
        affected = {
            (start.year, pid)
            for site_id, start in written
            for pid in affected_parts(session, site_id, start.year)
        }
    for year in {y for y, _p in affected}:
        propagate(year, [p for y, p in affected if y == year])
    errors = [{**e, "message": translate(e["message"])} for e in result.upload.errors or []]
    status = 200 if result.accepted else 422
    return render_template("carbon/activity_upload.html", result=result, errors=errors), status


@bp.get("/template.xlsx")
@require_permission("view")
def template_file() -> Response:
    return Response(
        template(current_locale()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=carbon-activity.xlsx"},
    )
