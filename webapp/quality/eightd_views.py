"""Pages: 8D cases (list, open, the case with its steps, review, attachments, print view)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from models.accounts.entities import Membership, User
from models.base import utcnow
from models.errors import NotFound, ValidationFailed
from models.files import Attachment
from models.i18n import N_
from models.orgs.entities import Organisation, SupplierLink
from models.quality import eightd, queries
from models.quality.entities import EightDAttachment
from models.quality.scope import get_case
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.files import stored_file_response
from webapp.paging import paged, pager_args
from webapp.quality.labels import labels_context

bp = Blueprint("eightd", __name__, url_prefix="/quality/8d")
bp.context_processor(labels_context)

OPEN_FIELDS = ("title", "description", "supplier_org_id", "alert_id", "incident_id",
               "characteristic_id", "lot_number")  # fmt: skip


@bp.get("/")
@login_required
def cases() -> str:
    status = request.args.get("status", "open")
    query = queries.cases_query(current_user.org_id, status if status != "all" else None)
    page = paged(query)
    return render_template(
        "quality/eightd_list.html",
        paged=page,
        pager_args=pager_args(),
        status=status,
        names=_names({c.supplier_org_id for c in page.rows} | {c.buyer_org_id for c in page.rows}),
        now=utcnow(),
    )


@bp.route("/new", methods=["GET", "POST"])
@require_permission("manage_quality")
def new() -> str | WerkzeugResponse | tuple[str, int]:
    suppliers = _direct_suppliers()
    if request.method == "GET":
        values = {key: request.args.get(key, "") for key in OPEN_FIELDS}
        return render_template("quality/eightd_new.html", values=values, errors={},
                               suppliers=suppliers)  # fmt: skip
    data = {key: (request.form.get(key) or "").strip() or None for key in OPEN_FIELDS}
    try:
        with unit_of_work() as session:
            case = eightd.open_eightd(session, current_actor(), data)
    except ValidationFailed as error:
        return render_template("quality/eightd_new.html", values=request.form, errors=error.errors,
                               suppliers=suppliers), 422  # fmt: skip
    flash(gettext("8D %(number)s opened; the supplier was told.", number=case.number), "success")
    return redirect(url_for(".case", case_id=case.id))


@bp.get("/<id:case_id>")
@login_required
def case(case_id: int) -> str:
    return _render_case(case_id, {}, None)


@bp.post("/<id:case_id>/steps/<step:step>")
@require_permission("report")
def save(case_id: int, step: str) -> WerkzeugResponse | tuple[str, int]:
    """The step's form: saves the draft, submits it, or attaches the chosen file, in one
    transaction with what was typed, so attaching a file never loses the text."""
    form = request.form
    action = form.get("action", "save")
    data: dict[str, Any] = {
        "text": form.get("text", ""),
        "owner_user_id": form.get("owner_user_id") or None,
        "submit": action == "submit",
    }
    for name in eightd.EXTRA_FIELDS:
        if name in form:
            data[name] = form.get(name) or None
    file = request.files.get("file")
    chosen = file if file is not None and file.filename else None
    try:
        if action == "attach" and chosen is None:
            raise ValidationFailed.on("file", N_("Choose a file."))
        with unit_of_work() as session:
            if chosen is not None:
                eightd.attach_to_step(
                    session, current_actor(), case_id, step, chosen.filename or "",
                    chosen.mimetype or "application/octet-stream", chosen.read(),
                )  # fmt: skip
            eightd.save_step(session, current_actor(), case_id, step, data)
    except ValidationFailed as error:
        return _render_case(case_id, error.errors, step, dict(form)), 422
    if data["submit"]:
        message = gettext("Submitted for review.")
    elif chosen is not None:
        message = gettext("File attached and draft saved.")
    else:
        message = gettext("Draft saved.")
    flash(message, "success")
    return redirect(url_for(".case", case_id=case_id) + f"#{step}")


@bp.post("/<id:case_id>/steps/<step:step>/review")
@require_permission("manage_quality")
def review(case_id: int, step: str) -> WerkzeugResponse | tuple[str, int]:
    data = {
        "decision": request.form.get("decision", ""),
        "comment": request.form.get("comment") or None,
        "due_at": request.form.get("due_at") or None,
    }
    try:
        with unit_of_work() as session:
            eightd.review_step(session, current_actor(), case_id, step, data)
    except ValidationFailed as error:
        return _render_case(case_id, error.errors, step, dict(request.form)), 422
    flash(gettext("Step %(step)s reviewed.", step=step), "success")
    return redirect(url_for(".case", case_id=case_id) + f"#{step}")


@bp.get("/<id:case_id>/attachments/<id:attachment_id>")
@login_required
def download(case_id: int, attachment_id: int) -> Response:
    found = get_case(db_session(), current_user.org_id, case_id)
    step_ids = [step.id for step in found.steps]
    link = db_session().scalar(
        select(EightDAttachment).where(
            EightDAttachment.id == attachment_id, EightDAttachment.step_id.in_(step_ids)
        )
    )
    if link is None:
        raise NotFound()
    stored = db_session().get(Attachment, link.attachment_id)
    return stored_file_response(stored.content, stored.filename, stored.content_type)


@bp.get("/<id:case_id>/print")
@login_required
def print_view(case_id: int) -> str:
    found = get_case(db_session(), current_user.org_id, case_id)
    return render_template("quality/eightd_print.html", **_case_context(found), now=utcnow())


def _render_case(
    case_id: int, errors: dict[str, Any], error_step: str | None, values: dict | None = None
) -> str:
    found = get_case(db_session(), current_user.org_id, case_id)
    return render_template(
        "quality/eightd_case.html",
        **_case_context(found),
        errors=errors,
        error_step=error_step,
        values=values or {},
        now=utcnow(),
    )


def _case_context(found: Any) -> dict[str, Any]:
    session = db_session()
    people = session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.org_id == found.supplier_org_id)
        .order_by(User.name)
    ).all()
    user_ids = {s.owner_user_id for s in found.steps} | {s.reviewed_by_user_id for s in found.steps}
    events = eightd.history(session, found.id)
    user_ids |= {event.by_user_id for event in events}
    users = dict(
        session.execute(select(User.id, User.name).where(User.id.in_(user_ids - {None}))).all()
    )
    return {
        "case": found,
        "events": events,
        "people": people,
        "users": users,
        "buyer": session.get(Organisation, found.buyer_org_id),
        "supplier": session.get(Organisation, found.supplier_org_id),
        "is_supplier": current_user.org_id == found.supplier_org_id,
        "is_buyer": current_user.org_id == found.buyer_org_id,
    }


def _names(ids: set[int]) -> dict[int, Organisation]:
    found = db_session().scalars(select(Organisation).where(Organisation.id.in_(ids)))
    return {org.id: org for org in found}


def _direct_suppliers() -> list[Organisation]:
    return list(
        db_session().scalars(
            select(Organisation)
            .join(SupplierLink, SupplierLink.supplier_id == Organisation.id)
            .where(SupplierLink.buyer_id == current_user.org_id, SupplierLink.status == "active")
            .order_by(Organisation.name_zh)
        )
    )
