"""One supplier's scorecard over time, as a buyer in its chain or the supplier itself sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import NotFound
from models.orgs.entities import Organisation
from models.scorecards.kpis import KPI_CATEGORIES, KPIS, status_of
from models.scorecards.periods import Period, periods_back
from models.scorecards.settings import rules_of
from models.scorecards.viewer import T, View, index_of, make_view, scoped_rows


@dataclass
class KpiCell:
    code: str
    value: float | None
    num: float | None
    den: float | None
    score: float | None
    withheld: bool


@dataclass
class PeriodCard:
    period: Period
    index: float | None
    cells: dict[str, KpiCell]
    computed_at: datetime | None = None


@dataclass
class SupplierCard:
    organisation: Organisation
    tier: int | None
    own: bool
    withheld: set[str]
    periods: list[PeriodCard] = field(default_factory=list)

    @property
    def current(self) -> PeriodCard:
        return self.periods[-1]

    @property
    def status(self) -> str:
        return status_of(self.current.index)


def supplier_view(session: Session, viewer_org_id: int, org_id: int) -> View:
    """The viewer's view of one supplier in its chain; any other organisation is not found."""
    if org_id == viewer_org_id:
        return own_view(session, org_id)
    view = make_view(session, viewer_org_id)
    if org_id not in view.suppliers:
        raise NotFound()
    return view


def own_view(session: Session, org_id: int) -> View:
    """A supplier looking at its own scorecard: everything visible, its own weights."""
    weights = rules_of(session, org_id).weights
    return View(
        org_id, weights, {org_id: 0}, {c: frozenset({org_id}) for c in KPI_CATEGORIES},
        frozenset({org_id}),
    )  # fmt: skip


def supplier_card(
    session: Session, view: View, org_id: int, kind: str, count: int, today: date
) -> SupplierCard:
    """The supplier's KPIs for the last ``count`` periods of ``kind`` (oldest first); KPIs of
    categories the viewer may not see are withheld."""
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        raise NotFound()
    periods = periods_back(kind, today, count)
    narrowed = View(view.viewer_org_id, view.weights, view.tier_of, view.sees, frozenset({org_id}))
    rows = scoped_rows(
        session, narrowed, T.c.period_kind == kind, T.c.period_start >= periods[0].start
    )
    found = {
        row.period_start: row
        for row in session.execute(select(rows, index_of(rows, narrowed).label("index")))
    }
    withheld = {c for c in KPI_CATEGORIES if not view.can_see(org_id, c)}
    card = SupplierCard(
        organisation, view.tier_of.get(org_id), org_id == view.viewer_org_id, withheld
    )
    for period in periods:
        card.periods.append(_period_card(period, found.get(period.start), withheld))
    return card


def _period_card(period: Period, row: Any, withheld: set[str]) -> PeriodCard:
    cells = {}
    for kpi in KPIS:
        hidden = kpi.category in withheld
        get = (lambda name: None) if row is None or hidden else (lambda name: row._mapping[name])
        cells[kpi.code] = KpiCell(
            kpi.code,
            get(kpi.code),
            get(f"{kpi.code}_num"),
            get(f"{kpi.code}_den"),
            get(f"{kpi.code}_score"),
            hidden,
        )
    return PeriodCard(
        period,
        None if row is None else row.index,
        cells,
        None if row is None else row.computed_at,
    )
