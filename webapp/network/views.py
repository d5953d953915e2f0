"""Pages: supplier directory, tier tree, a supplier's profile, invitations with QR codes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from models.base import utcnow
from models.errors import DomainError, NotFound, ValidationFailed
from models.orgs import directory, invitations, sharing
from models.orgs.codes import SIZE_CLASSES
from models.orgs.entities import CATEGORIES, Invitation
from models.validation import load
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.i18n import translate
from webapp.network.schemas import DirectoryQuerySchema
from webapp.paging import paged_list, pager_args
from webapp.qr import qr_svg
from webapp.templating import current_locale, status_label

bp = Blueprint("network", __name__)


def invitation_link(invitation: Invitation) -> str:
    base_url = current_app.extensions["tierlight.settings"].public_base_url
    return invitations.invitation_link(base_url, invitation)


def invitation_view(invitation: Invitation) -> dict[str, Any]:
    """An invitation with its state and link, as pages and the API show it."""
    return {
        "id": invitation.id,
        "kind": invitation.kind,
        "email": invitation.email,
        "role": invitation.role,
        "company_hint": invitation.company_hint,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "status": invitation.status(utcnow()),
        "link": invitation_link(invitation),
        "result_org_id": invitation.result_org_id,
    }


def _directory_filters() -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The directory's filters from the query string, as the API reads them, and the problems
    with any of them: a bad one is named at the top of the page and left out of the search."""
    given = {
        name: value
        for name, value in request.args.items()
        if name in DirectoryQuerySchema().fields and value.strip()
    }
    try:
        return load(DirectoryQuerySchema(), given), {}
    except ValidationFailed as error:
        good = {name: value for name, value in given.items() if name not in error.errors}
        return load(DirectoryQuerySchema(), good), error.errors


@bp.get("/suppliers")
@login_required
def suppliers() -> tuple[str, int]:
    filters, errors = _directory_filters()
    rows = directory.suppliers(
        db_session(),
        current_user.org_id,
        tier=filters.get("tier"),
        status=filters.get("status"),
        industry=filters.get("industry"),
        size_class=filters.get("size_class"),
        search=filters.get("q"),
    )
    page = render_template(
        "network/suppliers.html",
        paged=paged_list(rows),
        pager_args=pager_args(),
        args=request.args,
        errors=errors,
        size_classes=SIZE_CLASSES,
        categories=CATEGORIES,
    )
    return page, 422 if errors else 200


@bp.get("/suppliers/tree")
@login_required
def tree() -> str:
    return render_template(
        "network/tree.html",
        tree=directory.tier_tree(db_session(), current_user.org_id, current_locale()),
    )


@bp.get("/organisations/<id:org_id>")
@login_required
def profile(org_id: int) -> str:
    row = directory.profile(db_session(), current_user.org_id, org_id)
    link = row.link if row.link is not None and row.link.buyer_id == current_user.org_id else None
    history = sharing.agreement_history(db_session(), link.id) if link else []
    return render_template(
        "network/profile.html", row=row, link=link, history=history, categories=CATEGORIES
    )


@bp.post("/links/<id:link_id>/status")
@require_permission("manage_suppliers")
def link_status(link_id: int) -> Response:
    with unit_of_work() as session:
        link = sharing.set_link_status(
            session, current_actor(), link_id, request.form.get("status", "")
        )
    flash(
        gettext("The supplier link is now %(status)s.", status=status_label(link.status)), "success"
    )
    return redirect(url_for("network.profile", org_id=link.supplier_id))


@bp.route("/invitations", methods=["GET", "POST"])
@require_permission("invite_supplier")
def invitations_page() -> str | tuple[str, int]:
    errors: dict[str, list[str]] = {}
    created = None
    if request.method == "POST":
        base_url = current_app.extensions["tierlight.settings"].public_base_url
        try:
            with unit_of_work() as session:
                created = invitations.invite_supplier(
                    session,
                    current_actor(),
                    {
                        "email": request.form.get("email") or None,
                        "company_hint": request.form.get("company_hint") or None,
                    },
                    base_url,
                )
        except ValidationFailed as error:
            errors = error.errors
        except DomainError as error:
            errors = {"_schema": [translate(error.message)]}
    rows = [
        invitation_view(i)
        for i in invitations.invitations_of(db_session(), current_actor())
        if i.kind == "supplier"
    ]
    body = render_template(
        "network/invitations.html",
        rows=rows,
        errors=errors,
        created=invitation_view(created) if created else None,
        qr=qr_svg(invitation_link(created)) if created else None,
        form=request.form,
    )
    return (body, 422) if errors else body


@bp.get("/invitations/<id:invitation_id>/print")
@login_required
def print_invitation(invitation_id: int) -> str:
    """A printable sheet with the invitation's QR code, for a supplier visit."""
    invitation = _own_invitation(invitation_id)
    return render_template(
        "network/invitation_print.html",
        invitation=invitation_view(invitation),
        qr=qr_svg(invitation_link(invitation), scale=8),
    )


@bp.post("/invitations/<id:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int) -> Response:
    with unit_of_work() as session:
        invitation = invitations.revoke_invitation(session, current_actor(), invitation_id)
    flash(gettext("The invitation was withdrawn."), "success")
    target = "network.invitations_page" if invitation.kind == "supplier" else "org.people"
    return redirect(url_for(target))


def _own_invitation(invitation_id: int) -> Invitation:
    invitation = db_session().get(Invitation, invitation_id)
    if invitation is None or invitation.org_id != current_user.org_id:
        raise NotFound()
    return invitation
