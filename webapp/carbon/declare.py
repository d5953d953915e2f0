"""Pages: a maker declares a part's footprint, by form or by uploading a PACT document."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from models.base import utcnow
from models.carbon.activity_checks import parts_made_by
from models.carbon.footprints import declare_footprint
from models.carbon.pact_upload import upload_pact_footprint
from models.errors import ValidationFailed
from models.orders.entities import Part
from webapp.auth.session import current_actor, require_permission
from webapp.carbon.common import propagate
from webapp.carbon.forms import declared_data
from webapp.database import db_session, unit_of_work
from webapp.query_args import whole_number

bp = Blueprint("carbon_declare", __name__, url_prefix="/carbon/declare")


def _parts() -> list[Part]:
    return list(
        db_session().scalars(
            select(Part).where(parts_made_by(current_user.org_id)).order_by(Part.part_number)
        )
    )


@bp.route("/", methods=["GET", "POST"])
@require_permission("view")
def declare() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        values = {"year": str(utcnow().year), "part_id": request.args.get("part_id", "")}
        return render_template("carbon/declare.html", parts=_parts(), values=values, errors={})
    try:
        with unit_of_work() as session:
            footprint = declare_footprint(session, current_actor(), declared_data(request.form))
            year, part_id, footprint_id = footprint.year, footprint.part_id, footprint.id
    except ValidationFailed as error:
        return (
            render_template(
                "carbon/declare.html", parts=_parts(), values=request.form, errors=error.errors
            ),
            422,
        )
    propagate(year, [part_id])
    flash(gettext("Footprint declared. The parts made from it are being updated."), "success")
    return redirect(url_for("carbon.footprint", footprint_id=footprint_id))


@bp.route("/pact", methods=["GET", "POST"])
@require_permission("view")
def pact_import() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("carbon/pact_import.html", parts=_parts(), errors={}, values={})
    file = request.files.get("file")
    part_id = request.form.get("part_id", type=whole_number)
    errors: dict[str, list[str]] = {}
    if part_id is None:
        errors["part_id"] = [gettext("Choose the part.")]
    if file is None or not file.filename:
        errors["file"] = [gettext("Choose a file.")]
    if errors:
        return render_template(
            "carbon/pact_import.html", parts=_parts(), errors=errors, values=request.form
        ), 422
    with unit_of_work() as session:
        result = upload_pact_footprint(
            session,
            current_actor(),
            part_id,
            file.filename,
            file.read(),  # type: ignore[union-attr,arg-type]
        )
        done = (
            (result.footprint.year, result.footprint.part_id, result.footprint.id)
            if (result.footprint)
            else None
        )
    if done is None:
        return render_template(
            "carbon/pact_import.html", parts=_parts(), errors=result.errors, values=request.form
        ), 422
    propagate(done[0], [done[1]])
    flash(gettext("PACT footprint imported. The parts made from it are being updated."), "success")
    return redirect(url_for("carbon.footprint", footprint_id=done[2]))
