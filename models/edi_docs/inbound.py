"""Taking one received message: all of its records through the domain operations, or none."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from models.actor import Actor
from models.edi_docs.entities import EdiDocument, EdiMessage
from models.edi_docs.handlers import apply_record
from models.edi_docs.identities import Partners
from models.edi_docs.problems import (
    domain_problems,
    holds_nul,
    in_file_order,
    problem,
    storable,
)
from models.errors import DomainError
from models.i18n import N_, Msg

log = logging.getLogger(__name__)

#: The role an EDI write acts with: see :func:`edi_actor`.
EDI_ROLE = "admin"


@dataclass
class MessageIn:
    """A message as the reader left it: its place in the file, its problems, its records,
    and where each field of its record was read (see :func:`problems.field_place`)."""

    seq: int
    standard: str
    type: str
    control_number: str | None = None
    interchange: str | None = None
    group: str | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    #: Where each field of the record was read: (segment position, segment tag, element).
    places: dict[str, Sequence[Any]] = field(default_factory=dict)

    def place(self) -> dict[str, Any]:
        return {
            "interchange": self.interchange,
            "group": self.group,
            "message": self.control_number,
        }


def edi_actor(document: EdiDocument, partners: Partners) -> Actor:
    """Who writes what an EDI file says: the sending organisation's own system.

    The user is the one who uploaded the file (None from the CLI), the organisation the
    sender named in the envelope (checked to be the uploader and linked to the receiver),
    the role ``admin``: an organisation's configured EDI link speaks for the organisation,
    and who may upload files at all is decided by the ``manage_edi`` permission. The audit
    trail shows channel ``edi``.
    """
    return Actor(document.uploaded_by_user_id, partners.sender_org_id, EDI_ROLE, "edi")


def apply_message(
    session: Session,
    document: EdiDocument,
    partners: Partners,
    message: MessageIn,
    blocked: list[dict[str, Any]] | None = None,
) -> EdiMessage:
    """Record one message and, when nothing stands in the way, write its records.

    The records go through the same domain operations as the forms, inside a savepoint: a
    record refused rolls back everything the message wrote, and the message is rejected
    with the reasons. ``blocked`` are problems of the envelope or of the partners that
    reject the message before any record is tried.
    """
    problems = [*message.problems, *(blocked or [])]
    written: list[tuple[str, int, str | None]] = []
    kind = message.records[0]["kind"] if message.records else None
    if not problems and not message.records:
        problems.append(
            problem("no_records", Msg(N_("The message holds nothing to take.")), **message.place())
        )
    if not problems and holds_nul(message.records):
        text = Msg(N_("The message holds a NUL character, which cannot be stored."))
        problems.append(problem("bad_characters", text, **message.place()))
    if not problems:
        try:
            with session.begin_nested():
                actor = edi_actor(document, partners)
                written = [
                    apply_record(session, actor, partners, document, record)
                    for record in message.records
                ]
        except DomainError as error:
            problems = domain_problems(error, message.places, **message.place())
        except (IntegrityError, DataError) as error:
            log.warning("EDI message %s of %s clashed: %s", message.seq, document.id, error)
            problems = [
                problem(
                    "conflict",
                    Msg(N_("The message clashes with records already stored.")),
                    **message.place(),
                )
            ]
    entity, entity_id, reference = written[0] if written else (None, None, None)
    reference = reference or _reference(message)
    row = EdiMessage(
        document_id=document.id,
        seq=message.seq,
        standard=message.standard,
        type=storable((message.type or "?")[:8]),
        interchange_control=_short(message.interchange),
        group_control=_short(message.group),
        control_number=_short(message.control_number),
        sender_org_id=partners.sender_org_id,
        receiver_org_id=partners.receiver_org_id,
        status="rejected" if problems else "accepted",
        errors=in_file_order(problems) or None,
        record_kind=kind,
        entity=entity if not problems else None,
        entity_id=entity_id if not problems else None,
        reference=storable(reference[:80]) if reference else None,
    )
    session.add(row)
    session.flush()
    return row


def _short(value: str | None) -> str | None:
    return storable(value[:16]) if value else None


def _reference(message: MessageIn) -> str | None:
    for record in message.records:
        for key in ("number", "order_number", "interchange", "group_control_number"):
            if record.get(key):
                return str(record[key])
    return None
