"""Scorecard entities: one row per supplier and period, warnings, disputes, settings, work queue.

A scorecard row holds, for one supplier and one week or month, four columns per KPI (see
:mod:`models.scorecards.kpis`): ``<kpi>`` the value (``NULL`` = no data), ``<kpi>_num`` and
``<kpi>_den`` the counts behind it, ``<kpi>_score`` its 0-100 score. Rows are derived: every
recompute rewrites them from the facts with an upsert, so running twice changes nothing.

The indexes declared at the bottom are on other features' tables; they serve the set-based
scorecard queries (the migration ``0007_scorecards`` creates them).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.orders.entities import LineConfirmation, ProgressReport, Receipt, ShipNotice
from models.scorecards.kpis import KPI_CODES
from models.types import JsonDoc

PERIOD_KINDS = ("week", "month")
WARNING_KINDS = ("expected_late", "stalled", "projected_late", "overdue", "subtier_incident")
DISPUTE_STATES = ("open", "answered")
DISPUTE_OUTCOMES = ("explained", "corrected")


def _kpi_columns() -> Iterator[Column[Any]]:
    for code in KPI_CODES:
        yield Column(code, Double)
        yield Column(f"{code}_num", Double)
        yield Column(f"{code}_den", Double)
        yield Column(f"{code}_score", Double)


scorecards_table = Table(
    "scorecards",
    Base.metadata,
    Column(
        "supplier_org_id", BigId, ForeignKey("organisations.id"), primary_key=True, nullable=False
    ),
    Column("period_kind", String(8), primary_key=True, nullable=False),
    Column("period_start", Date, primary_key=True, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("cutoff_at", UTCDateTime(), nullable=False),
    Column("computed_at", UTCDateTime(), nullable=False),
    *_kpi_columns(),
    Index("ix_scorecards_period", "period_kind", "period_start"),
    Index("ix_scorecards_computed_at", "computed_at"),
)


class Scorecard(Base):
    """A supplier's KPIs for one period (columns per KPI, see the module docstring)."""

    __table__ = scorecards_table


class ScorecardSettings(Base):
    """A buyer's scorecard rules and its weights for the transparency index.

    The rules apply to the order lines the organisation placed (coverage window, delivery
    window, when a line has stalled); the weights apply to the index it sees.
    """

    __tablename__ = "scorecard_settings"

    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), primary_key=True)
    coverage_hours: Mapped[int] = mapped_column(default=48)
    otd_early_days: Mapped[int] = mapped_column(default=3)
    otd_late_days: Mapped[int] = mapped_column(default=0)
    stall_days: Mapped[int] = mapped_column(default=3)
    stall_due_within_days: Mapped[int] = mapped_column(default=14)
    projection_days: Mapped[int] = mapped_column(default=14)
    weights: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    updated_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    updated_at: Mapped[Timestamp]


class ScorecardWarning(Base):
    """An early warning for a buyer: a line at risk, or a supplier with a troubled sub-tier.

    ``subject`` names what is warned about (one row per line and reason, or per buyer,
    supplier and reason), so the recompute upserts it and a warning is never repeated. It stays
    active while the condition holds (rewritten only when what it says changes: ``updated_at``)
    and is resolved when it stops.
    """

    __tablename__ = "scorecard_warnings"
    __table_args__ = (
        Index("ix_scorecard_warnings_buyer_active", "buyer_org_id", "resolved_at"),
        Index("ix_scorecard_warnings_supplier_active", "supplier_org_id", "resolved_at"),
        Index("ix_scorecard_warnings_pending", "notified_at", "resolved_at"),
    )

    id: Mapped[IdPK]
    subject: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    line_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("order_lines.id"), index=True)
    promised_date: Mapped[date | None] = mapped_column(Date)
    expected_finish: Mapped[date | None] = mapped_column(Date)
    late_days: Mapped[float | None] = mapped_column(Double)
    last_report_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    incident_count: Mapped[int | None] = mapped_column(Integer)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScorecardDispute(Base):
    """A supplier's comment on one of its scores, addressed to one buyer, and the answer."""

    __tablename__ = "scorecard_disputes"
    __table_args__ = (
        Index("ix_scorecard_disputes_supplier", "supplier_org_id", "status"),
        Index("ix_scorecard_disputes_buyer", "buyer_org_id", "status"),
    )

    id: Mapped[IdPK]
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    kpi: Mapped[str] = mapped_column(String(32))
    period_kind: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date] = mapped_column(Date)
    value_shown: Mapped[float | None] = mapped_column(Double)
    comment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(12))
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
    answered_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScorecardDirty(Base):
    """A supplier whose scorecard waits for an incremental update (one row however many asks)."""

    __tablename__ = "scorecard_dirty"

    supplier_org_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("organisations.id"), primary_key=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScorecardWatermark(Base):
    """The highest id of a fact table already swept for suppliers to update."""

    __tablename__ = "scorecard_watermarks"

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigId, default=0)


# The coverage window scans progress reports by time; deliveries, shipments and responses are
# read by date for one period at a time.
Index("ix_progress_reports_reported_at", ProgressReport.reported_at, ProgressReport.line_id)
Index("ix_receipts_received_on", Receipt.received_on)
Index("ix_ship_notices_ship_date", ShipNotice.ship_date)
Index("ix_line_confirmations_line_at", LineConfirmation.line_id, LineConfirmation.at)
