"""Recomputing scorecards: every KPI of every supplier in one INSERT ... SELECT per period.

Each period is one statement: the sources' grouped queries (one GROUP BY over all suppliers
each) are joined into one row per supplier and upserted (``INSERT ... ON CONFLICT DO UPDATE``
on PostgreSQL and SQLite alike); rows of suppliers that no longer have data for the period are
deleted. Values are derived from the facts, never accumulated, so a run repeated, or re-run
after a worker died half-way, leaves exactly what one clean run leaves. On PostgreSQL an
advisory lock per period makes concurrent runs take turns instead of interleaving.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Date, String, bindparam, case, delete, func, or_, select, true, union
from sqlalchemy.orm import Session

from models.base import UTCDateTime, utcnow
from models.clock import local_day
from models.i18n import N_
from models.scorecards.context import Context, make_context
from models.scorecards.entities import scorecards_table
from models.scorecards.periods import Period, Window, current_periods
from models.scorecards.sources import sources_for
from models.scorecards.sql import insert_for, lock, tune
from models.scorecards.warnings import refresh_warnings

KEY = ("supplier_org_id", "period_kind", "period_start")
SUFFIXES = ("", "_num", "_den", "_score")


def period_rows(ctx: Context, computed_at: datetime) -> tuple[list[str], Any]:
    """The column names and the SELECT of one scorecard row per supplier for the period."""
    sources = sources_for(ctx.window.is_current, ctx.suppliers is not None)
    ctes = [(source, source.select(ctx).cte(f"kpi_{source.name}")) for source in sources]
    base = union(*[select(cte.c.supplier_org_id) for _, cte in ctes]).subquery("with_data")
    active = or_(*[cte.c.supplier_org_id.is_not(None) for s, cte in ctes if s.operational])
    period = ctx.window.period
    names = [*KEY, "period_end", "cutoff_at", "computed_at"]
    values: list[Any] = [
        base.c.supplier_org_id,
        bindparam("sc_kind", period.kind, type_=String()),
        ctx.p("start"),
        bindparam("sc_period_end", period.end, type_=Date()),
        ctx.p("cutoff"),
        bindparam("sc_computed_at", computed_at, type_=UTCDateTime()),
    ]
    query = select().select_from(base)
    for source, cte in ctes:
        query = query.outerjoin(cte, cte.c.supplier_org_id == base.c.supplier_org_id)
        for kpi in source.kpis:
            for suffix in SUFFIXES:
                column: Any = cte.c[f"{kpi}{suffix}"]
                if source.zero_when_active and suffix in ("", "_score"):
                    zero = 0.0 if suffix == "" else 100.0
                    column = case((column.is_not(None), column), (active, zero), else_=None)
                names.append(f"{kpi}{suffix}")
                values.append(column)
    # "WHERE true" keeps SQLite's parser from reading the upsert's ON as a join's.
    query = query.add_columns(*values).where(true()).order_by(base.c.supplier_org_id)
    return names, query


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def period_upsert(session: Session, ctx: Context, computed_at: datetime) -> Any:
    """The period's upsert, built once per dialect and shape and reused with new parameters."""
    key = (session.get_bind().dialect.name, *ctx.shape)
    found = _STATEMENTS.get(key)
    if found is None:
        names, query = period_rows(ctx, computed_at)
        insert = insert_for(session, scorecards_table).from_select(names, query)
        found = _STATEMENTS[key] = insert.on_conflict_do_update(
            index_elements=list(KEY),
            set_={name: insert.excluded[name] for name in names if name not in KEY},
        )
    return found


def write_period(session: Session, ctx: Context, computed_at: datetime) -> int:
    """Upsert the period's rows for the suppliers in scope and drop those without data now."""
    period = ctx.window.period
    lock(session, f"period:{period.kind}:{period.start.isoformat()}")
    tune(session)
    parameters = {
        **ctx.values,
        "sc_kind": period.kind,
        "sc_period_end": period.end,
        "sc_computed_at": computed_at,
    }
    session.execute(period_upsert(session, ctx, computed_at), parameters)
    table = scorecards_table
    written = session.scalar(
        select(func.count()).where(
            table.c.period_kind == period.kind,
            table.c.period_start == period.start,
            table.c.computed_at == computed_at,
        )
    )
    session.execute(
        delete(table).where(
            table.c.period_kind == period.kind,
            table.c.period_start == period.start,
            table.c.computed_at != computed_at,
            ctx.scoped(table.c.supplier_org_id),
        )
    )
    return int(written or 0)


@dataclass(frozen=True)
class Stage:
    """One transaction's worth of a recompute (a period, or the warnings)."""

    label: str
    run: Callable[[Session], Any]


def stages(
    periods: Sequence[Period],
    now: datetime | None = None,
    suppliers: Iterable[int] | None = None,
    warnings: bool = True,
) -> list[Stage]:
    """The steps of a recompute, each to run in a transaction of its own (in this order)."""
    now = now or utcnow()
    stamp = utcnow()
    scope = None if suppliers is None else frozenset(suppliers)

    def period_stage(period: Period) -> Stage:
        return Stage(
            f"{period.kind} {period.label}",
            lambda session: write_period(
                session, make_context(session, Window(period, now), scope), stamp
            ),
        )

    result = [period_stage(p) for p in periods]
    if warnings:
        result.append(Stage(N_("warnings"), lambda session: refresh_warnings(session, now, scope)))
    return result


@dataclass(frozen=True)
class RecomputeResult:
    periods: int
    rows: int
    warnings: dict[str, int]


def recompute(
    session: Session,
    periods: Sequence[Period] | None = None,
    now: datetime | None = None,
    suppliers: Iterable[int] | None = None,
) -> RecomputeResult:
    """Recompute scorecards and warnings in the caller's transaction.

    ``periods`` defaults to the current week and month; ``suppliers`` (None =
    every supplier) narrows both to an incremental update. Derived rows only: safe to repeat.
    """
    now = now or utcnow()
    periods = list(periods) if periods is not None else current_periods(local_day(now))
    plan = stages(periods, now, suppliers)
    rows = sum(stage.run(session) for stage in plan[:-1])
    warned = plan[-1].run(session)
    return RecomputeResult(len(periods), rows, warned)
