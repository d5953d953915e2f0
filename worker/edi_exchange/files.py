"""Ingest a file given on the command line: store it for its sender and process it at once."""

from __future__ import annotations

from typing import Any

from edi import EdiError, iter_interchanges
from models.actor import Actor
from models.db import Database
from models.edi_docs import documents
from models.edi_docs.identities import find_identity
from models.edi_docs.problems import as_english, problem
from models.edi_docs.report import document_report
from models.i18n import N_, Msg
from models.orgs.operations import find_by_credit_code
from worker.edi_exchange.convert import as_problem
from worker.edi_exchange.ingest import ingest_document


def _sender_org(
    database: Database, content: bytes, credit_code: str | None
) -> int | dict[str, Any]:
    """The organisation the file is stored for: the one with ``credit_code``, else the one
    whose identity the first interchange names as its sender; else the problem saying why
    there is none (first that the file is not X12 or EDIFACT, when it is not)."""
    with database.unit_of_work() as session:
        if credit_code:
            org = find_by_credit_code(session, credit_code.strip().upper())
            if org is not None:
                return org.id
            text = Msg(N_("No organisation has the credit code %(code)s."), code=credit_code)
            return problem("unknown_sender", text)
        unreadable: list[EdiError] = []
        first = next(iter_interchanges(content, unreadable), None)
        if first is None:
            return as_problem(unreadable[0]) if unreadable else _no_sender()
        identity = find_identity(session, first.standard, first.sender_qualifier, first.sender)
        return identity.org_id if identity is not None else _no_sender()


def _no_sender() -> dict[str, Any]:
    text = Msg(N_("The file's sender is not a known EDI identity; name it with --org."))
    return problem("unknown_sender", text)


def ingest_file(
    database: Database, content: bytes, filename: str, credit_code: str | None = None
) -> dict[str, Any]:
    """Store ``content`` as a document of its sender and process it now (no worker needed);
    the document's report (see :func:`models.edi_docs.report.document_report`) with
    ``duplicate`` True when the same bytes were stored before (nothing is written again).
    Without a known sender nothing is stored: the report has ``document`` None and says why
    (a file that is not X12 or EDIFACT says so first)."""
    sender = _sender_org(database, content, credit_code)
    if isinstance(sender, dict):
        return {
            "document": None,
            "status": "rejected",
            "duplicate": False,
            "errors": as_english([sender]),
        }
    actor = Actor(None, sender, "admin", "cli")
    with database.unit_of_work() as session:
        document, created = documents.receive_document(session, actor, filename, content)
        document_id, waiting = document.id, document.status == "received"
    if created or waiting:
        ingest_document(database, document_id)
    with database.unit_of_work() as session:
        return {**document_report(session, document_id), "duplicate": not created}
