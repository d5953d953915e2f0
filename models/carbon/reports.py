"""Carbon read models for a viewer: intensity per supplier, scope 3 purchased goods, gaps.

All sums are made in SQL or over rows fetched in one query each; suppliers the viewer may
not see are never named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from models.access import chain_org_ids_query
from models.carbon.activity_checks import is_current
from models.carbon.breakdown import org_names, sum_by_tier, viewer_context
from models.carbon.constants import ACTIVE
from models.carbon.entities import ActivityRecord, ProductFootprint
from models.carbon.own_emissions import year_bounds
from models.orders.entities import OrderLine, Part, PurchaseOrder, Receipt
from models.orgs.entities import Organisation, Site


@dataclass
class FootprintFact:
    footprint_id: int
    part_id: int
    org_id: int
    year: int
    kind: str
    pcf: float
    mass: float | None
    pds: float | None
    origins: dict[str, float]
    missing: int


def latest_footprints(
    session: Session, part_ids: set[int], year: int, visible: set[int]
) -> dict[int, FootprintFact]:
    """Per part, the footprint of ``year`` or else of the latest earlier year (declared before
    computed), among footprints whose maker the viewer may see."""
    if not part_ids:
        return {}
    rows = session.execute(
        select(
            ProductFootprint.id,
            ProductFootprint.part_id,
            ProductFootprint.org_id,
            ProductFootprint.year,
            ProductFootprint.kind,
            ProductFootprint.pcf_kg,
            ProductFootprint.mass_kg,
            ProductFootprint.primary_data_share,
            ProductFootprint.origins,
            ProductFootprint.missing_inputs,
        ).where(
            ProductFootprint.part_id.in_(part_ids),
            ProductFootprint.year <= year,
            ProductFootprint.status == ACTIVE,
            ProductFootprint.org_id.in_(visible),
        )
    ).all()
    best: dict[int, FootprintFact] = {}
    for r in rows:
        fact = FootprintFact(
            r.id,
            r.part_id,
            r.org_id,
            r.year,
            r.kind,
            float(r.pcf_kg),
            None if r.mass_kg is None else float(r.mass_kg),
            None if r.primary_data_share is None else float(r.primary_data_share),
            r.origins or {},
            r.missing_inputs,
        )
        held = best.get(r.part_id)
        if held is None or (fact.year, fact.kind == "declared") > (
            held.year,
            held.kind == "declared",
        ):
            best[r.part_id] = fact
    return best


@dataclass
class SupplierIntensity:
    org_id: int
    name: str
    tier: int | None
    parts: list[tuple[Part, FootprintFact]] = field(default_factory=list)

    @property
    def kg_per_kg(self) -> float | None:
        weighed = [(f.pcf, f.mass) for _p, f in self.parts if f.mass]
        mass = sum(m for _k, m in weighed)  # type: ignore[misc]
        return sum(k for k, _m in weighed) / mass if mass else None

    @property
    def primary_data_share(self) -> float | None:
        total = sum(f.pcf for _p, f in self.parts)
        if not total:
            return None
        return sum(f.pcf * (f.pds or 0) for _p, f in self.parts) / total


def intensity_by_supplier(
    session: Session, viewer_org_id: int, year: int, locale: str
) -> list[SupplierIntensity]:
    """Each supplier whose carbon data the viewer sees, with its parts' latest footprints."""
    visible, tier_of = viewer_context(session, viewer_org_id)
    suppliers = visible - {viewer_org_id}
    parts = {
        p.id: p
        for p in session.scalars(
            select(Part).where(
                func.coalesce(Part.supplier_org_id, Part.owner_org_id).in_(suppliers),
                Part.owner_org_id.in_(chain_org_ids_query(viewer_org_id)),
            )
        )
    }
    facts = latest_footprints(session, set(parts), year, suppliers)
    names = org_names(session, suppliers, locale)
    result = {o: SupplierIntensity(o, names.get(o, ""), tier_of.get(o)) for o in suppliers}
    for part_id, fact in facts.items():
        result[fact.org_id].parts.append((parts[part_id], fact))
    return sorted(result.values(), key=lambda s: (s.tier or 99, s.name))


def purchased_quantities(session: Session, buyer_org_id: int, year: int) -> list[Any]:
    """(part, supplier, quantity) bought in ``year``: received less rejected where receipts
    exist, else the ordered quantity of lines not cancelled."""
    start, end = year_bounds(year)
    received = (
        select(
            Receipt.order_line_id,
            func.sum(Receipt.received_quantity - Receipt.rejected_quantity).label("quantity"),
        )
        .group_by(Receipt.order_line_id)
        .subquery()
    )
    return session.execute(
        select(
            OrderLine.part_id,
            OrderLine.supplier_org_id,
            func.sum(func.coalesce(received.c.quantity, OrderLine.quantity)).label("quantity"),
        )
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .outerjoin(received, received.c.order_line_id == OrderLine.id)
        .where(
            OrderLine.buyer_org_id == buyer_org_id,
            PurchaseOrder.order_date.between(start, end),
            OrderLine.status != "cancelled",
            PurchaseOrder.status != "cancelled",
        )
        .group_by(OrderLine.part_id, OrderLine.supplier_org_id)
    ).all()


@dataclass
class Scope3:
    total_kg: float
    by_supplier: list[dict[str, Any]]
    by_tier: dict[int, float]
    lines: list[dict[str, Any]]
    missing: list[dict[str, Any]]


def scope3_purchased_goods(session: Session, viewer_org_id: int, year: int, locale: str) -> Scope3:
    """Scope 3 category 1 estimate: Σ purchased quantity x footprint, by supplier and tier."""
    visible, tier_of = viewer_context(session, viewer_org_id)
    bought = purchased_quantities(session, viewer_org_id, year)
    facts = latest_footprints(session, {b.part_id for b in bought}, year, visible)
    parts = {
        p.id: p
        for p in session.scalars(select(Part).where(Part.id.in_({b.part_id for b in bought})))
    }
    names = org_names(session, {b.supplier_org_id for b in bought}, locale)
    lines, missing, weighted = [], [], []
    per_supplier: dict[int, dict[str, Any]] = {}
    for b in bought:
        quantity = float(b.quantity or 0)
        supplier = per_supplier.setdefault(
            b.supplier_org_id,
            {
                "org_id": b.supplier_org_id,
                "name": names.get(b.supplier_org_id, ""),
                "kg": 0.0,
                "parts": 0,
                "missing": 0,
            },
        )
        fact = facts.get(b.part_id)
        if fact is None:
            supplier["missing"] += 1
            missing.append(
                {"part": parts[b.part_id], "org_id": b.supplier_org_id, "quantity": quantity}
            )
            continue
        kg = quantity * fact.pcf
        supplier["kg"] += kg
        supplier["parts"] += 1
        weighted.append((quantity, fact.origins))
        lines.append(
            {
                "part": parts[b.part_id],
                "org_id": b.supplier_org_id,
                "quantity": quantity,
                "fact": fact,
                "kg": kg,
            }
        )
    return Scope3(
        total_kg=sum(s["kg"] for s in per_supplier.values()),
        by_supplier=sorted(per_supplier.values(), key=lambda s: -s["kg"]),
        by_tier=sum_by_tier(weighted, viewer_org_id, tier_of),
        lines=sorted(lines, key=lambda line: -line["kg"]),
        missing=missing,
    )


@dataclass
class Gaps:
    org_id: int
    name: str
    tier: int | None
    months_missing: dict[str, list[str]]
    parts_without_footprint: list[Part]
    footprints_missing_inputs: int


def missing_data(
    session: Session, viewer_org_id: int, year: int, locale: str, today: date
) -> list[Gaps]:
    """Per organisation whose carbon data the viewer sees (itself included): the months of the
    year without activity data per site, the parts it makes without any footprint, and how many
    of its footprints lack an input's footprint."""
    visible, tier_of = viewer_context(session, viewer_org_id)
    # A month is missing once it has ended: the month under way cannot be entered in full.
    last_month = 12 if year < today.year else today.month - 1
    months = [f"{year}-{m:02d}" for m in range(1, last_month + 1)]
    start, end = year_bounds(year)
    sites = session.execute(
        select(Site.id, Site.org_id, Site.name)
        .join(Organisation, Organisation.id == Site.org_id)
        .where(Site.org_id.in_(visible), Organisation.kind == "supplier")
    ).all()
    covered = session.execute(
        select(
            ActivityRecord.site_id, ActivityRecord.period_start, ActivityRecord.period_end
        ).where(
            ActivityRecord.org_id.in_(visible),
            ActivityRecord.period_start.between(start, end),
            is_current(),
        )
    ).all()
    seen: dict[int, set[str]] = defaultdict(set)
    for site_id, first, last in covered:
        for m in range(first.month, last.month + 1):
            seen[site_id].add(f"{year}-{m:02d}")
    made = func.coalesce(Part.supplier_org_id, Part.owner_org_id)
    bare = session.execute(
        select(Part, made.label("maker"))
        .outerjoin(
            ProductFootprint,
            and_(
                ProductFootprint.part_id == Part.id,
                ProductFootprint.year == year,
                ProductFootprint.status == ACTIVE,
            ),
        )
        .where(made.in_(visible), ProductFootprint.id.is_(None), Part.supplier_org_id.is_not(None))
    ).all()
    gaps_in = dict(
        session.execute(
            select(ProductFootprint.org_id, func.count())
            .where(
                ProductFootprint.org_id.in_(visible),
                ProductFootprint.year == year,
                ProductFootprint.status == ACTIVE,
                ProductFootprint.missing_inputs > 0,
            )
            .group_by(ProductFootprint.org_id)
        ).all()
    )
    names = org_names(session, visible, locale)
    result = {
        o: Gaps(o, names.get(o, ""), tier_of.get(o), {}, [], gaps_in.get(o, 0)) for o in visible
    }
    for site_id, org_id, site_name in sites:
        absent = [m for m in months if m not in seen[site_id]]
        if absent:
            result[org_id].months_missing[site_name] = absent
    for part, maker in bare:
        result[maker].parts_without_footprint.append(part)
    return sorted(
        (
            g
            for g in result.values()
            if g.months_missing or g.parts_without_footprint or g.footprints_missing_inputs
        ),
        key=lambda g: (g.tier or 0, g.name),
    )
