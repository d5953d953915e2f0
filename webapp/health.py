"""``GET /healthz``: is the database reachable, is the broker reachable.

The broker's answer is kept for a few seconds per broker URL: probes and load balancers call
this often, and a burst of calls must not become a burst of new broker connections.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from kombu import Connection
from sqlalchemy import text
from sqlalchemy.orm import Session

from webapp.database import current_database

bp = Blueprint("health", __name__)

BROKER_TIMEOUT_S = 3.0
BROKER_ANSWER_TTL_S = 5.0

_broker_answers: dict[str, tuple[float, str | None]] = {}


def check_database(session: Session | None = None) -> str | None:
    """``None`` when a query answers, else a short reason.

    A signed-in page passes the request's own session: a second one would wait for the write
    lock the first holds on SQLite (its transactions begin IMMEDIATE), for the whole busy
    timeout, and then report a healthy database as failing.
    """
    if session is not None:
        return _answers(session)
    with current_database().session() as own:
        return _answers(own)


def _answers(session: Session) -> str | None:
    try:
        session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not reachable"; report, do not raise
        return type(error).__name__
    return None


def check_broker() -> str | None:
    """``None`` when the broker accepted a connection in the last few seconds, else a reason."""
    settings = current_app.extensions["tierlight.settings"]
    if settings.celery_always_eager:
        return None
    url = settings.celery_broker_url
    checked_at, reason = _broker_answers.get(url, (float("-inf"), None))
    if time.monotonic() - checked_at > BROKER_ANSWER_TTL_S:
        reason = _connect(url)
        _broker_answers[url] = (time.monotonic(), reason)
    return reason


def _connect(url: str) -> str | None:
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_S) as conn:
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
