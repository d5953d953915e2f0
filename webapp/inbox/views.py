"""Pages: notifications of my organisation, and the e-mail outbox."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from models.notify import mark_all_read, notifications_for, outbox
from webapp.auth.areas import may_open
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work

bp = Blueprint("inbox", __name__)


@bp.get("/notifications")
@login_required
def notifications() -> str:
    return render_template(
        "inbox/notifications.html",
        notes=notifications_for(db_session(), current_user.org_id),
        may_open=may_open,
    )


@bp.post("/notifications/read")
@login_required
def read_all() -> Response:
    with unit_of_work() as session:
        mark_all_read(session, current_user.org_id)
    return redirect(url_for("inbox.notifications"))


@bp.get("/outbox")
@login_required
def outbox_page() -> str:
    """The e-mails to me, and to my organisation's contacts when I am its admin."""
    demo = current_app.extensions["tierlight.settings"].mode == "demo"
    emails = outbox(db_session(), current_actor())
    return render_template("inbox/outbox.html", emails=emails, demo=demo)
