"""Lot consumption: which input lots a supplier used to make each of its output lots."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.errors import ValidationFailed
from models.i18n import N_, Msg
from models.orders.entities import (
    Lot,
    LotConsumption,
    OrderLine,
    Receipt,
    ShipmentLot,
    ShipNotice,
    ShipNoticeLine,
)
from models.orders.lines import plain
from models.orders.loading import load_with_items
from models.orders.parts import made_part
from models.orders.purchasing import source_of
from models.orders.schemas import ConsumptionSchema
from models.orders.shipping import find_lot, lot_for_part
from models.quality.lot_links import link_inspections
from models.roles import require_permission
from models.trace.graph import serialise_link_writes, would_create_cycle


def received_lots(session: Session, org_id: int | None, lot_number: str) -> list[Lot]:
    """Lots with this number shipped to the organisation by any of its suppliers."""
    return list(
        session.scalars(
            select(Lot)
            .join(ShipmentLot, ShipmentLot.lot_id == Lot.id)
            .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
            .join(ShipNotice, ShipNotice.id == ShipNoticeLine.notice_id)
            .where(ShipNotice.buyer_org_id == org_id, Lot.lot_number == lot_number)
            .distinct()
        )
    )


def declare_consumption(
    session: Session, actor: Actor, data: dict[str, Any]
) -> list[LotConsumption]:
    """Declare the input lots (and quantities) that went into one output lot of the actor.

    The output lot is the actor's own; when it does not exist yet, ``part_number`` (a part the
    actor makes) creates it. Each input lot is one shipped to the actor by a supplier, or
    another lot of the actor's own; a number received from several suppliers needs
    ``supplier_org_id``. A pair already declared, a lot consumed into itself or into a lot it
    was made from, and an output lot number used for another part are refused. Of a lot
    received from a supplier, at most what is left is consumed: what the actor received of it
    (what was shipped, where no receipt is recorded yet) less what the actor already declared
    consumed from it. Every problem is reported at once; nothing is written then. Declarations
    take turns (see :func:`serialise_link_writes`), so two at once cannot close a cycle
    together.
    """
    require_permission(actor.role, "sell")
    loaded, items, errors = load_with_items(ConsumptionSchema(), data, "inputs")
    if "output_lot_number" not in loaded:
        raise ValidationFailed(errors)
    output = find_lot(session, actor.org_id, loaded["output_lot_number"])
    part = None
    if loaded.get("part_number"):
        part = made_part(session, actor.org_id, loaded["part_number"])
        if part is None:
            errors["part_number"] = [
                Msg(N_("Unknown part number %(part)s."), part=loaded["part_number"])
            ]
        else:
            output, problem = lot_for_part(session, actor.org_id, loaded["output_lot_number"], part)
            if problem:
                errors["output_lot_number"] = [problem]
    elif output is None:
        errors["part_number"] = [
            Msg(N_("Lot %(lot)s is new: give its part number."), lot=loaded["output_lot_number"])
        ]
    serialise_link_writes(session)
    inputs = []
    bought: list[tuple[int, Lot, Decimal]] = []
    for index, item in items:
        place = f"inputs.{index}.lot_number"
        lot = _input_lot(session, actor, item, place, errors)
        if lot is None:
            continue
        if output is not None and would_create_cycle(session, output.id, lot.id):
            errors[place] = [
                Msg(
                    N_("Lot %(lot)s cannot go into itself or a lot it was made from."),
                    lot=lot.lot_number,
                )
            ]
        elif output is not None and session.scalar(
            select(LotConsumption.id).where(
                LotConsumption.output_lot_id == output.id, LotConsumption.input_lot_id == lot.id
            )
        ):
            errors[place] = [Msg(N_("Lot %(lot)s is already declared."), lot=lot.lot_number)]
        elif lot.id in {i.id for i, _ in inputs}:
            errors[place] = [Msg(N_("Lot %(lot)s appears twice."), lot=lot.lot_number)]
        elif item.get("quantity") is not None and lot.maker_org_id != actor.org_id:
            bought.append((index, lot, item["quantity"]))
        inputs.append((lot, item.get("quantity")))
    errors.update(_more_than_left(session, actor.org_id, bought))
    if errors:
        raise ValidationFailed(errors)
    if output is None:
        assert part is not None
        output = Lot(
            maker_org_id=actor.org_id,
            part_id=part.id,
            lot_number=loaded["output_lot_number"],
            made_at=loaded.get("made_at"),
        )
        session.add(output)
        session.flush()
        link_inspections(session, actor, output.maker_org_id, [output.id])
    edges = []
    for lot, quantity in inputs:
        edge = LotConsumption(
            output_lot_id=output.id,
            input_lot_id=lot.id,
            quantity=quantity,
            declared_by_org_id=actor.org_id,
            source=source_of(actor),
        )
        session.add(edge)
        edges.append(edge)
    session.flush()
    record_audit(
        session,
        actor,
        "lot.consumption",
        "lot",
        output.id,
        {"lot_number": output.lot_number, "inputs": [lot.lot_number for lot, _ in inputs]},
    )
    return edges


def _input_lot(
    session: Session,
    actor: Actor,
    item: dict[str, Any],
    place: str,
    errors: dict[str, list[str]],
) -> Lot | None:
    number = item.get("lot_number")
    if number is None:
        return None
    candidates = received_lots(session, actor.org_id, number)
    own = find_lot(session, actor.org_id, number)
    if own is not None:
        candidates.append(own)
    if item.get("supplier_org_id") is not None:
        candidates = [lot for lot in candidates if lot.maker_org_id == item["supplier_org_id"]]
    if not candidates:
        errors[place] = [Msg(N_("No lot %(lot)s was shipped to you."), lot=number)]
        return None
    if len(candidates) > 1:
        errors[place] = [
            Msg(N_("Several suppliers shipped a lot %(lot)s: name the supplier."), lot=number)
        ]
        return None
    return candidates[0]


def _more_than_left(
    session: Session, org_id: int | None, bought: list[tuple[int, Lot, Decimal]]
) -> dict[str, list[Msg]]:
    """Errors for each ``(index, lot, quantity)`` of a lot received from a supplier whose
    quantity is more than the organisation has left of it (two grouped queries for all)."""
    if not bought:
        return {}
    lot_ids = [lot.id for _index, lot, _quantity in bought]
    received = _received_of_lots(session, org_id, lot_ids)
    declared = {
        lot_id: total
        for lot_id, total in session.execute(
            select(LotConsumption.input_lot_id, func.sum(LotConsumption.quantity))
            .where(
                LotConsumption.input_lot_id.in_(lot_ids),
                LotConsumption.declared_by_org_id == org_id,
            )
            .group_by(LotConsumption.input_lot_id)
        )
    }
    errors: dict[str, list[Msg]] = {}
    for index, lot, quantity in bought:
        got, unit = received.get(lot.id, (Decimal(0), ""))
        used = declared.get(lot.id) or Decimal(0)
        left = max(got - used, Decimal(0))
        if quantity > left:
            errors[f"inputs.{index}.quantity"] = [
                Msg(
                    N_(
                        "At most %(left)s %(unit)s of this lot is left: %(received)s received, "
                        "%(declared)s already declared."
                    ),
                    left=plain(left),
                    unit=unit,
                    received=plain(got),
                    declared=plain(used),
                )
            ]
    return errors


def _received_of_lots(
    session: Session, org_id: int | None, lot_ids: list[int]
) -> dict[int, tuple[Decimal, str]]:
    """How much of each lot was received by the organisation, over every shipment of it
    there, and in which unit. A shipment not received yet counts as shipped: a supplier may
    declare what it used before its goods-in records the receipt."""
    got = (
        select(Receipt.shipment_lot_id, func.sum(Receipt.received_quantity).label("quantity"))
        .join(ShipmentLot, ShipmentLot.id == Receipt.shipment_lot_id)
        .where(ShipmentLot.lot_id.in_(lot_ids))
        .group_by(Receipt.shipment_lot_id)
        .subquery()
    )
    rows = session.execute(
        select(
            ShipmentLot.lot_id,
            func.sum(func.coalesce(got.c.quantity, ShipmentLot.quantity)),
            func.max(OrderLine.unit),
        )
        .select_from(ShipmentLot)
        .join(ShipNoticeLine, ShipNoticeLine.id == ShipmentLot.notice_line_id)
        .join(ShipNotice, ShipNotice.id == ShipNoticeLine.notice_id)
        .join(OrderLine, OrderLine.id == ShipNoticeLine.order_line_id)
        .outerjoin(got, got.c.shipment_lot_id == ShipmentLot.id)
        .where(ShipmentLot.lot_id.in_(lot_ids), ShipNotice.buyer_org_id == org_id)
        .group_by(ShipmentLot.lot_id)
    ).all()
    return {lot_id: (Decimal(total or 0), unit or "") for lot_id, total, unit in rows}
