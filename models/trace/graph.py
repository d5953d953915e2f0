"""The lot graph as recursive SQL: walks up (to input lots) and down (to output lots).

Every walk is one recursive common table expression over ``lot_consumptions`` that runs on
SQLite and PostgreSQL alike. Rows are the edges reached, ``(parent_id, lot_id, depth,
quantity)``, where ``parent_id`` is the lot the walk came from (``NULL`` for a seed at depth 0).
``UNION`` (not ``UNION ALL``) drops a row already produced, and ``depth`` stops at the limit, so
a cycle in the data (which writes refuse, but imports could hold) can never loop forever.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import CTE, BigInteger, ColumnElement, Select, cast, literal, null, select, text
from sqlalchemy.orm import Session, aliased

from models.orders.entities import Lot, LotConsumption, Quantity

Direction = Literal["up", "down"]
DIRECTIONS: tuple[Direction, ...] = ("up", "down")

#: Deepest walk: five tiers of organisations, each with a few internal steps (sub-assemblies).
MAX_DEPTH = 30
#: The advisory lock that writers of consumption links take on PostgreSQL.
LINK_LOCK_KEY = 0x7A3E_0002


def seed_rows(lot_ids: Select[tuple[int]]) -> Select[tuple[int, int, int, object]]:
    """Seed rows ``(NULL, lot_id, 0, NULL)`` for each lot id the given one-column query yields."""
    seeds = lot_ids.subquery("seeds")
    lot_id = next(iter(seeds.c))
    return select(
        cast(null(), BigInteger).label("parent_id"),
        lot_id.label("lot_id"),
        literal(0).label("depth"),
        cast(null(), Quantity).label("quantity"),
    )


def walk(
    seeds: Select[tuple[int, int, int, object]],
    direction: Direction,
    max_depth: int = MAX_DEPTH,
    name: str = "walk",
) -> CTE:
    """The recursive CTE of every edge reachable from ``seeds`` within ``max_depth`` steps.

    Up means from an output lot to the lots consumed to make it; down means from an input lot
    to the lots made from it. A lot reached along paths of different length appears once per
    length (readers keep the smallest); each row is produced once.
    """
    edge = aliased(LotConsumption, name="edge")
    near, far = (
        (edge.output_lot_id, edge.input_lot_id)
        if direction == "up"
        else (edge.input_lot_id, edge.output_lot_id)
    )
    cte = seeds.cte(name, recursive=True)
    step = select(cte.c.lot_id, far, cte.c.depth + 1, edge.quantity).where(
        near == cte.c.lot_id, cte.c.depth < max_depth
    )
    return cte.union(step)


def lot_seeds(where: ColumnElement[bool]) -> Select[tuple[object, ...]]:
    """Seed rows of :func:`walk_lots`: the lots matching ``where`` (a condition on ``Lot``)."""
    return select(
        cast(null(), BigInteger).label("parent_id"),
        Lot.id.label("lot_id"),
        literal(0).label("depth"),
        cast(null(), Quantity).label("quantity"),
        *_lot_columns(Lot),
    ).where(where)


def _lot_columns(lot: type[Lot]) -> list[object]:
    return [
        lot.maker_org_id.label("maker_org_id"),
        lot.part_id.label("part_id"),
        lot.lot_number.label("lot_number"),
        lot.quantity.label("lot_quantity"),
        lot.made_at.label("made_at"),
    ]


def walk_lots(
    seeds: Select[tuple[object, ...]],
    direction: Direction,
    max_depth: int = MAX_DEPTH,
    name: str = "walk",
) -> CTE:
    """:func:`walk` whose rows also carry the reached lot's maker, part, number, size and date.

    Reading the lot inside the step costs one lookup per row, the same as a join afterwards,
    and lets the access rule find the makers without reading the lots a second time.
    """
    edge = aliased(LotConsumption, name="edge")
    reached = aliased(Lot, name="reached")
    near, far = (
        (edge.output_lot_id, edge.input_lot_id)
        if direction == "up"
        else (edge.input_lot_id, edge.output_lot_id)
    )
    cte = seeds.cte(name, recursive=True)
    step = (
        select(cte.c.lot_id, far, cte.c.depth + 1, edge.quantity, *_lot_columns(reached))
        .join(reached, reached.id == far)
        .where(near == cte.c.lot_id, cte.c.depth < max_depth)
    )
    return cte.union(step)


def has_next(lot_id: object, direction: Direction) -> object:
    """An EXISTS clause: does the walk go on from ``lot_id`` (for lots at the depth limit)?"""
    edge = aliased(LotConsumption, name="beyond")
    near = edge.output_lot_id if direction == "up" else edge.input_lot_id
    return select(edge.id).where(near == lot_id).exists()


def serialise_link_writes(session: Session) -> None:
    """Make writers of consumption links take turns until the transaction ends.

    Two declarations that together close a cycle (A into B, B into A) each pass
    :func:`would_create_cycle` when neither sees the other's uncommitted link. On PostgreSQL a
    transaction-scoped advisory lock, taken before the check, makes the second writer check
    only once the first has committed. SQLite needs none: it admits one writer at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LINK_LOCK_KEY})


def would_create_cycle(session: Session, output_lot_id: int, input_lot_id: int) -> bool:
    """True when declaring ``input_lot_id`` consumed into ``output_lot_id`` would close a cycle.

    That is the case when the output lot is the input lot itself or already lies upstream of
    it. One recursive query walks up from the input lot over lot ids only (``UNION`` makes it
    end even on cycles already in the data) and stops at the first match.
    """
    if output_lot_id == input_lot_id:
        return True
    edge = aliased(LotConsumption, name="edge")
    base = select(cast(literal(input_lot_id), BigInteger).label("lot_id"))
    above = base.cte("upstream_ids", recursive=True)
    above = above.union(select(edge.input_lot_id).where(edge.output_lot_id == above.c.lot_id))
    found = session.scalar(select(above.c.lot_id).where(above.c.lot_id == output_lot_id).limit(1))
    return found is not None
