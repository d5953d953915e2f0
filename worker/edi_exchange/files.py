"""Ingest a file given on the command line: store it for its sender and process it at once."""

from __future__ import annotations

from typing import Any

from edi import iter_interchanges
from models.actor import Actor
from models.db import Database
from models.edi_docs import documents
from models.edi_docs.identities import find_identity
from models.edi_docs.problems import problem
from models.edi_docs.report import document_report
from models.i18n import N_, Msg
from models.orgs.operations import find_by_credit_code
from worker.edi_exchange.ingest import ingest_document


def _sender_org(database: Database, content: bytes, credit_code: str | None) -> int | None:
    """The organisation the file is stored for: the one with ``credit_code``, else the one
    whose identity the first interchange names as its sender."""
    with database.unit_of_work() as session:
        if credit_code:
            org = find_by_credit_code(session, credit_code.strip().upper())
            return org.id if org is not None else None
        first = next(iter_interchanges(content), None)
        if first is None:
            return None
        identity = find_identity(session, first.standard, first.sender_qualifier, first.sender)
        return identity.org_id if identity is not None else None


def ingest_file(
    database: Database, content: bytes, filename: str, credit_code: str | None = None
) -> dict[str, Any]:
    """Store ``content`` as a document of its sender and process it now (no worker needed);
    the document's report (see :func:`models.edi_docs.report.document_report`) with
    ``duplicate`` True when the same bytes were stored before (nothing is written again).
    Without a known sender nothing is stored: the report has ``document`` None."""
    org_id = _sender_org(database, content, credit_code)
    if org_id is None:
        text = (
            Msg(N_("No organisation has the credit code %(code)s."), code=credit_code)
            if credit_code
            else Msg(N_("The file's sender is not a known EDI identity; name it with --org."))
        )
        return {
            "document": None,
            "status": "rejected",
            "duplicate": False,
            "errors": [{**problem("unknown_sender", text), "text": str(text)}],
        }
    actor = Actor(None, org_id, "admin", "cli")
    with database.unit_of_work() as session:
        document, created = documents.receive_document(session, actor, filename, content)
        document_id, waiting = document.id, document.status == "received"
    if created or waiting:
        ingest_document(database, document_id)
    with database.unit_of_work() as session:
        return {**document_report(session, document_id), "duplicate": not created}
