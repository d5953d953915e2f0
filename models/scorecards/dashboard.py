"""The anchor's dashboard as read models: KPI tiles, supplier table, status lights, trends.

Every function takes a :class:`~models.scorecards.viewer.View` (who looks, with which filters)
and aggregates in SQL over the scorecard rows of the suppliers in view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from models.orgs.entities import Organisation
from models.scorecards.entities import ScorecardWarning
from models.scorecards.kpis import AMBER_FROM, GREEN_FROM, KPIS, status_of
from models.scorecards.periods import Period, periods_back
from models.scorecards.sql import member_of
from models.scorecards.viewer import T, View, index_of, scoped_rows, shown, totals

STATUSES = ("green", "amber", "red", "none")
W_SUPPLIER = ScorecardWarning.supplier_org_id


def _in_period(period: Period) -> list[Any]:
    return [T.c.period_kind == period.kind, T.c.period_start == period.start]


@dataclass
class Overview:
    """The tiles: totals per KPI, mean index, suppliers by status light, lines at risk."""

    totals: dict[str, float | None]
    index: float | None
    suppliers: int
    statuses: dict[str, int]
    at_risk_suppliers: int


def at_risk(session: Session, view: View) -> set[int]:
    """Suppliers in view with an active warning the viewer may see the grounds of (a sub-tier
    incident is quality data, every other warning progress data)."""
    incident = ScorecardWarning.kind == "subtier_incident"
    seen_by = {c: view.suppliers & view.sees[c] for c in ("progress", "quality")}
    return set(
        session.scalars(
            select(ScorecardWarning.supplier_org_id)
            .where(
                ScorecardWarning.resolved_at.is_(None),
                or_(
                    and_(incident, member_of(session, W_SUPPLIER, seen_by["quality"])),
                    and_(~incident, member_of(session, W_SUPPLIER, seen_by["progress"])),
                ),
            )
            .distinct()
        )
    )


def indexes(session: Session, view: View, period: Period) -> dict[int, float | None]:
    """Each supplier's index for the period (suppliers without a row are absent)."""
    rows = scoped_rows(session, view, *_in_period(period))
    return dict(session.execute(select(rows.c.supplier_org_id, index_of(rows, view))).all())


def lights(
    session: Session, view: View, period: Period, risky: set[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Index and status light of every supplier in view (no row: no data)."""
    scores = indexes(session, view, period)
    risky = at_risk(session, view) if risky is None else risky
    return {
        org_id: {
            "index": scores.get(org_id),
            "status": status_of(scores.get(org_id), org_id in risky),
            "at_risk": org_id in risky,
        }
        for org_id in view.suppliers
    }


def overview(
    session: Session, view: View, period: Period, risky: set[int] | None = None
) -> Overview:
    """The tiles, in one aggregate over the suppliers' rows (status lights counted in SQL)."""
    risky = at_risk(session, view) if risky is None else risky
    scored = _scored(session, scoped_rows(session, view, *_in_period(period)), view, risky)
    found = session.execute(select(*_tile_columns(scored, view))).one()._mapping
    return _overview_of(found, view, risky)


def overview_and_table(
    session: Session, view: View, period: Period, limit: int, offset: int, risky: set[int]
) -> tuple[Overview, list[SupplierScore]]:
    """The tiles and one page of the supplier table in one statement, so the suppliers' rows
    are read and their index worked out once (each result row carries the tiles)."""
    scored = _scored(session, scoped_rows(session, view, *_in_period(period)), view, risky)
    tiles = select(*_tile_columns(scored, view)).subquery("tiles")
    page = _table_query(scored, limit, offset, view, prefix="row_").subquery("page")
    result = session.execute(
        select(tiles, page).select_from(tiles.outerjoin(page, true())).order_by(page.c.row_rank)
    ).all()
    table = [
        _score_of(row._mapping, view, risky, "row_")
        for row in result
        if row._mapping["row_supplier_org_id"] is not None
    ]
    return _overview_of(result[0]._mapping, view, risky), table


def _scored(session: Session, rows: Any, view: View, risky: set[int]) -> Any:
    """Scorecard ``rows`` of the view with their index and whether they are at risk
    (materialised: the index is worked out once per row however often it is read)."""
    flagged = member_of(session, rows.c.supplier_org_id, frozenset(risky))
    return (
        select(
            rows,
            index_of(rows, view).label("index_value"),
            case((flagged, 1), else_=0).label("risky"),
        )
        .cte("scored")
        .prefix_with("MATERIALIZED")
    )


def _tile_columns(scored: Any, view: View) -> list[Any]:
    index, risk = scored.c.index_value, scored.c.risky == 1
    light = case(
        (and_(index.is_(None), risk), "red"),
        (index.is_(None), "none"),
        (and_(index >= GREEN_FROM, ~risk), "green"),
        (index >= AMBER_FROM, "amber"),
        else_="red",
    )
    return [
        *totals(scored, view, index),
        *[func.sum(case((light == name, 1), else_=0)).label(name) for name in STATUSES],
        func.sum(scored.c.risky).label("risky_rows"),
    ]


def _overview_of(found: Any, view: View, risky: set[int]) -> Overview:
    counts = {name: int(found[name] or 0) for name in STATUSES}
    rows_found = int(found["suppliers"] or 0)
    risky_elsewhere = len(risky) - int(found["risky_rows"] or 0)
    counts["red"] += risky_elsewhere
    counts["none"] += len(view.suppliers) - rows_found - risky_elsewhere
    return Overview(
        totals={kpi.code: found[kpi.code] for kpi in KPIS},
        index=found["index"],
        suppliers=rows_found,
        statuses=counts,
        at_risk_suppliers=len(risky),
    )


@dataclass
class SupplierScore:
    """One supplier's row on the dashboard table."""

    org_id: int
    name_zh: str
    name_en: str
    tier: int | None
    index: float | None
    status: str
    values: dict[str, float | None] = field(default_factory=dict)
    withheld: set[str] = field(default_factory=set)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_zh


def supplier_table(
    session: Session,
    view: View,
    period: Period,
    limit: int = 50,
    offset: int = 0,
    search: str | None = None,
    risky: set[int] | None = None,
    total: int | None = None,
) -> tuple[list[SupplierScore], int]:
    """Suppliers in view with their index and KPIs, lowest index first (no data last);
    ``search`` matches names; ``total``, when the caller knows it, saves counting them."""
    rows = scoped_rows(session, view, *_in_period(period))
    if search:
        term = search.strip()
        names = select(Organisation.id).where(
            or_(
                Organisation.name_zh.icontains(term, autoescape=True),
                Organisation.name_en.icontains(term, autoescape=True),
            )
        )
        rows = select(rows).where(rows.c.supplier_org_id.in_(names)).subquery("searched")
    total = session.scalar(select(func.count()).select_from(rows)) if total is None else total
    risky = at_risk(session, view) if risky is None else risky
    scored = _scored(session, rows, view, risky)
    found = session.execute(_table_query(scored, limit, offset, view))
    return [_score_of(row._mapping, view, risky) for row in found], int(total)


def _table_query(scored: Any, limit: int, offset: int, view: View, prefix: str = "") -> Any:
    """One page of the supplier table over ``scored`` rows, lowest index first (no data
    last), its columns named with ``prefix``."""
    index = scored.c.index_value
    order = (index.is_(None), index, Organisation.name_zh)
    return (
        select(
            scored.c.supplier_org_id.label(f"{prefix}supplier_org_id"),
            Organisation.name_zh.label(f"{prefix}name_zh"),
            Organisation.name_en.label(f"{prefix}name_en"),
            index.label(f"{prefix}index"),
            func.row_number().over(order_by=order).label(f"{prefix}rank"),
            *[shown(scored, kpi.code).label(f"{prefix}{kpi.code}") for kpi in KPIS],
        )
        .join(Organisation, Organisation.id == scored.c.supplier_org_id)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )


def _score_of(row: Any, view: View, risky: set[int], prefix: str = "") -> SupplierScore:
    org_id = row[f"{prefix}supplier_org_id"]
    index = row[f"{prefix}index"]
    return SupplierScore(
        org_id,
        row[f"{prefix}name_zh"],
        row[f"{prefix}name_en"],
        view.tier_of.get(org_id),
        index,
        status_of(index, org_id in risky),
        {kpi.code: row[f"{prefix}{kpi.code}"] for kpi in KPIS},
        {kpi.code for kpi in KPIS if not view.can_see(org_id, kpi.category)},
    )


@dataclass
class TrendPoint:
    period: Period
    index: float | None
    totals: dict[str, float | None]


def trends(session: Session, view: View, kind: str, count: int, today: Any) -> list[TrendPoint]:
    """The index and KPI totals of the last ``count`` periods, oldest first (GROUP BY period)."""
    periods = periods_back(kind, today, count)
    rows = scoped_rows(session, view, T.c.period_kind == kind, T.c.period_start >= periods[0].start)
    query = select(rows.c.period_start, *totals(rows, view)).group_by(rows.c.period_start)
    found = {row.period_start: row._mapping for row in session.execute(query)}
    return [
        TrendPoint(
            p,
            found[p.start]["index"] if p.start in found else None,
            {k.code: found[p.start][k.code] if p.start in found else None for k in KPIS},
        )
        for p in periods
    ]
