"""Trace tasks: computing an incident's containment scope and telling everyone it reaches."""

from __future__ import annotations

from models import jobs
from models.errors import DomainError
from models.i18n import N_
from models.trace.containment import build_snapshot, publish_snapshot
from worker.base import DomainTask
from worker.celery_app import celery_app, database, settings


@celery_app.task(base=DomainTask, name="worker.tasks.trace.compute_containment_scope")
def compute_containment_scope(job_id: int, incident_id: int) -> None:
    """Build the incident's containment snapshot, then notify, reporting progress on the job.

    Two transactions (scope rows, then notifications) so the progress bar moves in between;
    each step is idempotent, so a redelivered task finishes the work instead of repeating it.
    """
    db = database()
    with db.unit_of_work() as session:
        if jobs.get_job(session, job_id).done:
            return
        jobs.start_job(session, job_id)
        jobs.report_progress(session, job_id, 5, N_("walking the lot graph"))
    try:
        with db.unit_of_work() as session:
            snapshot_id = build_snapshot(session, incident_id, job_id).id
            jobs.report_progress(session, job_id, 70, N_("notifying the organisations involved"))
        with db.unit_of_work() as session:
            summary = publish_snapshot(session, snapshot_id, settings().public_base_url)
            jobs.finish_job(session, job_id, {"snapshot_id": snapshot_id, **summary})
    except DomainError as error:
        with db.unit_of_work() as session:
            jobs.fail_job(session, job_id, str(error.message))
