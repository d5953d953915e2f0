"""What a supplier still owes its customers: the records that pull its scorecard down now.

Each list is the unfavourable side of a KPI's facts (the same queries the scorecard counts):
lines without a recent report, lines not yet confirmed, characteristics of shipped parts not
measured this month, months of energy data not sent, and 8D steps past their deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.clock import local_day
from models.orders.entities import OrderLine, Part, PurchaseOrder
from models.orders.lines import promised_date_sql
from models.orgs.entities import Organisation, Site
from models.quality.entities import Characteristic, EightDCase
from models.scorecards import carbon_kpis, delivery, quality_kpis
from models.scorecards.context import make_context
from models.scorecards.periods import Window, period_of, periods_back

LIMIT = 200


@dataclass
class Owed:
    unreported: list[dict[str, Any]] = field(default_factory=list)
    unconfirmed: list[dict[str, Any]] = field(default_factory=list)
    unmeasured: list[dict[str, Any]] = field(default_factory=list)
    carbon: list[dict[str, Any]] = field(default_factory=list)
    eightd: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (
                self.unreported, self.unconfirmed, self.unmeasured, self.carbon, self.eightd
            )
        )  # fmt: skip


def _line_columns() -> list[Any]:
    return [
        OrderLine.id.label("line_id"),
        PurchaseOrder.number.label("order_number"),
        OrderLine.line_no,
        Part.part_number,
        Part.name_zh.label("part_name_zh"),
        Part.name_en.label("part_name_en"),
        promised_date_sql().label("promised"),
        Organisation.name_zh.label("buyer_zh"),
        Organisation.name_en.label("buyer_en"),
    ]


def _with_line(query: Any) -> Any:
    return (
        query.join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .join(Organisation, Organisation.id == OrderLine.buyer_org_id)
    )


def owed(session: Session, org_id: int, now: datetime) -> Owed:
    """Everything the supplier still owes, as of ``now``."""
    result = Owed()
    week = make_context(session, Window(period_of("week", local_day(now)), now), [org_id])
    facts = delivery.coverage_facts(week).subquery("owed_coverage")
    query = _with_line(
        select(*_line_columns(), facts.c.last_at)
        .select_from(facts)
        .join(OrderLine, OrderLine.id == facts.c.line_id)
    ).where(facts.c.covered == 0)
    result.unreported = _rows(session, query.order_by(promised_date_sql()))
    query = _with_line(select(*_line_columns())).where(
        OrderLine.supplier_org_id == org_id,
        OrderLine.status == "open",
        OrderLine.confirmation == "pending",
    )
    result.unconfirmed = _rows(session, query.order_by(OrderLine.created_at))
    month = make_context(session, Window(period_of("month", local_day(now)), now), [org_id])
    facts = quality_kpis.completeness_quality_facts(month).subquery("owed_quality")
    query = (
        select(Part.part_number, Characteristic.code, Characteristic.name, Characteristic.id)
        .select_from(facts)
        .join(Characteristic, Characteristic.id == facts.c.characteristic_id)
        .join(Part, Part.id == Characteristic.part_id)
        .where(facts.c.present == 0)
    )
    result.unmeasured = _rows(session, query.order_by(Part.part_number, Characteristic.code))
    seen: set[tuple[int, Any]] = set()
    for period in periods_back("month", local_day(now), 3):
        ctx = make_context(session, Window(period, now), [org_id])
        facts = carbon_kpis.completeness_carbon_facts(ctx).subquery("owed_carbon")
        query = (
            select(Site.id.label("site_id"), Site.name.label("site"), facts.c.month)
            .select_from(facts)
            .join(Site, Site.id == facts.c.site_id)
            .where(facts.c.present == 0)
        )
        for row in _rows(session, query):
            if (row["site_id"], row["month"]) not in seen:
                seen.add((row["site_id"], row["month"]))
                result.carbon.append(row)
    facts = quality_kpis.overdue_8d_facts(week).subquery("owed_8d")
    query = (
        select(EightDCase.id.label("case_id"), EightDCase.number, EightDCase.title,
               facts.c.step, facts.c.due_at)
        .select_from(facts)
        .join(EightDCase, EightDCase.id == facts.c.case_id)
        .order_by(facts.c.due_at)
    )  # fmt: skip
    result.eightd = _rows(session, query)
    return result


def _rows(session: Session, query: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in session.execute(query.limit(LIMIT))]
