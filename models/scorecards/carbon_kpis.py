"""Carbon KPIs: completeness of monthly energy data, carbon intensity and primary-data share.

Intensity and share follow :mod:`models.carbon.reports`: per part the active footprint of the
period's year or else the latest earlier one (declared before computed); intensity is the sum
of the footprints over the sum of the parts' masses, the share is weighted by footprint.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Select, case, exists, func, literal, select, union_all
from sqlalchemy.orm import aliased

from models.carbon.constants import ACTIVE
from models.carbon.entities import ActivityRecord, ProductFootprint
from models.orgs.entities import Site, SupplierLink
from models.scorecards.aggregates import columns, share
from models.scorecards.context import Context
from models.scorecards.sql import ratio


def completeness_carbon_facts(ctx: Context) -> Select[Any]:
    """Each site of each active supplier, for each month due in the period, and whether a
    current energy record covers that month."""
    months = ctx.months
    if not months:
        return select(
            Site.id.label("site_id"), Site.org_id.label("supplier_org_id"),
            literal(None, Date()).label("month"), literal(0).label("present"),
        ).where(literal(False))  # fmt: skip
    month_rows = union_all(
        *[select(ctx.p(f"month_{i}").label("month")) for i in range(len(months))]
    ).subquery("due_month")
    suppliers = select(SupplierLink.supplier_id).where(SupplierLink.status == "active")
    later = aliased(ActivityRecord)
    covered = exists().where(
        ActivityRecord.site_id == Site.id,
        ActivityRecord.period_start <= month_rows.c.month,
        ActivityRecord.period_end >= month_rows.c.month,
        ~exists().where(later.supersedes_id == ActivityRecord.id),
    )
    return (
        select(
            Site.id.label("site_id"),
            Site.org_id.label("supplier_org_id"),
            month_rows.c.month,
            case((covered, 1), else_=0).label("present"),
        )
        .select_from(Site)
        .join(month_rows, literal(True))
        .where(Site.org_id.in_(suppliers), ctx.scoped(Site.org_id))
    )


def completeness_carbon(facts: Any, _ctx: Context) -> Select[Any]:
    return share(facts, "completeness_carbon", "present")


def footprint_facts(ctx: Context) -> Select[Any]:
    """Per supplier and part, the footprint that counts for the period's year.

    Not narrowed to the scope: the intensity score ranks each supplier among all of them.
    """
    year = ctx.p("year")
    rank = func.row_number().over(
        partition_by=(ProductFootprint.org_id, ProductFootprint.part_id),
        order_by=(
            ProductFootprint.year.desc(),
            case((ProductFootprint.kind == "declared", 0), else_=1),
            ProductFootprint.id.desc(),
        ),
    )
    ranked = (
        select(
            ProductFootprint.id.label("footprint_id"),
            ProductFootprint.org_id.label("supplier_org_id"),
            ProductFootprint.part_id,
            ProductFootprint.year,
            ProductFootprint.kind,
            ProductFootprint.pcf_kg,
            ProductFootprint.mass_kg,
            ProductFootprint.primary_data_share,
            rank.label("rank"),
        )
        .where(
            ProductFootprint.status == ACTIVE,
            ProductFootprint.year <= year,
        )
        .subquery("ranked_footprint")
    )
    return select(*[c for c in ranked.c if c.name != "rank"]).where(ranked.c.rank == 1)


def carbon(facts: Any, ctx: Context) -> Select[Any]:
    """Intensity (scored by its rank among all suppliers, lowest best) and primary-data share."""
    weighed = case((facts.c.mass_kg > 0, facts.c.pcf_kg), else_=0)
    mass = func.sum(case((facts.c.mass_kg > 0, facts.c.mass_kg), else_=0))
    total = func.sum(facts.c.pcf_kg)
    primary = func.sum(facts.c.pcf_kg * func.coalesce(facts.c.primary_data_share, 0))
    intensity = ratio(func.sum(weighed), mass, 1.0)
    grouped = (
        select(
            facts.c.supplier_org_id,
            intensity.label("intensity"),
            func.sum(weighed).label("weighed"),
            mass.label("mass"),
            ratio(primary, total, 1.0).label("share"),
            primary.label("primary"),
            total.label("total"),
        )
        .group_by(facts.c.supplier_org_id)
        .subquery("footprint_sum")
    )
    rank = func.percent_rank().over(
        partition_by=grouped.c.intensity.is_(None), order_by=grouped.c.intensity
    )
    intensity_score = case((grouped.c.intensity.is_(None), None), else_=100.0 * (1 - rank))
    ranked = select(
        grouped.c.supplier_org_id,
        *columns("carbon_intensity", grouped.c.intensity, grouped.c.weighed, grouped.c.mass,
                 intensity_score),
        *columns("primary_share", grouped.c.share, grouped.c.primary, grouped.c.total),
    ).subquery("carbon_ranked")  # fmt: skip
    return select(ranked).where(ctx.scoped(ranked.c.supplier_org_id))
