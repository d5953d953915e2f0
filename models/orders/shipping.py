"""Ship notices: which order lines ship, how much, in which of the supplier's lots."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.clock import local_today
from models.errors import InputFault, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.notify import notify
from models.orders.entities import Lot, Part, ShipNotice, ShipNoticeLine
from models.orders.lines import agreed_quantity, over_ship_pct, plain, quantity_limit
from models.orders.loading import load_with_items
from models.orders.purchasing import source_of
from models.orders.schemas import ShipNoticeSchema
from models.orders.ship_lookups import (
    KnownLot,
    ShipLine,
    ShipLookups,
    ShipPart,
    line_reference,
    look_up,
)
from models.orders.ship_writes import PlannedLine, write_lines
from models.quality.lot_links import link_inspections
from models.roles import require_permission


def shipped_quantity(session: Session, line_id: int) -> Decimal:
    """How much of a line all ship notices so far carried."""
    total = session.scalar(
        select(func.sum(ShipNoticeLine.quantity)).where(ShipNoticeLine.order_line_id == line_id)
    )
    return Decimal(total or 0)


def find_lot(session: Session, maker_org_id: int | None, lot_number: str) -> Lot | None:
    return session.scalar(
        select(Lot).where(Lot.maker_org_id == maker_org_id, Lot.lot_number == lot_number)
    )


def lot_for_part(
    session: Session, maker_org_id: int | None, lot_number: str, part: Part
) -> tuple[Lot | None, Msg | None]:
    """The maker's lot with this number for ``part`` (``None`` if new), or why it cannot be."""
    lot = find_lot(session, maker_org_id, lot_number)
    if lot is not None and lot.part_id != part.id:
        other = session.get(Part, lot.part_id)
        return None, _used_for_another_part(lot_number, other.part_number if other else "?")
    return lot, None


def _used_for_another_part(lot_number: str, part_number: str) -> Msg:
    return Msg(
        N_("Lot %(lot)s is already used for another part (%(part)s)."),
        lot=lot_number,
        part=part_number,
    )


def create_ship_notice(session: Session, actor: Actor, data: dict[str, Any]) -> ShipNotice:
    """Record a ship notice of the actor (the supplier) to one buyer.

    Guarantees: every line is an open line the actor supplies (named by id or by order number
    and line number; others are reported as unknown), all of one buyer; part and unit, when
    given, match the line; lot quantities add up to the line quantity; a lot number the actor
    already used for another part (before, or on an earlier line of this notice) is refused;
    the total shipped on a line, less what the buyer rejected, stays within the agreed quantity
    plus the buyer's over-ship tolerance. Lots are created on first use and belong to the actor.
    Every problem is reported at once; nothing is written then.

    The look-ups and the writes are set-based (see :mod:`.ship_lookups`, :mod:`.ship_writes`):
    a few statements per 500 lines, so an EDI notice of many thousand lines takes seconds.
    """
    require_permission(actor.role, "sell")
    loaded, items, errors = load_with_items(ShipNoticeSchema(), data, "lines")
    if loaded.get("number") and session.scalar(
        select(ShipNotice.id).where(
            ShipNotice.supplier_org_id == actor.org_id, ShipNotice.number == loaded["number"]
        )
    ):
        errors["number"] = [
            Msg(N_("Ship notice number %(number)s is already used."), number=loaded["number"])
        ]
    found = look_up(session, actor.org_id, loaded.get("buyer_org_id"), items)
    planned: list[PlannedLine] = []
    this_notice: dict[int, Decimal] = {}
    first_use: dict[str, ShipPart] = {}
    for index, line_data in items:
        place = f"lines.{index}"
        line = _order_line(found, line_data, place, errors)
        if line is None:
            continue
        lots = _lots(found, first_use, line, line_data, place, errors)
        if line_data.get("quantity") is not None:
            this_notice[line.id] = this_notice.get(line.id, Decimal(0)) + line_data["quantity"]
            _within_tolerance(found, line, this_notice[line.id], place, errors)
        planned.append(PlannedLine(line, line_data, lots))
    buyers = {p.line.buyer_org_id for p in planned}
    if len(buyers) > 1:
        errors["lines"] = [Msg(N_("All lines of a ship notice must be for the same buyer."))]
    if errors:
        raise ValidationFailed(errors)
    notice = ShipNotice(
        number=loaded["number"],
        supplier_org_id=actor.org_id,
        buyer_org_id=buyers.pop(),
        ship_date=loaded["ship_date"] or local_today(),
        carrier=loaded["carrier"],
        tracking=loaded["tracking"],
        source=source_of(actor),
        created_by_user_id=actor.user_id,
    )
    session.add(notice)
    session.flush()
    new_lots = write_lines(session, notice, planned)
    link_inspections(session, actor, notice.supplier_org_id, new_lots)
    record_audit(
        session,
        actor,
        "ship_notice.create",
        "ship_notice",
        notice.id,
        {"number": notice.number, "lines": len(planned)},
    )
    notify(
        session,
        notice.buyer_org_id,
        "ship_notice.new",
        Msg(N_("Ship notice %(number)s is on its way"), number=notice.number),
        link=f"/orders/notices/{notice.id}",
    )
    return notice


def _order_line(
    found: ShipLookups, data: dict[str, Any], place: str, errors: dict[str, list[str]]
) -> ShipLine | None:
    reference = line_reference(data)
    if reference is None:
        return None
    if isinstance(reference, int):
        line = found.by_id.get(reference)
        lines = [line] if line is not None else []
        field = "order_line_id"
    else:
        lines = found.by_key.get(reference, [])
        field = "po_number"
    if not lines:
        errors[f"{place}.{field}"] = [Msg(N_("No such order line of yours."))]
        return None
    if len(lines) > 1:
        errors[f"{place}.{field}"] = [
            Msg(N_("Several buyers have an order with this number: name the buyer."))
        ]
        return None
    line = lines[0]
    if line.status != "open":
        errors[f"{place}.{field}"] = [Msg(N_("This line is closed."))]
        return None
    part = found.parts[line.part_id]
    named = data.get("part_number") or data.get("supplier_part_number")
    if named and named not in (part.part_number, part.supplier_part_number):
        errors[f"{place}.part_number"] = [
            Msg(N_("The order line is for part %(part)s."), part=part.part_number)
        ]
    if data.get("unit") and data["unit"] != line.unit:
        errors[f"{place}.unit"] = [
            Msg(N_("The order line is counted in %(unit)s."), unit=line.unit)
        ]
    return line


def _lots(
    found: ShipLookups,
    first_use: dict[str, ShipPart],
    line: ShipLine,
    data: dict[str, Any],
    place: str,
    errors: dict[str, list[str]],
) -> list[tuple[dict[str, Any], KnownLot | None]]:
    """The line's lots, each with the maker's lot of that number (``None``: new). A new lot
    number is of the part of the first line naming it; ``first_use`` remembers that part."""
    lots = data.get("lots") or []
    if len(lots) == 1 and lots[0].get("quantity") is None:
        lots[0]["quantity"] = data.get("quantity")
    part = found.parts[line.part_id]
    seen: set[str] = set()
    result = []
    for index, lot_data in enumerate(lots):
        lot_place = f"{place}.lots.{index}"
        number = lot_data.get("lot_number")
        if number is None:
            continue
        # A single lot ships the line's quantity; when that did not read, its field says so.
        if lot_data.get("quantity") is None and len(lots) > 1:
            errors[f"{lot_place}.quantity"] = [
                InputFault(N_("Give the quantity of lot %(lot)s."), lot=number)
            ]
        if number in seen:
            errors[f"{lot_place}.lot_number"] = [
                InputFault(N_("Lot %(lot)s appears twice."), lot=number)
            ]
        seen.add(number)
        known = found.lots.get(number)
        if known is not None:
            other = None if known.part_id == part.id else known.part_number or "?"
        else:
            first = first_use.setdefault(number, part)
            other = None if first.id == part.id else first.part_number
        if other is not None:
            errors[f"{lot_place}.lot_number"] = [_used_for_another_part(number, other)]
        result.append((lot_data, known))
    # A line without lots is refused by the schema, which says so; they add up to nothing.
    if data.get("quantity") is not None and lots and all(lot.get("quantity") for lot in lots):
        total = sum((lot["quantity"] for lot in lots), Decimal(0))
        if total != data["quantity"]:
            errors[f"{place}.lots"] = [
                InputFault(
                    N_("The lots add up to %(total)s, the line ships %(quantity)s."),
                    total=plain(total),
                    quantity=plain(data["quantity"]),
                )
            ]
    return result


def _within_tolerance(
    found: ShipLookups,
    line: ShipLine,
    this_notice: Decimal,
    place: str,
    errors: dict[str, list[str]],
) -> None:
    """What the buyer rejected goes back to the supplier, so it does not count as shipped:
    replacements for it may ship within the limit again."""
    buyer = found.buyers.get(line.buyer_org_id)
    shipped = found.shipped.get(line.id, Decimal(0))
    rejected = found.rejected.get(line.id, Decimal(0))
    total = shipped - rejected + this_notice
    limit = quantity_limit(line, buyer)
    if total <= limit:
        return
    figures = {
        "before": plain(shipped),
        "rejected": plain(rejected),
        "now": plain(this_notice),
        "total": plain(total),
        "agreed": plain(agreed_quantity(line)),
        "pct": plain(over_ship_pct(buyer)),
        "limit": plain(limit),
    }
    errors[f"{place}.quantity"] = [
        Msg(_OVER_SHIPMENT_AFTER_REJECTS if rejected else _OVER_SHIPMENT, **figures)
    ]


_OVER_SHIPMENT = N_(
    "Over-shipment: %(before)s already shipped plus %(now)s makes %(total)s, "
    "more than the %(agreed)s ordered plus %(pct)s%% tolerance (at most %(limit)s)."
)
_OVER_SHIPMENT_AFTER_REJECTS = N_(
    "Over-shipment: %(before)s already shipped less %(rejected)s rejected plus %(now)s makes "
    "%(total)s, more than the %(agreed)s ordered plus %(pct)s%% tolerance (at most %(limit)s)."
)


def get_notice(session: Session, org_id: int | None, notice_id: int) -> ShipNotice:
    """A ship notice the organisation sent or receives; any other is not found."""
    notice = session.get(ShipNotice, notice_id)
    if notice is None or org_id not in (notice.buyer_org_id, notice.supplier_org_id):
        raise NotFound()
    return notice
