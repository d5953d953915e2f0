"""Orders go out as 850 or ORDERS under control numbers unique per partner; the partner's
997, TA1 or CONTRL sets their status."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from edi import parse_document
from models.edi_docs.entities import EdiOutbound
from models.errors import NotFound, ValidationFailed
from models.orders.entities import PurchaseOrder
from worker.edi_exchange.orders import send_order_file


def _order_id(session, number: str = "PO-EDI-1") -> int:
    return session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == number))


def test_850_reads_back_as_the_order(world, session):
    sent = send_order_file(
        session, world.actor("buyer@anchor.edi"), {"purchase_order_id": _order_id(session)}
    )
    assert (sent.kind, sent.standard, sent.status, sent.interchange_control) == (
        "850",
        "x12",
        "sent",
        1,
    )
    read = parse_document(sent.content)
    assert not read.all_errors()
    interchange = read.interchanges[0]
    assert (interchange.sender, interchange.receiver) == ("ANCHORCO", "SUPPLIER01")
    assert interchange.groups[0].sender == "ANCHORAPP"
    record = interchange.messages[0].records[0]
    assert record["number"] == "PO-EDI-1"
    assert [(line["part_number"], line["quantity"], line["unit"]) for line in record["lines"]] == [
        ("BRK-100", "120", "EA"),
        ("STL-7", "30.5", "KG"),
    ]
    assert record["lines"][0]["supplier_part_number"] == "SUP-9001"


def test_orders_name_units_by_the_codes_of_their_standard(world, session):
    """A partner's translator checks X12 355 or UN/ECE Rec 20 codes, not our ``pcs``."""
    sent = send_order_file(
        session,
        world.actor("buyer@anchor.edi"),
        {"purchase_order_id": _order_id(session), "standard": "edifact"},
    )
    assert b"QTY+21:120:PCE'" in sent.content and b"QTY+21:30.5:KGM'" in sent.content
    record = parse_document(sent.content).interchanges[0].messages[0].records[0]
    assert [line["unit"] for line in record["lines"]] == ["PCE", "KGM"]


def test_control_numbers_count_per_partner_and_standard(world, session):
    buyer = world.actor("buyer@anchor.edi")
    order = _order_id(session)
    numbers = [
        send_order_file(session, buyer, {"purchase_order_id": order}).interchange_control,
        send_order_file(session, buyer, {"purchase_order_id": order}).interchange_control,
        send_order_file(
            session, buyer, {"purchase_order_id": order, "standard": "edifact"}
        ).interchange_control,
    ]
    assert numbers == [1, 2, 1]


def test_orders_of_others_or_without_identities_are_refused(world, session):
    with pytest.raises(NotFound):
        send_order_file(
            session, world.actor("admin@supplier.edi"), {"purchase_order_id": _order_id(session)}
        )
    with pytest.raises(ValidationFailed) as bad:
        send_order_file(
            session,
            world.actor("buyer@anchor.edi"),
            {"purchase_order_id": _order_id(session), "standard": "vda"},
        )
    assert "standard" in bad.value.errors


def _997(group: int, status: str, accepted: int) -> bytes:
    return (
        "ISA*00*          *00*          *ZZ*SUPPLIER01     *ZZ*ANCHORCO       *240307*1100*U*"
        "00401*000000555*0*P*>~GS*FA*SUPPLIER01*ANCHORAPP*20240307*1100*555*X*004010~"
        f"ST*997*0001~AK1*PO*{group}~AK2*850*0001~AK5*{status}~"
        f"AK9*{status}*1*1*{accepted}~SE*6*0001~GE*1*555~IEA*1*000000555~"
    ).encode()


def test_a_997_from_the_supplier_sets_the_status_of_our_850(ingest, world, session):
    sent = send_order_file(
        session, world.actor("buyer@anchor.edi"), {"purchase_order_id": _order_id(session)}
    )
    session.commit()
    report = ingest("ack.edi", content=_997(sent.interchange_control, "R", 0))
    assert report["status"] == "accepted", report["errors"]
    assert report["acks"] == []  # a 997 is not acknowledged
    session.refresh(sent)
    assert sent.status == "rejected"
    assert sent.ack_document_id == report["document"]


def test_a_997_for_a_file_never_sent_is_rejected(ingest, session):
    report = ingest("ack.edi", content=_997(42, "A", 1))
    assert report["status"] == "rejected"
    assert report["errors"][0]["text"] == (
        "This acknowledgement answers 42, which was not sent to this partner."
    )


@pytest.mark.parametrize("control", ["99999999999999999999", "²"])
def test_a_997_for_a_number_no_file_has_is_rejected_saying_so(ingest, session, control):
    # "²" is a digit to Python's isdigit but no number to int(); the long number is past what
    # the column holds: looking either up failed the whole file.
    report = ingest("ack.edi", content=_997(control, "A", 1).decode().encode("latin-1"))
    assert report["status"] == "rejected"
    assert report["errors"][0]["text"] == (
        f"This acknowledgement answers {control}, which was not sent to this partner."
    )


def _ta1(interchange: int | str, status: str, note: str) -> bytes:
    return (
        "ISA*00*          *00*          *ZZ*SUPPLIER01     *ZZ*ANCHORCO       *240307*1100*U*"
        f"00401*000000556*0*P*>~TA1*{interchange:0>9}*240307*1059*{status}*{note}~"
        "IEA*0*000000556~"
    ).encode()


def test_a_ta1_from_the_supplier_sets_the_status_of_our_interchange(ingest, world, session):
    sent = send_order_file(
        session, world.actor("buyer@anchor.edi"), {"purchase_order_id": _order_id(session)}
    )
    session.commit()
    report = ingest("ta1.edi", content=_ta1(sent.interchange_control, "R", "022"))
    assert report["status"] == "accepted", report["errors"]
    assert [(m["type"], m["status"]) for m in report["messages"]] == [("TA1", "accepted")]
    assert report["acks"] == []  # an acknowledgement is not acknowledged
    session.refresh(sent)
    assert (sent.status, sent.ack_document_id) == ("rejected", report["document"])
    assert sent.ack_detail == {"status_code": "R", "note_code": "022"}


def test_a_ta1_in_the_suppliers_name_from_someone_else_changes_nothing(ingest, world, session):
    sent = send_order_file(
        session, world.actor("buyer@anchor.edi"), {"purchase_order_id": _order_id(session)}
    )
    session.commit()
    forged = _ta1(sent.interchange_control, "R", "022")
    report = ingest("ta1.edi", sender="admin@outsider.edi", content=forged)
    assert report["status"] == "rejected"
    assert report["errors"][0]["text"] == (
        "The file names SUPPLIER01 as its sender, which is not your organisation."
    )
    session.refresh(sent)
    assert (sent.status, sent.ack_document_id) == ("sent", None)


def test_a_ta1_for_an_interchange_never_sent_is_rejected_saying_so(ingest, session):
    report = ingest("ta1.edi", content=_ta1(42, "A", "000"))
    assert report["status"] == "rejected"
    assert [(e["message"], e["text"]) for e in report["errors"]] == [
        ("000000042", "This acknowledgement answers 000000042, which was not sent to this partner.")
    ]
    assert report["acks"] == []


def test_a_contrl_from_the_supplier_sets_the_status_of_our_orders(ingest, world, session):
    sent = send_order_file(
        session,
        world.actor("buyer@anchor.edi"),
        {"purchase_order_id": _order_id(session), "standard": "edifact"},
    )
    session.commit()
    contrl = (
        "UNA:+.? 'UNB+UNOC:3+SUPPLIER01:14+ANCHORCO:14+240310:0805+CTL0001'"
        "UNH+1+CONTRL:D:3:UN'"
        f"UCI+{sent.interchange_control}+ANCHORCO:14+SUPPLIER01:14+7'"
        "UCM+1+ORDERS:D:96A:UN+4+12'UNT+4+1'UNZ+1+CTL0001'"
    ).encode()
    report = ingest("contrl.edi", content=contrl)
    assert report["status"] == "accepted", report["errors"]
    session.refresh(sent)
    assert sent.status == "rejected"
    assert session.scalars(select(EdiOutbound).where(EdiOutbound.kind == "CONTRL")).all() == []
