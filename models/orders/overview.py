"""Read model of order lines with their progress: the buyer's list, the supplier's open lines.

Filters and pages run in SQL: one query finds the lines of a page, a second looks up, for those
lines alone, each one's current report (the newest not superseded), its shipped, received and
rejected quantities, and whether it is late or stalled. Each is looked up line by line through
its index, so a page costs the same however many reports the whole database holds. Prices are
kept only for the two parties of a line.
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


def _newest_report_id() -> Any:
    """The id of the line's current report: its newest one not superseded. Asked per line, it
    takes the line's few reports from their index; a window over every report ranked the whole
    table's reports (all organisations') on every page."""
    later = aliased(ProgressReport)
    return (
        select(ProgressReport.id)
        .where(
            ProgressReport.line_id == OrderLine.id,
            ~exists().where(later.supersedes_id == ProgressReport.id),
        )
        .order_by(ProgressReport.reported_at.desc(), ProgressReport.id.desc())
        .limit(1)
        .correlate(OrderLine)
        .scalar_subquery()
    )


def _line_sum(column: Any, line_column: Any) -> Any:
    """The sum of ``column`` over the rows of this line (0 when none), asked per line."""
    return (
        select(func.coalesce(func.sum(column), 0))
        .where(line_column == OrderLine.id)
        .correlate(OrderLine)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class _Progress:
    """The SQL of a line's progress on one day: its current report (joined by
    :func:`_with_current_report`), the date promised, and whether the line is late or stalled."""

    today: date
    report: Any
    promised: Any
    late: Any
    stalled: Any

    @classmethod
    def on(cls, today: date) -> _Progress:
        report = aliased(ProgressReport, name="current_report")
        promised = promised_date_sql()
        late = and_(
            OrderLine.status == "open",
            or_(promised < today, report.expected_finish > promised),
        )
        cutoff = utcnow() - timedelta(days=STALL_DAYS)
        stalled = and_(
            OrderLine.status == "open",
            or_(
                report.reported_at < cutoff,
                and_(
                    report.reported_at.is_(None),
                    PurchaseOrder.order_date < today - timedelta(days=STALL_DAYS),
                ),
            ),
        )
        return cls(today, report, promised, late, stalled)


def _with_current_report(query: Select[Any], progress: _Progress) -> Select[Any]:
    return query.outerjoin(progress.report, progress.report.id == _newest_report_id())


def _lines(
    viewer_org_id: int, filters: LineFilters, progress: _Progress, *columns: Any
) -> Select[Any]:
    """``columns`` of the lines the viewer sees in the list, without their progress unless a
    filter needs it (the current report, shipped and received are looked up line by line)."""
    query = (
        select(*columns)
        .select_from(OrderLine)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
    )
    if filters.late or filters.stalled:
        query = _with_current_report(query, progress)
    return _narrowed(query, viewer_org_id, filters, progress)


def _in_list_order(query: Select[Any], progress: _Progress) -> Select[Any]:
    """Soonest promise first; the line's id last, so pages do not share or skip lines."""
    return query.order_by(progress.promised, PurchaseOrder.number, OrderLine.line_no, OrderLine.id)


def _rows_of(progress: _Progress, line_ids: list[int]) -> Select[Any]:
    """These lines with their progress, in the list's order; map the rows with :func:`_to_rows`."""
    report = progress.report
    supplier = aliased(Organisation, name="supplier")
    buyer = aliased(Organisation, name="buyer")
    query = (
        select(
            OrderLine,
            PurchaseOrder.number,
            Part,
            supplier,
            buyer,
            report.stage,
            report.quantity_done,
            report.expected_finish,
            report.reported_at,
            _line_sum(ShipNoticeLine.quantity, ShipNoticeLine.order_line_id),
            _line_sum(Receipt.received_quantity, Receipt.order_line_id),
            _line_sum(Receipt.rejected_quantity, Receipt.order_line_id),
            case((progress.late, True), else_=False),
            case((progress.stalled, True), else_=False),
        )
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Part, Part.id == OrderLine.part_id)
        .join(supplier, supplier.id == OrderLine.supplier_org_id)
        .join(buyer, buyer.id == OrderLine.buyer_org_id)
        .where(OrderLine.id.in_(line_ids))
    )
    return _in_list_order(_with_current_report(query, progress), progress)


def _narrowed(
    query: Select[Any], viewer_org_id: int, filters: LineFilters, progress: _Progress
) -> Select[Any]:
    """``query`` narrowed to the lines of the viewer's scope that pass the filters."""
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
        horizon = progress.today + timedelta(days=filters.due_within)
        query = query.where(progress.promised <= horizon)
    if filters.late:
        query = query.where(progress.late)
    if filters.stalled:
        query = query.where(progress.stalled)
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
    return query


def _to_rows(viewer_org_id: int, rows: Any) -> list[LineRow]:
    """Rows of :func:`_rows_of` as :class:`LineRow` (prices kept for the parties only)."""
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
    """One page of the order list. The page's lines are found first, then their progress is
    looked up for them alone: looked up for every line in the list, it took seconds."""
    progress = _Progress.on(local_today())
    page = _lines(viewer_org_id, filters, progress, OrderLine.id)
    ids = list(session.scalars(_in_list_order(page, progress).limit(limit).offset(offset)))
    if not ids:
        return []
    return _to_rows(viewer_org_id, session.execute(_rows_of(progress, ids)))


def count_lines(session: Any, viewer_org_id: int, filters: LineFilters) -> int:
    progress = _Progress.on(local_today())
    return int(session.scalar(_lines(viewer_org_id, filters, progress, func.count())) or 0)


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def suppliers_in_scope(session: Any, viewer_org_id: int, scope: str) -> list[Organisation]:
    """The suppliers of the lines the viewer sees in ``scope`` (for the supplier filter)."""
    everything = LineFilters(scope=scope, status=None)
    ids = _lines(viewer_org_id, everything, _Progress.on(local_today()), OrderLine.supplier_org_id)
    return list(
        session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name_zh)
        )
    )
