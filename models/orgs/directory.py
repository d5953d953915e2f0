"""Read models for the supplier directory, a supplier's profile and the tier tree.

Everything here is scoped by the viewer through :mod:`models.access`: a supplier appears when
the viewer may know it exists, and each of its data categories is marked visible or not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.access import network_org_ids, tiers, visible_org_ids
from models.errors import NotFound
from models.orgs.entities import CATEGORIES, Organisation, SupplierLink


@dataclass
class SupplierRow:
    organisation: Organisation
    tier: int | None
    link: SupplierLink | None
    visible: list[str]
    buyer_ids: list[int] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.link.status if self.link is not None else "active"


def visibility(session: Session, viewer_org_id: int) -> dict[str, set[int]]:
    """For each category, the organisations whose data of it the viewer may see."""
    return {c: visible_org_ids(session, viewer_org_id, c) for c in CATEGORIES}


def suppliers(
    session: Session,
    viewer_org_id: int,
    *,
    tier: int | None = None,
    status: str | None = None,
    industry: str | None = None,
    size_class: str | None = None,
    search: str | None = None,
) -> list[SupplierRow]:
    """The viewer's suppliers at every tier it may know of, filtered, nearest tier first."""
    tier_of = tiers(session, viewer_org_id)
    known = network_org_ids(session, viewer_org_id)
    direct = {
        link.supplier_id: link
        for link in session.scalars(
            select(SupplierLink).where(SupplierLink.buyer_id == viewer_org_id)
        )
    }
    ids = ({org_id for org_id in tier_of if org_id in known} | set(direct)) - {viewer_org_id}
    query = select(Organisation).where(Organisation.id.in_(ids))
    if industry:
        query = query.where(Organisation.industry.ilike(f"%{industry}%"))
    if size_class:
        query = query.where(Organisation.size_class == size_class)
    if search:
        pattern = f"%{search.strip()}%"
        query = query.where(
            or_(
                Organisation.name_zh.ilike(pattern),
                Organisation.name_en.ilike(pattern),
                Organisation.credit_code.ilike(pattern.upper()),
            )
        )
    seen = visibility(session, viewer_org_id)
    buyers = _buyers_within(session, ids, known | {viewer_org_id})
    rows = [
        SupplierRow(
            org,
            tier_of.get(org.id),
            direct.get(org.id),
            [c for c in CATEGORIES if org.id in seen[c]],
            buyers.get(org.id, []),
        )
        for org in session.scalars(query)
    ]
    if tier is not None:
        rows = [row for row in rows if row.tier == tier]
    if status:
        rows = [row for row in rows if row.status == status]
    return sorted(rows, key=lambda r: (r.tier or 99, r.organisation.name_zh))


def _buyers_within(
    session: Session, supplier_ids: set[int], known: set[int]
) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    rows = session.execute(
        select(SupplierLink.supplier_id, SupplierLink.buyer_id).where(
            SupplierLink.supplier_id.in_(supplier_ids), SupplierLink.status == "active"
        )
    )
    for supplier_id, buyer_id in rows:
        if buyer_id in known:
            result[supplier_id].append(buyer_id)
    return result


def profile(session: Session, viewer_org_id: int, org_id: int) -> SupplierRow:
    """One organisation as the viewer may see it; unknown to the viewer means not found."""
    if org_id == viewer_org_id:
        org = session.get(Organisation, org_id)
        assert org is not None
        return SupplierRow(org, 0, None, list(CATEGORIES))
    for row in suppliers(session, viewer_org_id):
        if row.organisation.id == org_id:
            return row
    if org_id in network_org_ids(session, viewer_org_id):
        org = session.get(Organisation, org_id)
        assert org is not None
        return SupplierRow(org, None, None, [])
    raise NotFound()


def customers(session: Session, viewer_org_id: int) -> list[SupplierLink]:
    """Links on which the viewer is the supplier: its buyers and what it shares with each."""
    return list(
        session.scalars(
            select(SupplierLink)
            .where(SupplierLink.supplier_id == viewer_org_id)
            .order_by(SupplierLink.id)
        )
    )


def tier_tree(session: Session, viewer_org_id: int, locale: str = "zh_Hans_CN") -> dict[str, Any]:
    """The viewer's supply tree as nested nodes (for an ECharts tree).

    A supplier the viewer may not know of is not named: its buyer's node carries a count of
    "withheld" suppliers instead. A supplier reached by several paths appears under each buyer.
    """
    known = network_org_ids(session, viewer_org_id)
    tier_of = tiers(session, viewer_org_id)
    links = session.execute(
        select(SupplierLink.buyer_id, SupplierLink.supplier_id, SupplierLink.status).where(
            SupplierLink.status.in_(("active", "suspended"))
        )
    ).all()
    children: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for buyer_id, supplier_id, status in links:
        children[buyer_id].append((supplier_id, status))
    names = {
        org.id: org.display_name(locale)
        for org in session.scalars(
            select(Organisation).where(Organisation.id.in_(known | set(tier_of) | {viewer_org_id}))
        )
    }

    def node(org_id: int, status: str, path: frozenset[int]) -> dict[str, Any]:
        below = [(c, s) for c, s in children.get(org_id, []) if c not in path]
        shown = [node(c, s, path | {c}) for c, s in below if c in known]
        withheld = sum(1 for c, _ in below if c not in known)
        return {
            "id": org_id,
            "name": names.get(org_id, ""),
            "tier": tier_of.get(org_id, 0),
            "status": status,
            "withheld": withheld,
            "children": shown,
        }

    return node(viewer_org_id, "active", frozenset({viewer_org_id}))
