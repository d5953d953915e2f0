"""Entities of the EDI exchange: identities, received documents and messages, files we send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

# The tables our foreign keys name (users, job_runs, purchase_orders) must be mapped wherever
# these entities are flushed, also in a process that imports nothing else (the CLI, a worker).
from models import jobs  # noqa: F401
from models.accounts import entities as _accounts  # noqa: F401
from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.files import Upload
from models.orders import entities as _orders  # noqa: F401
from models.orgs.entities import Organisation
from models.types import JsonDoc

STANDARDS = ("x12", "edifact")
DOCUMENT_STATES = ("received", "processing", "accepted", "partially_accepted", "rejected")
FINISHED_STATES = ("accepted", "partially_accepted", "rejected")
MESSAGE_STATES = ("accepted", "rejected")
OUTBOUND_KINDS = ("997", "CONTRL", "850", "ORDERS")
#: ``sent`` until an acknowledgement arrives; ``received`` is a CONTRL with action 8.
OUTBOUND_STATES = ("sent", "received", "accepted", "partially_accepted", "rejected")


class EdiIdentity(Base):
    """How an organisation names itself in an envelope: ISA05/06 (+ GS02) or UNB 0007/0004.

    One identity belongs to one organisation, so a sender or receiver read from a file names
    exactly one organisation; an organisation may hold several (a test and a production id).
    """

    __tablename__ = "edi_identities"
    __table_args__ = (UniqueConstraint("standard", "qualifier", "identifier"),)

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    standard: Mapped[str] = mapped_column(String(8))
    qualifier: Mapped[str] = mapped_column(String(4))
    identifier: Mapped[str] = mapped_column(String(35))
    application_id: Mapped[str | None] = mapped_column(String(35))
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]

    organisation: Mapped[Organisation] = relationship()


class EdiDocument(Base):
    """A received EDI file: its raw upload (bytes and SHA-256), status and file-level errors.

    ``org_id`` is the organisation that sent (uploaded) it; receivers are named per message.
    """

    __tablename__ = "edi_documents"

    id: Mapped[IdPK]
    upload_id: Mapped[int] = mapped_column(BigId, ForeignKey("uploads.id"), unique=True)
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    receiver_org_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organisations.id"), index=True
    )
    standard: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(24), default="received", index=True)
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    uploaded_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    job_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("job_runs.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Timestamp]
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    upload: Mapped[Upload] = relationship()
    sender: Mapped[Organisation] = relationship(foreign_keys=[org_id])
    receiver: Mapped[Organisation | None] = relationship(foreign_keys=[receiver_org_id])
    messages: Mapped[list[EdiMessage]] = relationship(
        back_populates="document", order_by="EdiMessage.seq"
    )


class EdiMessage(Base):
    """One transaction set or message of a document and what became of it.

    ``seq`` is its place in the file (stable for the same bytes), so reprocessing keeps the
    messages already accepted and retries only the others. ``entity``/``entity_id`` name the
    record it wrote; ``reference`` is its business number (ship notice, order number).
    """

    __tablename__ = "edi_messages"
    __table_args__ = (
        UniqueConstraint("document_id", "seq"),
        # An interchange control number the same sender used in an earlier file.
        Index("ix_edi_messages_sender_interchange", "sender_org_id", "interchange_control"),
    )

    id: Mapped[IdPK]
    document_id: Mapped[int] = mapped_column(BigId, ForeignKey("edi_documents.id"))
    seq: Mapped[int]
    standard: Mapped[str] = mapped_column(String(8))
    type: Mapped[str] = mapped_column(String(8))
    interchange_control: Mapped[str | None] = mapped_column(String(16))
    group_control: Mapped[str | None] = mapped_column(String(16))
    control_number: Mapped[str | None] = mapped_column(String(16))
    sender_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    receiver_org_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organisations.id"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc)
    record_kind: Mapped[str | None] = mapped_column(String(24))
    entity: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(BigId)
    reference: Mapped[str | None] = mapped_column(String(80))
    processed_at: Mapped[Timestamp]

    document: Mapped[EdiDocument] = relationship(back_populates="messages")


class EdiOutbound(Base):
    """A file we wrote for a partner: an acknowledgement (997, CONTRL) or an order (850, ORDERS).

    The control numbers are unique per sender, receiver and standard (the database says so
    too). An order file's ``status`` follows the 997/CONTRL the partner sends back for it.
    """

    __tablename__ = "edi_outbound"
    __table_args__ = (
        UniqueConstraint("sender_key", "receiver_key", "standard", "interchange_control"),
        Index("ix_edi_outbound_receiver", "receiver_org_id", "id"),
    )

    id: Mapped[IdPK]
    kind: Mapped[str] = mapped_column(String(8))
    standard: Mapped[str] = mapped_column(String(8))
    sender_org_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organisations.id"), index=True
    )
    receiver_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    sender_key: Mapped[str] = mapped_column(String(48))
    receiver_key: Mapped[str] = mapped_column(String(48))
    interchange_control: Mapped[int] = mapped_column(BigInteger)
    group_control: Mapped[int | None] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    status: Mapped[str] = mapped_column(String(24), default="sent")
    document_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("edi_documents.id"), index=True
    )
    purchase_order_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("purchase_orders.id"), index=True
    )
    ack_document_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("edi_documents.id"))
    ack_detail: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sender: Mapped[Organisation | None] = relationship(foreign_keys=[sender_org_id])
    receiver: Mapped[Organisation | None] = relationship(foreign_keys=[receiver_org_id])


class EdiControlCounter(Base):
    """The last interchange control number used from one party to another in one standard.

    Parties are keys ``qualifier:identifier`` as written in the envelope, so acknowledgements
    to a sender we could not identify are numbered too.
    """

    __tablename__ = "edi_control_counters"
    __table_args__ = (UniqueConstraint("standard", "sender_key", "receiver_key"),)

    id: Mapped[IdPK]
    standard: Mapped[str] = mapped_column(String(8))
    sender_key: Mapped[str] = mapped_column(String(48))
    receiver_key: Mapped[str] = mapped_column(String(48))
    last_value: Mapped[int] = mapped_column(BigInteger, default=0)
