"""Scorecards as one viewer may see them: which suppliers, which KPI categories, which index.

A buyer sees the scorecards of the suppliers below it: every direct supplier, and each
sub-tier supplier that shares at least one KPI category with it (:mod:`models.access` decides,
per category). A KPI of a category the viewer may not see is withheld: not shown and left out
of the index, whose weights are the viewer's own (:mod:`models.scorecards.settings`).

The viewer's scope is worked out once per page (four set queries of the access module) and
handed to the scorecard queries as id arrays.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from models.access import downstream_cte, tiers, visible_org_ids
from models.errors import ValidationFailed
from models.i18n import N_
from models.orgs.entities import SupplierLink
from models.scorecards.entities import scorecards_table
from models.scorecards.kpis import KPI_BY_CODE, KPI_CATEGORIES, KPIS, kpis_of
from models.scorecards.settings import rules_of
from models.scorecards.sql import is_postgres, member_of, tune

T = scorecards_table


@dataclass(frozen=True)
class View:
    """A viewer's scope and weights, and the dashboard's filters."""

    viewer_org_id: int
    weights: dict[str, int]
    tier_of: dict[int, int]
    sees: dict[str, frozenset[int]]
    suppliers: frozenset[int] = field(default_factory=frozenset)
    category: str | None = None

    def can_see(self, org_id: int, category: str) -> bool:
        return org_id == self.viewer_org_id or org_id in self.sees[category]


def make_view(
    session: Session,
    viewer_org_id: int,
    *,
    tier: int | None = None,
    category: str | None = None,
    supplier_id: int | None = None,
) -> View:
    """The viewer's scope, narrowed to a tier and/or to one supplier and the suppliers below it
    (a supplier the viewer does not see is a validation error on ``supplier``).

    Also tunes the reading transaction for the scorecard aggregates (see :func:`tune`).
    """
    tune(session, "16MB")
    tier_of, sees = _scope(session, viewer_org_id)
    anyone = frozenset().union(*sees.values())
    suppliers = {o for o, t in tier_of.items() if t == 1 or o in anyone} - {viewer_org_id}
    if supplier_id is not None and supplier_id not in suppliers:
        # Refused even where some sub-tiers of that organisation are shared with the viewer:
        # listing them would show where a supplier the viewer does not see buys.
        raise ValidationFailed.on("supplier", N_("Choose a supplier in your supply chain."))
    if tier is not None:
        suppliers = {o for o in suppliers if tier_of.get(o) == tier}
    if supplier_id is not None:
        below = downstream_cte(supplier_id, name="filter_below")
        subtree = set(session.scalars(select(below.c.org_id))) | {supplier_id}
        suppliers &= subtree
    weights = rules_of(session, viewer_org_id).weights
    return View(viewer_org_id, weights, tier_of, sees, frozenset(suppliers), category)


#: (viewer, network version) -> (tiers, visible ids per category); see :func:`_scope`.
_SCOPES: OrderedDict[tuple[int, str], tuple[dict[int, int], dict[str, frozenset[int]]]] = (
    OrderedDict()
)
SCOPE_CACHE_SIZE = 64


def _scope(
    session: Session, viewer_org_id: int
) -> tuple[dict[int, int], dict[str, frozenset[int]]]:
    """The viewer's tiers and, per category, the organisations whose data it may see, as
    :mod:`models.access` answers them.

    On PostgreSQL the answer is kept in this process for as long as the supply network is
    exactly as it was: the key is a digest of every link's status and current agreement (an
    agreement, once written, never changes; a change is a new one). Any change to a link or a
    sharing agreement therefore asks :mod:`models.access` again.
    """
    version = _network_version(session)
    key = (viewer_org_id, version) if version is not None else None
    if key is not None and key in _SCOPES:
        _SCOPES.move_to_end(key)
        return _SCOPES[key]
    found = (
        tiers(session, viewer_org_id),
        {c: frozenset(visible_org_ids(session, viewer_org_id, c)) for c in KPI_CATEGORIES},
    )
    if key is not None:
        _SCOPES[key] = found
        while len(_SCOPES) > SCOPE_CACHE_SIZE:
            _SCOPES.popitem(last=False)
    return found


def _network_version(session: Session) -> str | None:
    if not is_postgres(session):
        return None
    link = SupplierLink
    return session.scalar(
        select(
            func.md5(
                func.string_agg(
                    func.concat_ws(":", link.id, link.status, link.current_agreement_id),
                    aggregate_order_by(literal_column("','"), link.id),
                )
            )
        )
    )


def scoped_rows(session: Session, view: View, *where: ColumnElement[bool]) -> Any:
    """Scorecard rows of the view's suppliers with ``see_<category>`` flags (a materialised
    CTE, so each flag is worked out once per row however often the index formula reads it);
    ``where`` picks the periods."""
    flags = [
        case((member_of(session, T.c.supplier_org_id, view.sees[c]), 1), else_=0).label(f"see_{c}")
        for c in KPI_CATEGORIES
    ]
    return (
        select(T, *flags)
        .where(member_of(session, T.c.supplier_org_id, view.suppliers), *where)
        .cte("seen")
        .prefix_with("MATERIALIZED")
    )


def index_of(rows: Any, view: View) -> ColumnElement[Any]:
    """The transparency index (0-100) of each row: weighted mean of the scores the viewer may
    see (and, with a category filter, of that category only); NULL with none to weigh."""
    weighed: list[Any] = []
    weights: list[Any] = []
    for kpi in kpis_of(view.category):
        weight = view.weights.get(kpi.code, 0)
        if weight <= 0:
            continue
        score = rows.c[f"{kpi.code}_score"]
        counted = and_(rows.c[f"see_{kpi.category}"] == 1, score.is_not(None))
        weighed.append(case((counted, score * weight), else_=0.0))
        weights.append(case((counted, weight), else_=0))
    if not weights:
        return literal(None)
    total = sum(weights[1:], weights[0])
    return case((total > 0, sum(weighed[1:], weighed[0]) / total), else_=None)


def shown(rows: Any, code: str, column: str = "") -> ColumnElement[Any]:
    """A KPI column of a row, or NULL where the viewer may not see its category."""
    kpi = KPI_BY_CODE[code]
    return case((rows.c[f"see_{kpi.category}"] == 1, rows.c[f"{code}{column}"]), else_=None)


def total_of(rows: Any, code: str) -> ColumnElement[Any]:
    """The dashboard total of a KPI over the rows (see :attr:`Kpi.total`)."""
    kpi = KPI_BY_CODE[code]
    if kpi.total == "sum":
        return func.sum(shown(rows, code))
    if kpi.total == "mean":
        return func.avg(shown(rows, code))
    den = func.sum(shown(rows, code, "_den"))
    return case((den > 0, func.sum(shown(rows, code, "_num")) * kpi.total_scale / den), else_=None)


def totals(rows: Any, view: View, index: ColumnElement[Any] | None = None) -> list[Any]:
    """The KPI totals, the mean index and the number of rows, as columns of one aggregate
    (``index``: the rows' index when already computed)."""
    return [
        *[total_of(rows, kpi.code).label(kpi.code) for kpi in KPIS],
        func.avg(index_of(rows, view) if index is None else index).label("index"),
        func.count().label("suppliers"),
    ]
