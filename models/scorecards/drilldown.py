"""The records behind a number: a KPI's facts for one supplier and period, as rows to list.

The rows come from the same facts query the recompute groups (see
:mod:`models.scorecards.sources`), so the list always adds up to the number. A buyer sees the
rows that concern its own chain (its lines, its 8D cases, its characteristics); rows of the
supplier's other customers are counted as withheld.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, null, select
from sqlalchemy.orm import Session

from models.errors import NotFound
from models.i18n import N_
from models.orders.entities import OrderLine, Part, PurchaseOrder
from models.orders.lines import visible_lines_clause
from models.orgs.entities import Site
from models.quality.entities import Characteristic, EightDCase
from models.scorecards.context import make_context
from models.scorecards.kpis import KPI_BY_CODE
from models.scorecards.periods import Period, Window
from models.scorecards.sources import SOURCE_OF_KPI
from models.scorecards.sql import member_of
from models.scorecards.viewer import View
from models.trace.entities import Incident

MAX_ROWS = 2000

#: column name -> header (English source text)
HEADERS = {
    "order_number": N_("Order"),
    "line_no": N_("Line"),
    "part_number": N_("Part"),
    "last_at": N_("Last report"),
    "window_hours": N_("Window (h)"),
    "covered": N_("Reported in window"),
    "received_on": N_("Received on"),
    "promised": N_("Promised"),
    "days_off": N_("Days from promise"),
    "on_time": N_("On time"),
    "agreed": N_("Agreed quantity"),
    "accepted": N_("Accepted in window"),
    "in_full": N_("On time in full"),
    "created_at": N_("Ordered"),
    "answered_at": N_("Answered"),
    "hours": N_("Hours"),
    "received": N_("Received"),
    "rejected": N_("Rejected"),
    "reference": N_("Incident"),
    "severity": N_("Severity"),
    "state": N_("State"),
    "case_number": N_("8D case"),
    "step": N_("Step"),
    "due_at": N_("Due"),
    "opened_at": N_("Opened"),
    "code": N_("Characteristic"),
    "cpk": N_("Cpk"),
    "status": N_("Status"),
    "present": N_("Data present"),
    "site": N_("Site"),
    "month": N_("Month"),
    "year": N_("Year"),
    "kind": N_("Kind"),
    "pcf_kg": N_("kgCO2e per unit"),
    "mass_kg": N_("kg per unit"),
    "primary_data_share": N_("Primary-data share (%)"),
}


@dataclass
class Drill:
    kpi: str
    period: Period
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    withheld: int = 0
    link: str | None = None


def _lines(facts: Any, *extra: str) -> Select[Any]:
    return (
        select(
            PurchaseOrder.number.label("order_number"),
            OrderLine.line_no,
            Part.part_number,
            *[facts.c[name] for name in extra],
            OrderLine.id.label("link_id"),
            OrderLine.buyer_org_id.label("owner_id"),
        )
        .select_from(facts)
        .join(OrderLine, OrderLine.id == facts.c.line_id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .order_by(PurchaseOrder.number, OrderLine.line_no)
    )


def _cases(facts: Any, *extra: str) -> Select[Any]:
    return (
        select(
            EightDCase.number.label("case_number"),
            *[facts.c[name] for name in extra],
            EightDCase.id.label("link_id"),
            EightDCase.buyer_org_id.label("owner_id"),
        )
        .select_from(facts)
        .join(EightDCase, EightDCase.id == facts.c.case_id)
        .order_by(EightDCase.number)
    )


def _characteristics(facts: Any, *extra: str) -> Select[Any]:
    return (
        select(
            Part.part_number,
            Characteristic.code,
            *[facts.c[name] for name in extra],
            Characteristic.id.label("link_id"),
            Characteristic.buyer_org_id.label("owner_id"),
        )
        .select_from(facts)
        .join(Characteristic, Characteristic.id == facts.c.characteristic_id)
        .join(Part, Part.id == Characteristic.part_id)
        .order_by(Part.part_number, Characteristic.code)
    )


#: A line's page: a viewer sees a line of a supplier further down its chain there only when that
#: supplier shares its progress, which a KPI of another category does not need.
LINE_PAGE = "/orders/lines/{id}"

DISPLAY: dict[str, tuple[Callable[[Any], Select[Any]], str | None]] = {
    "coverage": (lambda f: _lines(f, "last_at", "window_hours", "covered"), LINE_PAGE),
    "otd": (lambda f: _lines(f, "received_on", "promised", "days_off", "on_time"), LINE_PAGE),
    "otif": (lambda f: _lines(f, "promised", "agreed", "accepted", "in_full"), LINE_PAGE),
    "confirm": (lambda f: _lines(f, "created_at", "answered_at", "hours"), LINE_PAGE),
    "ppm": (lambda f: _lines(f, "received_on", "received", "rejected"), LINE_PAGE),
    "incidents": (
        lambda f: (
            select(
                f.c.reference,
                f.c.severity,
                f.c.state,
                f.c.created_at,
                f.c.incident_id.label("link_id"),
                Incident.opener_org_id.label("owner_id"),
            )
            .select_from(f)
            .join(Incident, Incident.id == f.c.incident_id)
            .order_by(f.c.created_at)
        ),
        "/trace/incidents/{id}",
    ),
    "overdue_8d": (lambda f: _cases(f, "step", "due_at"), "/quality/8d/{id}"),
    "eightd_answer": (lambda f: _cases(f, "opened_at", "answered_at", "hours"), "/quality/8d/{id}"),
    "cpk": (lambda f: _characteristics(f, "cpk", "status"), "/quality/characteristics/{id}"),
    "completeness_quality": (
        lambda f: _characteristics(f, "present"),
        "/quality/characteristics/{id}",
    ),
    "completeness_carbon": (
        lambda f: (
            select(
                Site.name.label("site"),
                f.c.month,
                f.c.present,
                f.c.site_id.label("link_id"),
                cast(null(), BigInteger).label("owner_id"),
            )
            .select_from(f)
            .join(Site, Site.id == f.c.site_id)
            .order_by(Site.name, f.c.month)
        ),
        None,
    ),
    "footprints": (
        lambda f: (
            select(
                Part.part_number,
                f.c.year,
                f.c.kind,
                f.c.pcf_kg,
                f.c.mass_kg,
                f.c.primary_data_share,
                f.c.footprint_id.label("link_id"),
                Part.owner_org_id.label("owner_id"),
            )
            .select_from(f)
            .join(Part, Part.id == f.c.part_id)
            .order_by(Part.part_number)
        ),
        "/carbon/footprints/{id}",
    ),
}


def drill(
    session: Session, view: View, org_id: int, code: str, period: Period, now: datetime
) -> Drill:
    """The facts behind one KPI of one supplier for one period, as the viewer may see them.

    A KPI whose category the viewer may not see is not found.
    """
    kpi = KPI_BY_CODE.get(code)
    if kpi is None or not view.can_see(org_id, kpi.category):
        raise NotFound()
    source = SOURCE_OF_KPI[code]
    ctx = make_context(session, Window(period, now), [org_id])
    raw = source.facts(ctx).subquery("raw_fact")
    facts = select(raw).where(raw.c.supplier_org_id == org_id).subquery("drill_fact")
    display, link = DISPLAY[source.name]
    query = display(facts)
    everything = _count(session, query)
    if org_id != view.viewer_org_id:
        chain = set(view.tier_of) | {view.viewer_org_id}
        owner = query.selected_columns.owner_id
        query = query.where(owner.is_(None) | member_of(session, owner, frozenset(chain)))
    shown = _count(session, query)
    rows = [dict(row._mapping) for row in session.execute(query.limit(MAX_ROWS))]
    if link == LINE_PAGE:
        _unlink_lines_out_of_sight(session, view.viewer_org_id, rows)
    columns = [c.name for c in query.selected_columns if c.name not in ("link_id", "owner_id")]
    return Drill(code, period, columns, rows, everything - shown, link)


def _unlink_lines_out_of_sight(session: Session, viewer_org_id: int, rows: list[dict]) -> None:
    """Drop the link of each line whose page the viewer may not open."""
    ids = {row["link_id"] for row in rows}
    seen = set(
        session.scalars(
            select(OrderLine.id).where(OrderLine.id.in_(ids), visible_lines_clause(viewer_org_id))
        )
    )
    for row in rows:
        if row["link_id"] not in seen:
            row["link_id"] = None


def _count(session: Session, query: Select[Any]) -> int:
    return int(
        session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
