"""What a ship notice needs from the database, looked up set-based: the order lines it names
with their parts and buyers, what already shipped on them (and the buyer rejected), and the
maker's lots it names.

A few queries per 500 lines, whatever the notice's size, instead of several per line: an EDI
856 may carry tens of thousands of lines in one transaction set. The lines and parts are read
as plain rows (:class:`ShipLine`, :class:`ShipPart`), not entities: the checks only read them,
and 50,000 lines with their parts took 150 MB as entities in the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from models.orders.entities import Lot, OrderLine, Part, PurchaseOrder, Receipt, ShipNoticeLine
from models.orgs.entities import Organisation

#: Values per IN list: well inside the bound-parameter limits of SQLite and PostgreSQL.
CHUNK = 500
#: Ids beyond a BIGINT cannot name a row (and would overflow SQLite's integer).
MAX_ID = 2**63 - 1

T = TypeVar("T")


class ShipLine(NamedTuple):
    """What the checks of a ship notice read of an order line."""

    id: int
    buyer_org_id: int
    part_id: int
    line_no: int
    status: str
    unit: str
    quantity: Decimal
    confirmation: str
    confirmed_quantity: Decimal | None


class ShipPart(NamedTuple):
    """What the checks of a ship notice read of a part."""

    id: int
    part_number: str
    supplier_part_number: str | None


_LINE = tuple(getattr(OrderLine, name) for name in ShipLine._fields)
_PART = tuple(getattr(Part, name) for name in ShipPart._fields)


@dataclass(frozen=True)
class KnownLot:
    """A lot the maker already has: its id and the part it is of."""

    id: int
    part_id: int
    part_number: str | None


@dataclass
class ShipLookups:
    """The supplier's lines the notice names (by id, and by order number and line number),
    their parts and buyers, the quantity shipped on each so far and how much of it the buyer
    rejected on receipt, and the lots it names."""

    by_id: dict[int, ShipLine] = field(default_factory=dict)
    by_key: dict[tuple[str, int], list[ShipLine]] = field(default_factory=dict)
    parts: dict[int, ShipPart] = field(default_factory=dict)
    buyers: dict[int, Organisation] = field(default_factory=dict)
    shipped: dict[int, Decimal] = field(default_factory=dict)
    rejected: dict[int, Decimal] = field(default_factory=dict)
    lots: dict[str, KnownLot] = field(default_factory=dict)


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    ordered = list(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def line_reference(item: dict[str, Any]) -> int | tuple[str, int] | None:
    """How an item names its line: an id, ``(order number, line number)``, or not at all."""
    if item.get("order_line_id") is not None:
        return int(item["order_line_id"])
    if item.get("po_number") and item.get("po_line") is not None:
        return (item["po_number"], int(item["po_line"]))
    return None


def look_up(
    session: Session,
    supplier_id: int | None,
    buyer_id: int | None,
    items: list[tuple[int, dict[str, Any]]],
) -> ShipLookups:
    """Everything :func:`models.orders.shipping.create_ship_notice` checks the items against.

    Only the supplier's own lines are found (a line of another supplier is as unknown as a
    line that does not exist); lines named by order number are the buyer's when one is given.
    """
    found = ShipLookups()
    references = [line_reference(item) for _, item in items]
    ids = {ref for ref in references if isinstance(ref, int) and 0 < ref <= MAX_ID}
    keys = {ref for ref in references if isinstance(ref, tuple)}
    for chunk in chunks(sorted(ids)):
        rows = session.execute(
            select(*_LINE, *_PART)
            .join(Part, Part.id == OrderLine.part_id)
            .where(OrderLine.id.in_(chunk), OrderLine.supplier_org_id == supplier_id)
        )
        for row in rows:
            line = _line_and_part(found, row)
            found.by_id[line.id] = line
    for key, row in named_lines(session, (*_LINE, *_PART), keys, supplier_id, buyer_id):
        found.by_key.setdefault(key, []).append(_line_and_part(found, row))
    lines = {line.id: line for line in found.by_id.values()}
    lines.update((line.id, line) for group in found.by_key.values() for line in group)
    _buyers_and_shipped(session, found, lines)
    numbers = {
        lot["lot_number"]
        for _, item in items
        for lot in item.get("lots") or []
        if lot.get("lot_number")
    }
    _lots(session, found, supplier_id, numbers)
    return found


def named_lines(
    session: Session,
    columns: Sequence[Any],
    keys: Iterable[tuple[str, int]],
    supplier_id: int | None,
    buyer_id: int | None,
) -> Iterator[tuple[tuple[str, int], Sequence[Any]]]:
    """``(key, columns)`` of each of the supplier's order lines named by a key (order number,
    line number), the buyer's when one is given. A number naming no order exactly names the
    one whose number differs from it only in case (a sender's system writing it in lower
    case, say), unless several do; a line that order lacks is never looked for on another."""
    wanted = set(keys)
    matched: set[tuple[str, int]] = set()
    for chunk in chunks(sorted(wanted)):
        for number, line_no, *row in session.execute(_named(columns, chunk, supplier_id, buyer_id)):
            matched.add((number, line_no))
            yield (number, line_no), row
    unmatched = wanted - matched
    numbers = _numbers_by_case(session, {n for n, _ in unmatched}, supplier_id, buyer_id)
    by_number: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for number, line_no in unmatched:
        found = numbers.get(number.lower(), set())
        if len(found) == 1 and number not in found:
            by_number.setdefault((next(iter(found)), line_no), []).append((number, line_no))
    for chunk in chunks(sorted(by_number)):
        for number, line_no, *row in session.execute(_named(columns, chunk, supplier_id, buyer_id)):
            for key in by_number[(number, line_no)]:
                yield key, row


def _numbers_by_case(
    session: Session, numbers: set[str], supplier_id: int | None, buyer_id: int | None
) -> dict[str, set[str]]:
    """The numbers of the supplier's orders (the buyer's when one is given) that differ from
    one of ``numbers`` only in case, by their lower-case form."""
    found: dict[str, set[str]] = {}
    for chunk in chunks(sorted({number.lower() for number in numbers})):
        query = select(PurchaseOrder.number).where(
            PurchaseOrder.supplier_org_id == supplier_id,
            func.lower(PurchaseOrder.number).in_(chunk),
        )
        if buyer_id is not None:
            query = query.where(PurchaseOrder.buyer_org_id == buyer_id)
        for number in session.scalars(query):
            found.setdefault(number.lower(), set()).add(number)
    return found


def _named(
    columns: Sequence[Any],
    keys: list[tuple[str, int]],
    supplier_id: int | None,
    buyer_id: int | None,
) -> Select[Any]:
    """The query of the supplier's order lines named by ``keys`` (order number, line number).
    It names the orders by number too and filters on the orders, so that the database finds
    the few orders first and then their lines, instead of walking all the supplier's lines
    for each batch (quadratic: a 50,000-line notice took 35 s more)."""
    query = (
        select(PurchaseOrder.number, OrderLine.line_no, *columns)
        .join(OrderLine, OrderLine.order_id == PurchaseOrder.id)
        .join(Part, Part.id == OrderLine.part_id)
        .where(
            PurchaseOrder.supplier_org_id == supplier_id,
            PurchaseOrder.number.in_(sorted({number for number, _ in keys})),
            tuple_(PurchaseOrder.number, OrderLine.line_no).in_(keys),
        )
        .order_by(OrderLine.id)
    )
    if buyer_id is not None:
        query = query.where(PurchaseOrder.buyer_org_id == buyer_id)
    return query


def _line_and_part(found: ShipLookups, row: Sequence[Any]) -> ShipLine:
    """The line of a row of ``_LINE`` and ``_PART`` columns; its part goes to ``found``."""
    part = ShipPart._make(row[len(_LINE) :])
    found.parts[part.id] = part
    return ShipLine._make(row[: len(_LINE)])


def _buyers_and_shipped(session: Session, found: ShipLookups, lines: dict[int, ShipLine]) -> None:
    buyer_ids = {line.buyer_org_id for line in lines.values()}
    for chunk in chunks(sorted(buyer_ids)):
        found.buyers.update(
            (org.id, org)
            for org in session.scalars(select(Organisation).where(Organisation.id.in_(chunk)))
        )
    for chunk in chunks(sorted(lines)):
        rows = session.execute(
            select(ShipNoticeLine.order_line_id, func.sum(ShipNoticeLine.quantity))
            .where(ShipNoticeLine.order_line_id.in_(chunk))
            .group_by(ShipNoticeLine.order_line_id)
        )
        found.shipped.update((line_id, Decimal(total or 0)) for line_id, total in rows)
        rows = session.execute(
            select(Receipt.order_line_id, func.sum(Receipt.rejected_quantity))
            .where(Receipt.order_line_id.in_(chunk))
            .group_by(Receipt.order_line_id)
        )
        found.rejected.update((line_id, Decimal(total or 0)) for line_id, total in rows)


def _lots(session: Session, found: ShipLookups, maker_id: int | None, numbers: set[str]) -> None:
    for chunk in chunks(sorted(numbers)):
        rows = session.execute(
            select(Lot.id, Lot.lot_number, Lot.part_id, Part.part_number)
            .outerjoin(Part, Part.id == Lot.part_id)
            .where(Lot.maker_org_id == maker_id, Lot.lot_number.in_(chunk))
        )
        for lot_id, number, part_id, part_number in rows:
            found.lots[number] = KnownLot(lot_id, part_id, part_number)
