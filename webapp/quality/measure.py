"""Pages for suppliers: measurements from a phone, attribute results, and CSV/XLSX uploads."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.wrappers import Response as WerkzeugResponse

from models.base import utcnow
from models.errors import Conflict, NotFound, ValidationFailed
from models.files import store_upload
from models.orders.entities import Lot, Part
from models.quality.entities import Characteristic, Inspection
from models.quality.measurements import (
    record_inspection_once,
    unknown_lot_numbers,
    unknown_lots_notice,
)
from models.quality.queries import own_inspections_query
from models.quality.spreadsheet import UPLOAD_KIND, import_measurements, reject_upload
from models.quality.voids import void_inspection
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.i18n import translate
from webapp.quality.labels import labels_context
from webapp.quality.recompute import start_recompute
from webapp.query_args import whole_number
from webapp.tasks import pending_job

bp = Blueprint("quality_measure", __name__, url_prefix="/quality/measure")
bp.context_processor(labels_context)

TEMPLATE_HEADER = "part_number,lot_number,characteristic,unit,subgroup,value,measured_at\n"
#: The example rows' part, characteristic, unit and value when the supplier measures nothing yet.
TEMPLATE_EXAMPLE = ("PART-001", "DIA", "mm", 10.0)
DEFECT_ROWS = 3
INSPECTIONS_PER_PAGE = 50


@bp.get("/")
@require_permission("report")
def choose() -> str:
    """Big buttons: one per characteristic the supplier measures, by part."""
    rows = db_session().execute(
        select(Characteristic, Part)
        .join(Part, Part.id == Characteristic.part_id)
        .where(Characteristic.supplier_org_id == current_user.org_id, Characteristic.active)
        .order_by(Part.part_number, Characteristic.code)
    )
    return render_template("quality/measure_list.html", rows=rows.all())


@bp.route("/<id:characteristic_id>", methods=["GET", "POST"])
@require_permission("report")
def measure(characteristic_id: int) -> str | WerkzeugResponse | tuple[str, int]:
    """One subgroup of one characteristic: a lot number and n values."""
    session = db_session()
    item = session.get(Characteristic, characteristic_id)
    if item is None or item.supplier_org_id != current_user.org_id:
        raise NotFound()
    context: dict[str, Any] = {
        "item": item,
        "lots": _recent_lots(item),
        "errors": {},
        "known": ["lot_number", *(f"v{index}" for index in range(item.subgroup_size))],
        # A new key per form shown (a re-shown form keeps the one it was posted with), so a
        # retry over a bad network records the subgroup once.
        "key": uuid.uuid4().hex,
    }
    if request.method == "GET":
        context["values"] = {"lot_number": request.args.get("lot", "")}
        saved = "job" in request.args
        return render_template("quality/measure_form.html", **context, job_id=_job(), saved=saved)
    form = request.form
    values = [form.get(f"v{index}", "").strip() for index in range(item.subgroup_size)]
    data = {
        "part_id": item.part_id,
        "lot_number": form.get("lot_number", "").strip(),
        "characteristics": [
            {"characteristic_id": item.id, "unit": form.get("unit", ""), "measurements": values}
        ],
        "idempotency_key": form.get("idempotency_key") or None,
    }
    try:
        with unit_of_work() as session:
            recorded, created = record_inspection_once(session, current_actor(), data)
    except (ValidationFailed, Conflict) as error:
        context["values"] = dict(form)
        if isinstance(error, Conflict):
            context["errors"] = {"_schema": [error.message]}
        else:
            context["errors"] = _form_errors(error.errors)
        status = 409 if isinstance(error, Conflict) else 422
        return render_template(
            "quality/measure_form.html", **context, job_id=None, saved=False
        ), status
    job = start_recompute([item.id]) if created else None
    flash(gettext("Saved. The control chart is being updated."), "success")
    _flash_unknown_lots([recorded])
    return redirect(url_for(".measure", characteristic_id=item.id, lot=data["lot_number"],
                            job=job.id if job else None))  # fmt: skip


@bp.route("/attributes", methods=["GET", "POST"])
@require_permission("report")
def attributes() -> str | WerkzeugResponse | tuple[str, int]:
    """Attribute results of a lot: inspected pieces and defective pieces per defect code."""
    parts = db_session().scalars(_supplied_parts()).all()
    # A new key per form shown, as on the phone form: a double tap records the lot once.
    context = {"parts": parts, "key": uuid.uuid4().hex}
    if request.method == "GET":
        return render_template("quality/attributes.html", **context, values={}, errors={})
    form = request.form
    defects = [
        {"code": form.get(f"code{index}", "").strip(), "count": form.get(f"count{index}", "")}
        for index in range(DEFECT_ROWS)
        if form.get(f"code{index}", "").strip()
    ]
    data = {
        "part_id": form.get("part_id") or None,
        "lot_number": form.get("lot_number", "").strip(),
        "inspected_quantity": form.get("inspected_quantity") or None,
        "defects": defects,
        "idempotency_key": form.get("idempotency_key") or None,
    }
    try:
        with unit_of_work() as session:
            recorded, _ = record_inspection_once(session, current_actor(), data)
    except ValidationFailed as error:
        return render_template(
            "quality/attributes.html", **context, values=dict(form), errors=error.errors
        ), 422
    except Conflict as error:
        errors = {"_schema": [error.message]}
        return render_template(
            "quality/attributes.html", **context, values=dict(form), errors=errors
        ), 409
    flash(gettext("Saved."), "success")
    _flash_unknown_lots([recorded])
    return redirect(url_for(".attributes"))


@bp.get("/inspections")
@require_permission("report")
def inspections() -> str:
    """The organisation's inspections, newest first, each with its void form."""
    return _inspections_page()


@bp.post("/inspections/<id:inspection_id>/void")
@require_permission("report")
def void(inspection_id: int) -> WerkzeugResponse | tuple[str, int]:
    reason = request.form.get("reason", "")
    try:
        with unit_of_work() as session:
            voided = void_inspection(session, current_actor(), inspection_id, reason)
    except ValidationFailed as error:
        return _inspections_page(failed_id=inspection_id, errors=error.errors, reason=reason), 422
    except Conflict as error:
        flash(translate(error.message), "error")
        return redirect(url_for(".inspections"))
    if voided.characteristic_ids:
        start_recompute(voided.characteristic_ids)
    flash(gettext("The inspection is void. The charts are being updated."), "success")
    return redirect(url_for(".inspections"))


def _inspections_page(**context: Any) -> str:
    page = max(request.args.get("page", 1, type=whole_number), 1)
    rows = (
        db_session()
        .execute(
            own_inspections_query(current_user.org_id)
            .offset((page - 1) * INSPECTIONS_PER_PAGE)
            .limit(INSPECTIONS_PER_PAGE + 1)
        )
        .all()
    )
    return render_template(
        "quality/inspections.html",
        rows=rows[:INSPECTIONS_PER_PAGE],
        more=len(rows) > INSPECTIONS_PER_PAGE,
        page=page,
        **{"failed_id": None, "errors": {}, "reason": "", **context},
    )


@bp.route("/upload", methods=["GET", "POST"])
@require_permission("report")
def upload() -> str | tuple[str, int]:
    """A CSV or XLSX file of measurements: all rows are written, or none."""
    if request.method == "GET":
        return render_template("quality/upload.html", errors={}, result=None)
    file = request.files.get("file")
    if file is None or not file.filename:
        errors = {"file": [gettext("Choose a CSV or XLSX file.")]}
        return render_template("quality/upload.html", errors=errors, result=None), 422
    actor = current_actor().via("file")
    with unit_of_work() as session:
        stored, created = store_upload(
            session,
            actor,
            UPLOAD_KIND,
            file.filename,
            file.read(),
            file.mimetype,
        )
    if not created and stored.status == "accepted":
        result = {"repeated": True, "summary": stored.summary}
        return render_template("quality/upload.html", errors={}, result=result)
    try:
        with unit_of_work() as session:
            summary = import_measurements(session, actor, stored.id)
    except ValidationFailed as error:
        with unit_of_work() as session:
            reject_upload(session, actor, stored.id, error.errors)
        return render_template("quality/upload.html", errors=error.errors, result=None), 422
    job = start_recompute(summary["characteristic_ids"]) if summary["characteristic_ids"] else None
    result = {
        "repeated": False,
        "summary": summary,
        "job_id": job.id if job else None,
        "notice": unknown_lots_notice(summary["unknown_lots"]),
    }
    return render_template("quality/upload.html", errors={}, result=result)


@bp.get("/template.csv")
@require_permission("report")
def template() -> Response:
    """The upload's columns, with one example subgroup of one of the supplier's own
    characteristics (never another supplier's part)."""
    item = (
        db_session()
        .scalars(
            select(Characteristic)
            .join(Part, Part.id == Characteristic.part_id)
            .where(Characteristic.supplier_org_id == current_user.org_id)
            .order_by(Part.part_number, Characteristic.code)
            .limit(1)
        )
        .first()
    )
    part, code, unit, value = TEMPLATE_EXAMPLE
    size = 2
    if item is not None:
        middle = (item.lsl + item.usl) / 2 if None not in (item.lsl, item.usl) else None
        typical = next((v for v in (item.nominal, item.target, middle) if v is not None), 0.0)
        part, code, unit, value = item.part.part_number, item.code, item.unit, typical
        size = item.subgroup_size
    stamp = utcnow().strftime("%Y-%m-%d 08:00")
    rows = "".join(f"{part},LOT-001,{code},{unit},1,{value:g},{stamp}\n" for _ in range(size))
    return Response(
        "\ufeff" + TEMPLATE_HEADER + rows,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=measurements.csv"},
    )


def _supplied_parts() -> Any:
    measured = select(Characteristic.part_id).where(
        Characteristic.supplier_org_id == current_user.org_id
    )
    return (
        select(Part)
        .where(or_(Part.supplier_org_id == current_user.org_id, Part.id.in_(measured)))
        .order_by(Part.part_number)
    )


def _recent_lots(item: Characteristic) -> list[str]:
    made = select(Lot.lot_number).where(
        Lot.maker_org_id == current_user.org_id, Lot.part_id == item.part_id
    )
    inspected = select(Inspection.lot_number).where(
        Inspection.supplier_org_id == current_user.org_id, Inspection.part_id == item.part_id
    )
    found = db_session().scalars(made.union(inspected).limit(30)).all()
    return sorted(set(found), reverse=True)[:12]


def _form_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Domain error paths as the phone form's field names (v0, v1, ... for the values)."""
    mapped: dict[str, list[str]] = {}
    for path, messages in errors.items():
        parts = path.split(".")
        if parts[0] == "characteristics" and len(parts) >= 4 and parts[2] == "measurements":
            key = f"v{parts[3]}"
        elif parts[0] == "characteristics" and len(parts) >= 3:
            key = "values" if parts[2] == "measurements" else parts[2]
        else:
            key = parts[0]
        mapped.setdefault(key, []).extend(messages)
    return mapped


def _flash_unknown_lots(recorded: list[Inspection]) -> None:
    notice = unknown_lots_notice(unknown_lot_numbers(recorded))
    if notice is not None:
        flash(translate(notice), "warning")


def _job() -> int | None:
    return pending_job(request.args.get("job", type=whole_number))
