"""A received document's outcome as plain data in English: what ``tierlight edi ingest`` prints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.edi_docs.entities import EdiDocument, EdiMessage, EdiOutbound
from models.edi_docs.problems import as_english
from models.errors import NotFound


def document_report(session: Session, document_id: int) -> dict[str, Any]:
    """A document's outcome as plain JSON-safe data with English texts (the CLI prints it):
    its status, its messages and every error, file-level first, then per message."""
    document = session.get(EdiDocument, document_id)
    if document is None:
        raise NotFound()
    messages = list(
        session.scalars(
            select(EdiMessage).where(EdiMessage.document_id == document_id).order_by(EdiMessage.seq)
        )
    )
    acks = session.scalars(
        select(EdiOutbound).where(EdiOutbound.document_id == document_id).order_by(EdiOutbound.id)
    )
    errors = as_english(document.errors)
    for message in messages:
        errors.extend(as_english(message.errors))
    return {
        "document": document.id,
        "status": document.status,
        "filename": document.upload.filename,
        "sha256": document.upload.sha256,
        "standard": document.standard,
        "sender_org_id": document.org_id,
        "receiver_org_id": document.receiver_org_id,
        "summary": document.summary,
        "messages": [
            {
                "seq": m.seq,
                "type": m.type,
                "control_number": m.control_number,
                "status": m.status,
                "reference": m.reference,
                "entity": m.entity,
                "entity_id": m.entity_id,
            }
            for m in messages
        ],
        "errors": errors,
        "acks": [{"id": a.id, "kind": a.kind, "filename": a.filename} for a in acks],
    }
