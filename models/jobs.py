"""Background jobs as records: what was asked, how far it got, and how it ended.

A page or API call creates a :class:`JobRun` and enqueues a task with its id; the task reports
progress on it in short transactions of its own, so a browser can poll a progress bar while
the long work runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.actor import Actor
from models.audit import record_audit
from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime, utcnow
from models.errors import NotFound
from models.types import JsonDoc

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
JOB_STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED)


class JobRun(Base):
    """One run of a background job."""

    __tablename__ = "job_runs"

    id: Mapped[IdPK]
    kind: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_user_id: Mapped[int | None] = mapped_column(BigId)
    org_id: Mapped[int | None] = mapped_column(BigId, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Timestamp]
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def done(self) -> bool:
        return self.status in (SUCCEEDED, FAILED)


def create_job(
    session: Session, actor: Actor, kind: str, params: dict[str, Any] | None = None
) -> JobRun:
    """Record a queued job; the caller enqueues its task after the transaction commits."""
    job = JobRun(kind=kind, params=params, requested_by_user_id=actor.user_id, org_id=actor.org_id)
    session.add(job)
    session.flush()
    record_audit(session, actor, "job.create", "job_run", job.id, {"kind": kind})
    return job


#: How long an unfinished job is joined by the same ask: a job stuck longer (its worker gone)
#: no longer stands in the way of a new one.
JOINABLE_FOR = timedelta(minutes=15)


def unfinished_job(
    session: Session, org_id: int | None, kind: str, params: dict[str, Any] | None = None
) -> JobRun | None:
    """The organisation's latest job of ``kind`` with these ``params``, asked within
    :data:`JOINABLE_FOR` and not done: asking again while it is queued or running follows it
    instead of queueing the same work."""
    candidates = session.scalars(
        select(JobRun)
        .where(
            JobRun.org_id == org_id,
            JobRun.kind == kind,
            JobRun.status.in_((QUEUED, RUNNING)),
            JobRun.created_at >= utcnow() - JOINABLE_FOR,
        )
        .order_by(JobRun.id.desc())
    )
    return next((job for job in candidates if (job.params or None) == (params or None)), None)


def get_job(session: Session, job_id: int, org_id: int | None = None) -> JobRun:
    """A job; one of another organisation is reported as not found."""
    job = session.get(JobRun, job_id)
    if job is None or (org_id is not None and job.org_id not in (None, org_id)):
        raise NotFound()
    return job


def start_job(session: Session, job_id: int) -> JobRun:
    job = session.get(JobRun, job_id)
    if job is None:
        raise NotFound()
    job.status = RUNNING
    job.attempts += 1
    job.started_at = job.started_at or utcnow()
    return job


def report_progress(session: Session, job_id: int, progress: float, message: str = "") -> None:
    job = session.get(JobRun, job_id)
    if job is not None:
        job.progress = max(0.0, min(100.0, progress))
        job.message = message or job.message


def finish_job(
    session: Session, job_id: int, result: dict[str, Any] | None = None, message: str = ""
) -> None:
    """Mark a job done; ``message`` (else the last progress message stays) may name figures of
    the result, ``%(written)s`` say, shown filled in (:func:`filled`)."""
    job = session.get(JobRun, job_id)
    if job is not None:
        job.status, job.progress, job.result, job.finished_at = SUCCEEDED, 100.0, result, utcnow()
        job.message = message or job.message


def filled(message: str, job: JobRun) -> str:
    """``message`` (the job's, or its translation) with the figures of the job's result."""
    if "%(" not in message or not isinstance(job.result, dict):
        return message
    try:
        return message % job.result
    except (KeyError, ValueError, TypeError):
        return message


def fail_job(session: Session, job_id: int, error: str) -> None:
    job = session.get(JobRun, job_id)
    if job is not None:
        job.status, job.error, job.finished_at = FAILED, error, utcnow()


def recent_jobs(
    session: Session, org_id: int | None, limit: int = 20, kind: str | None = None
) -> list[JobRun]:
    query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if org_id is not None:
        query = query.where(JobRun.org_id == org_id)
    if kind is not None:
        query = query.where(JobRun.kind == kind)
    return list(session.scalars(query))
