"""Product footprints: declaring one, and reading them as a viewer may see them.

A footprint is visible to its maker and to every organisation that may see the maker's
carbon data (:mod:`models.access`); anything else is reported as not found.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, literal, or_, select
from sqlalchemy.orm import Session, aliased

from models.access import chain_org_ids_query, visible_org_ids_query
from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.activity_checks import parts_made_by
from models.carbon.constants import ACTIVE, DEPRECATED
from models.carbon.entities import ProductFootprint
from models.carbon.schemas import DeclaredFootprintSchema
from models.errors import Forbidden, NotFound, ValidationFailed
from models.i18n import N_
from models.orders.entities import Part
from models.roles import has_permission
from models.validation import load


@dataclass(frozen=True)
class PactOrigin:
    """Where a declared footprint came from when a PACT document was uploaded."""

    pf_id: str
    document: dict[str, Any]
    spec_version: str
    upload_id: int | None = None


def require_declarer(actor: Actor) -> None:
    if not (has_permission(actor.role, "report") or has_permission(actor.role, "manage_carbon")):
        raise Forbidden()


def made_part(session: Session, actor: Actor, part_id: int, field: str = "part_id") -> Part:
    """A part the actor's organisation makes, else a validation error on ``field``."""
    part = session.scalar(select(Part).where(Part.id == part_id, parts_made_by(actor.org_id)))
    if part is None:
        raise ValidationFailed.on(field, N_("Not a part your organisation makes."))
    return part


def declare_footprint(
    session: Session,
    actor: Actor,
    data: dict[str, Any],
    source: str = "form",
    pact: PactOrigin | None = None,
) -> ProductFootprint:
    """The maker states a part's footprint for a year (kgCO2e per one unit of the part).

    It replaces the maker's previous declared footprint of that part and year (deprecated,
    named as preceding) and takes precedence over the computed one in every roll-up. The
    caller propagates the change to the part's ancestors.
    """
    require_declarer(actor)
    loaded = load(DeclaredFootprintSchema(), data) if pact is None else data
    part = made_part(session, actor, loaded["part_id"])
    if pact is not None and session.scalar(
        select(ProductFootprint.id).where(ProductFootprint.pf_id == pact.pf_id)
    ):
        raise ValidationFailed.on("id", N_("A footprint with this id was already received."))
    previous = session.scalar(
        select(ProductFootprint).where(
            ProductFootprint.part_id == part.id,
            ProductFootprint.year == loaded["year"],
            ProductFootprint.kind == "declared",
            ProductFootprint.status == ACTIVE,
        )
    )
    now = utcnow()
    if previous is not None:
        previous.status, previous.deprecated_at = DEPRECATED, now
    pcf = Decimal(loaded["pcf_kg"])
    footprint = ProductFootprint(
        pf_id=pact.pf_id if pact else str(uuid.uuid4()),
        part_id=part.id,
        org_id=actor.org_id,
        year=loaded["year"],
        kind="declared",
        status=ACTIVE,
        pcf_kg=pcf,
        mass_kg=loaded.get("mass_kg") or part.mass_kg,
        primary_data_share=loaded.get("primary_data_share"),
        dqr_technological=loaded.get("dqr_technological"),
        dqr_temporal=loaded.get("dqr_temporal"),
        dqr_geographical=loaded.get("dqr_geographical"),
        origins={str(actor.org_id): float(pcf)},
        calc={"method": "declared", "source": source, "note": loaded.get("note")},
        pact_document=pact.document if pact else None,
        pact_version=pact.spec_version if pact else None,
        upload_id=pact.upload_id if pact else None,
        note=loaded.get("note"),
        source=source,
        preceding_id=previous.id if previous else None,
        created_by_user_id=actor.user_id,
        created_at=now,
    )
    session.add(footprint)
    session.flush()
    record_audit(
        session,
        actor,
        "footprint.declare",
        "product_footprint",
        footprint.id,
        {
            "part_id": part.id,
            "year": footprint.year,
            "pcf_kg": str(pcf),
            "pf_id": footprint.pf_id,
            "source": source,
            "replaces": previous.id if previous else None,
        },
    )
    return footprint


def visible_footprints_query(viewer_org_id: int) -> Select[tuple[ProductFootprint]]:
    """Every footprint the viewer may see: its own, and those of makers whose carbon data it
    may see for parts of its own supply chain (not a shared supplier's parts of another
    customer)."""
    own_part = select(Part.id).where(Part.owner_org_id.in_(chain_org_ids_query(viewer_org_id)))
    return select(ProductFootprint).where(
        or_(
            ProductFootprint.org_id == viewer_org_id,
            and_(
                ProductFootprint.org_id.in_(visible_org_ids_query(viewer_org_id, "carbon")),
                ProductFootprint.part_id.in_(own_part),
            ),
        )
    )


def get_footprint(session: Session, viewer_org_id: int, footprint_id: int) -> ProductFootprint:
    return _visible_one(session, viewer_org_id, ProductFootprint.id == footprint_id)


def get_by_pf_id(session: Session, viewer_org_id: int, pf_id: str) -> ProductFootprint:
    return _visible_one(session, viewer_org_id, ProductFootprint.pf_id == pf_id.lower())


def _visible_one(session: Session, viewer_org_id: int, which: Any) -> ProductFootprint:
    footprint = session.scalar(visible_footprints_query(viewer_org_id).where(which))
    if footprint is None:
        raise NotFound()
    return footprint


def preceding_ids(session: Session, footprint: ProductFootprint) -> list[str]:
    """PACT ids of the footprints this one replaced, newest first (one recursive query)."""
    if footprint.preceding_id is None:
        return []
    chain = (
        select(
            ProductFootprint.id,
            ProductFootprint.pf_id,
            ProductFootprint.preceding_id,
            literal(1).label("depth"),
        )
        .where(ProductFootprint.id == footprint.preceding_id)
        .cte("chain", recursive=True)
    )
    older = aliased(ProductFootprint)
    chain = chain.union_all(
        select(older.id, older.pf_id, older.preceding_id, chain.c.depth + 1)
        .join(chain, older.id == chain.c.preceding_id)
        .where(chain.c.depth < 100)
    )
    return list(session.scalars(select(chain.c.pf_id).order_by(chain.c.depth)))
