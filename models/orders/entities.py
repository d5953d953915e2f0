"""Entities of the order-to-receipt flow and of the lot graph it feeds.

Reports, confirmations, shipments, consumption and receipts are facts with a time: they are
appended, and a correction is a new record that supersedes the old one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.orgs.entities import Organisation

Quantity = Numeric(18, 4)
Money = Numeric(18, 4)

ORDER_STATES = ("open", "closed", "cancelled")
LINE_STATES = ("open", "closed", "cancelled")
CONFIRMATION_STATES = ("pending", "confirmed", "proposed", "rejected")
SOURCES = ("form", "file", "api", "edi", "demo")


class Part(Base):
    """A part as its buyer defines it (number, names, unit, mass for carbon allocation)."""

    __tablename__ = "parts"
    __table_args__ = (UniqueConstraint("owner_org_id", "part_number"),)

    id: Mapped[IdPK]
    owner_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(16))
    mass_kg: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    supplier_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    supplier_part_number: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[Timestamp]

    owner: Mapped[Organisation] = relationship(foreign_keys=[owner_org_id])

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_zh


class BomLine(Base):
    """One line of a bill of materials: ``parent`` consumes ``quantity`` of ``child`` per unit.

    Declared by the maker of the parent (``owner_org_id``); the child may be a part the maker
    buys from its own suppliers. ``scrap_pct`` is the extra input lost to scrap.
    """

    __tablename__ = "bom_lines"
    __table_args__ = (
        UniqueConstraint("parent_part_id", "child_part_id"),
        CheckConstraint("parent_part_id <> child_part_id", name="not_self"),
    )

    id: Mapped[IdPK]
    owner_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    parent_part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"), index=True)
    child_part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    scrap_pct: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal(0))
    created_at: Mapped[Timestamp]


class PurchaseOrder(Base):
    """A buyer's order to one supplier. Prices are seen by those two parties only."""

    __tablename__ = "purchase_orders"
    __table_args__ = (UniqueConstraint("buyer_org_id", "number"),)

    id: Mapped[IdPK]
    number: Mapped[str] = mapped_column(String(64))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    order_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[str] = mapped_column(String(16), default="open")
    source: Mapped[str] = mapped_column(String(8), default="form")
    note: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]

    buyer: Mapped[Organisation] = relationship(foreign_keys=[buyer_org_id])
    supplier: Mapped[Organisation] = relationship(foreign_keys=[supplier_org_id])
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no"
    )


class OrderLine(Base):
    """One line of a purchase order, with its current confirmation and state.

    ``short_code`` is the key of the line's QR code and short link on the work-order sheet.
    """

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_order_lines_supplier_status", "supplier_org_id", "status"),
    )

    id: Mapped[IdPK]
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("purchase_orders.id"), index=True)
    line_no: Mapped[int]
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    confirmation: Mapped[str] = mapped_column(String(16), default="pending")
    confirmed_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    confirmed_date: Mapped[date | None] = mapped_column(Date)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    short_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[Timestamp]

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    part: Mapped[Part] = relationship()


class LineConfirmation(Base):
    """The history of a line's confirmation: confirm, propose, accept or reject a proposal."""

    __tablename__ = "line_confirmations"

    id: Mapped[IdPK]
    line_id: Mapped[int] = mapped_column(BigId, ForeignKey("order_lines.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    promised_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8), default="form")
    by_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    at: Mapped[Timestamp]


class ProgressReport(Base):
    """What the shop floor reported on a line: stage, quantity done, expected finish.

    A report is never changed: a correction is a new report whose ``supersedes_id`` names the
    one it replaces (each report can be superseded once). ``idempotency_key`` comes from the
    client, so a double tap or a retry records the report once.
    """

    __tablename__ = "progress_reports"
    __table_args__ = (
        CheckConstraint("quantity_done >= 0", name="quantity_not_negative"),
        UniqueConstraint("supersedes_id"),
        Index("ix_progress_reports_line_at", "line_id", "reported_at"),
        Index("ix_progress_reports_supplier_at", "supplier_org_id", "reported_at"),
    )

    id: Mapped[IdPK]
    line_id: Mapped[int] = mapped_column(BigId, ForeignKey("order_lines.id"))
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    stage: Mapped[str] = mapped_column(String(32))
    quantity_done: Mapped[Decimal] = mapped_column(Quantity)
    expected_finish: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("attachments.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    supersedes_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("progress_reports.id"))
    source: Mapped[str] = mapped_column(String(8), default="form")
    reported_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    reported_at: Mapped[Timestamp]


class ShipNotice(Base):
    """A supplier's ship notice (ASN): which order lines ship, with which lots."""

    __tablename__ = "ship_notices"
    __table_args__ = (UniqueConstraint("supplier_org_id", "number"),)

    id: Mapped[IdPK]
    number: Mapped[str] = mapped_column(String(64))
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    ship_date: Mapped[date] = mapped_column(Date)
    carrier: Mapped[str | None] = mapped_column(String(120))
    tracking: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(8), default="form")
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]

    lines: Mapped[list[ShipNoticeLine]] = relationship(
        back_populates="notice", order_by="ShipNoticeLine.id"
    )


class ShipNoticeLine(Base):
    __tablename__ = "ship_notice_lines"

    id: Mapped[IdPK]
    notice_id: Mapped[int] = mapped_column(BigId, ForeignKey("ship_notices.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(BigId, ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)

    notice: Mapped[ShipNotice] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()
    lots: Mapped[list[ShipmentLot]] = relationship(
        back_populates="notice_line", order_by="ShipmentLot.id"
    )


class Lot(Base):
    """A batch (or, with quantity 1, a serial) of one part, made by one organisation."""

    __tablename__ = "lots"
    __table_args__ = (
        UniqueConstraint("maker_org_id", "lot_number"),
        Index("ix_lots_lot_number", "lot_number"),
        # The search box matches a number's beginning in any case (models.trace.search).
        # ``text_pattern_ops`` lets PostgreSQL serve ``LIKE 'ABC%'`` from it whatever the
        # database's collation; SQLite cannot use an index for an expression's LIKE.
        Index(
            "ix_lots_lot_number_upper",
            func.upper(text("lot_number")).label("lot_number_upper"),
            postgresql_ops={"lot_number_upper": "text_pattern_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[IdPK]
    maker_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    made_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[Timestamp]

    maker: Mapped[Organisation] = relationship()
    part: Mapped[Part] = relationship()


class ShipmentLot(Base):
    """Which lot, and how much of it, travelled on a ship-notice line."""

    __tablename__ = "shipment_lots"

    id: Mapped[IdPK]
    notice_line_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("ship_notice_lines.id"), index=True
    )
    lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)

    notice_line: Mapped[ShipNoticeLine] = relationship(back_populates="lots")
    lot: Mapped[Lot] = relationship()


class LotConsumption(Base):
    """An input lot that went into an output lot (an edge of the lot genealogy)."""

    __tablename__ = "lot_consumptions"
    __table_args__ = (
        UniqueConstraint("output_lot_id", "input_lot_id"),
        CheckConstraint("output_lot_id <> input_lot_id", name="not_self"),
        Index("ix_lot_consumptions_input", "input_lot_id", "output_lot_id"),
    )

    id: Mapped[IdPK]
    output_lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id"))
    input_lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("lots.id"))
    quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    declared_by_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    source: Mapped[str] = mapped_column(String(8), default="form")
    created_at: Mapped[Timestamp]


class Receipt(Base):
    """The buyer's receipt of a shipped lot: received and rejected quantity, with a reason.

    ``idempotency_key`` comes from the client and is shared by the receipts one request
    recorded, so a double tap or a retry records them once.
    """

    __tablename__ = "receipts"
    __table_args__ = (
        CheckConstraint("received_quantity >= 0", name="received_not_negative"),
        CheckConstraint(
            "rejected_quantity >= 0 AND rejected_quantity <= received_quantity",
            name="rejected_within_received",
        ),
        Index("ix_receipts_buyer_date", "buyer_org_id", "received_on"),
    )

    id: Mapped[IdPK]
    shipment_lot_id: Mapped[int] = mapped_column(BigId, ForeignKey("shipment_lots.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(BigId, ForeignKey("order_lines.id"), index=True)
    buyer_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    supplier_org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    received_quantity: Mapped[Decimal] = mapped_column(Quantity)
    rejected_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    received_on: Mapped[date] = mapped_column(Date)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(8), default="form")
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
