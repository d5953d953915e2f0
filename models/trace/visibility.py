"""The access rule of :mod:`models.access`, evaluated for the makers a trace actually reaches.

:func:`models.access.visible_org_ids_query` walks the viewer's whole supply tree, which for an
anchor with thousands of suppliers costs more than the trace itself. A trace reaches a few dozen
makers, and the rule only asks, for each, about the links into it and whether their buyers lie
below the viewer. :class:`models.orgs.paths.NetworkPath` answers "below, and how far" with one
index lookup, so the rule costs a few lookups per maker. The result is identical to the
module's rule (``tests/integration/trace`` checks it for every pair of organisations of a test
network); it is computed once per trace, as a CTE joined to the trace's rows in the same
statement.
"""

from __future__ import annotations

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from models.orgs.entities import CATEGORIES, Organisation, SharingAgreement, SupplierLink
from models.orgs.paths import NetworkPath


def access_cte(
    makers: CTE, viewer: int | ColumnElement[int] | None, category: str = "traceability"
) -> CTE:
    """Rows ``(org_id, visible, tier)`` for each organisation in ``makers`` (column ``org_id``).

    With a viewer, ``visible`` is the access rule for ``category`` and ``tier`` is how many
    active links the organisation lies below the viewer (0 for the viewer itself, ``NULL`` when
    it is not below). Without a viewer (the operator's view) everything is visible and ``tier``
    counts the links below the nearest anchor. ``viewer`` may be a bound parameter, so that one
    statement serves every viewer.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown data category {category!r}")
    maker = makers.c.org_id
    if viewer is None:
        visible: ColumnElement[bool] = literal(True)
        tier = case((_is_anchor(maker), 0), else_=_depth_below_an_anchor(maker))
    else:
        viewer_id = viewer if isinstance(viewer, ColumnElement) else literal(viewer, BigInteger)
        visible = or_(maker == viewer_id, _shares_with(viewer_id, maker, category))
        tier = case((maker == viewer_id, 0), else_=_depth_below(viewer_id, maker))
    # Materialised, so the rule is evaluated once per maker, not once per column that uses it.
    return (
        select(maker, case((visible, True), else_=False).label("visible"), tier.label("tier"))
        .cte("access")
        .prefix_with("MATERIALIZED")
    )


def _depth_below(upper: ColumnElement[int], lower: ColumnElement[int]) -> ColumnElement[int]:
    path = aliased(NetworkPath, name="path")
    return (
        select(path.depth)
        .where(path.upper_org_id == upper, path.lower_org_id == lower)
        .scalar_subquery()
    )


def _lies_below(upper: ColumnElement[int], lower: ColumnElement[int]) -> ColumnElement[bool]:
    path = aliased(NetworkPath, name="upstream_path")
    return exists().where(path.upper_org_id == upper, path.lower_org_id == lower)


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


def _shares_with(
    viewer: ColumnElement[int], maker: ColumnElement[int], category: str
) -> ColumnElement[bool]:
    """Does an agreement on an active link into ``maker`` let ``category`` reach the viewer?
    That is: the link's buyer is the viewer (buyer flag), or lies below it (buyer and upstream
    flags)."""
    link = aliased(SupplierLink, name="own_link")
    agreement = aliased(SharingAgreement, name="agreement")
    buyer_flag = getattr(agreement, f"{category}_buyer")
    upstream_flag = getattr(agreement, f"{category}_upstream")
    return exists().where(
        link.supplier_id == maker,
        link.status == "active",
        agreement.id == link.current_agreement_id,
        buyer_flag.is_(True),
        or_(
            link.buyer_id == viewer,
            and_(upstream_flag.is_(True), _lies_below(viewer, link.buyer_id)),
        ),
    )


def visible_among(
    makers: Select[tuple[int]], viewer_org_id: int | None, category: str = "traceability"
) -> Select[tuple[int, bool, int | None]]:
    """A query of ``(org_id, visible, tier)`` for the organisations ``makers`` (a query of one
    column labelled ``org_id``) yields."""
    access = access_cte(makers.cte("makers"), viewer_org_id, category)
    return select(access.c.org_id, access.c.visible, access.c.tier)
