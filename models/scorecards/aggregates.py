"""Turning a source's row-level facts into one scorecard row per supplier (GROUP BY in SQL).

Each helper returns ``supplier_org_id`` and the four columns of a KPI (value, numerator,
denominator, score) so sources combine them freely.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Double, Select, cast, func, null, or_, select
from sqlalchemy.sql.expression import ColumnElement

from models.scorecards.kpis import KPI_BY_CODE
from models.scorecards.sql import linear_score, ratio


def scored(code: str, value: ColumnElement[Any]) -> ColumnElement[Any]:
    """The KPI's linear score of ``value``."""
    scale = KPI_BY_CODE[code].scale
    assert scale is not None, f"{code} is scored otherwise"
    return linear_score(value, *scale)


def columns(
    code: str,
    value: ColumnElement[Any],
    num: ColumnElement[Any] | None,
    den: ColumnElement[Any] | None,
    score: ColumnElement[Any] | None = None,
) -> list[ColumnElement[Any]]:
    """The four labelled columns of a KPI; the score is the KPI's linear one unless given."""
    return [
        value.label(code),
        (num if num is not None else null_number()).label(f"{code}_num"),
        (den if den is not None else null_number()).label(f"{code}_den"),
        (score if score is not None else scored(code, value)).label(f"{code}_score"),
    ]


def null_number() -> ColumnElement[Any]:
    return cast(null(), Double())


def finish(
    grouped: Any,
    code: str,
    value: ColumnElement[Any],
    num: ColumnElement[Any] | None,
    den: ColumnElement[Any] | None,
    score: ColumnElement[Any] | None = None,
) -> Select[Any]:
    """The KPI's row per supplier from an already grouped subquery.

    Grouping first and scoring outside keeps each aggregate computed once: the score repeats
    the value's expression, and an aggregate over a facts column with a subquery in it would
    be evaluated again for every repetition.
    """
    return select(grouped.c.supplier_org_id, *columns(code, value, num, den, score))


def share(facts: Any, code: str, flag: str) -> Select[Any]:
    """Share (%) of fact rows whose ``flag`` column is 1, per supplier."""
    grouped = (
        select(
            facts.c.supplier_org_id,
            func.sum(facts.c[flag]).label("num"),
            func.count().label("den"),
        )
        .group_by(facts.c.supplier_org_id)
        .subquery(f"{code}_sum")
    )
    value = ratio(grouped.c.num, grouped.c.den)
    return finish(grouped, code, value, grouped.c.num, grouped.c.den)


def count_of(facts: Any, code: str, num_flag: str | None = None) -> Select[Any]:
    """Number of fact rows per supplier (``num`` counts those whose ``num_flag`` is 1)."""
    num = func.sum(facts.c[num_flag]) if num_flag else null_number()
    grouped = (
        select(facts.c.supplier_org_id, func.count().label("total"), num.label("num"))
        .group_by(facts.c.supplier_org_id)
        .subquery(f"{code}_sum")
    )
    return finish(grouped, code, grouped.c.total, grouped.c.num, None)


def median(facts: Any, code: str, measure: str) -> Select[Any]:
    """Median of the ``measure`` column per supplier, with window functions (both engines).

    The middle row, or the mean of the two middle rows, of each supplier's sorted values.
    """
    rank = func.row_number().over(partition_by=facts.c.supplier_org_id, order_by=facts.c[measure])
    size = func.count().over(partition_by=facts.c.supplier_org_id)
    ranked = select(
        facts.c.supplier_org_id,
        facts.c[measure].label("measure"),
        rank.label("rank"),
        size.label("size"),
    ).subquery(f"{code}_ranked")
    middle = or_(
        ranked.c.rank == (ranked.c.size + 1) // 2, ranked.c.rank == (ranked.c.size + 2) // 2
    )
    grouped = (
        select(
            ranked.c.supplier_org_id,
            func.avg(ranked.c.measure).label("median"),
            func.max(ranked.c.size).label("size"),
        )
        .where(middle)
        .group_by(ranked.c.supplier_org_id)
        .subquery(f"{code}_median")
    )
    return finish(grouped, code, grouped.c.median, None, grouped.c.size)
