"""Pages behind an invitation link (or its QR code); they need no sign-in to open."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from models.accounts.operations import find_user_by_email, membership
from models.errors import DomainError, NotFound, ValidationFailed
from models.orgs import invitations
from models.orgs.codes import SIZE_CLASSES
from models.orgs.entities import CATEGORIES
from webapp.auth.session import current_actor, sign_in
from webapp.database import db_session, unit_of_work
from webapp.extensions import rate_limit
from webapp.i18n import name_in_sentence, translate
from webapp.org.forms import profile_from_form
from webapp.org.views import sharing_from_form

bp = Blueprint("onboarding", __name__, url_prefix="/invite")

#: What a new supplier shares by default: everything with its buyer, nothing further up.
DEFAULT_SHARING = {f"{c}_buyer": True for c in CATEGORIES}


#: The form field of each place the registration's errors name (``admin.email`` ->
#: ``admin_email``), so every message is shown at the field that holds the value.
FORM_FIELDS = {
    **{
        f"organisation.{name}": name
        for name in (
            "name_zh",
            "name_en",
            "credit_code",
            "employees",
            "annual_revenue_wan",
            "size_class",
            "industry",
        )
    },
    "site.name": "site_name",
    "site.address": "site_address",
    "admin.name": "admin_name",
    "admin.email": "admin_email",
    "admin.password": "admin_password",
}


def _registration(form: Any) -> dict[str, Any]:
    has_site = form.get("site_name") or form.get("site_address")
    return {
        "organisation": {
            "name_zh": form.get("name_zh", ""),
            "name_en": form.get("name_en", ""),
            "credit_code": form.get("credit_code", ""),
            **profile_from_form(form),
        },
        "site": {"name": form.get("site_name", ""), "address": form.get("site_address") or None}
        if has_site
        else None,
        "admin": {
            "name": form.get("admin_name", ""),
            "email": form.get("admin_email", ""),
            "password": form.get("admin_password", ""),
        },
        "sharing": sharing_from_form(form),
    }


def _register_page(
    invitation: Any, existing_admin: bool, errors: dict[str, list[str]], form: Any
) -> str:
    """The registration form; ``errors`` keyed as the domain names them, shown at their fields."""
    return render_template(
        "onboarding/register.html",
        invitation=invitation,
        existing_admin=existing_admin,
        errors={FORM_FIELDS.get(key, key): messages for key, messages in errors.items()},
        fields=tuple(FORM_FIELDS.values()),
        form=form,
        sharing=sharing_from_form(form) if form else DEFAULT_SHARING,
        categories=CATEGORIES,
        size_classes=SIZE_CLASSES,
    )


def _refused(error: DomainError) -> tuple[str, int]:
    status = 404 if isinstance(error, NotFound) else 409
    return render_template("onboarding/refused.html", message=translate(error.message)), status


@bp.route("/<token>", methods=["GET", "POST"])
@rate_limit("30 per minute", methods=["POST"])
def accept(token: str) -> str | Response | tuple[str, int]:
    try:
        invitation = invitations.open_invitation(db_session(), token)
    except DomainError as error:
        return _refused(error)
    if invitation.kind == "colleague":
        return _join(token, invitation)
    existing_admin = (
        current_user.is_authenticated
        and current_user.org_kind == "supplier"
        and current_user.can("manage_sharing")
    )
    if request.method == "GET":
        return _register_page(invitation, existing_admin, {}, {})
    try:
        with unit_of_work() as session:
            if existing_admin and request.form.get("as_existing"):
                invitations.accept_as_existing(
                    session, current_actor(), token, sharing_from_form(request.form)
                )
                user = None
            else:
                _org, user = invitations.register_supplier(
                    session, token, _registration(request.form)
                )
    except ValidationFailed as error:
        return _register_page(invitation, existing_admin, error.errors, request.form), 422
    except DomainError as error:
        errors = {"_schema": [translate(error.message)]}
        return _register_page(invitation, existing_admin, errors, request.form), 409
    if user is not None:
        sign_in(user, membership(db_session(), user.id))
    flash(
        gettext(
            "Welcome! Your company is now a supplier of %(buyer)s.",
            buyer=name_in_sentence(invitation.organisation),
        ),
        "success",
    )
    return redirect(url_for("home.index"))


def _join_page(invitation: Any, errors: dict[str, list[str]]) -> str:
    """The join form: a person who has an account already is asked for its password only."""
    has_account = find_user_by_email(db_session(), invitation.email or "") is not None
    return render_template(
        "onboarding/join.html", invitation=invitation, has_account=has_account, errors=errors
    )


def _join(token: str, invitation: Any) -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _join_page(invitation, {})
    try:
        with unit_of_work() as session:
            user = invitations.join_as_colleague(
                session,
                token,
                {
                    "name": request.form.get("name", ""),
                    "password": request.form.get("password", ""),
                    "email": invitation.email,
                },
            )
    except ValidationFailed as error:
        return _join_page(invitation, error.errors), 422
    except DomainError as error:
        return _refused(error)
    sign_in(user, membership(db_session(), user.id, invitation.org_id))
    flash(gettext("Welcome to %(org)s.", org=name_in_sentence(invitation.organisation)), "success")
    return redirect(url_for("home.index"))
