"""Processing a received EDI document again: when it could change anything, and who may ask.

A refused message can come out differently next time only when what refused it lies in the
data (no such order line or part yet, partners not linked) or processing broke down; a fault
in the bytes (syntax, counts, a record that breaks a rule of its own) stays. Asking runs the
whole file again, so a receiver may ask only when every message in it is addressed to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.edi_docs.documents import REFUSED_STATES, document_for, queue
from models.edi_docs.entities import EdiDocument, EdiMessage
from models.edi_docs.shares import Share, addressed_elsewhere
from models.errors import Conflict, Forbidden
from models.i18n import N_
from models.roles import require_permission

SAME_RESULT = N_(
    "This file was refused for errors in the file itself, so processing it again would give "
    "the same result. Send a corrected file."
)
BEING_PROCESSED = N_(
    "This file is being processed right now. Wait for its result: processing it again is "
    "possible once it is done, if some of it was refused."
)
NOT_REFUSED = N_("Only a rejected or partially accepted document can be processed again.")
SENDER_ONLY = N_(
    "This file also holds messages for other organisations: only its sender can process it again."
)
#: Problems a change of data can clear: a domain operation refused a record (no such order
#: line or part, a rule that reads stored records), the partners are unknown or not linked,
#: or processing broke down. Every other problem is in the bytes, which stay the same: a
#: record breaking a rule of its own is ``invalid_record`` (see ``problems.INVALID_RECORD``).
DATA_PROBLEMS = frozenset(
    {"validation_error", "not_found", "conflict", "forbidden", "partner", "internal_error"}
)
#: A message refused with its interchange or group: the envelope's problems are the cause.
ENVELOPE_REFUSALS = frozenset({"interchange_rejected", "group_rejected"})
#: ``edi.errors.UNEXPECTED_DATA``: reported, but refuses nothing (models do not import edi).
UNEXPECTED_DATA = "unexpected_data"


@dataclass(frozen=True, slots=True)
class Outlook:
    """What processing a document again could do for what one organisation sees of it."""

    #: Some refusal could come out differently (data set up since, a breakdown).
    could_change: bool
    #: The refused messages only a corrected file can change.
    in_file: list[EdiMessage]


def outlook(share: Share) -> Outlook:
    """The outlook of the messages and problems of a :class:`~.shares.Share`."""
    if share.status not in REFUSED_STATES:
        return Outlook(False, [])
    envelope = share.problems
    broke_down = any(p.get("code") == "internal_error" for p in envelope)
    refused = [m for m in share.messages if m.status == "rejected"]
    fixable = {m.seq for m in refused if _data_could_change(m, envelope)}
    in_file = [m for m in refused if m.seq not in fixable]
    return Outlook(broke_down or bool(fixable), in_file)


def can_process_again(document: EdiDocument) -> bool:
    """Whether processing the document again could change anything (see :func:`outlook`).

    A syntax, envelope or control-count error, a record that breaks a rule of its own, or a
    file from which no message could be read gives the same result next time.
    """
    if document.status not in REFUSED_STATES:
        return False
    share = Share(
        list(document.messages),
        list(document.errors or []),
        document.summary or {},
        document.status,
        document.receiver_org_id,
        True,
    )
    return outlook(share).could_change


def may_process_again(session: Session, org_id: int, document: EdiDocument) -> bool:
    """Whether the organisation may have the document processed again: its sender, or a
    receiver of every message in it (a run takes the whole file, others' messages too)."""
    return document.org_id == org_id or not addressed_elsewhere(session, org_id, [document.id])


def request_reprocess(session: Session, actor: Actor, document_id: int) -> EdiDocument:
    """Process a rejected or partially accepted document again (after a partner, order or
    part was set up). Messages already accepted are kept and not written twice. Refused
    while it is being processed, when nothing could change, and for a receiver of only part
    of the file (see :func:`may_process_again`); the caller enqueues the ingest task after
    commit. The document's row is locked while it is checked, so of two requests at once
    the second sees the first one's run queued and is refused as being processed."""
    require_permission(actor.role, "manage_edi")
    document = document_for(session, actor.org_id, document_id, lock=True)
    if document.status in ("received", "processing"):
        raise Conflict(BEING_PROCESSED)
    if document.status not in REFUSED_STATES:
        raise Conflict(NOT_REFUSED)
    if not may_process_again(session, actor.org_id or 0, document):
        raise Forbidden(SENDER_ONLY)
    if not can_process_again(document):
        raise Conflict(SAME_RESULT)
    document.status = "received"
    queue(session, actor, document)
    record_audit(session, actor, "edi_document.reprocess", "edi_document", document.id)
    return document


def _data_could_change(message: EdiMessage, envelope: list[dict[str, Any]]) -> bool:
    causes = []
    for found in message.errors or []:
        if found.get("code") in ENVELOPE_REFUSALS:
            causes.extend(_envelope_causes(found, envelope))
        else:
            causes.append(found)
    return bool(causes) and all(cause.get("code") in DATA_PROBLEMS for cause in causes)


def _envelope_causes(refusal: dict[str, Any], envelope: list[dict[str, Any]]) -> list[dict]:
    """The problems of the interchange that refused a message, its groups' included (a
    group's problem does not always name the group); data after the trailer refuses nothing."""
    return [
        p
        for p in envelope
        if p.get("interchange") == refusal.get("interchange") and p.get("code") != UNEXPECTED_DATA
    ]
