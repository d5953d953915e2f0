"""Pages: my organisation, my customers and sharing agreements, my people."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from models.accounts.operations import members, remove_member, set_member_role
from models.errors import DomainError, ValidationFailed
from models.orgs import directory, invitations, operations, sharing
from models.orgs.codes import SIZE_CLASSES
from models.orgs.entities import CATEGORIES
from models.roles import roles_for_kind
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.errors import status_of
from webapp.i18n import translate
from webapp.network.views import invitation_view
from webapp.org import forms
from webapp.query_args import whole_number

bp = Blueprint("org", __name__, url_prefix="/org")


def sharing_from_form(form: Any) -> dict[str, bool]:
    """Checkbox fields named ``<category>_buyer`` / ``<category>_upstream`` as booleans."""
    return {
        f"{c}_{scope}": form.get(f"{c}_{scope}") == "on"
        for c in CATEGORIES
        for scope in ("buyer", "upstream")
    }


@bp.route("/", methods=["GET", "POST"])
@login_required
def overview() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _overview_page()
    action = request.form.get("action", "organisation")
    try:
        with unit_of_work() as session:
            done = forms.save(session, current_actor(), action, request.form)
    except DomainError as error:
        return _overview_page(action, error)
    flash(done, "success")
    # Redirected, so that reloading the page or a second tap does not send the form again.
    return redirect(url_for("org.overview"), code=303)


def _overview_page(action: str | None = None, error: DomainError | None = None) -> tuple[str, int]:
    """/org/, with the errors of a refused form at its fields and what was typed in it kept
    (nothing of it was written: its unit of work rolled back)."""
    errors = forms.page_errors(action or "", request.form, error) if error else {}
    org = operations.get_organisation(db_session(), current_user.org_id)
    typed = request.form if errors else {}
    body = render_template(
        "org/overview.html",
        org=org,
        errors=errors,
        profile=typed if action == "organisation" else _profile(org),
        site=typed if action == "site" else {},
        edited=forms.posted_site_id(typed) if action == "site_update" else None,
        typed=typed,
        site_field=forms.site_field,
        fields=_field_names(org),
        size_classes=SIZE_CLASSES,
    )
    return body, status_of(error) if error else 200


def _field_names(org: Any) -> tuple[str, ...]:
    """Every field of the page, whose errors are shown at the field rather than above."""
    edits = (forms.site_field(s.id, key) for s in org.sites for key in forms.SITE_FIELDS)
    profile = ("name_zh", "name_en", *forms.OPTIONAL_PROFILE)
    return (*profile, *forms.SITE_FIELDS.values(), *edits)


def _profile(org: Any) -> dict[str, Any]:
    return {key: getattr(org, key) for key in ("name_zh", "name_en", *forms.OPTIONAL_PROFILE)}


@bp.get("/customers")
@login_required
def customers() -> str:
    links = directory.customers(db_session(), current_user.org_id)
    return render_template("org/customers.html", links=links, categories=CATEGORIES)


@bp.post("/customers/<id:link_id>/sharing")
@require_permission("manage_sharing")
def update_sharing(link_id: int) -> Response:
    with unit_of_work() as session:
        agreement = sharing.update_sharing(
            session, current_actor(), link_id, sharing_from_form(request.form)
        )
    flash(
        gettext("Version %(v)s of the agreement is now in force.", v=agreement.version), "success"
    )
    return redirect(url_for("org.customers"))


@bp.route("/people", methods=["GET", "POST"])
@login_required
def people() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _people_page()
    base_url = current_app.extensions["tierlight.settings"].public_base_url
    try:
        with unit_of_work() as session:
            created = invitations.invite_colleague(
                session,
                current_actor(),
                {"email": request.form.get("email", ""), "role": request.form.get("role", "")},
                base_url,
            )
    except DomainError as error:
        return _people_page(error, _invite_errors(error), request.form)
    # Redirected, so that reloading the page does not send the invitation again.
    return redirect(url_for("org.people", sent=created.id), code=303)


@bp.post("/people/<id:membership_id>/role")
@login_required
def change_role(membership_id: int) -> Response | tuple[str, int]:
    try:
        with unit_of_work() as session:
            set_member_role(session, current_actor(), membership_id, request.form.get("role", ""))
    except DomainError as error:
        return _people_page(error, _whole_page_errors(error))
    flash(gettext("The role was changed."), "success")
    return redirect(url_for("org.people"))


@bp.post("/people/<id:membership_id>/remove")
@login_required
def remove_person(membership_id: int) -> Response | tuple[str, int]:
    try:
        with unit_of_work() as session:
            removed = remove_member(session, current_actor(), membership_id)
            email = removed.user.email
    except DomainError as error:
        return _people_page(error, _whole_page_errors(error))
    flash(gettext("%(email)s was removed from the organisation.", email=email), "success")
    return redirect(url_for("org.people"))


def _invite_errors(error: DomainError) -> dict[str, list[str]]:
    """The invitation form's errors at its fields; any other refusal above the page."""
    if isinstance(error, ValidationFailed):
        return error.errors
    return _whole_page_errors(error)


def _whole_page_errors(error: DomainError) -> dict[str, list[str]]:
    """A refused change of a person's role or membership, shown above the page: the rows
    have no room for a message, and the invitation form's fields are not what was wrong."""
    if isinstance(error, ValidationFailed) and error.errors:
        return {"_schema": [m for messages in error.errors.values() for m in messages]}
    return {"_schema": [translate(error.message)]}


def _people_page(
    error: DomainError | None = None,
    errors: dict[str, list[str]] | None = None,
    form: Any = None,
) -> tuple[str, int]:
    """The people page, with the errors of a refused request and its status (nothing of
    that request was written: its unit of work rolled back); ``?sent=<id>`` shows the link of
    the invitation just sent."""
    pending = [
        invitation_view(i)
        for i in invitations.invitations_of(db_session(), current_actor())
        if i.kind == "colleague"
    ]
    sent = request.args.get("sent", type=whole_number)
    created = next((i for i in pending if i["id"] == sent), None) if sent else None
    body = render_template(
        "org/people.html",
        members=members(db_session(), current_user.org_id),
        pending=pending,
        roles=roles_for_kind(current_user.org_kind),
        errors=errors or {},
        form=form or {},
        created=created,
    )
    return body, status_of(error) if error else 200
