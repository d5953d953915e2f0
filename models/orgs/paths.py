"""Network paths: for every pair of organisations joined by a chain of active supplier links,
the length of the shortest such chain, and what the access rule lets the upper one see of the
lower one.

A trace asks, for each maker it reaches, "does it lie below the viewer, how far, and may the
viewer see its traceability data?" (:mod:`models.access`). Walking the links and agreements for
that on every trace cost more than the trace itself; this table answers it with one index
lookup. It is derived data: rebuilt, in the same transaction, by every flush that creates,
deletes or re-points a supplier link, changes its status or its current agreement, or edits an
agreement, so it can never disagree with the links a transaction sees. Links change when
suppliers are onboarded, suspended or change what they share, rarely; a rebuild of a network of
3,000 suppliers takes a fraction of a second.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    ForeignKey,
    Integer,
    and_,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Mapped, Session, UOWTransaction, aliased, mapped_column

from models.base import Base, BigId
from models.orgs.entities import CATEGORIES, MAX_CHAIN_DEPTH, SharingAgreement, SupplierLink

#: What a flush must change on a link for the paths to be rebuilt.
_LINK_FIELDS = ("status", "buyer_id", "supplier_id", "current_agreement_id")
_LOCK_KEY = 0x7A3E_0001


class NetworkPath(Base):
    """``lower_org_id`` lies ``depth`` active links below ``upper_org_id`` (shortest chain).

    One flag per data category (:data:`models.orgs.entities.CATEGORIES`): may the upper
    organisation see the lower one's data of that category under the sharing agreements?
    """

    __tablename__ = "network_paths"

    upper_org_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("organisations.id"), primary_key=True
    )
    lower_org_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("organisations.id"), primary_key=True, index=True
    )
    depth: Mapped[int]
    progress: Mapped[bool] = mapped_column(default=False)
    quality: Mapped[bool] = mapped_column(default=False)
    carbon: Mapped[bool] = mapped_column(default=False)
    traceability: Mapped[bool] = mapped_column(default=False)


def rebuild_network_paths(connection: Connection) -> None:
    """Replace every path by those the active links now make, up to ``MAX_CHAIN_DEPTH`` long,
    with what each path's upper organisation may see of the lower one: one statement.

    On PostgreSQL a transaction-scoped advisory lock makes concurrent rebuilds take turns, so
    the second one deletes what the first committed instead of colliding with it.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    shortest = _shortest_chains()
    grants = _grants(shortest)
    granted = (
        select(
            grants.c.upper_org_id,
            grants.c.lower_org_id,
            *(func.max(case((grants.c[c], 1), else_=0)).label(c) for c in CATEGORIES),
        )
        .group_by(grants.c.upper_org_id, grants.c.lower_org_id)
        .subquery("granted")
    )
    rows = select(
        shortest.c.upper_org_id,
        shortest.c.lower_org_id,
        shortest.c.depth,
        *(func.coalesce(granted.c[c], 0) == 1 for c in CATEGORIES),
    ).outerjoin(
        granted,
        and_(
            granted.c.upper_org_id == shortest.c.upper_org_id,
            granted.c.lower_org_id == shortest.c.lower_org_id,
        ),
    )
    connection.execute(delete(NetworkPath))
    columns = ["upper_org_id", "lower_org_id", "depth", *CATEGORIES]
    connection.execute(insert(NetworkPath).from_select(columns, rows))


def _shortest_chains() -> CTE:
    """``(upper_org_id, lower_org_id, depth)``: the shortest chain of active links, per pair."""
    first = select(
        SupplierLink.buyer_id.label("upper_org_id"),
        SupplierLink.supplier_id.label("lower_org_id"),
        literal(1, Integer).label("depth"),
    ).where(SupplierLink.status == "active")
    reach = first.cte("reach", recursive=True)
    link = aliased(SupplierLink, name="link")
    reach = reach.union(
        select(reach.c.upper_org_id, link.supplier_id, reach.c.depth + 1).where(
            link.buyer_id == reach.c.lower_org_id,
            link.status == "active",
            reach.c.depth < MAX_CHAIN_DEPTH,
        )
    )
    return (
        select(
            reach.c.upper_org_id,
            reach.c.lower_org_id,
            func.min(reach.c.depth).label("depth"),
        )
        .group_by(reach.c.upper_org_id, reach.c.lower_org_id)
        .cte("shortest")
    )


def _grants(shortest: CTE) -> CTE:
    """The access rule of :mod:`models.access`, as rows: an agreement on an active link lets a
    category reach the link's buyer (buyer flag) and every organisation the buyer lies below
    (buyer and upstream flags). A pair may see a category when any of its rows says so."""
    link = aliased(SupplierLink, name="own_link")
    agreement = aliased(SharingAgreement, name="agreement")
    active = and_(link.status == "active", agreement.id == link.current_agreement_id)

    def flag(category: str, upstream: bool) -> ColumnElement[bool]:
        buyer = getattr(agreement, f"{category}_buyer")
        allowed = and_(buyer, getattr(agreement, f"{category}_upstream")) if upstream else buyer
        return allowed.label(category)

    to_buyer = select(
        link.buyer_id.label("upper_org_id"),
        link.supplier_id.label("lower_org_id"),
        *(flag(c, upstream=False) for c in CATEGORIES),
    ).where(active)
    above_buyer = select(
        shortest.c.upper_org_id,
        link.supplier_id,
        *(flag(c, upstream=True) for c in CATEGORIES),
    ).where(active, link.buyer_id == shortest.c.lower_org_id)
    return union_all(to_buyer, above_buyer).cte("grants")


def _changes_paths(session: Session) -> bool:
    """Runs after every flush of the application, so it only looks at what the flush held.

    A new agreement changes nothing until a link points to it; an agreement edited in place
    (agreements are versioned, but a direct edit must not leave stale flags) does.
    """
    if any(isinstance(obj, SupplierLink) for obj in chain(session.new, session.deleted)):
        return True
    return any(
        (
            isinstance(obj, SupplierLink)
            and any(inspect(obj).attrs[name].history.has_changes() for name in _LINK_FIELDS)
        )
        or (isinstance(obj, SharingAgreement) and session.is_modified(obj))
        for obj in session.dirty
    )


@event.listens_for(Session, "after_flush")
def _rebuild_after_link_changes(session: Session, _flush: UOWTransaction) -> None:
    if _changes_paths(session):
        rebuild_network_paths(session.connection())
