"""Stored files: raw uploads kept as received (by SHA-256) and attachments such as photos."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column

from models.actor import Actor
from models.audit import record_audit
from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.types import JsonDoc

UPLOAD_STATES = ("received", "processing", "accepted", "partially_accepted", "rejected")


class Upload(Base):
    """A file a user or partner sent (spreadsheet, EDI), stored byte for byte with its errors.

    The same bytes sent twice by the same organisation are recognised by their SHA-256 and
    give back the first upload. A spreadsheet sent again after it was rejected (the cause fixed
    elsewhere, say a missing part added) is a new ``attempt``: the rejected one keeps its name
    and errors.
    """

    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("org_id", "kind", "sha256", "attempt"),)

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    status: Mapped[str] = mapped_column(String(24), default="received")
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Attachment(Base):
    """A small file attached to a record (a photo on a progress report, an 8D document)."""

    __tablename__ = "attachments"

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]


def display_name(filename: str) -> str:
    """The name to show and save a file under: its last path part, without control characters."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in last if ch.isprintable()).strip()[:255]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_upload(
    session: Session,
    actor: Actor,
    kind: str,
    filename: str,
    content: bytes,
    content_type: str | None = None,
    retry_rejected: bool = True,
) -> tuple[Upload, bool]:
    """Keep the bytes as received; returns ``(upload, created)``: the earlier upload for a
    repeat, unless it was rejected and ``retry_rejected`` asks for a new attempt."""
    digest = sha256_of(content)
    existing = session.scalar(
        select(Upload)
        .where(Upload.org_id == actor.org_id, Upload.kind == kind, Upload.sha256 == digest)
        .order_by(Upload.attempt.desc())
        .limit(1)
    )
    if existing is not None and not (retry_rejected and existing.status == "rejected"):
        return existing, False
    upload = Upload(
        org_id=actor.org_id,
        kind=kind,
        filename=display_name(filename),
        content_type=content_type,
        size=len(content),
        sha256=digest,
        attempt=existing.attempt + 1 if existing is not None else 1,
        content=content,
        uploaded_by_user_id=actor.user_id,
    )
    session.add(upload)
    session.flush()
    record_audit(
        session,
        actor,
        "upload.store",
        "upload",
        upload.id,
        {"kind": kind, "filename": upload.filename, "sha256": digest},
    )
    return upload, True


#: How each image format a photo may be begins (JPEG, PNG, GIF; WebP is a RIFF file).
_IMAGE_STARTS = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
#: HEIC/HEIF (iPhone photos) is an ISO media file: an ``ftyp`` box naming its brand.
_HEIF_BRANDS = {
    **dict.fromkeys((b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"), "image/heic"),
    **dict.fromkeys((b"mif1", b"msf1", b"heif"), "image/heif"),
}


def image_type(content: bytes) -> str | None:
    """The image format the bytes are, by their leading bytes; None when they are no image.

    A photo's declared type comes from its file name on the sender's device (a text file
    named x.jpg is declared image/jpeg), so a photo is judged by this instead.
    """
    for start, kind in _IMAGE_STARTS:
        if content.startswith(start):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(content[8:12])
    return None


def photo_type(declared: str, content: bytes, allowed: tuple[str, ...]) -> str | None:
    """The type to store a photo under (what its bytes are), or None when the declared type or
    the content is not one of the ``allowed`` image types."""
    found = image_type(content)
    return found if declared in allowed and found in allowed else None


def store_attachment(
    session: Session, actor: Actor, filename: str, content_type: str, content: bytes
) -> Attachment:
    attachment = Attachment(
        org_id=actor.org_id,
        filename=display_name(filename),
        content_type=content_type,
        size=len(content),
        sha256=sha256_of(content),
        content=content,
        uploaded_by_user_id=actor.user_id,
    )
    session.add(attachment)
    session.flush()
    record_audit(
        session,
        actor,
        "attachment.store",
        "attachment",
        attachment.id,
        {"filename": attachment.filename, "size": attachment.size},
    )
    return attachment
