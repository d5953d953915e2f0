"""Writing a checked ship notice in bulk: its lines, the lots it creates, the lots it carries,
and what it adds to the quantity of lots that existed before.

A few multi-row statements per thousand lines instead of several statements per line; the
rows are built a thousand at a time, so a notice of many thousand lines stays small in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.orm import Session

from models.orders.entities import Lot, ShipmentLot, ShipNotice, ShipNoticeLine
from models.orders.ship_lookups import KnownLot, ShipLine

#: Rows per multi-row statement.
BATCH = 1000

_LINES = ShipNoticeLine.__table__
_LOTS = Lot.__table__
_CARRIED = ShipmentLot.__table__


@dataclass
class PlannedLine:
    """A line of the notice that passed every check, with its lots (``None``: a new lot)."""

    line: ShipLine
    data: dict[str, Any]
    lots: list[tuple[dict[str, Any], KnownLot | None]]


def write_lines(session: Session, notice: ShipNotice, planned: list[PlannedLine]) -> list[int]:
    """Insert the notice's lines, its new lots (made by the notice's supplier on its ship
    date, of the part of the first line naming them, holding what the notice carries of
    them) and its shipment lots; add what it carries of lots that existed before to their
    quantity in the database (``quantity + n``, so two notices sent at once both count).
    Returns the ids of the new lots."""
    new_lots: dict[str, dict[str, Any]] = {}
    added: dict[int, Decimal] = {}
    for p in planned:
        for lot_data, known in p.lots:
            if known is not None:
                added[known.id] = added.get(known.id, Decimal(0)) + lot_data["quantity"]
                continue
            row = new_lots.setdefault(
                lot_data["lot_number"],
                {
                    "maker_org_id": notice.supplier_org_id,
                    "part_id": p.line.part_id,
                    "lot_number": lot_data["lot_number"],
                    "quantity": Decimal(0),
                    "made_at": notice.ship_date,
                },
            )
            row["quantity"] += lot_data["quantity"]
    lot_ids = _insert_lots(session, list(new_lots.values()))
    del new_lots
    for batch in _batches(planned):
        line_ids = session.scalars(
            insert(_LINES).returning(_LINES.c.id, sort_by_parameter_order=True),
            [
                {"notice_id": notice.id, "order_line_id": p.line.id, "quantity": p.data["quantity"]}
                for p in batch
            ],
        ).all()
        carried = [
            {
                "notice_line_id": line_id,
                "lot_id": known.id if known is not None else lot_ids[lot_data["lot_number"]],
                "quantity": lot_data["quantity"],
            }
            for line_id, p in zip(line_ids, batch, strict=True)
            for lot_data, known in p.lots
        ]
        if carried:
            session.execute(insert(_CARRIED), carried)
    _add_to_lots(session, added)
    return list(lot_ids.values())


def _batches(planned: list[PlannedLine]) -> Iterator[list[PlannedLine]]:
    for start in range(0, len(planned), BATCH):
        yield planned[start : start + BATCH]


def _insert_lots(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    """The new lots' ids by number."""
    ids: dict[str, int] = {}
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        returned = session.scalars(
            insert(_LOTS).returning(_LOTS.c.id, sort_by_parameter_order=True), batch
        ).all()
        ids.update((row["lot_number"], lot_id) for row, lot_id in zip(batch, returned, strict=True))
    return ids


def _add_to_lots(session: Session, added: dict[int, Decimal]) -> None:
    """``quantity = quantity + added`` per lot in one executemany; the lots this session
    holds forget their quantity, so reading it again gets the new one."""
    if not added:
        return
    increment = bindparam("added", type_=_LOTS.c.quantity.type)
    session.execute(
        update(_LOTS)
        .where(_LOTS.c.id == bindparam("lot_id"))
        .values(quantity=func.coalesce(_LOTS.c.quantity, 0) + increment),
        [{"lot_id": lot_id, "added": quantity} for lot_id, quantity in added.items()],
    )
    for lot_id in added:
        held = session.identity_map.get(session.identity_key(Lot, lot_id))
        if held is not None:
            session.expire(held, ["quantity"])
