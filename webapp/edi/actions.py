"""The EDI writes pages and API share: receive a file, process one again, send an order."""

from __future__ import annotations

from typing import Any

from models.actor import Actor
from models.edi_docs import documents
from models.edi_docs.entities import EdiDocument, EdiOutbound
from models.edi_docs.reprocess import request_reprocess
from webapp.database import db_session, unit_of_work
from webapp.tasks import enqueue
from worker.edi_exchange.orders import send_order_file
from worker.tasks.edi import ingest_edi_document


def receive(
    actor: Actor, filename: str, content: bytes, content_type: str | None
) -> tuple[EdiDocument, bool]:
    """Keep the file and queue its processing; the first document again for the same bytes."""
    with unit_of_work() as session:
        document, created = documents.receive_document(
            session, actor, filename, content, content_type
        )
    if created:
        _enqueue(document)
    return document, created


def reprocess(actor: Actor, document_id: int) -> EdiDocument:
    with unit_of_work() as session:
        document = request_reprocess(session, actor, document_id)
    _enqueue(document)
    return document


def _enqueue(document: EdiDocument) -> None:
    enqueue(ingest_edi_document, document.id, job_id=document.job_id)
    # An eager task (tests, the CLI) has changed the rows this request's session still holds.
    db_session().expire_all()


def send_order(actor: Actor, data: dict[str, Any]) -> EdiOutbound:
    with unit_of_work() as session:
        return send_order_file(session, actor, data)
