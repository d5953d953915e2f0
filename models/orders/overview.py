"""Read model of order lines with their progress: the buyer's list, the supplier's open lines.

One query computes each line's current report (the newest not superseded), shipped, received
and rejected quantities, and whether it is late or stalled, so filters and pages run in SQL.
Prices are kept only for the two parties of a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from models.base import utcnow
from models.clock import local_today
from models.orders.entities import (
    OrderLine,
    Part,
    ProgressReport,
    PurchaseOrder,
    Receipt,
    ShipNoticeLine,
)
from models.orders.lines import (
    agreed_quantity,
    has_agreement,
    promised_date,
    promised_date_sql,
    visible_lines_clause,
)
from models.orgs.entities import Organisation

STALL_DAYS = 5
SCOPES = ("buying", "selling", "chain")
#: The furthest ahead the "due within N days" filter looks: ten years.
MAX_DUE_WITHIN_DAYS = 3650


@dataclass(frozen=True)
class LineFilters:
    """What the order list can be narrowed to.

    ``scope``: ``buying`` (lines the viewer ordered), ``selling`` (lines it supplies) or
    ``chain`` (everything it may see, sub-tier lines included). ``status``: ``open``,
    ``closed`` or ``None`` for all. ``due_within``: due in at most N days from today.
    """

    scope: str = "buying"
    supplier_id: int | None = None
    buyer_id: int | None = None
    status: str | None = "open"
    due_within: int | None = None
    late: bool = False
    stalled: bool = False
    order_id: int | None = None
    search: str | None = None


@dataclass
class LineRow:
    line: OrderLine
    order_number: str
    part: Part
    supplier: Organisation
    buyer: Organisation
    stage: str | None
    quantity_done: Decimal | None
    expected_finish: date | None
    last_report_at: datetime | None
    shipped: Decimal
    received: Decimal
    rejected: Decimal
    late: bool
    stalled: bool
    show_price: bool

    @property
    def agreed(self) -> Decimal:
        return agreed_quantity(self.line)

    @property
    def promised(self) -> date:
        return promised_date(self.line)

    @property
    def agreement(self) -> bool:
        """Whether an agreement is in force (it stays while a change is proposed)."""
        return has_agreement(self.line)

    @property
    def percent(self) -> int:
        """Progress in percent: what is done, shipped or received, whichever is furthest, less
        what the buyer rejected (those pieces are to be made and shipped again)."""
        done = max(self.quantity_done or 0, self.shipped, self.received) - self.rejected
        return min(100, int(Decimal(done) * 100 / self.agreed)) if self.agreed else 0

    @property
    def unit_price(self) -> Decimal | None:
        return self.line.unit_price if self.show_price else None


def _current_reports() -> Any:
    later = aliased(ProgressReport)
    ranked = select(
        ProgressReport.line_id,
        ProgressReport.stage,
        ProgressReport.quantity_done,
        ProgressReport.expected_finish,
        ProgressReport.reported_at,
        func.row_number()
        .over(
            partition_by=ProgressReport.line_id,
            order_by=(ProgressReport.reported_at.desc(), ProgressReport.id.desc()),
        )
        .label("rank"),
    ).where(~exists().where(later.supersedes_id == ProgressReport.id))
    return ranked.subquery("current_report")


def lines_query(viewer_org_id: int, filters: LineFilters, today: date | None = None) -> Select[Any]:
    """The select behind the order list; map its rows with :func:`to_rows`."""
    today = today or local_today()
    report = _current_reports()
    shipped = (
        select(ShipNoticeLine.order_line_id, func.sum(ShipNoticeLine.quantity).label("qty"))
        .group_by(ShipNoticeLine.order_line_id)
        .subquery("shipped")
    )
    received = (
        select(
            Receipt.order_line_id,
            func.sum(Receipt.received_quantity).label("received"),
            func.sum(Receipt.rejected_quantity).label("rejected"),
        )
        .group_by(Receipt.order_line_id)
        .subquery("received")
    )
    supplier = aliased(Organisation, name="supplier")
    buyer = aliased(Organisation, name="buyer")
    promised = promised_date_sql()
    late = and_(
        OrderLine.status == "open",
        or_(promised < today, report.c.expected_finish > promised),
    )
    cutoff = utcnow() - timedelta(days=STALL_DAYS)
    stalled = and_(
        OrderLine.status == "open",
        or_(
            report.c.reported_at < cutoff,
            and_(
                report.c.reported_at.is_(None),
                PurchaseOrder.order_date < today - timedelta(days=STALL_DAYS),
            ),
        ),
    )
    query = (
        select(
            OrderLine,
            PurchaseOrder.number,
            Part,
            supplier,
            buyer,
            report.c.stage,
            report.c.quantity_done,
            report.c.expected_finish,
            report.c.reported_at,
            func.coalesce(shipped.c.qty, 0),
            func.coalesce(received.c.received, 0),
            func.coalesce(received.c.rejected, 0),
            case((late, True), else_=False),
            case((stalled, True), else_=False),
        )
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .join(supplier, supplier.id == OrderLine.supplier_org_id)
        .join(buyer, buyer.id == OrderLine.buyer_org_id)
        .outerjoin(report, and_(report.c.line_id == OrderLine.id, report.c.rank == 1))
        .outerjoin(shipped, shipped.c.order_line_id == OrderLine.id)
        .outerjoin(received, received.c.order_line_id == OrderLine.id)
    )
    if filters.scope == "selling":
        query = query.where(OrderLine.supplier_org_id == viewer_org_id)
    elif filters.scope == "chain":
        query = query.where(visible_lines_clause(viewer_org_id))
    else:
        query = query.where(OrderLine.buyer_org_id == viewer_org_id)
    if filters.supplier_id is not None:
        query = query.where(OrderLine.supplier_org_id == filters.supplier_id)
    if filters.buyer_id is not None:
        query = query.where(OrderLine.buyer_org_id == filters.buyer_id)
    if filters.order_id is not None:
        query = query.where(OrderLine.order_id == filters.order_id)
    if filters.status:
        query = query.where(OrderLine.status == filters.status)
    if filters.due_within is not None:
        query = query.where(promised <= today + timedelta(days=filters.due_within))
    if filters.late:
        query = query.where(late)
    if filters.stalled:
        query = query.where(stalled)
    if filters.search:
        pattern = f"%{filters.search.strip()}%"
        query = query.where(
            or_(
                PurchaseOrder.number.ilike(pattern),
                Part.part_number.ilike(pattern),
                Part.name_zh.ilike(pattern),
                Part.name_en.ilike(pattern),
            )
        )
    return query.order_by(promised, PurchaseOrder.number, OrderLine.line_no)


def to_rows(viewer_org_id: int, rows: Any) -> list[LineRow]:
    """Rows of :func:`lines_query` as :class:`LineRow` (prices kept for the parties only)."""
    result = []
    for row in rows:
        line = row[0]
        result.append(
            LineRow(
                line=line,
                order_number=row[1],
                part=row[2],
                supplier=row[3],
                buyer=row[4],
                stage=row[5],
                quantity_done=row[6],
                expected_finish=row[7],
                last_report_at=row[8],
                shipped=_decimal(row[9]),
                received=_decimal(row[10]),
                rejected=_decimal(row[11]),
                late=bool(row[12]),
                stalled=bool(row[13]),
                show_price=viewer_org_id in (line.buyer_org_id, line.supplier_org_id),
            )
        )
    return result


def line_rows(
    session: Any, viewer_org_id: int, filters: LineFilters, limit: int = 500, offset: int = 0
) -> list[LineRow]:
    """One page of the order list."""
    query = lines_query(viewer_org_id, filters).limit(limit).offset(offset)
    return to_rows(viewer_org_id, session.execute(query))


def count_lines(session: Any, viewer_org_id: int, filters: LineFilters) -> int:
    query = lines_query(viewer_org_id, filters).order_by(None)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def suppliers_in_scope(session: Any, viewer_org_id: int, scope: str) -> list[Organisation]:
    """The suppliers of the lines the viewer sees in ``scope`` (for the supplier filter)."""
    ids = (
        lines_query(viewer_org_id, LineFilters(scope=scope, status=None))
        .with_only_columns(OrderLine.supplier_org_id)
        .order_by(None)
        .distinct()
    )
    return list(
        session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name_zh)
        )
    )
