"""Pages behind an invitation link (or its QR code); they need no sign-in to open."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from models.accounts.operations import membership
from models.errors import DomainError, NotFound, ValidationFailed
from models.orgs import invitations
from models.orgs.codes import SIZE_CLASSES
from models.orgs.entities import CATEGORIES
from webapp.auth.session import current_actor, sign_in
from webapp.database import db_session, unit_of_work
from webapp.extensions import rate_limit
from webapp.i18n import name_in_sentence, translate
from webapp.org.views import sharing_from_form

bp = Blueprint("onboarding", __name__, url_prefix="/invite")

#: What a new supplier shares by default: everything with its buyer, nothing further up.
DEFAULT_SHARING = {f"{c}_buyer": True for c in CATEGORIES}


def _registration(form: Any) -> dict[str, Any]:
    return {
        "organisation": {
            "name_zh": form.get("name_zh", ""),
            "name_en": form.get("name_en", ""),
            "credit_code": form.get("credit_code", ""),
            "employees": form.get("employees") or None,
            "annual_revenue_wan": form.get("annual_revenue_wan") or None,
            "industry": form.get("industry") or None,
        },
        "site": {"name": form.get("site_name", ""), "address": form.get("site_address") or None}
        if form.get("site_name")
        else None,
        "admin": {
            "name": form.get("admin_name", ""),
            "email": form.get("admin_email", ""),
            "password": form.get("admin_password", ""),
        },
        "sharing": sharing_from_form(form),
    }


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
        return render_template(
            "onboarding/register.html",
            invitation=invitation,
            existing_admin=existing_admin,
            errors={},
            form={},
            sharing=DEFAULT_SHARING,
            categories=CATEGORIES,
            size_classes=SIZE_CLASSES,
        )
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
        return render_template(
            "onboarding/register.html",
            invitation=invitation,
            existing_admin=existing_admin,
            errors=error.errors,
            form=request.form,
            sharing=sharing_from_form(request.form),
            categories=CATEGORIES,
            size_classes=SIZE_CLASSES,
        ), 422
    except DomainError as error:
        return render_template(
            "onboarding/register.html",
            invitation=invitation,
            existing_admin=existing_admin,
            errors={"_schema": [translate(error.message)]},
            form=request.form,
            sharing=sharing_from_form(request.form),
            categories=CATEGORIES,
            size_classes=SIZE_CLASSES,
        ), 409
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


def _join(token: str, invitation: Any) -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("onboarding/join.html", invitation=invitation, errors={})
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
        return render_template(
            "onboarding/join.html", invitation=invitation, errors=error.errors
        ), 422
    except DomainError as error:
        return _refused(error)
    sign_in(user, membership(db_session(), user.id, invitation.org_id))
    flash(gettext("Welcome to %(org)s.", org=name_in_sentence(invitation.organisation)), "success")
    return redirect(url_for("home.index"))
