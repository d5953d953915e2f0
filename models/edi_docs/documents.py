"""Received EDI documents: storing the raw file once, who may see it, its processing state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from models import jobs
from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.edi_docs.entities import EdiDocument, EdiMessage
from models.edi_docs.problems import in_file_order
from models.errors import NotFound, ValidationFailed
from models.files import Upload, store_upload
from models.i18n import N_
from models.roles import require_permission

UPLOAD_KIND = "edi"
JOB_KIND = "edi_ingest"
#: A run that has not finished after this long is taken to have died with its worker.
STALE_RUN_S = 900
#: The outcomes of a document that refused something (see :mod:`.reprocess`).
REFUSED_STATES = ("rejected", "partially_accepted")
#: The outcomes of a processed document.
FINISHED_STATES = ("accepted", *REFUSED_STATES)


def receive_document(
    session: Session,
    actor: Actor,
    filename: str,
    content: bytes,
    content_type: str | None = None,
) -> tuple[EdiDocument, bool]:
    """Keep an EDI file as received and queue it; ``(document, created)``.

    The same bytes sent again by the same organisation give back the first document and
    write nothing. A new document is ``received`` with a queued job: the caller enqueues
    the ingest task with its id once the transaction has committed.
    """
    require_permission(actor.role, "manage_edi")
    if not content:
        raise ValidationFailed.on("file", N_("The file is empty."))
    name = "".join(ch for ch in filename or "" if ch.isprintable()).strip() or "edi.txt"
    kind = "".join(ch for ch in content_type or "" if ch.isprintable())[:120] or None
    upload, created = store_upload(
        session, actor, UPLOAD_KIND, name, content, kind, retry_rejected=False
    )
    if not created:
        existing = session.scalar(select(EdiDocument).where(EdiDocument.upload_id == upload.id))
        if existing is not None:
            return existing, False
    document = EdiDocument(
        upload_id=upload.id,
        org_id=actor.org_id,
        channel=actor.channel,
        uploaded_by_user_id=actor.user_id,
        status="received",
    )
    session.add(document)
    session.flush()
    queue(session, actor, document)
    record_audit(
        session,
        actor,
        "edi_document.receive",
        "edi_document",
        document.id,
        {"upload_id": upload.id, "sha256": upload.sha256, "size": upload.size},
    )
    return document, True


def queue(session: Session, actor: Actor, document: EdiDocument) -> None:
    job = jobs.create_job(session, actor, JOB_KIND, {"document_id": document.id})
    document.job_id = job.id
    document.queued_at = utcnow()


def visible_documents(viewer_org_id: int) -> Select[tuple[EdiDocument]]:
    """Documents the organisation sent, or of which it receives at least one message."""
    received = exists().where(
        EdiMessage.document_id == EdiDocument.id, EdiMessage.receiver_org_id == viewer_org_id
    )
    return select(EdiDocument).where(
        or_(
            EdiDocument.org_id == viewer_org_id,
            EdiDocument.receiver_org_id == viewer_org_id,
            received,
        )
    )


def document_for(
    session: Session, viewer_org_id: int | None, document_id: int, *, lock: bool = False
) -> EdiDocument:
    """A document the viewer sent or receives; any other is not found.

    With ``lock`` its row is locked until the transaction ends (``FOR UPDATE``; SQLite's
    ``BEGIN IMMEDIATE`` already serialises), and read afresh even if the session holds it,
    so a decision on its status cannot be raced by another request.
    """
    query = visible_documents(viewer_org_id or 0).where(EdiDocument.id == document_id)
    if lock:
        query = query.with_for_update(of=EdiDocument).execution_options(populate_existing=True)
    document = session.scalar(query)
    if document is None:
        raise NotFound()
    return document


def raw_content(session: Session, document: EdiDocument) -> bytes:
    return session.scalar(select(Upload.content).where(Upload.id == document.upload_id)) or b""


def start_processing(session: Session, document_id: int) -> EdiDocument | None:
    """Mark a document as being processed; None when there is nothing to do: it is gone,
    finished, or another run started it less than :data:`STALE_RUN_S` ago (a task delivered
    twice does nothing the second time; one whose worker died is taken up again).

    The row stays locked until the caller commits, so of two deliveries at once the second
    reads the status the first one set (on SQLite, ``BEGIN IMMEDIATE`` serialises them).
    """
    document = session.get(EdiDocument, document_id, with_for_update=True)
    if document is None or document.status not in ("received", "processing"):
        return None
    now = utcnow()
    started = document.started_at
    running = document.status == "processing" and started is not None
    if running and (now - started).total_seconds() < STALE_RUN_S:
        return None
    document.status = "processing"
    document.started_at = now
    document.attempts += 1
    if document.job_id is not None:
        jobs.start_job(session, document.job_id)
    return document


def accepted_seqs(session: Session, document_id: int) -> set[int]:
    """Messages of the document accepted in an earlier run: they are not taken again."""
    return set(
        session.scalars(
            select(EdiMessage.seq).where(
                EdiMessage.document_id == document_id, EdiMessage.status == "accepted"
            )
        )
    )


def forget_rejections(session: Session, document_id: int) -> None:
    """Drop the rejected messages of an earlier run before they are tried again."""
    session.execute(
        delete(EdiMessage).where(
            EdiMessage.document_id == document_id, EdiMessage.status != "accepted"
        )
    )


def finish_document(
    session: Session,
    document_id: int,
    standard: str | None,
    receiver_org_id: int | None,
    problems: list[dict[str, Any]],
) -> EdiDocument:
    """Set the outcome from the messages: all accepted, some, or none (nor any message)."""
    document = session.get(EdiDocument, document_id)
    if document is None:
        raise NotFound()
    counts = dict(
        session.execute(
            select(EdiMessage.status, func.count())
            .where(EdiMessage.document_id == document_id)
            .group_by(EdiMessage.status)
        ).all()
    )
    accepted, rejected = counts.get("accepted", 0), counts.get("rejected", 0)
    status = outcome(accepted, rejected)
    document.status = status
    document.standard = standard
    document.receiver_org_id = receiver_org_id
    document.errors = in_file_order(problems) or None
    document.summary = {"messages": accepted + rejected, "accepted": accepted, "rejected": rejected}
    document.processed_at = utcnow()
    upload = session.get(Upload, document.upload_id)
    if upload is not None:
        upload.status, upload.processed_at = status, document.processed_at
    if document.job_id is not None:
        jobs.finish_job(session, document.job_id, {"status": status, **document.summary})
    return document


def outcome(accepted: int, rejected: int) -> str:
    """accepted when every message was, partially_accepted when some were, else rejected."""
    if accepted and not rejected:
        return "accepted"
    return "partially_accepted" if accepted else "rejected"


def release_document(session: Session, document_id: int) -> None:
    """Hand a document whose run broke off on a passing failure back to the queue."""
    document = session.get(EdiDocument, document_id)
    if document is not None and document.status == "processing":
        document.status, document.started_at = "received", None


def fail_document(session: Session, document_id: int, problem: dict[str, Any]) -> None:
    """Record that processing broke down: the document is rejected and can be retried."""
    document = session.get(EdiDocument, document_id)
    if document is None:
        return
    document.status = "rejected"
    document.errors = [*(document.errors or []), problem]
    document.processed_at = utcnow()
    if document.job_id is not None:
        jobs.fail_job(session, document.job_id, str(problem.get("code")))


def waiting_documents(session: Session, waited_s: float, limit: int = 50) -> list[int]:
    """Documents whose task seems lost: queued ``waited_s`` ago and not started, or started
    more than :data:`STALE_RUN_S` ago and not finished."""
    now = utcnow()
    queued_before = now - timedelta(seconds=waited_s)
    started_before = now - timedelta(seconds=STALE_RUN_S)
    return list(
        session.scalars(
            select(EdiDocument.id)
            .where(
                or_(
                    (EdiDocument.status == "received") & (EdiDocument.queued_at <= queued_before),
                    (EdiDocument.status == "processing")
                    & (EdiDocument.started_at <= started_before),
                )
            )
            .order_by(EdiDocument.id)
            .limit(limit)
        )
    )
