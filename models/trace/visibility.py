"""The access rule of :mod:`models.access`, evaluated for the makers a trace actually reaches.

:func:`models.access.visible_org_ids_query` walks the viewer's whole supply tree, which for an
anchor with thousands of suppliers costs more than the trace itself. A trace reaches a few dozen
makers, and only their buyers, their buyers' buyers and so on can matter, so here the same rule
is evaluated inside that small set: first the active links above the makers (walked up, each
link once), then the viewer's tree walked down over those links only. The walk down gives each
organisation's tier as :func:`models.access.tiers` defines it, and "is the maker's buyer below
the viewer" is then a lookup. The result is identical to the module's rule
(``tests/integration/trace`` checks it for every pair of organisations of a test network); it is
computed once per trace, as CTEs joined to the trace's rows in the same statement.
"""

from __future__ import annotations

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from models.access import MAX_CHAIN_DEPTH
from models.orgs.entities import CATEGORIES, Organisation, SharingAgreement, SupplierLink


def _links_above(makers: CTE) -> CTE:
    """Every active link whose supplier is a maker or lies above one (each link once).

    Rows ``(buyer_id, supplier_id, agreement_id)``: the part of the network the rule needs.
    """
    first = aliased(SupplierLink, name="maker_link")
    links = (
        select(
            first.buyer_id.label("buyer_id"),
            first.supplier_id.label("supplier_id"),
            first.current_agreement_id.label("agreement_id"),
        )
        .where(first.supplier_id.in_(select(makers.c.org_id)), first.status == "active")
        .cte("links_above", recursive=True)
    )
    upper = aliased(SupplierLink, name="upper_link")
    return links.union(
        select(upper.buyer_id, upper.supplier_id, upper.current_agreement_id).where(
            upper.supplier_id == links.c.buyer_id, upper.status == "active"
        )
    )


def _below(tops: Select[tuple[int, int]], links: CTE) -> CTE:
    """Rows ``(org_id, depth)`` down from ``tops`` over the links above the makers."""
    below = tops.cte("below", recursive=True)
    down = links.alias("down_link")
    return below.union(
        select(down.c.supplier_id, below.c.depth + 1).where(
            down.c.buyer_id == below.c.org_id, below.c.depth < MAX_CHAIN_DEPTH
        )
    )


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
    links = _links_above(makers)
    if viewer is None:
        anchors = select(Organisation.id.label("org_id"), literal(0).label("depth")).where(
            Organisation.kind == "anchor",
            or_(
                Organisation.id.in_(select(links.c.buyer_id)),
                Organisation.id.in_(select(makers.c.org_id)),
            ),
        )
        below = _below(anchors, links)
        visible: ColumnElement[bool] = literal(True)
    else:
        viewer_id = viewer if isinstance(viewer, ColumnElement) else literal(viewer, BigInteger)
        top = select(cast(viewer_id, BigInteger).label("org_id"), literal(0).label("depth"))
        below = _below(top, links)
        visible = or_(
            makers.c.org_id == viewer_id,
            makers.c.org_id.in_(_sharing(viewer_id, links, below, category)),
        )
    tiers = (
        select(below.c.org_id, func.min(below.c.depth).label("tier"))
        .group_by(below.c.org_id)
        .subquery("tiers")
    )
    # Materialised, so the rule is evaluated once per maker, not once per column that uses it.
    return (
        select(makers.c.org_id, case((visible, True), else_=False).label("visible"), tiers.c.tier)
        .outerjoin(tiers, tiers.c.org_id == makers.c.org_id)
        .cte("access")
        .prefix_with("MATERIALIZED")
    )


def _sharing(
    viewer: ColumnElement[int], links: CTE, below: CTE, category: str
) -> Select[tuple[int]]:
    """Suppliers whose agreement on an active link lets ``category`` reach the viewer: the
    link's buyer is the viewer (buyer flag), or lies below it (buyer and upstream flags)."""
    own = links.alias("own_link")
    agreement = aliased(SharingAgreement, name="agreement")
    buyer_flag = getattr(agreement, f"{category}_buyer")
    upstream_flag = getattr(agreement, f"{category}_upstream")
    below_viewer = select(below.c.org_id).where(below.c.depth >= 1)
    return (
        select(own.c.supplier_id)
        .join(agreement, agreement.id == own.c.agreement_id)
        .where(
            buyer_flag.is_(True),
            or_(
                own.c.buyer_id == viewer,
                and_(upstream_flag.is_(True), own.c.buyer_id.in_(below_viewer)),
            ),
        )
    )


def visible_among(
    makers: Select[tuple[int]], viewer_org_id: int | None, category: str = "traceability"
) -> Select[tuple[int, bool, int | None]]:
    """A query of ``(org_id, visible, tier)`` for the organisations ``makers`` (a query of one
    column labelled ``org_id``) yields."""
    access = access_cte(makers.cte("makers"), viewer_org_id, category)
    return select(access.c.org_id, access.c.visible, access.c.tier)
