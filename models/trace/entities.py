"""Quality incidents, their state history and photos, and containment snapshots.

A snapshot is the containment scope computed at one moment: the lots, shipments and
organisations an incident reaches, kept as rows so that pages, exports and notifications read
the same frozen answer. The indexes added here to ``lots`` and ``lot_consumptions`` serve the
recursive walks of :mod:`models.trace.graph`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.orders.entities import Lot, LotConsumption
from models.types import JsonDoc

SEVERITIES = ("minor", "major", "critical", "safety")
INCIDENT_STATES = ("open", "sent", "acknowledged", "accepted", "declined", "closed")
RELATIONS = ("incident", "downstream", "suspect", "sibling")
SNAPSHOT_STATES = ("computing", "complete")

# A walk down the graph reads (input -> output) and then the output lot's maker; a walk up reads
# (output -> input). Covering indexes let PostgreSQL answer each step from the index alone.
Index(
    "ix_lot_consumptions_down",
    LotConsumption.input_lot_id,
    LotConsumption.output_lot_id,
    LotConsumption.quantity,
)
Index(
    "ix_lot_consumptions_up",
    LotConsumption.output_lot_id,
    LotConsumption.input_lot_id,
    LotConsumption.quantity,
)


class Incident(Base):
    """A quality incident raised by a buyer on one or more lots of one supplier."""

    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint(
            "severity IN ('minor', 'major', 'critical', 'safety')", name="severity_known"
        ),
        Index("ix_incidents_opener_state", "opener_org_id", "state"),
    )

    id: Mapped[IdPK]
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    opener_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open")
    opened_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    snapshot_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("containment_snapshots.id", use_alter=True)
    )
    scope_job_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("job_runs.id"))
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lots: Mapped[list[IncidentLot]] = relationship(
        back_populates="incident", order_by="IncidentLot.id"
    )
    events: Mapped[list[IncidentEvent]] = relationship(order_by="IncidentEvent.id")
    photos: Mapped[list[IncidentPhoto]] = relationship(order_by="IncidentPhoto.id")

    @property
    def lot_ids(self) -> list[int]:
        return [link.lot_id for link in self.lots]


class IncidentLot(Base):
    """A lot an incident was raised on (the seed of its containment scope)."""

    __tablename__ = "incident_lots"
    __table_args__ = (UniqueConstraint("incident_id", "lot_id"),)

    id: Mapped[IdPK]
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"))
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id"), index=True)

    incident: Mapped[Incident] = relationship(back_populates="lots")
    lot: Mapped[Lot] = relationship()


class IncidentEvent(Base):
    """One step of an incident's history: a state change, with who made it and why."""

    __tablename__ = "incident_events"

    id: Mapped[IdPK]
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    by_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    at: Mapped[Timestamp]


class IncidentPhoto(Base):
    """A photo of the defect, stored as an attachment."""

    __tablename__ = "incident_photos"

    id: Mapped[IdPK]
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(BigId, ForeignKey("attachments.id"))
    created_at: Mapped[Timestamp]


class ContainmentSnapshot(Base):
    """The containment scope of an incident as computed by one job run."""

    __tablename__ = "containment_snapshots"

    id: Mapped[IdPK]
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("job_runs.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="computing")
    summary: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    created_at: Mapped[Timestamp]
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ContainmentLot(Base):
    """A lot in a snapshot, with how it is related to the incident and how far from it."""

    __tablename__ = "containment_lots"

    snapshot_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("containment_snapshots.id"), primary_key=True
    )
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(12))
    depth: Mapped[int]
    finished: Mapped[bool] = mapped_column(default=False)


class ContainmentShipment(Base):
    """A shipment of a lot in scope: who sent it to whom, and what the receiver recorded."""

    __tablename__ = "containment_shipments"

    snapshot_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("containment_snapshots.id"), primary_key=True
    )
    shipment_lot_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("shipment_lots.id"), primary_key=True
    )
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id"))
    notice_id: Mapped[int] = mapped_column(BigId, ForeignKey("ship_notices.id"))
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    received_quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    rejected_quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))


class ContainmentOrg(Base):
    """An organisation involved in a snapshot and how the alert reached it.

    ``hop`` counts the links from the incident's opener along which the alert was forwarded;
    ``forwarded_by_org_id`` is the neighbour (a buyer or supplier it already knows) it came from.
    """

    __tablename__ = "containment_orgs"

    snapshot_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("containment_snapshots.id"), primary_key=True
    )
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), primary_key=True)
    lots_made: Mapped[int] = mapped_column(default=0)
    lots_received: Mapped[int] = mapped_column(default=0)
    finished_lots: Mapped[int] = mapped_column(default=0)
    hop: Mapped[int | None]
    forwarded_by_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
