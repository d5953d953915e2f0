"""The access rule of :mod:`models.access`, evaluated for the makers a trace actually reaches.

:func:`models.access.visible_org_ids_query` walks the viewer's whole supply tree, which for an
anchor with thousands of suppliers costs more than the trace itself. A trace reaches a few dozen
makers, and :class:`models.orgs.paths.NetworkPath` already holds, for each organisation below
the viewer, how far below it lies and what the agreements let the viewer see of it: the rule
costs one index lookup per maker. The result is identical to the module's rule
(``tests/integration/trace`` checks it for every pair of organisations of a test network and
every category); it is computed once per trace, as a CTE joined to the trace's rows in the same
statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from models.orders.entities import Part
from models.orgs.entities import CATEGORIES, Organisation
from models.orgs.paths import NetworkPath


def access_cte(
    makers: CTE,
    viewer: int | ColumnElement[int] | None,
    category: str = "traceability",
    lateral: bool = False,
) -> CTE:
    """Rows ``(org_id, visible, tier)`` for each organisation in ``makers`` (column ``org_id``);
    ``(org_id, part_id, visible, tier)`` when ``makers`` also has a ``part_id`` column (lots).

    With a viewer, ``visible`` is the access rule for ``category`` and ``tier`` is how many
    active links the organisation lies below the viewer (0 for the viewer itself, ``NULL`` when
    it is not below). For lots, the rule also asks that the part was made for the viewer's own
    supply chain (:func:`models.access.made_for_chain`): a supplier's lot of a part another
    customer defined is that customer's business. Without a viewer (the operator's view)
    everything is visible and ``tier`` counts the links below the nearest anchor. ``viewer`` may
    be a bound parameter, so that one statement serves every viewer.

    ``lateral`` (PostgreSQL; SQLite has no LATERAL) reads each maker's path once for both
    columns instead of once for each.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown data category {category!r}")
    maker = makers.c.org_id
    part = makers.c.get("part_id")
    keys = [maker] if part is None else [maker, part]
    if viewer is None:
        rows = select(
            *keys,
            true().label("visible"),
            case((_is_anchor(maker), 0), else_=_depth_below_an_anchor(maker)).label("tier"),
        )
    else:
        viewer_id = viewer if isinstance(viewer, ColumnElement) else literal(viewer, BigInteger)
        itself = maker == viewer_id
        if lateral:
            path = _path_below(viewer_id, maker, category)
            sharing, depth = path.c.shared, path.c.depth
        else:
            sharing = _on_path(viewer_id, maker, category)
            depth = _on_path(viewer_id, maker, "depth")
        shared = sharing.is_(True)
        if part is not None:
            shared = and_(shared, _made_for_chain(viewer_id, part, maker))
        rows = select(
            *keys,
            case((or_(itself, shared), true()), else_=false()).label("visible"),
            case((itself, 0), else_=depth).label("tier"),
        ).select_from(makers)
        if lateral:
            rows = rows.outerjoin(path, true())
    # Materialised, so the rule is evaluated once per maker, not once per column that uses it.
    return rows.cte("access").prefix_with("MATERIALIZED")


def _on_path(
    upper: ColumnElement[int], lower: ColumnElement[int], column: str
) -> ColumnElement[Any]:
    """One column of the path from ``upper`` down to ``lower`` (``NULL`` when there is none).

    A correlated lookup rather than a join: a plan made once for every viewer (a prepared
    statement) would otherwise read all the viewer's paths, thousands for an anchor, to join
    the few dozen makers a trace reaches.
    """
    path = aliased(NetworkPath, name="path")
    found = select(getattr(path, column))
    return found.where(path.upper_org_id == upper, path.lower_org_id == lower).scalar_subquery()


def _path_below(upper: ColumnElement[int], lower: ColumnElement[int], category: str) -> Any:
    """The path from ``upper`` down to ``lower`` as a lateral row (``shared``: what its
    agreements let ``upper`` see of ``category``; ``depth``), no row when there is none.

    One index lookup per maker, as :func:`_on_path`; ``LIMIT 1`` (the key makes it at most one
    row anyway) keeps PostgreSQL from turning the lateral lookup into a join that reads all the
    viewer's paths.
    """
    path = aliased(NetworkPath, name="path")
    found = select(getattr(path, category).label("shared"), path.depth)
    found = found.where(path.upper_org_id == upper, path.lower_org_id == lower).limit(1)
    return found.lateral("path_row")


def _made_for_chain(
    viewer: ColumnElement[int], part_id: ColumnElement[int], maker: ColumnElement[int]
) -> ColumnElement[bool]:
    """:func:`models.access.made_for_chain` by one index lookup: the part was defined by the
    viewer or by an organisation below it. Only asked of a maker below the viewer, so a part
    its maker defined (its own catalogue) needs no second lookup of the owner's path."""
    part = aliased(Part, name="made_part")
    path = aliased(NetworkPath, name="owner_path")
    below = exists().where(path.upper_org_id == viewer, path.lower_org_id == part.owner_org_id)
    owned = or_(part.owner_org_id == viewer, part.owner_org_id == maker, below)
    return exists().where(part.id == part_id, owned)


def _is_anchor(org_id: ColumnElement[int]) -> ColumnElement[bool]:
    anchor = aliased(Organisation, name="anchor")
    return exists().where(anchor.id == org_id, anchor.kind == "anchor")


def _depth_below_an_anchor(org_id: ColumnElement[int]) -> ColumnElement[int]:
    path = aliased(NetworkPath, name="anchor_path")
    anchor = aliased(Organisation, name="upper_anchor")
    return (
        select(func.min(path.depth))
        .join(anchor, anchor.id == path.upper_org_id)
        .where(path.lower_org_id == org_id, anchor.kind == "anchor")
        .scalar_subquery()
    )


def visible_among(
    makers: Select[tuple[int]],
    viewer_org_id: int | None,
    category: str = "traceability",
    lateral: bool = False,
) -> Select[tuple[int, bool, int | None]]:
    """A query of ``(org_id, visible, tier)`` for the organisations ``makers`` (a query of one
    column labelled ``org_id``) yields."""
    access = access_cte(makers.cte("makers"), viewer_org_id, category, lateral)
    return select(access.c.org_id, access.c.visible, access.c.tier)
