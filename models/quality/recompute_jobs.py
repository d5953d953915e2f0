"""The statistics recompute as a background job: requested by a user, run in chunks by a worker.

Each chunk of characteristics is recomputed in a transaction of its own and the job's progress
is written between chunks, so a page can show a progress bar (and SQLite, which lets one
writer in at a time, is never asked for two at once). Every chunk is idempotent, so a job that
is retried after a crash simply runs again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from models import jobs
from models.actor import Actor
from models.db import Database
from models.errors import Forbidden, NotFound
from models.quality.entities import Characteristic
from models.quality.scope import visible_characteristics
from models.quality.statistics_store import recompute_statistics
from models.roles import has_permission

JOB_KIND = "quality_recompute"
CHUNK = 2000


def request_recompute(
    session: Session, actor: Actor, characteristic_ids: Sequence[int] | None = None
) -> jobs.JobRun:
    """A queued recompute job of the given characteristics, or of all the actor may see.

    Any characteristic the actor may not see makes the whole request not found. The caller
    enqueues the task after the transaction commits.
    """
    if not (has_permission(actor.role, "manage_quality") or has_permission(actor.role, "report")):
        raise Forbidden()
    visible = visible_characteristics(actor.org_id, data=True)
    if characteristic_ids is None:
        ids = list(session.scalars(visible.order_by(None)))
    else:
        ids = sorted(set(characteristic_ids))
        allowed = set(session.scalars(visible.where(Characteristic.id.in_(ids))))
        if allowed != set(ids):
            raise NotFound()
    return jobs.create_job(session, actor, JOB_KIND, {"characteristic_ids": sorted(ids)})


def run_recompute(database: Database, job_id: int) -> dict[str, Any]:
    """Run a recompute job to the end, reporting progress after each chunk."""
    with database.unit_of_work() as session:
        job = jobs.start_job(session, job_id)
        ids: list[int] = list((job.params or {}).get("characteristic_ids") or [])
    totals = {"characteristics": 0, "measurements": 0, "signals": 0, "new_alerts": 0}
    try:
        for start in range(0, len(ids), CHUNK):
            with database.unit_of_work() as session:
                done = recompute_statistics(session, ids[start : start + CHUNK])
            for key in totals:
                totals[key] += done[key]
            with database.unit_of_work() as session:
                jobs.report_progress(
                    session,
                    job_id,
                    100.0 * min(start + CHUNK, len(ids)) / len(ids),
                    f"{min(start + CHUNK, len(ids))}/{len(ids)}",
                )
    except Exception as error:
        with database.unit_of_work() as session:
            jobs.fail_job(session, job_id, str(error)[:500])
        raise
    with database.unit_of_work() as session:
        jobs.finish_job(session, job_id, totals)
    return totals
