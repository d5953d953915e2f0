"""Tracing lots up (every input lot, to raw material) and down (every lot made from them).

Each trace is one SQL statement: the recursive walk of :mod:`models.trace.graph`, the access
rule of :mod:`models.trace.visibility` evaluated once for the makers it reaches, and (down) the
shipments and receipts of the lots reached. Lots the viewer may not see come back without their
identity (the statement itself blanks it) and are shown as "withheld by a tier-n supplier".
The statement names makers, parts and receivers by id; their names come from the cache of
:mod:`models.trace.names`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    case,
    exists,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from models.errors import NotFound, ValidationFailed
from models.i18n import N_
from models.orders.entities import Lot, Receipt, ShipmentLot, ShipNotice, ShipNoticeLine
from models.orgs.entities import Organisation
from models.trace.assemble import (
    DEPTH,
    LOT,
    MAKER,
    PART_ID,
    RECEIVER,
    VISIBLE,
    assemble,
    collector_paused,
)
from models.trace.entities import ContainmentOrg, Incident, IncidentLot
from models.trace.graph import DIRECTIONS, MAX_DEPTH, Direction, has_next, lot_seeds, walk_lots
from models.trace.names import Names, names
from models.trace.results import Trace
from models.trace.search import find_lot
from models.trace.visibility import access_cte


def trace(
    session: Session,
    lot_ids: Sequence[int],
    direction: Direction,
    viewer_org_id: int | None,
    max_depth: int = MAX_DEPTH,
) -> Trace:
    """The genealogy of ``lot_ids`` as ``viewer_org_id`` may see it (everything when ``None``).

    Guarantees: one statement, whatever the size of the graph; terminates on cyclic data; no lot
    deeper than ``max_depth`` steps; a lot whose maker does not share traceability with the
    viewer carries no number, maker, part or quantity. A starting lot the viewer may not see
    (or that does not exist) raises :class:`NotFound`.
    """
    if not lot_ids:
        raise NotFound()
    ids = sorted({int(lot_id) for lot_id in lot_ids})
    params = {"max_depth": max_depth, "viewer_id": viewer_org_id}
    params.update({"root_id": ids[0]} if len(ids) == 1 else {"root_ids": ids})
    connection = session.connection()
    lateral = connection.dialect.name == "postgresql"
    statement = trace_statement(direction, viewer_org_id is not None, len(ids) > 1, lateral)
    with collector_paused():
        rows = connection.execute(statement, params).all()
        found = {row[LOT] for row in rows if row[DEPTH] == 0 and row[VISIBLE]}
        if found != set(ids):
            raise NotFound()
        return assemble(
            rows, ids, direction, viewer_org_id, max_depth, _names(connection, rows, direction)
        )


def _names(connection: Connection, rows: Sequence[Row[Any]], direction: Direction) -> Names:
    """The names of the makers, parts and receivers the rows name (blank when withheld)."""
    orgs = set(map(itemgetter(MAKER), rows))
    if direction == "down":
        orgs.update(map(itemgetter(RECEIVER), rows))
    orgs.discard(None)
    parts = set(map(itemgetter(PART_ID), rows))
    parts.discard(None)
    return names(connection, orgs, parts)


@lru_cache(maxsize=16)
def trace_statement(
    direction: Direction, with_viewer: bool, several: bool, lateral: bool = False
) -> Select[tuple[object, ...]]:
    """The one statement of a trace, built once per shape and reused with new parameters.

    Parameters: ``root_id`` (or ``root_ids`` when ``several``), ``max_depth`` and, with a
    viewer, ``viewer_id``. ``lateral``: the access rule's lookups for PostgreSQL
    (:func:`models.trace.visibility.access_cte`). Reusing the statement object lets SQLAlchemy
    and PostgreSQL skip compiling and planning it again, which costs more than a small trace
    itself.
    """
    seeds = (
        Lot.id.in_(bindparam("root_ids", expanding=True))
        if several
        else Lot.id == bindparam("root_id", type_=BigInteger)
    )
    max_depth = bindparam("max_depth", type_=Integer)
    viewer = bindparam("viewer_id", type_=BigInteger) if with_viewer else None
    walk = walk_lots(lot_seeds(seeds), direction, max_depth)
    makers = select(walk.c.maker_org_id.label("org_id"), walk.c.part_id).distinct().cte("makers")
    access = access_cte(makers, viewer, lateral=lateral)
    shown = access.c.visible.is_(True)

    def only_shown(column: object, label: str) -> object:
        return case((shown, column), else_=null()).label(label)

    columns = [
        walk.c.parent_id,
        walk.c.lot_id,
        walk.c.depth,
        walk.c.quantity.label("edge_quantity"),
        access.c.visible,
        access.c.tier,
        only_shown(walk.c.maker_org_id, "maker_org_id"),
        only_shown(walk.c.part_id, "part_id"),
        only_shown(walk.c.lot_number, "lot_number"),
        only_shown(walk.c.lot_quantity, "lot_quantity"),
        only_shown(walk.c.made_at, "made_at"),
        case((walk.c.depth >= max_depth, has_next(walk.c.lot_id, direction)), else_=False).label(
            "more"
        ),
        and_(shown, walk.c.lot_id.in_(_open_incident_lots(viewer))).label("incident"),
    ]
    statement = select(*columns).join(
        access,
        and_(access.c.org_id == walk.c.maker_org_id, access.c.part_id == walk.c.part_id),
    )
    if direction == "down":
        statement = _with_shipments(statement, walk, shown)
    return statement


def _with_shipments(
    statement: Select[tuple[object, ...]], walk: Any, shown: Any
) -> Select[tuple[object, ...]]:
    """Add the shipments (and their receipts) that carried each visible lot reached.

    The shipments of the lots reached are gathered first, once, and joined to the lots by
    lot: joining the four tables to every lot reached cost a lookup in each per lot, a fifth
    of a large trace's time, though few lots of a trace have shipped.
    """
    shipped = aliased(ShipmentLot, name="shipped")
    line = aliased(ShipNoticeLine, name="notice_line")
    notice = aliased(ShipNotice, name="notice")
    receipt = aliased(Receipt, name="receipt")
    shipments = (
        select(
            shipped.lot_id,
            shipped.id.label("shipment_lot_id"),
            shipped.quantity.label("shipped_quantity"),
            notice.id.label("notice_id"),
            notice.number.label("notice_number"),
            notice.ship_date,
            notice.buyer_org_id,
            receipt.id.label("receipt_id"),
            receipt.received_quantity,
            receipt.rejected_quantity,
            receipt.received_on,
        )
        .join(line, line.id == shipped.notice_line_id)
        .join(notice, notice.id == line.notice_id)
        .outerjoin(receipt, receipt.shipment_lot_id == shipped.id)
        .where(shipped.lot_id.in_(select(walk.c.lot_id)))
        .cte("shipment")
        .prefix_with("MATERIALIZED")
    )
    return statement.outerjoin(
        shipments, and_(shipments.c.lot_id == walk.c.lot_id, shown)
    ).add_columns(*[column for column in shipments.c if column.name != "lot_id"])


def _open_incident_lots(viewer: ColumnElement[int] | None) -> Select[tuple[int]]:
    """Lots under an incident that is not closed and that the viewer takes part in."""
    query = (
        select(IncidentLot.lot_id)
        .join(Incident, Incident.id == IncidentLot.incident_id)
        .where(Incident.state != "closed")
    )
    if viewer is None:
        return query
    involved = exists().where(
        ContainmentOrg.snapshot_id == Incident.snapshot_id, ContainmentOrg.org_id == viewer
    )
    return query.where(
        or_(Incident.opener_org_id == viewer, Incident.supplier_org_id == viewer, involved)
    )


def trace_lot_number(
    session: Session,
    lot_number: str,
    direction: str,
    maker_code: str | None = None,
    viewer_code: str | None = None,
    max_depth: int = MAX_DEPTH,
) -> Trace:
    """Trace a lot given by number (and maker credit code), as ``viewer_code`` may see it.

    Without ``viewer_code`` it is the operator's view: everything is visible and tiers count
    from the nearest anchor. With it, the organisation with that credit code is the viewer and
    the access rule applies (tiers count from it). A lot it may not see is not found.
    """
    if direction not in DIRECTIONS:
        raise ValidationFailed.on("direction", N_("The direction is up or down."))
    viewer_org_id = None
    if viewer_code:
        viewer_org_id = session.scalar(
            select(Organisation.id).where(Organisation.credit_code == viewer_code.strip().upper())
        )
        if viewer_org_id is None:
            raise NotFound(N_("No organisation with credit code %(code)s."), code=viewer_code)
    lot = find_lot(session, viewer_org_id, lot_number, maker_code)
    return trace(session, [lot.id], "up" if direction == "up" else "down", viewer_org_id, max_depth)
