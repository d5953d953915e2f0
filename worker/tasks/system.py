"""System tasks: the worker self-test and housekeeping of the embedded broker."""

from __future__ import annotations

import socket

from sqlalchemy import text

from models import jobs
from models.db import make_engine
from worker.base import DomainTask
from worker.celery_app import celery_app, database, settings


@celery_app.task(base=DomainTask, name="worker.tasks.system.run_worker_check")
def run_worker_check(job_id: int) -> None:
    """Prove a worker can read and write the database: mark the check job as succeeded."""
    db = database()
    with db.unit_of_work() as session:
        jobs.start_job(session, job_id)
    with db.unit_of_work() as session:
        session.execute(text("SELECT 1"))
        jobs.finish_job(session, job_id, {"worker": socket.gethostname(), "database": db.dialect})


@celery_app.task(base=DomainTask, name="worker.tasks.system.purge_embedded_broker")
def purge_embedded_broker() -> int:
    """Delete consumed messages from the SQLite broker, which never deletes them itself."""
    url = settings().celery_broker_url
    if not url.startswith("sqla+"):
        return 0
    engine = make_engine(url.removeprefix("sqla+"))
    try:
        with engine.begin() as connection:
            result = connection.execute(text("DELETE FROM kombu_message WHERE visible = 0"))
            return result.rowcount or 0
    finally:
        engine.dispose()
