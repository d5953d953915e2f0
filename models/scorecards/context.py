"""What every scorecard query is given: the period at a moment, the suppliers in scope, limits.

Every value a query needs is a named bind parameter (:meth:`Context.p`), so a statement built
once can run again for another moment or supplier with new values (see
:mod:`models.scorecards.recompute`): building the large statements costs more Python time than
running them for one supplier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Date, Double, Integer, bindparam, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import BindParameter, ColumnElement

from models.base import UTCDateTime
from models.scorecards.periods import Window, months_due
from models.scorecards.settings import widest
from models.scorecards.sql import day_number

TYPES = {
    "start": Date(), "day_after": Date(), "last_day": Date(), "start_at": UTCDateTime(),
    "cutoff": UTCDateTime(), "coverage_since": UTCDateTime(), "cutoff_days": Double(),
    "last_day_days": Double(), "year": Integer(),
}  # fmt: skip

WIDEST_RULES = ("coverage_hours", "projection_days", "stall_days")


@dataclass(frozen=True)
class Context:
    """One evaluation: ``window`` of a period, ``suppliers`` (None = all) and rule maxima."""

    window: Window
    suppliers: frozenset[int] | None = None
    widest: dict[str, int] = field(default_factory=dict)

    def scoped(self, column: ColumnElement[Any]) -> ColumnElement[bool]:
        """True for every supplier in scope (everyone when no scope is set)."""
        if self.suppliers is None:
            return true()
        return column.in_(bindparam("sc_suppliers", sorted(self.suppliers), expanding=True))

    def limit(self, name: str) -> int:
        return self.widest[name]

    @cached_property
    def months(self) -> list[Any]:
        return months_due(self.window)

    @cached_property
    def values(self) -> dict[str, Any]:
        """Every parameter of this evaluation by its bind name."""
        window = self.window
        found: dict[str, Any] = {
            "start": window.period.start,
            "day_after": window.day_after,
            "last_day": window.last_day,
            "start_at": window.start_at,
            "cutoff": window.cutoff,
            "coverage_since": window.cutoff - timedelta(hours=self.limit("coverage_hours")),
            "cutoff_days": day_number(window.cutoff),
            "last_day_days": day_number(window.last_day),
            "year": window.period.start.year,
        }
        found.update({f"month_{i}": month for i, month in enumerate(self.months)})
        if self.suppliers is not None:
            found["suppliers"] = sorted(self.suppliers)
        return {f"sc_{name}": value for name, value in found.items()}

    def p(self, name: str) -> BindParameter[Any]:
        """The named parameter, carrying this evaluation's value."""
        return bindparam(f"sc_{name}", self.values[f"sc_{name}"], type_=TYPES.get(name, Date()))

    @property
    def shape(self) -> tuple[Any, ...]:
        """What decides a statement's structure (everything else is a parameter)."""
        return (self.window.is_current, self.suppliers is not None, len(self.months))


def make_context(
    session: Session, window: Window, suppliers: Iterable[int] | None = None
) -> Context:
    return Context(
        window,
        None if suppliers is None else frozenset(suppliers),
        {name: widest(session, name) for name in WIDEST_RULES},
    )
