"""Progress KPIs from orders: reporting coverage, on-time delivery, OTIF, hours to confirm.

Each ``*_facts`` function is the row-level query behind a KPI (one row per line, delivery or
new line, with the flags that decide it); the recompute groups it by supplier, and the
drill-down lists the same rows, so a number and the records behind it always agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select

from models.orders.entities import (
    LineConfirmation,
    OrderLine,
    ProgressReport,
    PurchaseOrder,
    Receipt,
)
from models.orders.lines import agreed_quantity_sql, promised_date_sql
from models.scorecards.aggregates import median, share
from models.scorecards.context import Context
from models.scorecards.settings import BuyerRules
from models.scorecards.sql import date_days, epoch_days


def open_at(ctx: Context) -> Any:
    """Lines open at the cutoff: the current state for the current period, else ordered by
    then (the order's date) and not closed before it (needs ``PurchaseOrder`` joined)."""
    window = ctx.window
    if window.is_current:
        return OrderLine.status == "open"
    return and_(
        PurchaseOrder.order_date <= ctx.p("last_day"),
        OrderLine.status != "cancelled",
        or_(OrderLine.closed_at.is_(None), OrderLine.closed_at > ctx.p("cutoff")),
    )


def coverage_facts(ctx: Context) -> Select[Any]:
    """Open lines at the cutoff, with their last report and whether it is within the window."""
    window, rules = ctx.window, BuyerRules()
    recent = (
        select(ProgressReport.line_id, func.max(ProgressReport.reported_at).label("last_at"))
        .where(
            ProgressReport.reported_at > ctx.p("coverage_since"),
            ProgressReport.reported_at <= ctx.p("cutoff"),
            ctx.scoped(ProgressReport.supplier_org_id),
        )
        .group_by(ProgressReport.line_id)
        .subquery("recent_report")
    )
    covered = and_(
        recent.c.last_at.is_not(None),
        epoch_days(recent.c.last_at) > ctx.p("cutoff_days") - rules.rule("coverage_hours") / 24.0,
    )
    query = (
        select(
            OrderLine.id.label("line_id"),
            OrderLine.supplier_org_id,
            recent.c.last_at,
            rules.rule("coverage_hours").label("window_hours"),
            case((covered, 1), else_=0).label("covered"),
        )
        .select_from(OrderLine)
        .outerjoin(recent, recent.c.line_id == OrderLine.id)
        .outerjoin(rules.table, rules.table.org_id == OrderLine.buyer_org_id)
        .where(open_at(ctx), ctx.scoped(OrderLine.supplier_org_id))
    )
    if not window.is_current:
        query = query.join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
    return query


def coverage(facts: Any, _ctx: Context) -> Select[Any]:
    return share(facts, "coverage", "covered")


def otd_facts(ctx: Context) -> Select[Any]:
    """Deliveries in the period (a line received on a day), with their distance to the promise."""
    rules = BuyerRules()
    deliveries = (
        select(Receipt.order_line_id, Receipt.supplier_org_id, Receipt.received_on)
        .where(
            Receipt.received_on >= ctx.p("start"),
            Receipt.received_on < ctx.p("day_after"),
            ctx.scoped(Receipt.supplier_org_id),
        )
        .distinct()
        .subquery("delivery")
    )
    promised = promised_date_sql()
    offset = date_days(deliveries.c.received_on) - date_days(promised)
    on_time = and_(offset >= -rules.rule("otd_early_days"), offset <= rules.rule("otd_late_days"))
    return (
        select(
            deliveries.c.order_line_id.label("line_id"),
            deliveries.c.supplier_org_id,
            deliveries.c.received_on,
            promised.label("promised"),
            offset.label("days_off"),
            case((on_time, 1), else_=0).label("on_time"),
        )
        .select_from(deliveries)
        .join(OrderLine, OrderLine.id == deliveries.c.order_line_id)
        .outerjoin(rules.table, rules.table.org_id == OrderLine.buyer_org_id)
    )


def otd(facts: Any, _ctx: Context) -> Select[Any]:
    return share(facts, "otd", "on_time")


def otif_facts(ctx: Context) -> Select[Any]:
    """Lines promised in the period whose verdict is known at the cutoff: delivered complete
    within the date window (on time in full), or past the window's end without that."""
    rules = BuyerRules()
    promised = promised_date_sql()
    due = (
        select(
            OrderLine.id.label("line_id"),
            OrderLine.supplier_org_id,
            promised.label("promised"),
            agreed_quantity_sql().label("agreed"),
            rules.rule("otd_early_days").label("early"),
            rules.rule("otd_late_days").label("late"),
        )
        .outerjoin(rules.table, rules.table.org_id == OrderLine.buyer_org_id)
        .where(
            promised >= ctx.p("start"),
            promised < ctx.p("day_after"),
            OrderLine.status != "cancelled",
            ctx.scoped(OrderLine.supplier_org_id),
        )
        .subquery("due_line")
    )
    offset = date_days(Receipt.received_on) - date_days(due.c.promised)
    accepted = (
        select(
            Receipt.order_line_id,
            func.sum(Receipt.received_quantity - Receipt.rejected_quantity).label("quantity"),
        )
        .join(due, due.c.line_id == Receipt.order_line_id)
        .where(
            offset >= -due.c.early, offset <= due.c.late, Receipt.received_on <= ctx.p("last_day")
        )
        .group_by(Receipt.order_line_id)
        .subquery("accepted_in_window")
    )
    quantity = func.coalesce(accepted.c.quantity, 0)
    in_full = quantity >= due.c.agreed
    closed_window = ctx.p("last_day_days") - date_days(due.c.promised) > due.c.late
    return (
        select(
            due.c.line_id,
            due.c.supplier_org_id,
            due.c.promised,
            due.c.agreed,
            quantity.label("accepted"),
            case((in_full, 1), else_=0).label("in_full"),
        )
        .select_from(due)
        .outerjoin(accepted, accepted.c.order_line_id == due.c.line_id)
        .where(or_(in_full, closed_window))
    )


def otif(facts: Any, _ctx: Context) -> Select[Any]:
    return share(facts, "otif", "in_full")


def confirm_facts(ctx: Context) -> Select[Any]:
    """Lines ordered in the period and the hours until the supplier first answered (or until
    the cutoff, while it has not).

    The clock starts when the line reached the platform; a line recorded after it was answered
    (a back-filled history) starts at its order's date instead.
    """
    new_lines = (
        select(OrderLine.id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .where(
            PurchaseOrder.order_date >= ctx.p("start"),
            PurchaseOrder.order_date < ctx.p("day_after"),
            ctx.scoped(OrderLine.supplier_org_id),
        )
    )
    first = (
        select(LineConfirmation.line_id, func.min(LineConfirmation.at).label("at"))
        .where(
            LineConfirmation.line_id.in_(new_lines),
            LineConfirmation.action.in_(("confirm", "propose")),
            LineConfirmation.at <= ctx.p("cutoff"),
        )
        .group_by(LineConfirmation.line_id)
        .subquery("first_answer")
    )
    confirmed = case(
        (OrderLine.confirmed_at <= ctx.p("cutoff"), OrderLine.confirmed_at), else_=None
    )
    answered = func.coalesce(first.c.at, confirmed)
    end = func.coalesce(epoch_days(answered), ctx.p("cutoff_days"))
    start = case(
        (end < epoch_days(OrderLine.created_at), date_days(PurchaseOrder.order_date)),
        else_=epoch_days(OrderLine.created_at),
    )
    hours = (end - start) * 24.0
    return (
        select(
            OrderLine.id.label("line_id"),
            OrderLine.supplier_org_id,
            OrderLine.created_at,
            answered.label("answered_at"),
            case((hours < 0, 0.0), else_=hours).label("hours"),
        )
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .outerjoin(first, first.c.line_id == OrderLine.id)
        .where(OrderLine.id.in_(new_lines))
    )


def confirm_hours(facts: Any, _ctx: Context) -> Select[Any]:
    return median(facts, "confirm_hours", "hours")
