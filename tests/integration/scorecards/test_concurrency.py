"""Two recomputes at once on PostgreSQL leave exactly what one leaves (advisory locks, upserts)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from models.db import Database
from models.jobs import JobRun
from models.migrate import upgrade
from models.scorecards.entities import ScorecardWarning
from tests.conftest import make_settings
from tests.integration.scorecards.builders import NOW, network
from tests.integration.scorecards.test_jobs import facts, run_all, snapshot
from tests.services import migrated_postgres_database, temporary_postgres_database
from worker import celery_app
from worker.tasks.scorecards import recompute_scorecards


def _at_once(count: int, work) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def one() -> None:
        barrier.wait()
        try:
            work()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


@pytest.mark.postgres
def test_two_recompute_jobs_at_once_equal_one_clean_run(tmp_path):
    with temporary_postgres_database() as url:
        upgrade(url)
        database = Database.from_url(url)
        try:
            with database.unit_of_work() as session:
                facts(session, network(session))
            celery_app.configure(make_settings(tmp_path, database_url=url), database)
            job = {"history": True, "as_of": NOW.isoformat()}
            recompute_scorecards.run(**job)
            with database.unit_of_work() as session:
                clean = snapshot(session)
            errors = _at_once(2, lambda: recompute_scorecards.run(**job))
            assert errors == []
            with database.unit_of_work() as session:
                assert snapshot(session) == clean
                subjects = session.execute(
                    select(ScorecardWarning.subject, func.count()).group_by(
                        ScorecardWarning.subject
                    )
                ).all()
                assert all(n == 1 for _s, n in subjects)
                jobs = session.scalars(select(JobRun.status).where(JobRun.kind.like("scorecards%")))
                assert list(jobs) == ["succeeded"] * 3
        finally:
            celery_app.configure(make_settings(tmp_path))
            database.dispose()


@pytest.mark.postgres
def test_two_stage_runs_racing_on_the_same_periods_equal_one_clean_run():
    with migrated_postgres_database() as database:
        with database.unit_of_work() as session:
            facts(session, network(session))
        run_all(database)
        with database.unit_of_work() as session:
            clean = snapshot(session)
        assert _at_once(3, lambda: run_all(database)) == []
        with database.unit_of_work() as session:
            assert snapshot(session) == clean
