"""Turning the rows of a trace statement into nodes, edges and shipments.

Withheld lots (their maker does not share traceability with the viewer) are grouped: all those
of one tier hanging off the same node become one node "withheld by a tier-n supplier" with a
count, so the graph keeps its shape without naming anyone. Rows are read by position (the
statement of :mod:`models.trace.queries` selects :data:`ROW_COLUMNS` first, in this order):
a trace can hold tens of thousands of rows, and this loop is most of its Python time.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any

from models.trace.names import Names, OrgName
from models.trace.results import Trace, TraceEdge, TraceNode, TraceShipment

ROW_COLUMNS = (
    "parent_id",
    "lot_id",
    "depth",
    "edge_quantity",
    "visible",
    "tier",
    "maker_org_id",
    "part_id",
    "lot_number",
    "lot_quantity",
    "made_at",
    "more",
    "incident",
)
PARENT, LOT, DEPTH, EDGE_QUANTITY, VISIBLE, TIER, MAKER, PART_ID, NUMBER = range(9)
LOT_QUANTITY, MADE_AT, MORE, INCIDENT = range(9, 13)
SHIPMENT_LOT = 13  # the first shipment column of a downstream trace
RECEIVER = 18  # the shipment's receiver (buyer_org_id)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while a trace's rows are fetched and assembled.

    A large trace allocates tens of thousands of rows and nodes, none of them in a cycle, yet
    each few hundred allocations start a collection that walks every object in the process: on
    a trace of 17,000 lots that was a third of the Python time. Reference counting still frees
    everything; the collector runs again afterwards.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def assemble(
    rows: Sequence[Any],
    roots: Sequence[int],
    direction: str,
    viewer_org_id: int | None,
    max_depth: int,
    names: Names,
) -> Trace:
    """Build the trace from the statement's rows (one per edge reached, per shipment), naming
    makers, parts and receivers from ``names``.

    Nodes come nearest first (by depth, then lot id); a withheld group sits where its first lot
    would be. Rows are taken in that order, so the first row of a lot holds its shortest depth
    and, of its parents one step nearer, the one with the smallest id: its place in the tree.
    """
    ordered = sorted(rows, key=itemgetter(DEPTH, LOT, PARENT))
    orgs, parts = names.orgs, names.parts
    walked_from = set(map(itemgetter(PARENT), ordered))
    keys: dict[int, str] = {}
    shown: dict[int, bool] = {}
    nodes: dict[str, TraceNode] = {}
    groups: dict[tuple[str | None, int | None], str] = {}
    quantities: dict[tuple[int, int], Decimal | None] = {}
    for row in ordered:
        lot_id, parent_id = row[LOT], row[PARENT]
        if parent_id is not None:
            quantities[parent_id, lot_id] = row[EDGE_QUANTITY]
        if lot_id in keys:
            continue
        parent_key = keys[parent_id] if parent_id is not None else None
        more = row[MORE] and lot_id not in walked_from
        end = lot_id not in walked_from and not more
        shown[lot_id] = visible = row[VISIBLE]
        if visible:
            key = f"lot-{lot_id}"
            maker, part = orgs[row[MAKER]], parts[row[PART_ID]]
            nodes[key] = TraceNode(
                key, row[DEPTH], row[TIER], False, 1, lot_id, row[NUMBER], row[MAKER],
                maker.code, maker.zh, maker.en, part.number, part.zh, part.en, part.unit,
                row[LOT_QUANTITY], row[MADE_AT], end, more, bool(row[INCIDENT]), parent_key,
            )  # fmt: skip
        else:
            key = groups.setdefault((parent_key, row[TIER]), f"withheld-{len(groups) + 1}")
            group = nodes.get(key)
            if group is not None:
                group.count += 1
                group.end = group.end and end
                group.more = group.more or more
            else:
                nodes[key] = TraceNode(
                    key, row[DEPTH], row[TIER], True, end=end, more=more, parent=parent_key
                )
        keys[lot_id] = key
    edges = _edges(quantities, keys, shown, direction)
    shipments = []
    if direction == "down":
        visible_makers = {n.maker_org_id for n in nodes.values() if not n.withheld}
        shipments = _shipments(rows, keys, viewer_org_id, visible_makers, orgs)
    return Trace(
        direction, [keys[r] for r in roots], list(nodes.values()), edges, shipments, max_depth
    )


_MERGED = object()


def _edges(
    quantities: dict[tuple[int, int], Decimal | None],
    keys: dict[int, str],
    shown: dict[int, bool],
    direction: str,
) -> list[TraceEdge]:
    """Edges between node keys, input to output; merged edges of withheld groups lose their
    quantity, and a quantity declared by a withheld maker (of the output lot) is not shown."""
    up = direction == "up"
    merged: dict[tuple[str, str], Any] = {}
    for (parent_id, lot_id), quantity in quantities.items():
        near, far = keys[parent_id], keys[lot_id]
        if near == far:
            continue
        if up:
            pair, declared_by = (far, near), parent_id
        else:
            pair, declared_by = (near, far), lot_id
        merged[pair] = _MERGED if pair in merged else (quantity if shown[declared_by] else None)
    return [
        TraceEdge(source, target, None if quantity is _MERGED else quantity)
        for (source, target), quantity in merged.items()
    ]


def _shipments(
    rows: Sequence[Any],
    keys: dict[int, str],
    viewer_org_id: int | None,
    visible_makers: set[int | None],
    orgs: dict[int, OrgName],
) -> list[TraceShipment]:
    """Shipments of visible lots; a receiver is named when the viewer may already know it.

    That is: the viewer shipped the lot itself, or received it, or the receiver already appears
    in this trace as the maker of a lot the viewer may see.
    """
    found: dict[int, TraceShipment] = {}
    receipts: dict[int, dict[int, Any]] = defaultdict(dict)
    for row in rows:
        if row[SHIPMENT_LOT] is None:
            continue
        if row.shipment_lot_id not in found:
            named = (
                viewer_org_id is None
                or viewer_org_id == row.maker_org_id
                or (row.buyer_org_id in visible_makers | {viewer_org_id})
            )
            buyer = orgs.get(row.buyer_org_id) if named else None
            found[row.shipment_lot_id] = TraceShipment(
                key=keys[row.lot_id],
                lot_number=row.lot_number,
                notice_id=row.notice_id,
                notice_number=row.notice_number,
                ship_date=row.ship_date,
                quantity=row.shipped_quantity,
                buyer_org_id=row.buyer_org_id if buyer else None,
                buyer_code=buyer.code if buyer else None,
                buyer_name_zh=buyer.zh if buyer else None,
                buyer_name_en=buyer.en if buyer else None,
            )
        if row.receipt_id is not None:
            receipts[row.shipment_lot_id][row.receipt_id] = row
    for shipment_lot_id, by_id in receipts.items():
        item = found[shipment_lot_id]
        item.received = sum((r.received_quantity for r in by_id.values()), Decimal(0))
        item.rejected = sum((r.rejected_quantity for r in by_id.values()), Decimal(0))
        item.received_on = max(r.received_on for r in by_id.values())
    return sorted(found.values(), key=lambda s: (s.ship_date or date.min, s.notice_number))
