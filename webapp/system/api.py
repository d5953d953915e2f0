"""API: background jobs (start a worker check, follow any job's progress)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select, select

from models import jobs
from models.roles import require_permission
from webapp.api_base import SelectPage
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.system.schemas import JobCreateSchema, JobSchema
from webapp.tasks import enqueue
from worker.tasks.system import run_worker_check

bp = Blueprint(
    "jobs", __name__, url_prefix="/api/v1/jobs", description="Background jobs and their progress"
)


def start_worker_check() -> jobs.JobRun:
    """Create a worker-check job and enqueue it (shared by the page and the API)."""
    actor = current_actor()
    require_permission(actor.role, "manage_people")
    with unit_of_work() as session:
        job = jobs.create_job(session, actor, "worker_check")
    enqueue(run_worker_check, job.id, job_id=job.id)
    return job


@bp.route("")
class Jobs(MethodView):
    decorators = [login_required]

    @bp.response(200, JobSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self) -> Select[Any]:
        """Jobs of my organisation, newest first."""
        return (
            select(jobs.JobRun)
            .where(jobs.JobRun.org_id == current_user.org_id)
            .order_by(jobs.JobRun.id.desc())
        )

    @bp.arguments(JobCreateSchema)
    @bp.response(202, JobSchema)
    def post(self, _data: dict[str, Any]) -> jobs.JobRun:
        """Start a job. ``worker_check`` proves a worker reads and writes the database."""
        return start_worker_check()


@bp.route("/<id:job_id>")
class Job(MethodView):
    decorators = [login_required]

    @bp.response(200, JobSchema)
    def get(self, job_id: int) -> jobs.JobRun:
        """One job with its progress (0-100), status and result."""
        return jobs.get_job(db_session(), job_id, current_user.org_id)
