"""The worker side: a lost task is picked up again; a task delivered twice does nothing twice."""

from __future__ import annotations

from datetime import timedelta

from models.base import utcnow
from models.edi_docs.documents import receive_document
from models.edi_docs.entities import EdiDocument
from tests.fixtures.edi_docs.world import edi_file
from worker.tasks.edi import ingest_edi_document, sweep_edi_documents


def test_a_document_whose_task_was_lost_is_swept_up(app, world, database, session):
    with database.unit_of_work() as s:
        document, _ = receive_document(
            s, world.actor("admin@supplier.edi"), "d.edi", edi_file("edifact_desadv.edi")
        )
        document.queued_at = utcnow() - timedelta(minutes=5)
    with database.unit_of_work() as s:
        fresh, _ = receive_document(
            s, world.actor("admin@supplier.edi"), "q.edi", edi_file("edifact_qality.edi")
        )
    assert sweep_edi_documents.apply().get() == 1
    session.expire_all()
    assert session.get(EdiDocument, document.id).status == "accepted"
    assert session.get(EdiDocument, fresh.id).status == "received"


def test_a_task_delivered_twice_processes_once(app, world, database, session):
    with database.unit_of_work() as s:
        document, _ = receive_document(
            s, world.actor("admin@supplier.edi"), "d.edi", edi_file("edifact_desadv.edi")
        )
    assert ingest_edi_document.apply(args=(document.id,)).get() == "accepted"
    assert ingest_edi_document.apply(args=(document.id,)).get() is None
    session.expire_all()
    assert session.get(EdiDocument, document.id).attempts == 1
