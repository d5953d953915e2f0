"""Pages: the buyer specifies a characteristic (new and edit)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from models.errors import NotFound, ValidationFailed
from models.orders.entities import Part
from models.orgs.entities import Organisation, SupplierLink
from models.quality.characteristics import create_characteristic, update_characteristic
from models.quality.scope import get_characteristic
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.quality.labels import labels_context
from webapp.quality.recompute import start_recompute

bp = Blueprint("quality_spec", __name__, url_prefix="/quality/characteristics")
bp.context_processor(labels_context)

FIELDS = ("part_id", "supplier_org_id", "code", "name", "unit", "nominal", "lsl", "usl",
          "target", "classification", "subgroup_size")  # fmt: skip
NUMBERS = ("nominal", "lsl", "usl", "target")


@bp.route("/new", methods=["GET", "POST"])
@require_permission("manage_quality")
def new() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        values = {"classification": "standard", "subgroup_size": "5", "unit": "mm"}
        values["part_id"] = request.args.get("part_id", "")
        return _form(values, {}, None)
    data = _data(request.form)
    try:
        with unit_of_work() as session:
            made = create_characteristic(session, current_actor(), data)
    except ValidationFailed as error:
        return _form(dict(request.form), error.errors, None), 422
    flash(gettext("Characteristic %(code)s created.", code=made.code), "success")
    return redirect(url_for("quality.characteristic", characteristic_id=made.id))


@bp.route("/<id:characteristic_id>/edit", methods=["GET", "POST"])
@require_permission("manage_quality")
def edit(characteristic_id: int) -> str | Response | tuple[str, int]:
    item = get_characteristic(db_session(), current_user.org_id, characteristic_id)
    if item.buyer_org_id != current_user.org_id:
        raise NotFound()
    if request.method == "GET":
        values = {name: getattr(item, name) for name in FIELDS}
        values["active"] = item.active
        return _form(values, {}, item)
    data = _data(request.form)
    for fixed in ("part_id", "supplier_org_id"):
        data.pop(fixed, None)
    data["active"] = bool(request.form.get("active"))
    try:
        with unit_of_work() as session:
            update_characteristic(session, current_actor(), characteristic_id, data)
    except ValidationFailed as error:
        return _form(dict(request.form), error.errors, item), 422
    start_recompute([characteristic_id])
    flash(gettext("Saved. The statistics are being recomputed."), "success")
    return redirect(url_for("quality.characteristic", characteristic_id=characteristic_id))


def _data(form: Any) -> dict[str, Any]:
    """The form as the operation's input: empty numbers are no limit, not zero."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = (form.get(name) or "").strip()
        if value or name not in (*NUMBERS, "supplier_org_id"):
            data[name] = value
        else:
            data[name] = None
    return data


def _form(values: dict[str, Any], errors: dict[str, Any], item: Any) -> str:
    session = db_session()
    parts = session.scalars(
        select(Part).where(Part.owner_org_id == current_user.org_id).order_by(Part.part_number)
    ).all()
    suppliers = session.scalars(
        select(Organisation)
        .join(SupplierLink, SupplierLink.supplier_id == Organisation.id)
        .where(SupplierLink.buyer_id == current_user.org_id, SupplierLink.status == "active")
        .order_by(Organisation.name_zh)
    ).all()
    return render_template(
        "quality/characteristic_form.html",
        values=values,
        errors=errors,
        item=item,
        parts=parts,
        suppliers=suppliers,
    )
