"""Quality tasks: the statistics recompute job and the 8D overdue reminders."""

from __future__ import annotations

from typing import Any

from models.quality.eightd_reminders import remind_overdue_steps
from models.quality.recompute_jobs import run_recompute
from worker.base import DomainTask
from worker.celery_app import celery_app, database


@celery_app.task(base=DomainTask, name="worker.tasks.quality.recompute_statistics")
def recompute_statistics(job_id: int) -> dict[str, Any]:
    """Recompute the characteristics named by the job, chunk by chunk, with progress."""
    return run_recompute(database(), job_id)


@celery_app.task(base=DomainTask, name="worker.tasks.quality.remind_overdue_eightd_steps")
def remind_overdue_eightd_steps() -> dict[str, int]:
    """Remind suppliers of overdue 8D steps and escalate to buyers; sends nothing twice."""
    with database().unit_of_work() as session:
        return remind_overdue_steps(session)
