"""Page: system status (database, broker, worker check, recent jobs)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from models import jobs
from webapp.auth.session import require_permission
from webapp.database import db_session
from webapp.health import check_broker, check_database
from webapp.system.api import start_worker_check

bp = Blueprint("system", __name__, url_prefix="/system")


@bp.get("/")
@require_permission("manage_people")
def status() -> str:
    return render_template(
        "system/status.html",
        database_problem=check_database(db_session()),
        broker_problem=check_broker(),
        jobs=jobs.recent_jobs(db_session(), current_user.org_id),
    )


@bp.post("/worker-check")
@require_permission("manage_people")
def worker_check() -> Response:
    start_worker_check()
    return redirect(url_for("system.status"))
