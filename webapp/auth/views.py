"""Pages: sign in, sign out, switching organisation, forgotten password, reset, API tokens."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required, logout_user
from flask_login.config import COOKIE_NAME
from werkzeug.wrappers import Response

from models.accounts import operations as accounts
from models.errors import DomainError, ValidationFailed
from webapp.auth.session import current_actor, sign_in
from webapp.database import db_session, unit_of_work
from webapp.extensions import rate_limit
from webapp.i18n import name_in_sentence, translate
from webapp.query_args import whole_number
from webapp.security import safe_redirect_target

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.extensions["tierlight.settings"].login_rate_limit


def _login_email_key() -> str:
    return "login:" + request.form.get("email", "").strip().lower()


def _reset_email_key() -> str:
    """Reset e-mails to one address, whatever the sender's address: many senders must not
    flood one person's inbox."""
    return "forgot:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@rate_limit(_login_limit, methods=["POST"])
@rate_limit(_login_limit, methods=["POST"], key_func=_login_email_key)
def login() -> str | Response:
    if request.method == "GET":
        return render_template("auth/login.html", email="", error=None)
    email = request.form.get("email", "")
    with unit_of_work() as session:
        user = accounts.authenticate(session, email, request.form.get("password", ""))
        member = accounts.membership(session, user.id) if user else None
    if user is None or member is None:
        error = gettext("E-mail or password is wrong.")
        return render_template("auth/login.html", email=email, error=error), 401
    sign_in(user, member, remember=bool(request.form.get("remember")))
    return redirect(safe_redirect_target(request.args.get("next")))


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        with unit_of_work() as session:
            accounts.end_session(session, current_user.user_id, current_user.sid)
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/switch")
@login_required
def switch() -> Response:
    """Act for another organisation the person belongs to, in a fresh session."""
    org_id = request.form.get("org_id", type=whole_number)
    member = accounts.membership(db_session(), current_user.user_id, org_id) if org_id else None
    if member is None:
        abort(404)
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
    sign_in(member.user, member, remember=remembered)
    name = name_in_sentence(member.organisation)
    flash(gettext("You now act for %(organisation)s.", organisation=name), "success")
    return redirect(url_for("home.index"))


@bp.route("/forgot", methods=["GET", "POST"])
@rate_limit(_login_limit, methods=["POST"])
@rate_limit(_login_limit, methods=["POST"], key_func=_reset_email_key)
def forgot() -> str:
    if request.method == "GET":
        return render_template("auth/forgot.html", sent=False)
    base_url = current_app.extensions["tierlight.settings"].public_base_url
    with unit_of_work() as session:
        accounts.request_password_reset(session, request.form.get("email", ""), base_url)
    return render_template("auth/forgot.html", sent=True)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response:
    if request.method == "GET":
        return render_template("auth/reset.html", errors={})
    try:
        with unit_of_work() as session:
            accounts.reset_password(session, token, request.form.get("password", ""))
    except ValidationFailed as error:
        return render_template("auth/reset.html", errors=error.errors), 422
    except DomainError as error:
        return render_template("auth/reset.html", errors={}, failure=translate(error.message)), 409
    flash(gettext("Your password was changed. Sign in with the new one."), "success")
    return redirect(url_for("auth.login"))


@bp.get("/tokens")
@login_required
def tokens() -> str:
    return render_template(
        "auth/tokens.html",
        tokens=accounts.list_api_tokens(db_session(), current_actor()),
        new_secret=None,
        errors={},
    )


@bp.post("/tokens")
@login_required
def create_token() -> tuple[str, int] | str:
    try:
        with unit_of_work() as session:
            secret, _ = accounts.create_api_token(
                session, current_actor(), request.form.get("name", "")
            )
    except ValidationFailed as error:
        return render_template(
            "auth/tokens.html",
            tokens=accounts.list_api_tokens(db_session(), current_actor()),
            new_secret=None,
            errors=error.errors,
        ), 422
    return render_template(
        "auth/tokens.html",
        tokens=accounts.list_api_tokens(db_session(), current_actor()),
        new_secret=secret,
        errors={},
    )


@bp.post("/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    with unit_of_work() as session:
        accounts.revoke_api_token(session, current_actor(), token_id)
    flash(gettext("The token was revoked."), "success")
    return redirect(url_for("auth.tokens"))
