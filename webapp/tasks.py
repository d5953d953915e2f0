"""Enqueueing background work from a request, after the request's transaction has committed."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from flask_login import current_user
from kombu.exceptions import OperationalError as BrokerError
from werkzeug.exceptions import ServiceUnavailable

from models.errors import NotFound
from models.jobs import FAILED, JobRun, create_job, fail_job, get_job, unfinished_job
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work

log = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, job_id: int | None = None) -> None:
    """Send ``task`` to the broker; when the broker is down, fail the job and answer 503."""
    try:
        task.apply_async(args=args)
    except BrokerError as error:
        log.error("broker unreachable while enqueueing %s: %s", task.name, error)
        if job_id is not None:
            with unit_of_work() as session:
                fail_job(session, job_id, "broker unreachable")
        raise ServiceUnavailable() from error


def start_or_join(task: Task, kind: str, params: dict[str, Any] | None, *args: Any) -> JobRun:
    """Queue ``task`` (called with the job's id, then ``args``) as a job of the person asking;
    while the same job their organisation asked for is still queued or running, follow that
    one instead (pressing a button twice, or a script retrying, does not queue the work again).
    """
    actor = current_actor()
    with unit_of_work() as session:
        job = unfinished_job(session, actor.org_id, kind, params)
        if job is not None:
            return job
        job = create_job(session, actor, kind, params)
    enqueue(task, job.id, *args, job_id=job.id)
    return job


def _job_of_mine(job_id: int | None) -> JobRun | None:
    if job_id is None:
        return None
    try:
        return get_job(db_session(), job_id, current_user.org_id)
    except NotFound:
        return None


def failed_job(job_id: int | None) -> JobRun | None:
    """That job of the user's organisation if it failed: once a page that polled it reloads,
    the page says so rather than silently showing the figures from before."""
    job = _job_of_mine(job_id)
    return job if job is not None and job.status == FAILED else None


def pending_job(job_id: int | None) -> int | None:
    """The job id while that job of the user's organisation is still running: a page then
    polls it and reloads once when it is done (and, done, no longer shows it)."""
    job = _job_of_mine(job_id)
    return None if job is None or job.done else job.id
