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
    ColumnElement,
    Connection,
    ForeignKey,
    Integer,
    and_,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, UOWTransaction, aliased, mapped_column

from models.access import MAX_CHAIN_DEPTH
from models.base import Base, BigId
from models.orgs.entities import CATEGORIES, SharingAgreement, SupplierLink

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
    then set what each path's upper organisation may see of the lower one.

    On PostgreSQL a transaction-scoped advisory lock makes concurrent rebuilds take turns, so
    the second one deletes what the first committed instead of colliding with it.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
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
    shortest = select(reach.c.upper_org_id, reach.c.lower_org_id, func.min(reach.c.depth)).group_by(
        reach.c.upper_org_id, reach.c.lower_org_id
    )
    connection.execute(delete(NetworkPath))
    connection.execute(
        insert(NetworkPath).from_select(["upper_org_id", "lower_org_id", "depth"], shortest)
    )
    path = NetworkPath.__table__
    connection.execute(
        update(path).values(
            {c: shares_with(path.c.upper_org_id, path.c.lower_org_id, c) for c in CATEGORIES}
        )
    )


def shares_with(
    viewer: ColumnElement[int], owner: ColumnElement[int], category: str
) -> ColumnElement[bool]:
    """The access rule of :mod:`models.access` for one pair, given the paths already stored:
    does an agreement on an active link into ``owner`` let ``category`` reach the viewer? That
    is: the link's buyer is the viewer (buyer flag), or lies below it (buyer and upstream
    flags)."""
    link = aliased(SupplierLink, name="own_link")
    agreement = aliased(SharingAgreement, name="agreement")
    below = aliased(NetworkPath, name="buyer_path")
    buyer_flag = getattr(agreement, f"{category}_buyer")
    upstream_flag = getattr(agreement, f"{category}_upstream")
    buyer_below = (
        exists()
        .where(below.upper_org_id == viewer, below.lower_org_id == link.buyer_id)
        .correlate_except(below)
    )
    return exists().where(
        link.supplier_id == owner,
        link.status == "active",
        agreement.id == link.current_agreement_id,
        buyer_flag.is_(True),
        or_(link.buyer_id == viewer, and_(upstream_flag.is_(True), buyer_below)),
    )


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
