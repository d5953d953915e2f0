"""Pages: EDI documents (list, upload, detail), files sent and received, partner identities."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from models.edi_docs import documents, identities, outbound, shares
from models.edi_docs.entities import DOCUMENT_STATES, STANDARDS
from models.errors import Conflict, ValidationFailed
from models.i18n import N_, Msg
from models.validation import MAX_DB_INT, whole_number_up_to
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.edi import actions
from webapp.edi.presenters import (
    STANDARD_LABELS,
    document_detail,
    document_summaries,
    download_response,
    outbound_views,
    status_label,
)
from webapp.paging import paged
from webapp.templating import current_locale

bp = Blueprint("edi", __name__, url_prefix="/edi")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"edi_status": status_label, "standard_labels": STANDARD_LABELS}


def _document_list(errors: dict[str, list[str]] | None = None, status: int = 200) -> Any:
    args = request.args
    query = shares.documents_query(
        current_user.org_id, args.get("status") or None, args.get("role") or None
    )
    listing = paged(query)
    return (
        render_template(
            "edi/documents.html",
            documents=document_summaries(
                db_session(), current_user.org_id, listing.rows, current_locale()
            ),
            paged=listing,
            pager_args={key: args[key] for key in ("status", "role") if args.get(key)},
            states=DOCUMENT_STATES,
            args=args,
            errors=errors or {},
        ),
        status,
    )


@bp.get("/")
@login_required
def index() -> Any:
    return _document_list()


@bp.post("/upload")
@require_permission("manage_edi")
def upload() -> Any:
    file = request.files.get("file")
    if file is None or not file.filename:
        return _document_list({"file": [Msg(N_("No file was chosen."))]}, 422)
    try:
        document, created = actions.receive(
            current_actor(), file.filename, file.read(), file.mimetype
        )
    except ValidationFailed as error:
        return _document_list(error.errors, 422)
    if created:
        flash(gettext("The file was received and is being processed."), "success")
    else:
        flash(gettext("This file was received before; here is the first document."), "success")
    return redirect(url_for("edi.document", document_id=document.id))


@bp.get("/documents/<id:document_id>")
@login_required
def document(document_id: int) -> str:
    found = documents.document_for(db_session(), current_user.org_id, document_id)
    view = document_detail(
        db_session(), current_user.org_id, current_user.role, found, current_locale()
    )
    return render_template("edi/document.html", doc=view)


@bp.get("/documents/<id:document_id>/raw")
@login_required
def raw(document_id: int) -> Response:
    found = documents.document_for(db_session(), current_user.org_id, document_id)
    return download_response(
        shares.file_for(db_session(), current_user.org_id, found), found.upload.filename
    )


@bp.post("/documents/<id:document_id>/reprocess")
@require_permission("manage_edi")
def reprocess(document_id: int) -> WerkzeugResponse:
    actions.reprocess(current_actor(), document_id)
    flash(gettext("The document is being processed again."), "success")
    return redirect(url_for("edi.document", document_id=document_id))


def _outbound_page(errors: dict[str, list[str]] | None = None, status: int = 200) -> Any:
    kind = request.args.get("kind") or None
    listing = paged(outbound.outbound_query(current_user.org_id, kind))
    orders = (
        outbound.orders_for_edi(db_session(), current_user.org_id)
        if current_user.can("manage_edi")
        else []
    )
    return (
        render_template(
            "edi/outbound.html",
            files=outbound_views(db_session(), listing.rows, current_locale()),
            paged=listing,
            pager_args={"kind": kind} if kind else {},
            orders=orders,
            standards=STANDARDS,
            kind=kind,
            errors=errors or {},
        ),
        status,
    )


@bp.get("/outbound")
@login_required
def outbound_files() -> Any:
    return _outbound_page()


@bp.post("/outbound")
@require_permission("manage_edi")
def send_order() -> Any:
    form = request.form
    given = form.get("purchase_order_id", "")
    order_id = whole_number_up_to(given, MAX_DB_INT)
    data = {
        "purchase_order_id": order_id if order_id is not None else given or None,
        "standard": form.get("standard") or None,
    }
    try:
        sent = actions.send_order(current_actor(), data)
    except ValidationFailed as error:
        return _outbound_page(error.errors, 422)
    except Conflict as error:
        return _outbound_page({"_schema": [error.message]}, 409)
    flash(gettext("%(file)s was written for the supplier.", file=sent.filename), "success")
    return redirect(url_for("edi.outbound_files"))


@bp.get("/outbound/<id:outbound_id>/download")
@login_required
def download(outbound_id: int) -> Response:
    found = outbound.outbound_for(db_session(), current_user.org_id, outbound_id)
    return download_response(outbound.outbound_content(db_session(), found), found.filename)


def _identities_page(
    errors: dict[str, list[str]] | None = None, form: Any = None, status: int = 200
) -> Any:
    session = db_session()
    own = list(session.scalars(identities.identities_query(current_user.org_id)))
    partners = list(session.scalars(identities.partner_identities_query(current_user.org_id)))
    return (
        render_template(
            "edi/identities.html",
            own=own,
            partners=partners,
            standards=STANDARDS,
            errors=errors or {},
            form=form or {},
        ),
        status,
    )


@bp.get("/identities")
@login_required
def identities_page() -> Any:
    return _identities_page()


@bp.post("/identities")
@require_permission("manage_organisation")
def add_identity() -> Any:
    form = request.form
    data = {key: form.get(key, "") for key in ("standard", "qualifier", "identifier")}
    data["application_id"] = form.get("application_id") or None
    try:
        with unit_of_work() as session:
            identities.add_identity(session, current_actor(), data)
    except ValidationFailed as error:
        return _identities_page(error.errors, form, 422)
    flash(gettext("The EDI identity was added."), "success")
    return redirect(url_for("edi.identities_page"))


@bp.post("/identities/<id:identity_id>/delete")
@require_permission("manage_organisation")
def remove_identity(identity_id: int) -> WerkzeugResponse:
    with unit_of_work() as session:
        identities.remove_identity(session, current_actor(), identity_id)
    flash(gettext("The EDI identity was removed."), "success")
    return redirect(url_for("edi.identities_page"))
