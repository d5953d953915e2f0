"""A site's scope 1 and 2 emissions of a year, allocated to the parts it made (set-based).

Energy and output are summed per site in SQL; each fuel is multiplied by the factor that
applies to the site's grid region and the year, in the supply chain of the part's anchor (its
own factor versions over the published ones); the site total is shared among its parts by
mass (default), quantity or economic value, as the maker chose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.carbon.activity_checks import is_current
from models.carbon.constants import CANONICAL_UNIT
from models.carbon.entities import ActivityEnergy, ActivityOutput, ActivityRecord, CarbonSettings
from models.carbon.factors import FactorBook, FactorTable, anchors_of
from models.carbon.sql import among
from models.orders.entities import OrderLine, Part
from models.orgs.entities import Site


@dataclass
class OwnEmissions:
    """What one part carries of its makers' sites in a year (totals, not per unit)."""

    part_id: int
    scope1: float = 0.0
    scope2: float = 0.0
    quantity: float = 0.0
    mass_kg: float = 0.0
    dqr: tuple[float, float, float] | None = None
    sites: list[dict[str, Any]] = field(default_factory=list)
    records: list[int] = field(default_factory=list)
    factor_ids: set[int] = field(default_factory=set)


def shown(value: float) -> float:
    """A number for the record of a calculation (7 significant digits, as a person reads it)."""
    return float(f"{value:.7g}")


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _in_year(year: int):  # type: ignore[no-untyped-def]
    start, end = year_bounds(year)
    return ActivityRecord.period_start.between(start, end) & is_current()


def parts_with_output(session: Session, year: int) -> set[int]:
    """Every part some site reported output of in ``year`` (current records only)."""
    return set(
        session.scalars(
            select(ActivityOutput.part_id)
            .join(ActivityRecord, ActivityRecord.id == ActivityOutput.record_id)
            .where(_in_year(year))
            .distinct()
        )
    )


def own_emissions(
    session: Session, year: int, factors: FactorBook, makers: Iterable[int] | None = None
) -> dict[int, OwnEmissions]:
    """Own (scope 1 + 2) emissions of each part made in ``year``: at every site, or at the sites
    of the organisations ``makers`` (each site with all its outputs, which its shares need)."""
    records_query = select(ActivityRecord.site_id, ActivityRecord.id).where(_in_year(year))
    if makers is not None:
        sites_of = select(Site.id).where(among(session, Site.org_id, makers))
        records_query = records_query.where(ActivityRecord.site_id.in_(sites_of))
    records = session.execute(records_query.order_by(ActivityRecord.id)).all()

    def scoped(query, record_id):  # type: ignore[no-untyped-def]
        """All of the year's records, or (a few sites) those just read, by their ids: an
        index lookup the planner would not choose for a date range covering most rows."""
        if makers is None:
            return query.where(_in_year(year))
        return query.where(among(session, record_id, [r.id for r in records]))

    energy = session.execute(
        scoped(
            select(ActivityRecord.site_id, ActivityEnergy.fuel, func.sum(ActivityEnergy.quantity))
            .join(ActivityRecord, ActivityRecord.id == ActivityEnergy.record_id)
            .group_by(ActivityRecord.site_id, ActivityEnergy.fuel),
            ActivityEnergy.record_id,
        )
    ).all()
    outputs = session.execute(
        scoped(
            select(
                ActivityRecord.site_id,
                ActivityOutput.part_id,
                func.sum(ActivityOutput.quantity),
                func.sum(ActivityOutput.mass_kg),
                func.sum(ActivityOutput.value),
                Part.owner_org_id,
            )
            .join(ActivityRecord, ActivityRecord.id == ActivityOutput.record_id)
            .join(Part, Part.id == ActivityOutput.part_id)
            .group_by(ActivityRecord.site_id, ActivityOutput.part_id, Part.owner_org_id),
            ActivityOutput.record_id,
        )
    ).all()
    site_ids = {row[0] for row in outputs}
    sites = {
        s.id: s
        for s in session.execute(
            select(Site.id, Site.org_id, Site.name, Site.region).where(
                among(session, Site.id, site_ids)
            )
        )
    }
    methods = _methods(session, {s.org_id for s in sites.values()})
    prices = _prices(session, outputs, sites, methods)
    anchor_of_owner = anchors_of(session, {row[5] for row in outputs})
    anchor_of_part = {row[1]: anchor_of_owner[row[5]] for row in outputs}

    fuels_by_site: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for site_id, fuel, quantity in energy:
        fuels_by_site[site_id].append((fuel, float(quantity)))
    records_by_site: dict[int, list[int]] = defaultdict(list)
    for site_id, record_id in records:
        records_by_site[site_id].append(record_id)
    outputs_by_site: dict[int, list[tuple[int, float, float, float | None]]] = defaultdict(list)
    for site_id, part_id, quantity, mass, value, _owner in outputs:
        outputs_by_site[site_id].append(
            (part_id, float(quantity), float(mass or 0), None if value is None else float(value))
        )

    result: dict[int, OwnEmissions] = {}
    for site_id, made in outputs_by_site.items():
        site = sites[site_id]
        method = methods.get(site.org_id, "mass")
        shares, used = _shares(made, method, prices, site.org_id)
        by_chain: dict[int | None, tuple[list[dict[str, Any]], float, float]] = {}
        for part_id, quantity, mass, _value in made:
            anchor_id = anchor_of_part[part_id]
            if anchor_id not in by_chain:
                by_chain[anchor_id] = _site_totals(
                    fuels_by_site.get(site_id, []), site.region, year, factors.table(anchor_id)
                )
            fuels, scope1, scope2 = by_chain[anchor_id]
            own = result.setdefault(part_id, OwnEmissions(part_id))
            share = shares[part_id]
            own.scope1 += scope1 * share
            own.scope2 += scope2 * share
            own.quantity += quantity
            own.mass_kg += mass
            own.records.extend(records_by_site[site_id])
            own.factor_ids.update(f["factor"]["factor_id"] for f in fuels if f["factor"])
            own.sites.append(
                {
                    "site_id": site_id,
                    "site": site.name,
                    "region": site.region,
                    "records": records_by_site[site_id],
                    "allocation": used,
                    "share": shown(share),
                    "quantity": quantity,
                    "mass_kg": mass,
                    "scope1_kg": shown(scope1 * share),
                    "scope2_kg": shown(scope2 * share),
                    "fuels": fuels,
                }
            )
            rating = _dqr(fuels, site.region, year)
            if own.dqr is None or len(own.sites) == 1:
                own.dqr = rating
            else:  # a part made at several sites: weigh each site's rating by its kilograms
                weight = (scope1 + scope2) * share
                before = own.scope1 + own.scope2 - weight
                total = before + weight
                own.dqr = tuple(  # type: ignore[assignment]
                    round((a * before + b * weight) / total, 3) if total else a
                    for a, b in zip(own.dqr, rating, strict=True)
                )
    return result


def _site_totals(
    fuels: list[tuple[str, float]], region: str | None, year: int, factors: FactorTable
) -> tuple[list[dict[str, Any]], float, float]:
    """A site's fuels with the factors of one chain, and their scope 1 and scope 2 totals."""
    rows = _site_fuels(fuels, region, year, factors)
    scope1 = sum(f["kg"] for f in rows if f["scope"] == 1)
    scope2 = sum(f["kg"] for f in rows if f["scope"] == 2)
    return rows, scope1, scope2


def _site_fuels(
    fuels: list[tuple[str, float]], region: str | None, year: int, factors: FactorTable
) -> list[dict[str, Any]]:
    rows = []
    for fuel, quantity in sorted(fuels):
        factor = factors.choose(fuel, region, year)
        rows.append(
            {
                "fuel": fuel,
                "quantity": quantity,
                "unit": CANONICAL_UNIT.get(fuel, ""),
                "factor": factor.as_record() if factor else None,
                "scope": factor.scope if factor else 0,
                "kg": shown(quantity * factor.value) if factor else 0.0,
            }
        )
    return rows


def _shares(
    made: list[tuple[int, float, float, float | None]],
    method: str,
    prices: dict[tuple[int, int], float],
    org_id: int,
) -> tuple[dict[int, float], str]:
    """Each part's share of the site's emissions; falls back to mass when the chosen basis is
    unknown (a part without value or price) or sums to zero."""
    if method == "value":
        values = {}
        for part_id, quantity, _mass, value in made:
            price = prices.get((org_id, part_id))
            values[part_id] = value if value is not None else (quantity * price if price else None)
        if all(v is not None for v in values.values()) and sum(values.values()) > 0:  # type: ignore[arg-type]
            total = sum(values.values())  # type: ignore[arg-type]
            return {p: v / total for p, v in values.items()}, "value"  # type: ignore[operator]
    if method == "quantity":
        total = sum(q for _p, q, _m, _v in made)
        if total > 0:
            return {p: q / total for p, q, _m, _v in made}, "quantity"
    total = sum(m for _p, _q, m, _v in made)
    if total > 0:
        return {p: m / total for p, _q, m, _v in made}, "mass"
    count = len(made)
    return {p: 1 / count for p, _q, _m, _v in made}, "equal"


def _dqr(fuels: list[dict[str, Any]], region: str | None, year: int) -> tuple[float, float, float]:
    """Data quality (PACT DQR 1 good to 3 poor) of own emissions, weighted by each fuel's kg:
    technology 2 (average factors); time 1 when the factor is at most a year off, 2 within three
    years, else 3; geography 1 for the site's own grid region, else 2."""
    total = sum(f["kg"] for f in fuels) or 0.0
    if not total:
        return (2.0, 1.0, 2.0)
    temporal = geographical = 0.0
    for f in fuels:
        factor = f["factor"]
        if factor is None:
            continue
        weight = f["kg"] / total
        gap = abs(year - factor["year"])
        temporal += weight * (1 if gap <= 1 else 2 if gap <= 3 else 3)
        geographical += weight * (1 if region and factor["region"] == region else 2)
    return (2.0, round(temporal, 3), round(geographical, 3))


def _methods(session: Session, org_ids: set[int]) -> dict[int, str]:
    return dict(
        session.execute(
            select(CarbonSettings.org_id, CarbonSettings.allocation_method).where(
                CarbonSettings.org_id.in_(org_ids)
            )
        ).all()
    )


def _prices(
    session: Session, outputs: list[Any], sites: dict[int, Any], methods: dict[int, str]
) -> dict[tuple[int, int], float]:
    """Average unit price of each (maker, part) from order lines, for value allocation."""
    wanted = {
        (sites[site_id].org_id, part_id)
        for site_id, part_id, *_ in outputs
        if methods.get(sites[site_id].org_id) == "value"
    }
    if not wanted:
        return {}
    rows = session.execute(
        select(OrderLine.supplier_org_id, OrderLine.part_id, func.avg(OrderLine.unit_price))
        .where(
            OrderLine.part_id.in_({p for _o, p in wanted}),
            OrderLine.unit_price.is_not(None),
        )
        .group_by(OrderLine.supplier_org_id, OrderLine.part_id)
    ).all()
    return {(o, p): float(price) for o, p, price in rows if (o, p) in wanted}
