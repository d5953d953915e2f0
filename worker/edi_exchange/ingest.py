"""Ingest a received EDI document: read it, take each message through the domain operations
in its own unit of work, acknowledge each interchange, and set the document's outcome."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from edi import EdiError, Interchange, Message, parse_document
from edi.x12.interchange_ack import interchange_acks
from models import jobs
from models.db import Database
from models.edi_docs import documents
from models.edi_docs.entities import EdiDocument, EdiMessage
from models.edi_docs.identities import Partners, check_partners
from models.edi_docs.inbound import MessageIn, apply_message
from models.edi_docs.problems import english, problem
from models.edi_docs.quality_mapping import measured_characteristics
from models.edi_docs.repeats import repeated_interchange
from models.i18n import N_, Msg
from models.quality.statistics_store import recompute_statistics
from worker.base import TRANSIENT_ERRORS
from worker.edi_exchange.acks import needs_ack, write_ack
from worker.edi_exchange.convert import as_problem, envelope_problems

log = logging.getLogger(__name__)

PARTNER_ERROR = "partner"
REFUSED = "refused"


@dataclass
class _Run:
    """What one processing run of a document learns as it goes."""

    document_id: int
    upload_id: int
    uploader_org_id: int
    done: set[int]
    total: int = 0
    seq: int = 0
    standard: str | None = None
    receiver_org_id: int | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    measured: bool = False
    partners: list[tuple[Interchange, Partners]] = field(default_factory=list)


def ingest_document(database: Database, document_id: int) -> str | None:
    """Process one document and return its outcome (None when there was nothing to do).

    Each message is its own unit of work (all of its records or none of them); a message
    accepted by an earlier run is not taken again, so running twice is harmless. A failure
    that is not the file's fault marks the document rejected with an internal error, and is
    raised again for the worker's log; a transient one (database or broker away) puts the
    document back in the queue's hands, raised again for the task to be retried.
    """
    with database.unit_of_work() as session:
        document = documents.start_processing(session, document_id)
        if document is None:
            return None
        content = documents.raw_content(session, document)
        documents.forget_rejections(session, document_id)
        done = documents.accepted_seqs(session, document_id)
        run = _Run(document_id, document.upload_id, document.org_id, done)
    try:
        return _process(database, run, content)
    except TRANSIENT_ERRORS:
        with database.unit_of_work() as session:
            documents.release_document(session, document_id)
        raise
    except Exception:
        log.exception("EDI document %s could not be processed", document_id)
        with database.unit_of_work() as session:
            text = Msg(N_("The document could not be processed; it can be processed again."))
            documents.fail_document(session, document_id, problem("internal_error", text))
        raise


def _process(database: Database, run: _Run, content: bytes) -> str:
    parsed = parse_document(content)
    run.problems.extend(as_problem(error) for error in parsed.errors)
    run.total = sum(
        len(interchange.messages) + len(_interchange_acks(interchange))
        for interchange in parsed.interchanges
    )
    for interchange in parsed.interchanges:
        _interchange(database, run, interchange)
    if run.measured:
        with database.unit_of_work() as session:
            recompute_statistics(session, measured_characteristics(session, run.upload_id))
    with database.unit_of_work() as session:
        for interchange, partners in run.partners:
            # Only a known sender, who uploaded the file and trades with the known receiver,
            # is acknowledged: a 997 / CONTRL for a file refused for who sent it would confirm
            # receipt to whoever forged it, in the receiver's name. Syntax, envelope and
            # business refusals of a genuine sender are still acknowledged as rejected.
            if needs_ack(interchange) and partners.ok:
                _, failed = write_ack(
                    session, run.document_id, run.uploader_org_id, interchange, partners
                )
                if failed:
                    run.problems.append(failed)
        document = documents.finish_document(
            session, run.document_id, run.standard, run.receiver_org_id, run.problems
        )
        return document.status


def _interchange(database: Database, run: _Run, interchange: Interchange) -> None:
    run.standard = run.standard or interchange.standard
    with database.unit_of_work() as session:
        partners = check_partners(
            session,
            interchange.standard,
            (interchange.sender_qualifier, interchange.sender),
            (interchange.receiver_qualifier, interchange.receiver),
            run.uploader_org_id,
        )
        repeated = repeated_interchange(
            session,
            run.document_id,
            interchange.standard,
            partners.sender_org_id,
            interchange.control_number,
            interchange.sender,
        )
    if repeated is not None:
        run.problems.append(repeated)
    run.partners.append((interchange, partners))
    run.receiver_org_id = run.receiver_org_id or partners.receiver_org_id
    tag = "ISA" if interchange.standard == "x12" else "UNB"
    for text in partners.problems:
        interchange.errors.append(
            EdiError(
                PARTNER_ERROR,
                text,
                interchange=interchange.control_number,
                segment_tag=tag,
                interchange_position=1 if interchange.header is not None else None,
            )
        )
    if interchange.standard == "x12":
        _check_applications(interchange, partners)
    run.problems.extend(envelope_problems(interchange))
    for group in interchange.groups:
        blocked = _blocked(interchange, group.rejected, group.control_number)
        for message in group.messages:
            run.seq += 1
            if run.seq in run.done:
                continue
            _message(database, run, partners, message, blocked)
    _acknowledged_interchanges(database, run, partners, interchange)


def _interchange_acks(interchange: Interchange) -> list[dict[str, Any]]:
    return interchange_acks(interchange) if interchange.standard == "x12" else []


def _acknowledged_interchanges(
    database: Database, run: _Run, partners: Partners, interchange: Interchange
) -> None:
    """Each TA1 of the interchange, after its groups, as a message of its own: it stands
    outside any group and answers a whole interchange we sent."""
    blocked = _blocked(interchange, False, None)
    for record in _interchange_acks(interchange):
        run.seq += 1
        if run.seq in run.done:
            continue
        incoming = MessageIn(
            seq=run.seq,
            standard="x12",
            type="TA1",
            control_number=record["interchange_control_number"],
            interchange=interchange.control_number,
            records=[record],
        )
        _apply(database, run, partners, incoming, blocked)


def _check_applications(interchange: Interchange, partners: Partners) -> None:
    """A group whose GS02 or GS03 names an application other than the partners registered is
    not taken: it was meant for another system of theirs or ours."""
    for group in interchange.groups:
        for position, code, text in partners.application_problems(group.sender, group.receiver):
            group.errors.append(
                EdiError(
                    PARTNER_ERROR,
                    text,
                    interchange=interchange.control_number,
                    group=group.control_number,
                    segment_tag="GS",
                    element=f"GS{position:02d}",
                    element_position=position,
                    value=code,
                    interchange_position=group.position,
                )
            )


def _blocked(interchange: Interchange, group_rejected: bool, group: str | None) -> list[dict]:
    if interchange.rejected:
        text = Msg(N_("The interchange was not accepted; see the errors of its envelope."))
        return [problem("interchange_rejected", text, interchange=interchange.control_number)]
    if group_rejected:
        text = Msg(N_("The group was not accepted; see the errors of its envelope."))
        return [
            problem("group_rejected", text, interchange=interchange.control_number, group=group)
        ]
    return []


def _message(
    database: Database, run: _Run, partners: Partners, message: Message, blocked: list[dict]
) -> None:
    incoming = MessageIn(
        seq=run.seq,
        standard=message.standard,
        type=message.type,
        control_number=message.control_number,
        interchange=message.interchange,
        group=message.group,
        problems=[as_problem(error) for error in message.errors],
        records=message.records,
        places=message.places,
    )
    row = _apply(database, run, partners, incoming, blocked)
    if row.status == "rejected" and not message.errors and not blocked:
        # The reader found nothing wrong, a domain operation refused it: the acknowledgement
        # must still say the set was not accepted.
        reason = english((row.errors or [{}])[0].get("text"))
        message.errors.append(
            EdiError(
                REFUSED,
                Msg(N_("Refused: %(reason)s"), reason=reason),
                interchange=message.interchange,
                group=message.group,
                message=message.control_number,
            )
        )


def _apply(
    database: Database, run: _Run, partners: Partners, incoming: MessageIn, blocked: list[dict]
) -> EdiMessage:
    """Apply one message in a unit of work of its own and report the document's progress."""
    with database.unit_of_work() as session:
        document = session.get(EdiDocument, run.document_id)
        assert document is not None
        row = apply_message(session, document, partners, incoming, blocked)
        if document.job_id is not None and run.total:
            jobs.report_progress(session, document.job_id, 100.0 * run.seq / run.total)
    run.measured |= row.status == "accepted" and row.record_kind == "quality_report"
    return row
