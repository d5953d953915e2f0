"""A value a domain operation refuses is named at the segment and element that carry it, as the
reader's own errors are: the sender finds it in the file from the message."""

from __future__ import annotations

from sqlalchemy import func, select

from models.orders.entities import LineConfirmation, PurchaseOrder, ShipNotice
from tests.fixtures.edi_docs.world import edi_file

ORDERS = (
    b"UNA:+.? '"
    b"UNB+UNOC:3+ANCHORCO:14+SUPPLIER01:14+240301:0930+ORD0801'"
    b"UNH+1+ORDERS:D:96A:UN'"
    b"BGM+220+PO-EDI-ORD+9'"
    b"DTM+137:20240301:102'"
    b"DTM+2:20300415:102'"
    b"LIN+1++BRK-100:BP'"
    b"QTY+21:60:PCE'"
    b"LIN+2++NOPE-9:BP'"
    b"QTY+21:5:PCE'"
    b"UNT+9+1'"
    b"UNZ+1+ORD0801'"
)


def _where(error: dict) -> tuple:
    return error["segment_position"], error["segment_tag"], error["element"], error["field"]


def _count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def test_856_part_not_of_the_order_line_names_its_lin_and_element(ingest, session):
    content = edi_file("x12_856_two_sets.edi").replace(b"LIN*2*BP*STL-7", b"LIN*2*BP*NOPE-1")
    report = ingest("x.edi", content=content)
    first, second = report["errors"]
    assert first["text"] == "The order line is for part STL-7."
    assert _where(first) == (14, "LIN", "LIN03", "lines.1.part_number")
    # The second set's LIN*9 names line 9 of PO-EDI-1, which does not exist.
    assert second["text"] == "No such order line of yours."
    assert _where(second) == (7, "LIN", "LIN01", "lines.0.po_number")
    assert _count(session, ShipNotice) == 0


def test_desadv_over_tolerance_names_the_qty_segment(ingest, session):
    content = edi_file("edifact_desadv.edi").replace(b"QTY+12:30.5:KGM", b"QTY+12:3000:KGM")
    report = ingest("x.edi", content=content)
    assert report["status"] == "rejected"
    (error,) = report["errors"]
    assert error["text"].startswith("Over-shipment: 0 already shipped plus 3000 makes 3000")
    assert _where(error) == (18, "QTY", "QTY/6060", "lines.1.quantity")
    assert _count(session, ShipNotice) == 0


def test_desadv_unknown_order_names_the_lines_rff(ingest, session):
    content = edi_file("edifact_desadv.edi").replace(b"RFF+ON:PO-EDI-1:2", b"RFF+ON:PO-NONE:2")
    (error,) = ingest("x.edi", content=content)["errors"]
    assert error["text"] == "No such order line of yours."
    assert _where(error) == (19, "RFF", "RFF/1:2", "lines.1.po_number")


def test_850_unknown_part_names_its_po1_element(ingest, session):
    content = edi_file("x12_850_from_anchor.edi").replace(b"BP*STL-7", b"BP*NOPE-1")
    report = ingest("x.edi", sender="buyer@anchor.edi", content=content)
    (error,) = report["errors"]
    assert error["text"] == "Unknown part number NOPE-1."
    assert _where(error) == (6, "PO1", "PO107", "lines.1.part_number")
    assert _count(session, PurchaseOrder) == 1  # only the world's PO-EDI-1


def test_orders_unknown_part_names_its_lin(ingest, session):
    report = ingest("orders.edi", sender="buyer@anchor.edi", content=ORDERS)
    (error,) = report["errors"]
    assert error["text"] == "Unknown part number NOPE-9."
    assert _where(error) == (7, "LIN", "LIN/7140", "lines.1.part_number")
    assert session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-EDI-ORD")) is None


def test_orders_number_already_used_names_the_bgm(ingest, session):
    good = ORDERS.replace(b"NOPE-9:BP'QTY+21:5:PCE", b"STL-7:BP'QTY+21:5:KGM")
    assert ingest("orders.edi", sender="buyer@anchor.edi", content=good)["status"] == "accepted"
    again = good.replace(b"ORD0801", b"ORD0802")
    (error,) = ingest("again.edi", sender="buyer@anchor.edi", content=again)["errors"]
    assert error["text"] == "Order number PO-EDI-ORD is already used."
    assert _where(error) == (2, "BGM", "BGM/1004", "number")


def test_855_unknown_order_names_the_bak(ingest):
    content = edi_file("x12_855_from_supplier.edi").replace(b"*PO-EDI-1*", b"*PO-NONE*")
    (error,) = ingest("x.edi", content=content)["errors"]
    assert error["text"] == "No order PO-NONE of this buyer to you."
    assert _where(error) == (2, "BAK", "BAK03", "order_number")


def test_855_unknown_line_names_its_po1(ingest):
    content = edi_file("x12_855_from_supplier.edi").replace(b"PO1*2*", b"PO1*7*")
    (error,) = ingest("x.edi", content=content)["errors"]
    assert error["text"] == "Order PO-EDI-1 has no such line."
    assert _where(error) == (5, "PO1", "PO101", "lines.1.line")


def test_desadv_line_number_in_the_wrong_component_names_rff_c506_1156(ingest, session):
    content = edi_file("edifact_desadv.edi").replace(b"RFF+ON:PO-EDI-1:2", b"RFF+ON:PO-EDI-1::2")
    (error,) = ingest("x.edi", content=content)["errors"]
    assert error["text"] == (
        "Order PO-EDI-1 is named without its line number: give it in this element."
    )
    assert _where(error) == (19, "RFF", "RFF/1156", "lines.1.po_line")
    assert _count(session, ShipNotice) == 0


RANGE = "Give a date from 2000-01-01 to 2099-12-31."


def test_850_dates_out_of_range_name_their_dtm_and_beg_elements(ingest, session):
    content = (
        edi_file("x12_850_from_anchor.edi")
        .replace(b"DTM*002*20300415", b"DTM*002*19990415")
        .replace(b"**20240301~", b"**21240301~")
    )
    report = ingest("x.edi", sender="buyer@anchor.edi", content=content)
    assert report["status"] == "rejected"
    assert [(_where(e), e["text"]) for e in report["errors"]] == [
        ((2, "BEG", "BEG05", "order_date"), RANGE),
        ((5, "DTM", "DTM02", "lines.0.due_date"), RANGE),
    ]
    assert session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-EDI-850")) is None


def test_orders_due_date_of_the_header_out_of_range_names_its_dtm_for_each_line(ingest, session):
    content = ORDERS.replace(b"DTM+2:20300415:102'", b"DTM+2:19990415:102'").replace(
        b"NOPE-9", b"BRK-100"
    )
    report = ingest("orders.edi", sender="buyer@anchor.edi", content=content)
    assert [(_where(e), e["text"]) for e in report["errors"]] == [
        ((4, "DTM", "DTM/2380", "lines.0.due_date"), RANGE),
        ((4, "DTM", "DTM/2380", "lines.1.due_date"), RANGE),
    ]
    assert session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-EDI-ORD")) is None


def test_856_ship_date_out_of_range_names_its_dtm(ingest, session):
    content = edi_file("x12_856_gbk.edi").replace(b"DTM*011*20240306", b"DTM*011*19990306")
    report = ingest("x.edi", content=content)
    assert (_where(report["errors"][0]), report["errors"][0]["text"]) == (
        (3, "DTM", "DTM02", "ship_date"),
        RANGE,
    )
    assert _count(session, ShipNotice) == 0


def test_desadv_ship_date_out_of_range_names_its_dtm(ingest, session):
    content = edi_file("edifact_desadv.edi").replace(b"DTM+11:20240310", b"DTM+11:19990310")
    (error,) = ingest("x.edi", content=content)["errors"]
    assert (_where(error), error["text"]) == ((4, "DTM", "DTM/2380", "ship_date"), RANGE)
    assert _count(session, ShipNotice) == 0


def test_855_promised_date_out_of_range_names_its_ack_element(ingest, session):
    content = edi_file("x12_855_from_supplier.edi").replace(b"068*20300501", b"068*19990501")
    report = ingest("x.edi", content=content)
    assert report["status"] == "rejected"
    assert [(_where(e), e["text"]) for e in report["errors"]] == [
        ((6, "ACK", "ACK05", "lines.1.promised_date"), RANGE)
    ]
    assert session.scalars(select(LineConfirmation)).all() == []
