"""An inspection measured before its lot existed joins the lot when the lot is created."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.audit import AuditEvent
from models.orders.consumption import declare_consumption
from models.orders.entities import Lot
from models.orders.shipping import create_ship_notice
from models.quality.measurements import record_inspection, unknown_lot_numbers
from tests.integration.quality import builders
from tests.integration.quality.builders import PISTON_RINGS, inspection

DAY = date(2026, 11, 20)


def _ship(session, actor, line, lot_number: str, quantity: int = 10):
    data = {
        "number": f"ASN-{line.id}",
        "ship_date": DAY.isoformat(),
        "lines": [
            {
                "order_line_id": line.id,
                "quantity": str(quantity),
                "lots": [{"lot_number": lot_number, "quantity": str(quantity)}],
            }
        ],
    }
    return create_ship_notice(session, actor, data)


def _lot(session, maker_org_id: int, number: str) -> Lot:
    return session.scalar(
        select(Lot).where(Lot.maker_org_id == maker_org_id, Lot.lot_number == number)
    )


def test_a_ship_notice_links_the_inspections_measured_before_it(session, chain, ring):
    early = record_inspection(
        session, chain.reporter, inspection("L-EARLY", "D1", PISTON_RINGS[:5])
    )
    assert unknown_lot_numbers([early]) == ["L-EARLY"]
    line = builders.order_line(session, chain.anchor, chain.supplier, chain.parts["ring"], 10, DAY)
    _ship(session, chain.supplier_admin.via("edi"), line, "L-EARLY")
    lot = _lot(session, chain.supplier.id, "L-EARLY")
    assert early.lot_id == lot.id
    assert unknown_lot_numbers([early]) == []
    audited = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(early.id))
    ).all()
    assert "inspection.link_lot" in audited


def test_a_lot_declared_as_an_output_links_its_early_inspections(session, chain, ring):
    early = record_inspection(session, chain.reporter, inspection("L-OUT", "D1", PISTON_RINGS[:5]))
    builders.lot(session, chain.supplier, chain.parts["ring"], "RAW-1")
    data = {"output_lot_number": "L-OUT", "part_number": "RING-1",
            "inputs": [{"lot_number": "RAW-1", "quantity": "5"}]}  # fmt: skip
    declare_consumption(session, chain.supplier_admin, data)
    assert early.lot_id == _lot(session, chain.supplier.id, "L-OUT").id


def test_a_lot_of_another_maker_or_part_is_not_linked(session, chain, ring):
    early = record_inspection(session, chain.reporter, inspection("L-SAME", "D1", PISTON_RINGS[:5]))
    # the same number shipped by the sub-supplier, of a part the supplier buys from it
    bought = builders.part(session, chain.supplier, chain.sub, "BLANK-1")
    to_supplier = builders.order_line(session, chain.supplier, chain.sub, bought, 10, DAY)
    _ship(session, chain.sub_admin, to_supplier, "L-SAME")
    # and by the supplier itself, of another part it makes for the anchor
    cap = builders.part(session, chain.anchor, chain.supplier, "CAP-1")
    to_anchor = builders.order_line(session, chain.anchor, chain.supplier, cap, 10, DAY)
    _ship(session, chain.supplier_admin, to_anchor, "L-SAME")
    assert _lot(session, chain.sub.id, "L-SAME") is not None
    assert _lot(session, chain.supplier.id, "L-SAME").part_id == cap.id
    assert early.lot_id is None
    assert unknown_lot_numbers([early]) == ["L-SAME"]
