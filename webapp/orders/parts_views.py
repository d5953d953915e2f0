"""Pages: the organisation's parts and the bills of materials of what it makes."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from models.errors import ValidationFailed
from models.orders.entities import BomLine, Part
from models.orders.parts import bom_of, define_part, get_part, parts_query, set_bom_line
from models.orgs.entities import Organisation, SupplierLink
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.orders.forms import fields
from webapp.templating import current_locale

bp = Blueprint("parts", __name__, url_prefix="/orders/parts")

PART_FIELDS = (
    "part_number", "name_zh", "name_en", "unit", "mass_kg", "supplier_org_id",
    "supplier_part_number",
)  # fmt: skip


def _page(values: dict, errors: dict, status: int = 200) -> tuple[str, int]:
    session = db_session()
    parts = list(session.scalars(parts_query(current_user.org_id, request.args.get("q"))))
    suppliers = session.scalars(
        select(Organisation)
        .join(SupplierLink, SupplierLink.supplier_id == Organisation.id)
        .where(SupplierLink.buyer_id == current_user.org_id, SupplierLink.status == "active")
    )
    made = session.scalars(
        select(Part).join(BomLine, BomLine.parent_part_id == Part.id)
        .where(BomLine.owner_org_id == current_user.org_id).distinct()
    )  # fmt: skip
    return render_template(
        "orders/parts.html",
        parts=parts,
        made=list(made),
        suppliers=[(o.id, o.display_name(current_locale())) for o in suppliers],
        values=values,
        errors=errors,
    ), status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    return _page({}, {})


@bp.post("/")
@require_permission("manage_parts")
def save() -> Response | tuple[str, int]:
    try:
        with unit_of_work() as session:
            part = define_part(session, current_actor(), fields(*PART_FIELDS))
    except ValidationFailed as error:
        return _page(request.form, error.errors, 422)
    flash(gettext("Part %(number)s saved.", number=part.part_number), "success")
    return redirect(url_for("parts.index"))


@bp.get("/<id:part_id>")
@login_required
def part(part_id: int) -> str:
    found = get_part(db_session(), current_user.org_id, part_id)
    bom = bom_of(db_session(), found.id, current_user.org_id)
    return render_template("orders/part.html", part=found, bom=bom, values={}, errors={})


@bp.post("/bom")
@require_permission("manage_parts")
def bom() -> Response | tuple[str, int]:
    data = fields("parent_part_number", "child_part_number", "quantity", "scrap_pct")
    try:
        with unit_of_work() as session:
            line = set_bom_line(session, current_actor(), data)
    except ValidationFailed as error:
        return _page(request.form, error.errors, 422)
    flash(gettext("Bill of materials saved."), "success")
    return redirect(url_for("parts.part", part_id=line.parent_part_id))
