"""The registry of scorecard sources: which facts query feeds which KPIs, and how.

A source is a row-level facts query and its grouping by supplier. ``snapshot`` sources read
state that has no history (the latest capability statistics), so they are computed for the
current period only and kept as they were for past periods. ``operational`` sources show that
a supplier did business in a period; a supplier without any has no scorecard for it ("no
data", not zero). ``zero_when_active`` KPIs count problems: none found for an active supplier
is a real 0. ``ranked`` sources score a supplier against all the others, so an incremental
update of a few suppliers leaves them as the last full recompute set them (footprints change
through the carbon feature, not through the reports and receipts that trigger an update).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from models.scorecards import carbon_kpis, delivery, incident_kpis, quality_kpis
from models.scorecards.context import Context


@dataclass(frozen=True)
class Source:
    name: str
    kpis: tuple[str, ...]
    facts: Callable[[Context], Select[Any]]
    aggregate: Callable[[Any, Context], Select[Any]]
    operational: bool = True
    snapshot: bool = False
    zero_when_active: bool = False
    ranked: bool = False

    def select(self, ctx: Context) -> Select[Any]:
        """One row per supplier with the source's KPI columns."""
        return self.aggregate(self.facts(ctx).subquery(f"{self.name}_fact"), ctx)


SOURCES: tuple[Source, ...] = (
    Source("coverage", ("coverage",), delivery.coverage_facts, delivery.coverage),
    Source("otd", ("otd",), delivery.otd_facts, delivery.otd),
    Source("otif", ("otif",), delivery.otif_facts, delivery.otif),
    Source("confirm", ("confirm_hours",), delivery.confirm_facts, delivery.confirm_hours),
    Source("ppm", ("ppm",), quality_kpis.ppm_facts, quality_kpis.ppm),
    Source(
        "incidents",
        ("open_incidents",),
        incident_kpis.open_incidents_facts,
        incident_kpis.open_incidents,
        zero_when_active=True,
    ),
    Source(
        "overdue_8d",
        ("overdue_8d",),
        quality_kpis.overdue_8d_facts,
        quality_kpis.overdue_8d,
        zero_when_active=True,
    ),
    Source(
        "eightd_answer",
        ("eightd_hours",),
        quality_kpis.eightd_answer_facts,
        quality_kpis.eightd_hours,
    ),
    Source(
        "cpk", ("cpk",), quality_kpis.cpk_facts, quality_kpis.cpk, operational=False, snapshot=True
    ),
    Source(
        "completeness_quality",
        ("completeness_quality",),
        quality_kpis.completeness_quality_facts,
        quality_kpis.completeness_quality,
    ),
    Source(
        "completeness_carbon",
        ("completeness_carbon",),
        carbon_kpis.completeness_carbon_facts,
        carbon_kpis.completeness_carbon,
        operational=False,
    ),
    Source(
        "footprints",
        ("carbon_intensity", "primary_share"),
        carbon_kpis.footprint_facts,
        carbon_kpis.carbon,
        operational=False,
        ranked=True,
    ),
)

SOURCE_OF_KPI = {kpi: source for source in SOURCES for kpi in source.kpis}


def sources_for(current: bool, scoped: bool = False) -> list[Source]:
    """The sources a period gets: snapshots only while it is the current one, ranked ones only
    when every supplier is recomputed."""
    return [s for s in SOURCES if (current or not s.snapshot) and not (scoped and s.ranked)]
