"""Scorecard tasks: full recomputes with progress, coalesced incremental updates, warnings.

``schedule_scorecard_update`` is what a write path calls after it commits (the web layer, after
a progress report): it records that the supplier needs a refresh and enqueues one refresh task
only if none is waiting for it already, a moment later, so a burst of reports costs one refresh.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from kombu.exceptions import OperationalError as BrokerError

from models import jobs
from models.actor import Actor
from models.base import utcnow
from models.clock import local_day, local_today
from models.i18n import N_
from models.scorecards import alerts, updates
from models.scorecards.periods import Period, current_periods, periods_back
from models.scorecards.recompute import stages
from models.scorecards.sql import refresh_statistics
from worker.base import DomainTask
from worker.celery_app import celery_app, database, settings

log = logging.getLogger(__name__)

RECOMPUTE_JOB = "scorecards_recompute"
RECOMPUTE_DONE = N_("Finished: %(periods)s periods; scorecard rows written: %(rows)s.")
DEBOUNCE_SECONDS = 1.0
HISTORY_WEEKS = 13
HISTORY_MONTHS = 12


def history_periods(today: date) -> list[Period]:
    return periods_back("week", today, HISTORY_WEEKS) + periods_back("month", today, HISTORY_MONTHS)


def schedule_scorecard_update(supplier_org_id: int) -> bool:
    """Ask for a refresh of one supplier's scorecard; True when a refresh task was enqueued.

    Call it after the write has committed. Safe to call as often as facts arrive. A write path
    with a unit of work of its own asks inside it instead (``updates.request_update``, one
    transaction for the fact and the request) and calls :func:`enqueue_scorecard_refresh`
    after the commit when the request was new.
    """
    with database().unit_of_work() as session:
        fresh = updates.request_update(session, supplier_org_id)
    return fresh and enqueue_scorecard_refresh()


def enqueue_scorecard_refresh() -> bool:
    """Enqueue one refresh of the waiting suppliers, a moment from now; True when sent.

    When the broker cannot be reached the requests stay waiting and beat's sweep refreshes
    them: the write that asked has succeeded and must not fail for this.
    """
    try:
        refresh_scorecard_updates.apply_async(countdown=DEBOUNCE_SECONDS)
    except BrokerError as error:
        log.warning("scorecard refresh left to the sweep: %s", error)
        return False
    return True


@celery_app.task(base=DomainTask, name="worker.tasks.scorecards.recompute_scorecards")
def recompute_scorecards(
    job_id: int | None = None, history: bool = False, as_of: str | None = None
) -> dict[str, Any]:
    """Recompute every supplier's scorecards and the warnings, one transaction per period.

    ``history`` covers the last 13 weeks and 12 months instead of the current and previous
    ones; ``as_of`` (an ISO timestamp) evaluates as at that moment. Reports progress on the job
    (a new system job when none is given). Safe to run twice at once or again after a worker
    died: every stage rewrites derived rows from the facts.
    """
    db = database()
    now = datetime.fromisoformat(as_of) if as_of else utcnow()
    periods = history_periods(local_day(now)) if history else current_periods(local_day(now))
    with db.unit_of_work() as session:
        if job_id is None:
            job_id = jobs.create_job(
                session, Actor.system(), RECOMPUTE_JOB, {"history": history}
            ).id
        jobs.start_job(session, job_id)
        updates.advance_watermarks(session)
    plan = stages(periods, now)
    rows, warned = 0, {}
    try:
        for done, stage in enumerate(plan, start=1):
            with db.unit_of_work() as session:
                outcome = stage.run(session)
            if stage.label == "warnings":
                warned = outcome
            else:
                rows += outcome
            with db.unit_of_work() as session:
                jobs.report_progress(session, job_id, 100.0 * done / len(plan), stage.label)
    except Exception as error:
        with db.unit_of_work() as session:
            jobs.fail_job(session, job_id, str(error)[:2000])
        raise
    result = {"periods": len(periods), "rows": rows, "warnings": warned}
    with db.unit_of_work() as session:
        refresh_statistics(session)
        jobs.finish_job(session, job_id, result, RECOMPUTE_DONE)
    dispatch_scorecard_warnings.delay()
    return result


@celery_app.task(base=DomainTask, name="worker.tasks.scorecards.refresh_scorecard_updates")
def refresh_scorecard_updates() -> int:
    """Refresh the current week and month of every supplier waiting for it (set-based)."""
    with database().unit_of_work() as session:
        result = updates.refresh_waiting(session)
    if result is None:
        return 0
    dispatch_scorecard_warnings.delay()
    return result.rows


@celery_app.task(base=DomainTask, name="worker.tasks.scorecards.sweep_scorecard_facts")
def sweep_scorecard_facts() -> int:
    """Pick up suppliers with facts that arrived without asking, then refresh them."""
    with database().unit_of_work() as session:
        asked = updates.sweep_new_facts(session)
    if asked:
        refresh_scorecard_updates.delay()
    return asked


@celery_app.task(base=DomainTask, name="worker.tasks.scorecards.dispatch_scorecard_warnings")
def dispatch_scorecard_warnings() -> int:
    """Announce new warnings to their buyers (in-app and e-mail), a batch at a time."""
    with database().unit_of_work() as session:
        sent = alerts.dispatch_warnings(session, settings().public_base_url)
    if sent >= alerts.BATCH:
        dispatch_scorecard_warnings.delay()
    return sent


@celery_app.task(base=DomainTask, name="worker.tasks.scorecards.send_scorecard_digest")
def send_scorecard_digest(day: str | None = None) -> int:
    """The daily digest of active warnings for each buyer (once per buyer and day)."""
    today = date.fromisoformat(day) if day else local_today()
    with database().unit_of_work() as session:
        return alerts.send_digest(session, today, settings().public_base_url)
