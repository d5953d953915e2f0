"""The one access rule: may organisation X see organisation Y's data of category C?

Y's data of a category is visible to
- Y itself;
- Y's direct buyer B, over an active link, when the current agreement on B -> Y shares the
  category with the buyer;
- every organisation that reaches B over a chain of active links (B's customers, up to the
  anchor), when the agreement on B -> Y also lets the category pass upstream.

Only the data owner's own agreement decides how far its data travels; the chain above must be
active. Data about a part also asks whose part it is (:func:`made_for_chain`): a supplier that
serves several customers shares with each what it makes for that customer's supply chain, not
the lots it makes for another customer. Everything that returns supplier data (pages, API,
exports, jobs) asks this module, and what may not be seen is reported as not found.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, literal, or_, select
from sqlalchemy.orm import Session, aliased

from models.errors import NotFound
from models.orgs.entities import CATEGORIES, MAX_CHAIN_DEPTH, SharingAgreement, SupplierLink


def _check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise ValueError(f"unknown data category {category!r}")


def downstream_cte(  # type: ignore[no-untyped-def]
    viewer_org_id: int, name: str = "downstream", statuses: tuple[str, ...] = ("active",)
):
    """Recursive CTE of every organisation below ``viewer_org_id`` over links in ``statuses``.

    Depth 1 is a direct supplier; an organisation reachable by several paths appears once per
    path length (callers take the minimum). Cycles stop at ``MAX_CHAIN_DEPTH``.
    """
    links = aliased(SupplierLink)
    base = select(SupplierLink.supplier_id.label("org_id"), literal(1).label("depth")).where(
        SupplierLink.buyer_id == viewer_org_id, SupplierLink.status.in_(statuses)
    )
    cte = base.cte(name, recursive=True)
    step = select(links.supplier_id, cte.c.depth + 1).where(
        links.buyer_id == cte.c.org_id, links.status.in_(statuses), cte.c.depth < MAX_CHAIN_DEPTH
    )
    return cte.union(step)


def visible_org_ids_query(viewer_org_id: int, category: str) -> Select[tuple[int]]:
    """A query of the ids of every organisation whose ``category`` data the viewer may see."""
    _check_category(category)
    below = downstream_cte(viewer_org_id)
    buyer_flag = getattr(SharingAgreement, f"{category}_buyer")
    upstream_flag = getattr(SharingAgreement, f"{category}_upstream")
    shared = (
        select(SupplierLink.supplier_id)
        .join(SharingAgreement, SharingAgreement.id == SupplierLink.current_agreement_id)
        .where(
            SupplierLink.status == "active",
            buyer_flag.is_(True),
            or_(
                SupplierLink.buyer_id == viewer_org_id,
                and_(upstream_flag.is_(True), SupplierLink.buyer_id.in_(select(below.c.org_id))),
            ),
        )
    )
    return select(literal(viewer_org_id)).union(shared)


def chain_org_ids_query(viewer_org_id: int) -> Select[tuple[int]]:
    """The viewer and every organisation below it over active links: whose parts (as their
    buyer defines them) belong to the viewer's own supply chain. A supplier that also serves
    another customer makes that customer's parts too; they are not the viewer's business."""
    below = downstream_cte(viewer_org_id, "chain")
    return select(literal(viewer_org_id)).union(select(below.c.org_id))


def made_for_chain(
    viewer_org_id: int, part_owner_org_id: ColumnElement[int]
) -> ColumnElement[bool]:
    """The part (whose owner is the buyer that defined it) belongs to the viewer's own supply
    chain: the viewer or an organisation below it defined it."""
    return part_owner_org_id.in_(chain_org_ids_query(viewer_org_id))


def visible_org_ids(session: Session, viewer_org_id: int, category: str) -> set[int]:
    """The set form of :func:`visible_org_ids_query`, for callers that filter in Python."""
    return set(session.scalars(visible_org_ids_query(viewer_org_id, category)))


def can_see(session: Session, viewer_org_id: int, owner_org_id: int, category: str) -> bool:
    if viewer_org_id == owner_org_id:
        return True
    return owner_org_id in visible_org_ids(session, viewer_org_id, category)


def require_visible(session: Session, viewer_org_id: int, owner_org_id: int, category: str) -> None:
    """Raise :class:`NotFound` unless the viewer may see the owner's ``category`` data."""
    if not can_see(session, viewer_org_id, owner_org_id, category):
        raise NotFound()


def network_org_ids(session: Session, viewer_org_id: int) -> set[int]:
    """Organisations the viewer may know exist: itself, everything below it and its buyers.

    Knowing that a supplier exists (its name in the tier tree) is not the same as seeing its data;
    a sub-tier supplier is named only when it shares at least one category upstream.
    """
    below = downstream_cte(viewer_org_id)
    named = select(below.c.org_id).where(
        or_(
            below.c.depth == 1,
            below.c.org_id.in_(_shares_anything_upstream(viewer_org_id)),
        )
    )
    buyers = select(SupplierLink.buyer_id).where(
        SupplierLink.supplier_id == viewer_org_id, SupplierLink.status.in_(("active", "suspended"))
    )
    return {viewer_org_id} | set(session.scalars(named)) | set(session.scalars(buyers))


def _shares_anything_upstream(viewer_org_id: int) -> Select[tuple[int]]:
    """Suppliers whose active link to a buyer in the viewer's chain lets some category pass
    upstream: only the agreement on the way towards the viewer decides, not one with another
    customer."""
    chain = downstream_cte(viewer_org_id, "named_chain")
    return (
        select(SupplierLink.supplier_id)
        .join(SharingAgreement, SharingAgreement.id == SupplierLink.current_agreement_id)
        .where(
            SupplierLink.status == "active",
            SupplierLink.buyer_id.in_(select(chain.c.org_id)),
            or_(*(getattr(SharingAgreement, f"{c}_upstream").is_(True) for c in CATEGORIES)),
        )
    )


def tiers(session: Session, root_org_id: int) -> dict[int, int]:
    """Tier of every organisation below ``root_org_id``: the shortest chain of active links."""
    below = downstream_cte(root_org_id)
    rows = session.execute(select(below.c.org_id, below.c.depth).order_by(below.c.depth)).all()
    result: dict[int, int] = {}
    for org_id, depth in rows:
        result.setdefault(org_id, depth)
    return result


def is_upstream_of(session: Session, buyer_org_id: int, supplier_org_id: int) -> bool:
    """True when ``supplier_org_id`` is below ``buyer_org_id`` over any link not ended.

    Used to refuse a link that would close a cycle (A supplies B supplies A).
    """
    below = downstream_cte(buyer_org_id, statuses=("invited", "active", "suspended"))
    return (
        session.scalar(select(below.c.org_id).where(below.c.org_id == supplier_org_id).limit(1))
        is not None
    )
