"""Carbon entities: emission factors, monthly activity data, product footprints, settings.

Activity records are facts with a time: a correction is a new record that supersedes the old
one. Factors are versioned: an edit is a new version and every footprint names the versions
it used. A footprint that changes is a new footprint (a new PACT id) and the old one is
deprecated, so anything ever shown or exchanged can be found again.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.orders.entities import Part
from models.orgs.entities import Organisation, Site
from models.types import JsonDoc

Amount = Numeric(18, 4)
Kg = Numeric(24, 10)
Rating = Numeric(6, 3)
FactorValue = Numeric(18, 8)


class EmissionFactor(Base):
    """kgCO2e per canonical unit of a fuel, for a grid region and year, in one version.

    A published factor (seeded from its source) has no owner; a version an anchor's carbon
    managers add is the anchor's own and applies only in its supply chain.
    """

    __tablename__ = "emission_factors"
    __table_args__ = (
        UniqueConstraint("owner_org_id", "fuel", "region", "year", "version"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("scope IN (1, 2)", name="scope_1_or_2"),
    )

    id: Mapped[IdPK]
    owner_org_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("organisations.id"), index=True
    )
    fuel: Mapped[str] = mapped_column(String(24))
    region: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    value: Mapped[Decimal] = mapped_column(FactorValue)
    unit: Mapped[str] = mapped_column(String(24))
    scope: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("emission_factors.id"))
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]

    owner: Mapped[Organisation | None] = relationship()


class ActivityRecord(Base):
    """A site's energy use and output over whole months (usually one), as reported."""

    __tablename__ = "activity_records"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        Index("ix_activity_records_site_period", "site_id", "period_start"),
    )

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    site_id: Mapped[int] = mapped_column(BigId, ForeignKey("sites.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(8), default="form")
    upload_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("uploads.id"))
    supersedes_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("activity_records.id"), unique=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]

    site: Mapped[Site] = relationship()
    energy: Mapped[list[ActivityEnergy]] = relationship(order_by="ActivityEnergy.id")
    outputs: Mapped[list[ActivityOutput]] = relationship(order_by="ActivityOutput.id")

    @property
    def months(self) -> int:
        return (self.period_end.year - self.period_start.year) * 12 + (
            self.period_end.month - self.period_start.month + 1
        )


class ActivityEnergy(Base):
    """One fuel of an activity record: the quantity in its canonical unit and as entered."""

    __tablename__ = "activity_energy"
    __table_args__ = (
        UniqueConstraint("record_id", "fuel"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[IdPK]
    record_id: Mapped[int] = mapped_column(BigId, ForeignKey("activity_records.id"))
    fuel: Mapped[str] = mapped_column(String(24))
    quantity: Mapped[Decimal] = mapped_column(Amount)
    entered_quantity: Mapped[Decimal] = mapped_column(Amount)
    entered_unit: Mapped[str] = mapped_column(String(8))


class ActivityOutput(Base):
    """What a site made of one part in the record's period: quantity, mass and value."""

    __tablename__ = "activity_outputs"
    __table_args__ = (
        UniqueConstraint("record_id", "part_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("mass_kg >= 0", name="mass_not_negative"),
        Index("ix_activity_outputs_part", "part_id", "record_id"),
    )

    id: Mapped[IdPK]
    record_id: Mapped[int] = mapped_column(BigId, ForeignKey("activity_records.id"))
    part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"))
    quantity: Mapped[Decimal] = mapped_column(Amount)
    mass_kg: Mapped[Decimal] = mapped_column(Amount)
    value: Mapped[Decimal | None] = mapped_column(Amount)

    part: Mapped[Part] = relationship()


class CarbonSettings(Base):
    """An organisation's carbon accounting choices (how site emissions are allocated)."""

    __tablename__ = "carbon_settings"

    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), primary_key=True)
    allocation_method: Mapped[str] = mapped_column(String(16), default="mass")
    updated_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    updated_at: Mapped[Timestamp]


class ProductFootprint(Base):
    """A cradle-to-gate footprint of one part for one reporting year, per ONE unit of the part.

    ``declared`` footprints are the maker's own statement (a form or a PACT document, kept as
    received in ``pact_document``); ``computed`` ones come from activity data and the inputs'
    footprints, and ``calc`` records every input, factor and version used. ``origins`` splits
    the total by the organisation where the emissions arose (the basis of tier shares).
    """

    __tablename__ = "product_footprints"
    __table_args__ = (
        Index("ix_product_footprints_part_year", "part_id", "year", "status"),
        Index("ix_product_footprints_org_year", "org_id", "year"),
        CheckConstraint("pcf_kg >= 0", name="pcf_not_negative"),
    )

    id: Mapped[IdPK]
    pf_id: Mapped[str] = mapped_column(String(36), unique=True)
    part_id: Mapped[int] = mapped_column(BigId, ForeignKey("parts.id"))
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="Active")
    pcf_kg: Mapped[Decimal] = mapped_column(Kg)
    scope1_kg: Mapped[Decimal | None] = mapped_column(Kg)
    scope2_kg: Mapped[Decimal | None] = mapped_column(Kg)
    inputs_kg: Mapped[Decimal | None] = mapped_column(Kg)
    mass_kg: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    primary_data_share: Mapped[Decimal | None] = mapped_column(Rating)
    dqr_technological: Mapped[Decimal | None] = mapped_column(Rating)
    dqr_temporal: Mapped[Decimal | None] = mapped_column(Rating)
    dqr_geographical: Mapped[Decimal | None] = mapped_column(Rating)
    missing_inputs: Mapped[int] = mapped_column(default=0)
    allocation: Mapped[str | None] = mapped_column(String(24))
    origins: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    calc: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    pact_document: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    pact_version: Mapped[str | None] = mapped_column(String(16))
    upload_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("uploads.id"))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8), default="system")
    preceding_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("product_footprints.id"))
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
    deprecated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    part: Mapped[Part] = relationship()
    organisation: Mapped[Organisation] = relationship()


class PactClient(Base):
    """OAuth2 client credentials an organisation gives a partner system for the PACT API.

    Only the secret's SHA-256 is kept; the secret is shown once, when it is made.
    """

    __tablename__ = "pact_clients"

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_digest: Mapped[str] = mapped_column(String(64))
    created_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    created_at: Mapped[Timestamp]
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PactEvent(Base):
    """A PACT CloudEvent received on /2|3/events, or one we send in answer (kept as sent)."""

    __tablename__ = "pact_events"

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    client_pk: Mapped[int | None] = mapped_column(BigId, ForeignKey("pact_clients.id"))
    direction: Mapped[str] = mapped_column(String(4))
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    event_id: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    status: Mapped[str] = mapped_column(String(16), default="received")
    target_url: Mapped[str | None] = mapped_column(Text)
    answer_to_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("pact_events.id"))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Timestamp]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
