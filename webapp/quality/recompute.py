"""Starting a statistics recompute from a request: a job record, then the task after commit."""

from __future__ import annotations

from collections.abc import Sequence

from models.jobs import JobRun
from models.quality.recompute_jobs import request_recompute
from webapp.auth.session import current_actor
from webapp.database import unit_of_work
from webapp.tasks import enqueue
from worker.tasks.quality import recompute_statistics


def start_recompute(characteristic_ids: Sequence[int] | None = None) -> JobRun:
    """Queue a recompute of the given characteristics (all the user may see when None)."""
    with unit_of_work() as session:
        job = request_recompute(session, current_actor(), characteristic_ids)
    enqueue(recompute_statistics, job.id, job_id=job.id)
    return job
