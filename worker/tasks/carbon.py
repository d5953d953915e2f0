"""Carbon tasks: propagating a supplier's new numbers upward, the full roll-up, PACT answers."""

from __future__ import annotations

from models import jobs
from models.actor import Actor
from models.carbon.pact_events import answer_request, deliver
from models.carbon.rollup import recompute_footprints
from models.carbon.rollup_scope import recompute_year
from models.i18n import N_
from worker.base import DomainTask
from worker.celery_app import celery_app, database, settings

#: The finished roll-up's message, filled in with its figures (see :func:`models.jobs.filled`).
ROLLUP_DONE = N_(
    "Finished: %(targets)s parts; footprints written: %(written)s, unchanged: %(unchanged)s, "
    "declared by their maker: %(declared)s, without data: %(without_data)s."
)


@celery_app.task(base=DomainTask, name="worker.tasks.carbon.propagate_footprints")
def propagate_footprints(year: int, part_ids: list[int]) -> dict:
    """Recompute the footprints of ``part_ids`` and of every part above them, for ``year``."""
    with database().unit_of_work() as session:
        return recompute_footprints(session, Actor.system(), year, part_ids)


@celery_app.task(base=DomainTask, name="worker.tasks.carbon.run_footprint_rollup")
def run_footprint_rollup(job_id: int, year: int) -> None:
    """The roll-up of a year for the organisation that asked (see
    :func:`models.carbon.rollup_scope.recompute_year`), reported on a job a page follows."""
    db = database()
    with db.unit_of_work() as session:
        org_id = jobs.start_job(session, job_id).org_id
        jobs.report_progress(session, job_id, 5, N_("recomputing"))
    try:
        with db.unit_of_work() as session:
            summary = recompute_year(session, org_id, year)
    except Exception as error:
        with db.unit_of_work() as session:
            jobs.fail_job(session, job_id, str(error)[:500])
        raise
    with db.unit_of_work() as session:
        jobs.finish_job(session, job_id, summary, ROLLUP_DONE)


@celery_app.task(base=DomainTask, name="worker.tasks.carbon.answer_pact_request")
def answer_pact_request(event_pk: int) -> None:
    """Answer a received PACT footprint request, then send the answer."""
    with database().unit_of_work() as session:
        answer = answer_request(session, event_pk, settings().public_base_url)
    if answer is not None:
        deliver_pact_event.delay(answer.id)


@celery_app.task(base=DomainTask, name="worker.tasks.carbon.deliver_pact_event")
def deliver_pact_event(event_pk: int) -> str:
    """POST an outgoing PACT event to its target (the outcome is kept on the event)."""
    with database().unit_of_work() as session:
        return deliver(session, event_pk, settings().pact_allow_private_targets)
