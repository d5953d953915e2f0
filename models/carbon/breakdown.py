"""A footprint taken apart for one viewer: own scopes, inputs, tiers, withheld suppliers.

Every supplier's number is in the total, but a supplier is named only to viewers that may
see its carbon data; the others appear as "a tier-n supplier", summed per tier.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.access import tiers, visible_org_ids
from models.carbon.entities import ProductFootprint
from models.orders.entities import Part
from models.orgs.entities import Organisation


@dataclass
class Bar:
    """One contribution per unit of the part (kgCO2e)."""

    kind: str  # scope1 | scope2 | input | withheld | declared
    kg: float
    label: str = ""
    part_id: int | None = None
    org_id: int | None = None
    pf_id: str | None = None
    quantity: float | None = None
    pcf_kg: float | None = None
    primary_data_share: float | None = None
    count: int = 1


@dataclass
class TierShare:
    tier: int
    kg: float
    share: float
    named: list[tuple[int, str, float]] = field(default_factory=list)
    withheld_kg: float = 0.0
    withheld_count: int = 0


@dataclass
class Breakdown:
    total: float
    bars: list[Bar]
    tiers: list[TierShare]
    missing: list[dict[str, Any]]
    names: dict[int, str]

    def tier_share(self, tier: int) -> float:
        """Share (0-1) of the total that arose at ``tier`` or deeper, from the viewer."""
        return sum(t.share for t in self.tiers if t.tier >= tier)


def org_names(session: Session, org_ids: set[int], locale: str) -> dict[int, str]:
    return {
        org.id: org.display_name(locale)
        for org in session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))
    }


def viewer_context(session: Session, viewer_org_id: int) -> tuple[set[int], dict[int, int]]:
    """Whose carbon data the viewer may see, and every organisation's tier below it."""
    return visible_org_ids(session, viewer_org_id, "carbon"), tiers(session, viewer_org_id)


def tier_shares(
    origins: dict[str, float],
    viewer_org_id: int,
    visible: set[int],
    tier_of: dict[int, int],
    names: dict[int, str] | None = None,
) -> list[TierShare]:
    """The footprint's origins summed by tier from the viewer (0 = the viewer itself)."""
    total = sum(origins.values()) or 0.0
    by_tier: dict[int, TierShare] = {}
    for key, kg in origins.items():
        org_id = int(key)
        tier = 0 if org_id == viewer_org_id else tier_of.get(org_id, 99)
        share = by_tier.setdefault(tier, TierShare(tier, 0.0, 0.0))
        share.kg += kg
        if org_id in visible:
            share.named.append((org_id, (names or {}).get(org_id, ""), kg))
        else:
            share.withheld_kg += kg
            share.withheld_count += 1
    for share in by_tier.values():
        share.share = share.kg / total if total else 0.0
        share.named.sort(key=lambda item: -item[2])
    return [by_tier[t] for t in sorted(by_tier)]


def breakdown(
    session: Session, viewer_org_id: int, footprint: ProductFootprint, locale: str = "zh_Hans_CN"
) -> Breakdown:
    """The bars of the footprint's chart and its tier shares, as ``viewer_org_id`` may see them."""
    visible, tier_of = viewer_context(session, viewer_org_id)
    calc = footprint.calc or {}
    origin_ids = {int(k) for k in (footprint.origins or {})}
    inputs = calc.get("inputs", []) if calc.get("method") == "computed" else []
    missing = calc.get("missing", []) if calc.get("method") == "computed" else []
    involved = {i.get("org_id") for i in inputs + missing if i.get("org_id")}
    names = org_names(session, (origin_ids | involved | {footprint.org_id}) & visible, locale)
    parts = {
        p.id: p
        for p in session.scalars(
            select(Part).where(Part.id.in_({i["part_id"] for i in inputs + missing}))
        )
    }
    bars: list[Bar] = []
    if calc.get("method") != "computed":
        bars.append(Bar("declared", float(footprint.pcf_kg), org_id=footprint.org_id))
    else:
        bars.append(Bar("scope1", float(footprint.scope1_kg or 0), org_id=footprint.org_id))
        bars.append(Bar("scope2", float(footprint.scope2_kg or 0), org_id=footprint.org_id))
        withheld = Bar("withheld", 0.0, count=0)
        for item in inputs:
            if item.get("org_id") in visible:
                part = parts.get(item["part_id"])
                bars.append(
                    Bar(
                        "input",
                        item["kg"],
                        label=part.display_name(locale) if part else "",
                        part_id=item["part_id"],
                        org_id=item["org_id"],
                        pf_id=item.get("pf_id"),
                        quantity=item["effective_quantity"],
                        pcf_kg=item["pcf_kg"],
                        primary_data_share=item.get("primary_data_share"),
                    )
                )
            else:
                withheld.kg += item["kg"]
                withheld.count += 1
        if withheld.count:
            bars.append(withheld)
    shown_missing = [
        {
            "part": parts[m["part_id"]].display_name(locale)
            if m.get("org_id") in visible and m["part_id"] in parts
            else None,
            "org_id": m.get("org_id") if m.get("org_id") in visible else None,
            "quantity": m["effective_quantity"],
        }
        for m in missing
    ]
    return Breakdown(
        total=float(footprint.pcf_kg),
        bars=bars,
        tiers=tier_shares(footprint.origins or {}, viewer_org_id, visible, tier_of, names),
        missing=shown_missing,
        names=names,
    )


def sum_by_tier(
    rows: list[tuple[float, dict[str, float]]], viewer_org_id: int, tier_of: dict[int, int]
) -> dict[int, float]:
    """Σ weight x origins, by tier from the viewer: the tier split of a set of purchases."""
    totals: dict[int, float] = defaultdict(float)
    for weight, origins in rows:
        for key, kg in origins.items():
            org_id = int(key)
            tier = 0 if org_id == viewer_org_id else tier_of.get(org_id, 99)
            totals[tier] += weight * kg
    return dict(totals)
