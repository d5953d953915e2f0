"""The recompute as a job: progress, result, chunks, and the task the worker runs."""

from __future__ import annotations

import pytest

from models import jobs
from models.quality import recompute_jobs
from models.quality.characteristics import create_characteristic
from models.quality.entities import CharacteristicStatistics
from models.quality.measurements import record_inspection
from models.quality.recompute_jobs import request_recompute, run_recompute
from tests.integration.quality.builders import PISTON_RINGS, inspection
from worker.celery_app import configure
from worker.tasks.quality import recompute_statistics as recompute_task


def test_a_job_recomputes_in_chunks_and_reports_progress(
    session, database, chain, ring, monkeypatch
):
    second = create_characteristic(
        session,
        chain.engineer,
        {"part_id": chain.parts["ring"].id, "code": "D2", "name": "Outer", "unit": "mm",
         "lsl": 73.9, "usl": 74.1, "subgroup_size": 1},
    )  # fmt: skip
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS))
    record_inspection(session, chain.reporter, inspection("L1", "D2", PISTON_RINGS[:30]))
    job = request_recompute(session, chain.engineer)
    assert job.params == {"characteristic_ids": sorted([ring.id, second.id])}
    session.commit()
    monkeypatch.setattr(recompute_jobs, "CHUNK", 1)

    result = run_recompute(database, job.id)

    session.expire_all()
    finished = session.get(jobs.JobRun, job.id)
    assert (finished.status, finished.progress) == ("succeeded", 100.0)
    assert result == finished.result
    assert result["characteristics"] == 2 and result["measurements"] == 155
    assert session.get(CharacteristicStatistics, second.id).chart == "i_mr"


def test_the_task_runs_the_job(session, database, settings, chain, ring):
    configure(settings, database)
    record_inspection(session, chain.reporter, inspection("L1", "D1", PISTON_RINGS))
    job = request_recompute(session, chain.reporter, [ring.id])
    session.commit()
    recompute_task.apply(args=(job.id,)).get()
    session.expire_all()
    assert session.get(jobs.JobRun, job.id).status == "succeeded"
    assert session.get(CharacteristicStatistics, ring.id).cpk == pytest.approx(1.663, abs=2e-3)
