"""PPM from the buyer's receipts and first-pass yield from the supplier's inspections, per month.

Both are single aggregate queries (the same SQL on SQLite and PostgreSQL), scoped by the access
rule: a viewer sees the receipts it recorded or received, and those of suppliers whose quality
data it may see.

How a rejected lot counts: PPM = rejected pieces ÷ received pieces × 10⁶, summed over the
receipts of the month. A lot rejected as a whole is recorded with its whole received quantity
as rejected, so every piece of it counts; a lot sorted at receipt counts only the pieces
refused. ``rejected_lots`` counts receipts with at least one piece rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, extract, func, null, or_, select
from sqlalchemy.orm import Session

from models.clock import local_midnight, local_time
from models.orders.entities import OrderLine, Receipt
from models.quality.entities import Inspection
from models.quality.scope import shared_data

MILLION = 1_000_000


@dataclass(frozen=True)
class MonthlyPpm:
    supplier_org_id: int
    part_id: int | None
    year: int
    month: int
    received: float
    rejected: float
    lots: int
    rejected_lots: int

    @property
    def ppm(self) -> float | None:
        return self.rejected / self.received * MILLION if self.received else None

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class MonthlyYield:
    supplier_org_id: int
    part_id: int | None
    year: int
    month: int
    inspected: int
    defective: int

    @property
    def first_pass_yield(self) -> float | None:
        """Share of inspected pieces found good the first time (None when none inspected)."""
        return (self.inspected - self.defective) / self.inspected if self.inspected else None

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def ppm_query(
    viewer_org_id: int,
    supplier_org_id: int | None = None,
    part_id: int | None = None,
    since: date | None = None,
    by_part: bool = True,
) -> Select[tuple[int, ...]]:
    """Received, rejected, lots and rejected lots per supplier (and part) and month."""
    year = extract("year", Receipt.received_on)
    month = extract("month", Receipt.received_on)
    query = (
        select(
            Receipt.supplier_org_id,
            OrderLine.part_id if by_part else null().label("part_id"),
            year.label("year"),
            month.label("month"),
            func.sum(Receipt.received_quantity).label("received"),
            func.sum(Receipt.rejected_quantity).label("rejected"),
            func.count(Receipt.id).label("lots"),
            func.sum(case((Receipt.rejected_quantity > 0, 1), else_=0)).label("rejected_lots"),
        )
        .join(OrderLine, OrderLine.id == Receipt.order_line_id)
        .where(
            or_(
                Receipt.buyer_org_id == viewer_org_id,
                shared_data(viewer_org_id, Receipt.supplier_org_id, Receipt.buyer_org_id),
            )
        )
    )
    if supplier_org_id is not None:
        query = query.where(Receipt.supplier_org_id == supplier_org_id)
    if part_id is not None:
        query = query.where(OrderLine.part_id == part_id)
    if since is not None:
        query = query.where(Receipt.received_on >= since)
    keys = [Receipt.supplier_org_id, year, month] + ([OrderLine.part_id] if by_part else [])
    return query.group_by(*keys).order_by(year, month, Receipt.supplier_org_id)


def monthly_ppm(session: Session, viewer_org_id: int, **filters: object) -> list[MonthlyPpm]:
    """:func:`ppm_query` as rows with their PPM (see the module doc for how lots count)."""
    return [
        MonthlyPpm(
            supplier_org_id=row.supplier_org_id,
            part_id=row.part_id,
            year=int(row.year),
            month=int(row.month),
            received=float(row.received or 0),
            rejected=float(row.rejected or 0),
            lots=int(row.lots),
            rejected_lots=int(row.rejected_lots or 0),
        )
        for row in session.execute(ppm_query(viewer_org_id, **filters))  # type: ignore[arg-type]
    ]


def yield_query(
    viewer_org_id: int,
    supplier_org_id: int | None = None,
    part_id: int | None = None,
    since: date | None = None,
) -> Select[tuple[int, ...]]:
    """Inspected and defective pieces per supplier, part and month, from inspection counts."""
    year = extract("year", local_time(Inspection.inspected_at))
    month = extract("month", local_time(Inspection.inspected_at))
    query = select(
        Inspection.supplier_org_id,
        Inspection.part_id,
        year.label("year"),
        month.label("month"),
        func.sum(Inspection.inspected_quantity).label("inspected"),
        func.sum(func.coalesce(Inspection.defective_quantity, 0)).label("defective"),
    ).where(
        Inspection.inspected_quantity.is_not(None),
        Inspection.voided_at.is_(None),
        shared_data(viewer_org_id, Inspection.supplier_org_id, Inspection.buyer_org_id),
    )
    if supplier_org_id is not None:
        query = query.where(Inspection.supplier_org_id == supplier_org_id)
    if part_id is not None:
        query = query.where(Inspection.part_id == part_id)
    if since is not None:
        query = query.where(Inspection.inspected_at >= local_midnight(since))
    return query.group_by(Inspection.supplier_org_id, Inspection.part_id, year, month).order_by(
        year, month, Inspection.supplier_org_id
    )


def monthly_yield(session: Session, viewer_org_id: int, **filters: object) -> list[MonthlyYield]:
    return [
        MonthlyYield(
            supplier_org_id=row.supplier_org_id,
            part_id=row.part_id,
            year=int(row.year),
            month=int(row.month),
            inspected=int(row.inspected or 0),
            defective=int(row.defective or 0),
        )
        for row in session.execute(yield_query(viewer_org_id, **filters))  # type: ignore[arg-type]
    ]
