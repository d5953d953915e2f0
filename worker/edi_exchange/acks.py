"""Acknowledge what was received: a 997 per X12 interchange (one AK1..AK9 per functional
group) and a CONTRL per EDIFACT interchange, each kept as a file we sent."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from edi import ControlNumbers, Interchange, Party, write_997, write_contrl
from models.actor import Actor
from models.edi_docs.entities import EdiOutbound
from models.edi_docs.identities import Partners
from models.edi_docs.outbound import Side, reserve_envelope, store_outbound
from models.edi_docs.problems import problem
from models.i18n import N_, Msg

log = logging.getLogger(__name__)

#: Acknowledgements are never acknowledged (X12 FA groups, EDIFACT CONTRL messages).
ACK_TYPES = {"x12": {"997", "999"}, "edifact": {"CONTRL"}}


def needs_ack(interchange: Interchange) -> bool:
    """True for an interchange with a readable header that is not only acknowledgements
    (997s, CONTRLs, or TA1s with no group)."""
    parties = (interchange.sender or "", interchange.receiver or "")
    if interchange.header is None or not all(p.strip() and p.isprintable() for p in parties):
        return False
    types = {message.type for message in interchange.messages}
    if not types:
        return not any(segment.tag == "TA1" for segment in interchange.service_segments)
    return not types <= ACK_TYPES[interchange.standard]


def write_ack(
    session: Session,
    document_id: int,
    uploader_org_id: int,
    interchange: Interchange,
    partners: Partners,
) -> tuple[EdiOutbound | None, dict[str, Any] | None]:
    """Write and keep the acknowledgement of one interchange, from the party it was addressed
    to back to its sender; a problem instead when it cannot be written."""
    groups = [group for group in interchange.groups if group.explicit]
    first = groups[0] if groups else None
    ours = Side(
        (interchange.receiver_qualifier or "").strip(),
        (interchange.receiver or "").strip(),
        (first.receiver or "").strip() or None if first else None,
        partners.receiver_org_id,
    )
    theirs = Side(
        (interchange.sender_qualifier or "").strip(),
        (interchange.sender or "").strip(),
        None,
        uploader_org_id,
    )
    envelope = reserve_envelope(session, interchange.standard, ours, theirs)
    control = ControlNumbers(envelope.control, envelope.control, 1)
    party = Party(ours.identifier, ours.qualifier or "ZZ", ours.application_id)
    try:
        if interchange.standard == "x12":
            kind, content = "997", write_997(interchange, sender=party, control=control)
        else:
            kind, content = "CONTRL", write_contrl(interchange, sender=party, control=control)
    except ValueError as error:
        log.warning("no acknowledgement for document %s: %s", document_id, error)
        text = Msg(N_("No acknowledgement could be written for this interchange."))
        return None, problem("ack_failed", text, interchange=interchange.control_number)
    actor = Actor(None, partners.receiver_org_id, "admin", "edi")
    return store_outbound(session, actor, envelope, kind, content, document_id=document_id), None
