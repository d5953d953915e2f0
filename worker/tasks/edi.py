"""EDI tasks: ingest a received document; pick up documents whose task was lost."""

from __future__ import annotations

from models.edi_docs.documents import waiting_documents
from worker.base import DomainTask
from worker.celery_app import celery_app, database
from worker.edi_exchange.ingest import ingest_document

#: A document still waiting this long after it was queued is queued again.
WAITED_S = 15.0


@celery_app.task(base=DomainTask, name="worker.tasks.edi.ingest_edi_document")
def ingest_edi_document(document_id: int) -> str | None:
    """Process one received EDI document; its outcome, or None when there was nothing to do."""
    return ingest_document(database(), document_id)


@celery_app.task(base=DomainTask, name="worker.tasks.edi.sweep_edi_documents")
def sweep_edi_documents() -> int:
    """Queue the documents whose ingest task never ran or died with its worker."""
    with database().unit_of_work() as session:
        waiting = waiting_documents(session, WAITED_S)
    for document_id in waiting:
        ingest_edi_document.delay(document_id)
    return len(waiting)
