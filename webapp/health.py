"""``GET /healthz``: is the database reachable, is the broker reachable."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from kombu import Connection
from sqlalchemy import text

from webapp.database import current_database

bp = Blueprint("health", __name__)

BROKER_TIMEOUT_S = 3.0


def check_database() -> str | None:
    """``None`` when a query answers, else a short reason."""
    session = current_database().session()
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not reachable"; report, do not raise
        return type(error).__name__
    finally:
        session.close()
    return None


def check_broker() -> str | None:
    settings = current_app.extensions["tierlight.settings"]
    if settings.celery_always_eager:
        return None
    try:
        with Connection(settings.celery_broker_url, connect_timeout=BROKER_TIMEOUT_S) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_S)
    except Exception as error:  # any failure means "not reachable"; report, do not raise
        return type(error).__name__
    return None


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    failures = {
        name: reason
        for name, reason in (("database", check_database()), ("broker", check_broker()))
        if reason
    }
    body = {
        "status": "ok" if not failures else "unavailable",
        "database": "ok" if "database" not in failures else f"failing: {failures['database']}",
        "broker": "ok" if "broker" not in failures else f"failing: {failures['broker']}",
    }
    return jsonify(body), 200 if not failures else 503
