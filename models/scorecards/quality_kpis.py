"""Quality KPIs: PPM, open incidents, overdue 8D steps, hours to the first 8D answer, Cpk status
of critical characteristics and the completeness of inspection data.

Like :mod:`models.scorecards.delivery`, each KPI is a row-level facts query plus its grouping.
PPM follows :mod:`models.quality.ppm`: rejected pieces / received pieces x 10^6.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select

from models.orders.entities import OrderLine, Receipt, ShipNotice, ShipNoticeLine
from models.quality.entities import (
    Characteristic,
    CharacteristicStatistics,
    EightDCase,
    EightDStep,
    Measurement,
)
from models.scorecards.aggregates import count_of, finish, median, share
from models.scorecards.context import Context
from models.scorecards.sql import epoch_days, ratio

MILLION = 1_000_000.0


def ppm_facts(ctx: Context) -> Select[Any]:
    """Receipts of the period: received and rejected pieces."""
    return select(
        Receipt.id.label("receipt_id"),
        Receipt.order_line_id.label("line_id"),
        Receipt.supplier_org_id,
        Receipt.received_on,
        Receipt.received_quantity.label("received"),
        Receipt.rejected_quantity.label("rejected"),
    ).where(
        Receipt.received_on >= ctx.p("start"),
        Receipt.received_on < ctx.p("day_after"),
        ctx.scoped(Receipt.supplier_org_id),
    )


def ppm(facts: Any, _ctx: Context) -> Select[Any]:
    received = func.sum(facts.c.received)
    grouped = (
        select(
            facts.c.supplier_org_id,
            func.sum(facts.c.rejected).label("rejected"),
            received.label("received"),
        )
        .group_by(facts.c.supplier_org_id)
        .having(received > 0)
        .subquery("ppm_sum")
    )
    value = ratio(grouped.c.rejected, grouped.c.received, MILLION)
    return finish(grouped, "ppm", value, grouped.c.rejected, grouped.c.received)


def overdue_8d_facts(ctx: Context) -> Select[Any]:
    """8D steps past their deadline at the cutoff and not answered by then."""
    cutoff = ctx.p("cutoff")
    return (
        select(
            EightDStep.id.label("step_id"),
            EightDCase.id.label("case_id"),
            EightDCase.supplier_org_id,
            EightDStep.step,
            EightDStep.due_at,
        )
        .join(EightDCase, EightDCase.id == EightDStep.case_id)
        .where(
            ctx.scoped(EightDCase.supplier_org_id),
            EightDCase.opened_at <= cutoff,
            or_(EightDCase.closed_at.is_(None), EightDCase.closed_at > cutoff),
            EightDStep.due_at < cutoff,
            or_(
                EightDStep.submitted_at.is_(None),
                EightDStep.submitted_at > cutoff,
                EightDStep.status == "returned",
            ),
        )
    )


def overdue_8d(facts: Any, _ctx: Context) -> Select[Any]:
    return count_of(facts, "overdue_8d")


def eightd_answer_facts(ctx: Context) -> Select[Any]:
    """8D cases opened in the period and the hours to their first submitted step (or to the
    cutoff while none is)."""
    first = (
        select(EightDStep.case_id, func.min(EightDStep.submitted_at).label("at"))
        .where(EightDStep.submitted_at <= ctx.p("cutoff"))
        .group_by(EightDStep.case_id)
        .subquery("first_step")
    )
    end = func.coalesce(epoch_days(first.c.at), ctx.p("cutoff_days"))
    return (
        select(
            EightDCase.id.label("case_id"),
            EightDCase.supplier_org_id,
            EightDCase.opened_at,
            first.c.at.label("answered_at"),
            ((end - epoch_days(EightDCase.opened_at)) * 24.0).label("hours"),
        )
        .outerjoin(first, first.c.case_id == EightDCase.id)
        .where(
            EightDCase.opened_at >= ctx.p("start_at"),
            EightDCase.opened_at < ctx.p("cutoff"),
            ctx.scoped(EightDCase.supplier_org_id),
        )
    )


def eightd_hours(facts: Any, _ctx: Context) -> Select[Any]:
    return median(facts, "eightd_hours", "hours")


def cpk_facts(ctx: Context) -> Select[Any]:
    """Active critical characteristics and their latest capability status (a snapshot)."""
    return (
        select(
            Characteristic.id.label("characteristic_id"),
            Characteristic.supplier_org_id,
            CharacteristicStatistics.cpk,
            CharacteristicStatistics.status,
        )
        .join(
            CharacteristicStatistics,
            CharacteristicStatistics.characteristic_id == Characteristic.id,
        )
        .where(
            Characteristic.active.is_(True),
            Characteristic.classification == "critical",
            CharacteristicStatistics.status.is_not(None),
            ctx.scoped(Characteristic.supplier_org_id),
        )
    )


def cpk(facts: Any, _ctx: Context) -> Select[Any]:
    grouped = (
        select(
            facts.c.supplier_org_id,
            func.sum(case((facts.c.status == "capable", 1), else_=0)).label("capable"),
            func.sum(case((facts.c.status == "watch", 1), else_=0)).label("watch"),
            func.count().label("total"),
        )
        .group_by(facts.c.supplier_org_id)
        .subquery("cpk_sum")
    )
    value = ratio(grouped.c.capable, grouped.c.total)
    score = ratio(grouped.c.capable + grouped.c.watch * 0.5, grouped.c.total)
    return finish(grouped, "cpk", value, grouped.c.capable, grouped.c.total, score)


def completeness_quality_facts(ctx: Context) -> Select[Any]:
    """Characteristics of the parts a supplier shipped in the period, and whether any of their
    measurements were taken in the period."""
    shipped = (
        select(ShipNotice.supplier_org_id, OrderLine.part_id)
        .join(ShipNoticeLine, ShipNoticeLine.notice_id == ShipNotice.id)
        .join(OrderLine, OrderLine.id == ShipNoticeLine.order_line_id)
        .where(
            ShipNotice.ship_date >= ctx.p("start"),
            ShipNotice.ship_date < ctx.p("day_after"),
            ctx.scoped(ShipNotice.supplier_org_id),
        )
        .distinct()
        .subquery("shipped_part")
    )
    measured = exists().where(
        Measurement.characteristic_id == Characteristic.id,
        Measurement.measured_at >= ctx.p("start_at"),
        Measurement.measured_at < ctx.p("cutoff"),
    )
    return (
        select(
            Characteristic.id.label("characteristic_id"),
            shipped.c.supplier_org_id,
            shipped.c.part_id,
            case((measured, 1), else_=0).label("present"),
        )
        .select_from(shipped)
        .join(
            Characteristic,
            and_(
                Characteristic.part_id == shipped.c.part_id,
                Characteristic.supplier_org_id == shipped.c.supplier_org_id,
                Characteristic.active.is_(True),
            ),
        )
    )


def completeness_quality(facts: Any, _ctx: Context) -> Select[Any]:
    return share(facts, "completeness_quality", "present")
