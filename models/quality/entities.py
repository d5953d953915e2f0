"""Entities of supplier quality: characteristics, inspections, statistics, alerts and 8D cases.

Inspections and their measurements are facts with a time and are only appended. Statistics
are derived: one row per characteristic, replaced by each recompute. Alerts keep their
identity across recomputes (a characteristic, rule set, rule and the first point's
measurement), so an engineer's decision on an alert survives new data; an alert whose pattern
no longer shows (limits moved with new data) becomes inactive, never deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Double,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.orders.entities import Part
from models.types import JsonDoc

CLASSIFICATIONS = ("standard", "special", "critical")
ALERT_STATES = ("open", "closed")
CASE_STATES = ("open", "closed")
STEP_STATES = ("open", "submitted", "accepted", "returned")
STEPS = ("D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")


class Characteristic(Base):
    """A measured characteristic of a part, as the buyer specifies it for one supplier."""

    __tablename__ = "quality_characteristics"
    __table_args__ = (
        UniqueConstraint("part_id", "supplier_org_id", "code"),
        CheckConstraint("subgroup_size >= 1", name="subgroup_size_positive"),
    )

    id: Mapped[IdPK]
    part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"), index=True)
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(35))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(16))
    nominal: Mapped[float | None] = mapped_column(Double)
    lsl: Mapped[float | None] = mapped_column(Double)
    usl: Mapped[float | None] = mapped_column(Double)
    target: Mapped[float | None] = mapped_column(Double)
    classification: Mapped[str] = mapped_column(String(16), default="standard")
    subgroup_size: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]

    part: Mapped[Part] = relationship()


class Inspection(Base):
    """A supplier's inspection of one lot: measurements per characteristic and defect counts."""

    __tablename__ = "quality_inspections"
    __table_args__ = (
        Index("ix_quality_inspections_supplier_at", "supplier_org_id", "inspected_at"),
        CheckConstraint(
            "defective_quantity IS NULL OR defective_quantity <= inspected_quantity",
            name="defective_within_inspected",
        ),
        UniqueConstraint("supplier_org_id", "idempotency_key"),
    )

    id: Mapped[IdPK]
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(80))
    lot_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lots.id"), index=True)
    inspected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    document_number: Mapped[str | None] = mapped_column(String(64))
    inspected_quantity: Mapped[int | None]
    defective_quantity: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(8), default="form")
    upload_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("uploads.id"))
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
    #: From the client (the phone form, an API call): sent again, it names the same inspection,
    #: so a retry over a bad network is recorded once. Unique per supplier; NULL for the
    #: channels with their own repeat checks (spreadsheet uploads, EDI QALITY).
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    #: A voided inspection was a mistake: its values are gone from the charts (the audit trail
    #: keeps them) and its counts from the yield; the record stays, with who voided it and why.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(String(500))

    part: Mapped[Part] = relationship()
    defects: Mapped[list[DefectCount]] = relationship(order_by="DefectCount.id")


class Measurement(Base):
    """One measured value; the values of a subgroup share ``measured_at`` and consecutive ids."""

    __tablename__ = "quality_measurements"
    __table_args__ = (
        Index("ix_quality_measurements_series", "characteristic_id", "measured_at", "id"),
    )

    id: Mapped[IdPK]
    inspection_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("quality_inspections.id"), index=True
    )
    characteristic_id: Mapped[int] = mapped_column(BigId, ForeignKey("quality_characteristics.id"))
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    subgroup_no: Mapped[int]
    value: Mapped[float] = mapped_column(Double)


class DefectCount(Base):
    """How many inspected pieces of an inspection showed one defect (attribute result)."""

    __tablename__ = "quality_defect_counts"
    __table_args__ = (
        UniqueConstraint("inspection_id", "defect_code"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[IdPK]
    inspection_id: Mapped[int] = mapped_column(BigId, ForeignKey("quality_inspections.id"))
    defect_code: Mapped[str] = mapped_column(String(32))
    count: Mapped[int]


class CharacteristicStatistics(Base):
    """The latest computed chart, capability and signal counts of one characteristic."""

    __tablename__ = "quality_statistics"

    characteristic_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("quality_characteristics.id"), primary_key=True
    )
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    chart: Mapped[str] = mapped_column(String(8))
    subgroup_size: Mapped[int]
    rules: Mapped[str] = mapped_column(String(20))
    n: Mapped[int]
    ignored: Mapped[int]
    points: Mapped[int]
    mean: Mapped[float | None] = mapped_column(Double)
    center: Mapped[float | None] = mapped_column(Double)
    ucl: Mapped[float | None] = mapped_column(Double)
    lcl: Mapped[float | None] = mapped_column(Double)
    dispersion_center: Mapped[float | None] = mapped_column(Double)
    dispersion_ucl: Mapped[float | None] = mapped_column(Double)
    dispersion_lcl: Mapped[float | None] = mapped_column(Double)
    sigma_within: Mapped[float | None] = mapped_column(Double)
    sigma_overall: Mapped[float | None] = mapped_column(Double)
    cp: Mapped[float | None] = mapped_column(Double)
    cpk: Mapped[float | None] = mapped_column(Double)
    pp: Mapped[float | None] = mapped_column(Double)
    ppk: Mapped[float | None] = mapped_column(Double)
    cpm: Mapped[float | None] = mapped_column(Double)
    status: Mapped[str | None] = mapped_column(String(8), index=True)
    capable_threshold: Mapped[float] = mapped_column(Double)
    watch_threshold: Mapped[float] = mapped_column(Double)
    signal_counts: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    last_measured_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QualityAlert(Base):
    """An out-of-control signal on a characteristic's X̄ / I chart, tied to its points.

    ``points`` are indexes into the plotted series and ``measurement_ids`` the first
    measurement of each of those points, which identify them for good.
    """

    __tablename__ = "quality_alerts"
    __table_args__ = (
        UniqueConstraint("characteristic_id", "rules", "rule", "first_measurement_id"),
        Index("ix_quality_alerts_buyer_status", "buyer_org_id", "status"),
    )

    id: Mapped[IdPK]
    characteristic_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("quality_characteristics.id"), index=True
    )
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    rules: Mapped[str] = mapped_column(String(20))
    rule: Mapped[int]
    first_measurement_id: Mapped[int] = mapped_column(BigId)
    points: Mapped[list[int]] = mapped_column(JsonDoc)
    measurement_ids: Mapped[list[int]] = mapped_column(JsonDoc)
    active: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    closed_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]

    characteristic: Mapped[Characteristic] = relationship()


class EightDCase(Base):
    """An 8D problem-solving case the buyer opens and the supplier owns.

    ``incident_id`` names a traceability incident; it is a plain id (no foreign key) so that
    this table does not depend on the order in which feature migrations run.
    """

    __tablename__ = "eightd_cases"
    __table_args__ = (UniqueConstraint("buyer_org_id", "number"),)

    id: Mapped[IdPK]
    number: Mapped[str] = mapped_column(String(32))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    part_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parts.id"))
    lot_number: Mapped[str | None] = mapped_column(String(80))
    characteristic_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("quality_characteristics.id")
    )
    alert_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("quality_alerts.id"))
    incident_id: Mapped[int | None] = mapped_column(BigId, index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    opened_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    opened_at: Mapped[Timestamp]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    steps: Mapped[list[EightDStep]] = relationship(
        back_populates="case", order_by="EightDStep.step"
    )
    part: Mapped[Part | None] = relationship()


class EightDStep(Base):
    """One discipline (D0–D8) of a case: the supplier's answer, owner, deadline and review."""

    __tablename__ = "eightd_steps"
    __table_args__ = (
        UniqueConstraint("case_id", "step"),
        Index("ix_eightd_steps_status_due", "status", "due_at"),
    )

    id: Mapped[IdPK]
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("eightd_cases.id"))
    step: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default="open")
    text: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    owner_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)

    case: Mapped[EightDCase] = relationship(back_populates="steps")
    attachments: Mapped[list[EightDAttachment]] = relationship(order_by="EightDAttachment.id")

    @property
    def on_time(self) -> bool | None:
        """Whether the step was submitted by its deadline (None while not submitted)."""
        if self.submitted_at is None:
            return None
        return self.submitted_at <= self.due_at


class EightDAttachment(Base):
    """A file (photo, report) attached to an 8D step."""

    __tablename__ = "eightd_attachments"

    id: Mapped[IdPK]
    step_id: Mapped[int] = mapped_column(BigId, ForeignKey("eightd_steps.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(BigId, ForeignKey("attachments.id"))
    filename: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[Timestamp]


class EightDEvent(Base):
    """The history of a case: opened, saved, submitted, accepted, returned, reminded, closed."""

    __tablename__ = "eightd_events"

    id: Mapped[IdPK]
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("eightd_cases.id"), index=True)
    step: Mapped[str | None] = mapped_column(String(2))
    action: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    by_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    at: Mapped[Timestamp]
