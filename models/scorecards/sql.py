"""Portable SQL pieces the scorecard queries share: day numbers, linear scores, upserts, locks.

Time arithmetic differs between PostgreSQL and SQLite, so dates and timestamps are turned into
day numbers since 1970-01-01 (fractional for timestamps) by two small compiled functions and
compared as numbers; everything else is plain SQL both engines run.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Double,
    String,
    Table,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    text,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from models.base import UTCDateTime
from models.clock import local_time, on_local_clock
from models.db import dialect_insert

EPOCH = date(1970, 1, 1)


class epoch_days(FunctionElement[float]):
    """Days since 1970-01-01 of a timestamp on the local wall clock, with the time as a fraction.

    Local, so that a timestamp's whole part is the day people see it on, and compares with the
    date columns (due dates, ship dates) that people type on the same clock."""

    type = Double()
    inherit_cache = True
    name = "epoch_days"


class date_days(FunctionElement[float]):
    """Days since 1970-01-01 of a date."""

    type = Double()
    inherit_cache = True
    name = "date_days"


@compiles(epoch_days, "postgresql")
def _epoch_days_pg(element: epoch_days, compiler: Any, **kw: Any) -> str:
    wall = compiler.process(local_time(*element.clauses), **kw)
    return f"(CAST(EXTRACT(EPOCH FROM {wall}) AS DOUBLE PRECISION) / 86400.0)"


@compiles(epoch_days)
def _epoch_days_sqlite(element: epoch_days, compiler: Any, **kw: Any) -> str:
    return f"(julianday({compiler.process(local_time(*element.clauses), **kw)}) - 2440587.5)"


@compiles(date_days, "postgresql")
def _date_days_pg(element: date_days, compiler: Any, **kw: Any) -> str:
    return f"(({compiler.process(element.clauses, **kw)}) - DATE '1970-01-01')"


@compiles(date_days)
def _date_days_sqlite(element: date_days, compiler: Any, **kw: Any) -> str:
    return f"(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5)"


def day_number(value: date | datetime) -> float:
    """The Python side of :class:`epoch_days` / :class:`date_days`, for constants."""
    if isinstance(value, datetime):
        wall = on_local_clock(value).replace(tzinfo=None)
        return (wall - datetime(1970, 1, 1)).total_seconds() / 86400
    return float((value - EPOCH).days)


def at(moment: datetime) -> ColumnElement[datetime]:
    """A timestamp constant bound as our UTC timestamp type (SQLite compares the text)."""
    return literal(moment, UTCDateTime())


def linear_score(value: ColumnElement[Any], worst: float, best: float) -> ColumnElement[Any]:
    """0 at ``worst``, 100 at ``best``, linear between and clamped outside; NULL stays NULL."""
    fraction = (value - worst) / float(best - worst)
    return case(
        (value.is_(None), None),
        (fraction <= 0, 0.0),
        (fraction >= 1, 100.0),
        else_=fraction * 100.0,
    )


def ratio(numerator: ColumnElement[Any], denominator: ColumnElement[Any], scale: float = 100.0):  # type: ignore[no-untyped-def]
    """``scale * numerator / denominator``, NULL when the denominator is zero."""
    return case((denominator > 0, numerator * scale / denominator), else_=None)


def insert_for(session: Session, table: Table) -> Any:
    """The dialect's INSERT (with ``on_conflict_do_update`` / ``do_nothing``)."""
    return dialect_insert(session.get_bind().dialect.name, table)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock(session: Session, name: str) -> None:
    """Serialise writers of ``name`` until the transaction ends (PostgreSQL advisory lock).

    SQLite needs none: ``BEGIN IMMEDIATE`` already admits one writer at a time.
    """
    if is_postgres(session):
        key = zlib.crc32(f"tierlight.scorecards.{name}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def member_of(
    session: Session, column: ColumnElement[Any], ids: frozenset[int]
) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, for sets of thousands of ids.

    On PostgreSQL the ids travel as one text parameter and become a hashed subquery
    (``= ANY(array)`` would compare every row with every id). ``IS TRUE`` keeps it a filter:
    as a semi-join the planner, guessing a few hundred ids, would look each one up by index
    instead of scanning the rows once. SQLite gets an IN list.
    """
    if is_postgres(session):
        text_ids = bindparam(None, _joined(ids), type_=String())
        array = cast(func.string_to_array(text_ids, ","), postgresql.ARRAY(BigInteger()))
        return column.in_(select(func.unnest(array))).is_(true())
    return column.in_(sorted(ids))


@lru_cache(maxsize=64)
def _joined(ids: frozenset[int]) -> str:
    return ",".join(map(str, sorted(ids)))


def tune(session: Session, work_mem: str = "64MB") -> None:
    """Settings for this transaction's scorecard queries on PostgreSQL.

    JIT compilation is off: the planner's row estimates for the joined KPI subqueries are huge,
    so it would JIT-compile every statement, which costs seconds where the query takes a
    fraction of one. A larger ``work_mem`` keeps the GROUP BYs and hashes in memory.
    """
    if is_postgres(session):
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text(f"SET LOCAL work_mem = '{work_mem}'"))


def refresh_statistics(session: Session) -> None:
    """Let PostgreSQL's planner see the scorecard tables as a full recompute left them.

    Reads filter the scorecards by thousands of suppliers; with the statistics of an empty or
    much smaller table the planner picks nested loops that cost seconds instead of hash joins.
    """
    if is_postgres(session):
        session.execute(text("ANALYZE scorecards"))
        session.execute(text("ANALYZE scorecard_warnings"))
