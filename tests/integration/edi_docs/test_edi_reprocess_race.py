"""Two requests to process a document again at the same moment queue one run, and two
deliveries of its task at the same moment process it once, on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from sqlalchemy import func, select

from models.audit import AuditEvent
from models.db import Database
from models.edi_docs.documents import JOB_KIND, receive_document, start_processing
from models.edi_docs.entities import EdiDocument
from models.edi_docs.reprocess import BEING_PROCESSED, request_reprocess
from models.errors import Conflict
from models.jobs import JobRun
from tests.fixtures.edi_docs.ingest import ingest_bytes
from tests.fixtures.edi_docs.world import World, build_world, edi_file
from tests.services import migrated_postgres_database

SENDER = "admin@supplier.edi"


@contextmanager
def _postgres_world() -> Iterator[tuple[Database, World]]:
    with migrated_postgres_database() as database:
        with database.unit_of_work() as session:
            world = build_world(session)
        yield database, world


def _at_once(database: Database, step: Callable[[Any], object]) -> tuple[list, list]:
    """Run ``step(session)`` in two threads, each in its own unit of work that waits, its
    writes made but not committed, for the other to get as far (at most two seconds).
    Unserialised, both pass their checks on what was committed before either wrote; serialised,
    the second one checks only once the first has committed. ``(results, conflicts)``."""
    both_done = threading.Barrier(2, timeout=2)
    results: list = []
    conflicts: list[Conflict] = []

    def one() -> None:
        try:
            with database.unit_of_work() as session:
                results.append(step(session))
                with suppress(threading.BrokenBarrierError):
                    both_done.wait()
        except Conflict as error:
            conflicts.append(error)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, conflicts


def _count(session, entity, *where) -> int:
    return session.scalar(select(func.count()).select_from(entity).where(*where))


@pytest.mark.postgres
def test_two_requests_at_once_queue_one_run_on_postgres():
    with _postgres_world() as (database, world):
        sender = world.actor(SENDER)
        report = ingest_bytes(database, sender, edi_file("x12_856_two_sets.edi"))
        assert report["status"] == "partially_accepted"
        document_id = report["document"]

        queued, refused = _at_once(
            database, lambda s: request_reprocess(s, sender, document_id).job_id
        )

        with database.unit_of_work() as session:
            audits = _count(
                session,
                AuditEvent,
                AuditEvent.action == "edi_document.reprocess",
                AuditEvent.entity_id == str(document_id),
            )
            runs = _count(session, JobRun, JobRun.kind == JOB_KIND)
            document = session.get(EdiDocument, document_id)
            assert document is not None
            status, job_id = document.status, document.job_id
    assert len(queued) == 1, refused
    assert [error.message.template for error in refused] == [BEING_PROCESSED]
    assert audits == 1
    assert runs == 2  # the first run and the one queued again
    assert (status, job_id) == ("received", queued[0])


@pytest.mark.postgres
def test_a_task_delivered_twice_at_once_is_claimed_once_on_postgres():
    with _postgres_world() as (database, world):
        with database.unit_of_work() as session:
            document, _ = receive_document(
                session, world.actor(SENDER), "d.edi", edi_file("edifact_desadv.edi")
            )
        document_id = document.id

        claims, _ = _at_once(database, lambda s: start_processing(s, document_id) is not None)

        with database.unit_of_work() as session:
            claimed = session.get(EdiDocument, document_id)
            assert claimed is not None
            attempts, status = claimed.attempts, claimed.status
    assert sorted(claims) == [False, True]
    assert (status, attempts) == ("processing", 1)
