"""What of a received EDI document each organisation may see: the sender all of it, a
receiver only what was addressed to it.

One file may hold interchanges for several buyers (a supplier's ERP batches them); each
receiver sees its own messages, the problems of their interchanges, the counts and outcome
of those alone, and the file itself only when nothing in it is addressed to anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from models.edi_docs.documents import (
    FINISHED_STATES,
    outcome,
    raw_content,
    visible_documents,
)
from models.edi_docs.entities import DOCUMENT_STATES, EdiDocument, EdiMessage
from models.errors import NotFound


@dataclass(frozen=True, slots=True)
class Share:
    """The part of a document one organisation sees (see the module docstring)."""

    messages: list[EdiMessage]
    problems: list[dict[str, Any]]
    summary: dict[str, int]
    status: str
    receiver_org_id: int | None
    whole_file: bool


@dataclass(frozen=True, slots=True)
class Outline:
    """What a list shows of a document to one organisation: its status, counts and receiver."""

    summary: dict[str, int]
    status: str
    receiver_org_id: int | None


def share_for(session: Session, viewer_org_id: int, document: EdiDocument) -> Share:
    """What ``viewer_org_id`` (the sender or a receiver of ``document``) sees of it."""
    query = select(EdiMessage).where(EdiMessage.document_id == document.id)
    problems = list(document.errors or [])
    if document.org_id == viewer_org_id:
        messages = list(session.scalars(query.order_by(EdiMessage.seq)))
        return Share(
            messages,
            problems,
            document.summary or {},
            document.status,
            document.receiver_org_id,
            True,
        )
    query = query.where(EdiMessage.receiver_org_id == viewer_org_id)
    messages = list(session.scalars(query.order_by(EdiMessage.seq)))
    whole = not addressed_elsewhere(session, viewer_org_id, [document.id])
    if not whole:
        mine = {message.interchange_control for message in messages}
        problems = [p for p in problems if p.get("interchange") in mine]
    outline = _receiver_outline(document, _counts(messages), viewer_org_id)
    return Share(messages, problems, outline.summary, outline.status, viewer_org_id, whole)


def outlines_for(
    session: Session, viewer_org_id: int, documents: list[EdiDocument]
) -> dict[int, Outline]:
    """The status, counts and receiver each of ``documents`` shows ``viewer_org_id``: as
    stored for the documents it sent, those of its own messages for the ones it receives."""
    received = [d.id for d in documents if d.org_id != viewer_org_id]
    counts: dict[int, dict[str, int]] = {}
    if received:
        rows = session.execute(
            select(EdiMessage.document_id, EdiMessage.status, func.count())
            .where(
                EdiMessage.document_id.in_(received),
                EdiMessage.receiver_org_id == viewer_org_id,
            )
            .group_by(EdiMessage.document_id, EdiMessage.status)
        )
        for document_id, status, count in rows:
            counts.setdefault(document_id, {})[status] = count
    return {
        d.id: Outline(d.summary or {}, d.status, d.receiver_org_id)
        if d.org_id == viewer_org_id
        else _receiver_outline(d, counts.get(d.id, {}), viewer_org_id)
        for d in documents
    }


def documents_query(
    viewer_org_id: int, status: str | None = None, role: str | None = None
) -> Select[tuple[EdiDocument]]:
    """The viewer's documents, newest first; ``status`` is the one each shows the viewer (see
    :func:`outlines_for`), ``role`` "sent" or "received" narrows them."""
    query = visible_documents(viewer_org_id)
    if status in DOCUMENT_STATES:
        query = query.where(shown_status_is(viewer_org_id, status))
    if role == "sent":
        query = query.where(EdiDocument.org_id == viewer_org_id)
    elif role == "received":
        query = query.where(EdiDocument.org_id != viewer_org_id)
    return query.order_by(EdiDocument.id.desc())


def shown_status_is(viewer_org_id: int, status: str) -> ColumnElement[bool]:
    """SQL: the document shows ``viewer_org_id`` this status. Its sender sees the stored one,
    as does a receiver while it is being processed; after, a receiver sees the outcome of
    its own messages (:func:`models.edi_docs.documents.outcome` of their counts)."""
    sent = EdiDocument.org_id == viewer_org_id
    if status not in FINISHED_STATES:
        return EdiDocument.status == status

    def mine(message_status: str) -> ColumnElement[bool]:
        return exists().where(
            EdiMessage.document_id == EdiDocument.id,
            EdiMessage.receiver_org_id == viewer_org_id,
            EdiMessage.status == message_status,
        )

    accepted, rejected = mine("accepted"), mine("rejected")
    own_outcome = {
        "accepted": and_(accepted, not_(rejected)),
        "partially_accepted": and_(accepted, rejected),
        "rejected": not_(accepted),
    }[status]
    return or_(
        and_(sent, EdiDocument.status == status),
        and_(not_(sent), EdiDocument.status.in_(FINISHED_STATES), own_outcome),
    )


def file_for(session: Session, viewer_org_id: int, document: EdiDocument) -> bytes:
    """The file as received, for its sender, or for a receiver when every message in it is
    addressed to that receiver; otherwise not found (it would show the others' messages)."""
    if document.org_id != viewer_org_id and addressed_elsewhere(
        session, viewer_org_id, [document.id]
    ):
        raise NotFound()
    return raw_content(session, document)


def addressed_elsewhere(session: Session, viewer_org_id: int, document_ids: Iterable[int]) -> bool:
    """Whether any message of the documents is addressed to another organisation or to none
    known (an interchange whose receiver could not be told is not the viewer's either)."""
    other = or_(EdiMessage.receiver_org_id.is_(None), EdiMessage.receiver_org_id != viewer_org_id)
    query = select(EdiMessage.id).where(EdiMessage.document_id.in_(list(document_ids)), other)
    return session.scalar(query.limit(1)) is not None


def _counts(messages: list[EdiMessage]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in messages:
        counts[message.status] = counts.get(message.status, 0) + 1
    return counts


def _receiver_outline(document: EdiDocument, counts: dict[str, int], viewer_org_id: int) -> Outline:
    if document.status not in FINISHED_STATES:
        return Outline({}, document.status, viewer_org_id)
    accepted, rejected = counts.get("accepted", 0), counts.get("rejected", 0)
    summary = {"messages": accepted + rejected, "accepted": accepted, "rejected": rejected}
    return Outline(summary, outcome(accepted, rejected), viewer_org_id)
