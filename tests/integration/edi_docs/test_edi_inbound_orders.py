"""850/ORDERS become purchase orders, 855/ORDRSP confirmations and proposals, QALITY
inspections: through the same operations as the forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from models.orders.entities import LineConfirmation, PurchaseOrder


def test_850_from_the_buyer_is_a_purchase_order_to_the_receiving_supplier(ingest, world, session):
    report = ingest("x12_850_from_anchor.edi", sender="buyer@anchor.edi")
    assert report["status"] == "accepted", report["errors"]
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-EDI-850"))
    assert (order.buyer_org_id, order.supplier_org_id) == (
        world.org["anchor"],
        world.org["supplier"],
    )
    assert order.source == "edi"
    assert [
        (line.line_no, line.part.part_number, line.quantity, line.unit) for line in order.lines
    ] == [
        (1, "BRK-100", Decimal("60"), "pcs"),
        (2, "STL-7", Decimal("12.5"), "kg"),
    ]
    assert order.lines[0].due_date == date(2030, 4, 15)
    assert report["acks"][0]["kind"] == "997"


def test_850_with_an_unknown_part_is_rejected_naming_the_line(ingest, session):
    from tests.fixtures.edi_docs.world import edi_file

    content = edi_file("x12_850_from_anchor.edi").replace(b"BP*STL-7", b"BP*NOPE-1")
    report = ingest("x.edi", sender="buyer@anchor.edi", content=content)
    assert report["status"] == "rejected"
    assert report["errors"][0]["field"] == "lines.1.part_number"
    assert report["errors"][0]["text"] == "Unknown part number NOPE-1."
    assert session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-EDI-850")) is None


def test_855_confirms_one_line_and_proposes_another(ingest, session):
    report = ingest("x12_855_from_supplier.edi")
    assert report["status"] == "accepted", report["errors"]
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-EDI-1"))
    first, second = order.lines
    session.refresh(first)
    session.refresh(second)
    assert first.confirmation == "confirmed"
    assert second.confirmation == "proposed"
    proposal = session.scalar(select(LineConfirmation).where(LineConfirmation.line_id == second.id))
    assert (proposal.action, proposal.quantity, proposal.promised_date, proposal.source) == (
        "propose",
        Decimal("25"),
        date(2030, 5, 1),
        "edi",
    )


def test_a_repeated_855_changes_nothing(ingest, session):
    from tests.fixtures.edi_docs.world import edi_file

    ingest("x12_855_from_supplier.edi")
    again = edi_file("x12_855_from_supplier.edi").replace(b"000000901", b"000000902")
    assert ingest("again.edi", content=again)["status"] == "accepted"
    steps = session.scalars(select(LineConfirmation)).all()
    assert sorted(step.action for step in steps) == ["confirm", "propose", "propose"]


def _bore(session, world) -> None:
    """The anchor's BORE characteristic of BRK-100, which the QALITY fixture measures."""
    from models.orders.parts import own_part
    from models.quality.characteristics import create_characteristic

    part = own_part(session, world.org["anchor"], "BRK-100")
    create_characteristic(
        session,
        world.actor("admin@anchor.edi"),
        {"part_id": part.id, "code": "BORE", "name": "Bore", "unit": "mm", "lsl": 9.9, "usl": 10.1},
    )
    session.commit()


def test_qality_records_an_inspection_of_the_lot(ingest, world, session):
    from models.quality.entities import CharacteristicStatistics, Inspection, Measurement

    _bore(session, world)
    report = ingest("edifact_qality.edi")
    assert report["status"] == "accepted", report["errors"]
    inspection = session.scalars(select(Inspection)).one()
    assert (inspection.lot_number, inspection.document_number, inspection.source) == (
        "L2403-A",
        "QR-7001",
        "edi",
    )
    values = session.scalars(
        select(Measurement.value).where(Measurement.inspection_id == inspection.id)
    ).all()
    assert sorted(values) == [9.99, 10.01, 10.02]
    assert inspection.upload_id is not None
    statistics = session.scalars(select(CharacteristicStatistics)).all()
    assert statistics, "the statistics of the measured characteristic are recomputed"


def test_qality_for_an_unknown_characteristic_is_rejected(ingest, session):
    from models.quality.entities import Inspection

    report = ingest("edifact_qality.edi")
    assert report["status"] == "rejected"
    assert report["errors"][0]["field"] == "items.0.characteristics.0.code"
    error = report["errors"][0]
    assert (error["segment_position"], error["segment_tag"], error["element"]) == (
        7,
        "CCI",
        "CCI/7037",
    )
    assert session.scalars(select(Inspection)).all() == []


def test_a_qality_sent_again_with_its_number_is_refused_and_records_nothing(ingest, world, session):
    from models.quality.entities import Inspection, Measurement
    from tests.fixtures.edi_docs.world import edi_file

    _bore(session, world)
    assert ingest("edifact_qality.edi")["status"] == "accepted"
    again = edi_file("edifact_qality.edi").replace(b"QAL0701", b"QAL0702")
    report = ingest("again.edi", content=again)
    assert report["created"] and report["status"] == "rejected"
    (error,) = report["errors"]
    assert (error["field"], error["text"]) == (
        "number",
        "Quality report number QR-7001 is already used.",
    )
    assert (error["segment_position"], error["segment_tag"], error["element"]) == (
        2,
        "BGM",
        "BGM/1004",
    )
    (inspection,) = session.scalars(select(Inspection)).all()
    assert len(session.scalars(select(Measurement)).all()) == 3
    assert inspection.document_number == "QR-7001"


def test_qality_value_refused_names_its_mea(ingest, world, session):
    from models.quality.entities import Inspection
    from tests.fixtures.edi_docs.world import edi_file

    _bore(session, world)
    content = edi_file("edifact_qality.edi").replace(b"MMT:10.02", b"MMT:1002")
    report = ingest("x.edi", content=content)
    assert report["status"] == "rejected"
    (error,) = report["errors"]
    assert error["field"] == "items.0.characteristics.0.measurements.1"
    assert (error["segment_position"], error["segment_tag"], error["element"]) == (
        9,
        "MEA",
        "MEA/6314",
    )
    assert session.scalars(select(Inspection)).all() == []
