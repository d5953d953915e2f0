"""Organisation, Site, SupplierLink and SharingAgreement entities."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, BigId, IdPK, Timestamp, UTCDateTime
from models.i18n import Localized
from models.types import JsonDoc

ORG_KINDS = ("anchor", "supplier")
LINK_STATES = ("invited", "active", "suspended", "ended")
CATEGORIES = ("progress", "quality", "carbon", "traceability")
#: The most supplier links a walk along the network follows (so a cycle of links ends).
MAX_CHAIN_DEPTH = 12


def localized_name(name_zh: str, name_en: str | None) -> Localized:
    """An organisation's names as a message parameter (the Chinese one where it has no
    English one)."""
    return Localized(zh_Hans_CN=name_zh, en=name_en or name_zh)


class Organisation(Base):
    """A company on the platform: an anchor manufacturer or a supplier."""

    __tablename__ = "organisations"

    id: Mapped[IdPK]
    kind: Mapped[str] = mapped_column(String(16))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    employees: Mapped[int | None]
    annual_revenue_wan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    size_class: Mapped[str | None] = mapped_column(String(8))
    industry: Mapped[str | None] = mapped_column(String(120))
    settings: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    created_at: Mapped[Timestamp]

    sites: Mapped[list[Site]] = relationship(back_populates="organisation", order_by="Site.id")

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_zh

    def local_name(self) -> Localized:
        """The name as a message parameter: each reader sees it in their language."""
        return localized_name(self.name_zh, self.name_en)

    def local_name_in_sentence(self) -> Localized:
        """The name as a parameter that ends a sentence: a name that ends with a full stop
        ("Co., Ltd.") lends it to the sentence instead of doubling it."""
        forms = self.local_name().forms
        return Localized(**{locale: form.removesuffix(".") for locale, form in forms.items()})

    def setting(self, key: str, default: Any) -> Any:
        return (self.settings or {}).get(key, default)


class Site(Base):
    """A plant or warehouse of an organisation; carbon activity data is kept per site."""

    __tablename__ = "sites"

    id: Mapped[IdPK]
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[Timestamp]

    organisation: Mapped[Organisation] = relationship(back_populates="sites")


class SupplierLink(Base):
    """Buyer organisation -> supplier organisation. The tier is derived, never stored."""

    __tablename__ = "supplier_links"
    __table_args__ = (
        UniqueConstraint("buyer_id", "supplier_id"),
        CheckConstraint("buyer_id <> supplier_id", name="not_self"),
    )

    id: Mapped[IdPK]
    buyer_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="invited")
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[Timestamp]
    current_agreement_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("sharing_agreements.id", use_alter=True)
    )

    buyer: Mapped[Organisation] = relationship(foreign_keys=[buyer_id])
    supplier: Mapped[Organisation] = relationship(foreign_keys=[supplier_id])
    current_agreement: Mapped[SharingAgreement | None] = relationship(
        foreign_keys=[current_agreement_id], post_update=True
    )


class SharingAgreement(Base):
    """One version of what a supplier lets its buyer, and the buyer's customers, see.

    For each category the supplier decides whether its direct buyer may see the data
    (``*_buyer``) and whether it may pass further up the chain to the buyer's customers,
    up to the anchor (``*_upstream``). A change is a new version; old versions are kept.
    """

    __tablename__ = "sharing_agreements"
    __table_args__ = (UniqueConstraint("link_id", "version"),)

    id: Mapped[IdPK]
    link_id: Mapped[int] = mapped_column(BigId, ForeignKey("supplier_links.id"), index=True)
    version: Mapped[int]
    progress_buyer: Mapped[bool] = mapped_column(default=True)
    progress_upstream: Mapped[bool] = mapped_column(default=False)
    quality_buyer: Mapped[bool] = mapped_column(default=True)
    quality_upstream: Mapped[bool] = mapped_column(default=False)
    carbon_buyer: Mapped[bool] = mapped_column(default=True)
    carbon_upstream: Mapped[bool] = mapped_column(default=False)
    traceability_buyer: Mapped[bool] = mapped_column(default=True)
    traceability_upstream: Mapped[bool] = mapped_column(default=False)
    accepted_by_user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    accepted_at: Mapped[Timestamp]

    def allows(self, category: str, upstream: bool = False) -> bool:
        buyer = getattr(self, f"{category}_buyer")
        return buyer and (getattr(self, f"{category}_upstream") if upstream else True)

    def flags(self) -> dict[str, dict[str, bool]]:
        return {
            c: {"buyer": getattr(self, f"{c}_buyer"), "upstream": getattr(self, f"{c}_upstream")}
            for c in CATEGORIES
        }


INVITATION_KINDS = ("supplier", "colleague")


class Invitation(Base):
    """A single-use, expiring invitation: to become a supplier of ``org_id``, or a colleague in it.

    The token is kept so the link and its QR code can be shown again (printed for a supplier's
    shop floor); it is random, single-use and expires.
    """

    __tablename__ = "invitations"

    id: Mapped[IdPK]
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    org_id: Mapped[int] = mapped_column(BigId, ForeignKey("organisations.id"), index=True)
    invited_by_user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str | None] = mapped_column(String(16))
    company_hint: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    result_org_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("organisations.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship(foreign_keys=[org_id])

    def status(self, now: datetime) -> str:
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"
