"""A real Celery worker process picks up a task from a real broker and writes the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from models.actor import Actor
from models.db import Database
from models.jobs import SUCCEEDED, JobRun, create_job
from tests.services import require_redis

WORKER_START_TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def _no_broker_from_the_environment(monkeypatch):
    """Celery lets CELERY_BROKER_URL in the environment win over the URL a test passes."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)


def _run_check_with_worker(db_url: str, broker: str, backend: str, tmp_path: Path) -> JobRun:
    database = Database.from_url(db_url, pooled=False)
    with database.unit_of_work() as session:
        job_id = create_job(session, Actor.system(), "worker_check").id
    env = dict(
        os.environ,
        TIERLIGHT_MODE="test",
        TIERLIGHT_INSTANCE=str(tmp_path),
        DATABASE_URL=db_url,
        CELERY_BROKER_URL=broker,
        CELERY_RESULT_BACKEND=backend,
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "worker", "--concurrency", "1", "--loglevel", "INFO"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        producer = Celery(broker=broker, backend=backend)
        producer.send_task("worker.tasks.system.run_worker_check", args=[job_id])
        deadline = time.monotonic() + WORKER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            with database.unit_of_work() as session:
                job = session.get(JobRun, job_id)
                if job is not None and job.status == SUCCEEDED:
                    return job
            time.sleep(0.5)
        pytest.fail(
            "the worker did not finish the job:\n" + (tmp_path / "worker.log").read_text()[-3000:]
        )
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
        database.dispose()


@pytest.mark.slow
def test_worker_on_the_embedded_sqlite_broker(fresh_db_url, tmp_path):
    job = _run_check_with_worker(
        fresh_db_url,
        f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        tmp_path,
    )
    assert job.result["database"] in {"sqlite", "postgresql"}
    assert job.finished_at is not None


@pytest.mark.slow
@pytest.mark.redis
def test_worker_on_redis(fresh_db_url, tmp_path):
    redis_url = require_redis()
    job = _run_check_with_worker(fresh_db_url, redis_url, redis_url, tmp_path)
    assert job.progress == 100.0
