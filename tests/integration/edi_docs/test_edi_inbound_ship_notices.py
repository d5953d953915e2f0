"""A supplier's 856 or DESADV becomes the buyer's ship notice with lots, as if typed in the form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from edi import parse_document
from models.audit import AuditEvent
from models.edi_docs.entities import EdiDocument, EdiMessage, EdiOutbound
from models.edi_docs.report import document_report
from models.edi_docs.reprocess import can_process_again, request_reprocess
from models.errors import Conflict
from models.files import Upload
from models.orders.entities import Lot, ShipmentLot, ShipNotice, ShipNoticeLine
from models.orders.shipping import create_ship_notice
from tests.fixtures.edi_docs.world import edi_file
from worker.edi_exchange.ingest import ingest_document


def _count(session, entity, *where) -> int:
    return session.scalar(select(func.count()).select_from(entity).where(*where))


def _notice(session, number: str) -> ShipNotice | None:
    return session.scalar(select(ShipNotice).where(ShipNotice.number == number))


def _lots(session, notice: ShipNotice) -> list[tuple[int, str, Decimal]]:
    rows = session.execute(
        select(ShipNoticeLine.order_line_id, Lot.lot_number, ShipmentLot.quantity)
        .join(ShipmentLot, ShipmentLot.notice_line_id == ShipNoticeLine.id)
        .join(Lot, Lot.id == ShipmentLot.lot_id)
        .where(ShipNoticeLine.notice_id == notice.id)
        .order_by(ShipmentLot.id)
    )
    return [tuple(row) for row in rows]


def _shape(session, notice: ShipNotice) -> list[tuple]:
    """Lines (order line number, part, quantity) with their lots, as the buyer sees them."""
    return [
        (
            line.order_line.line_no,
            line.order_line.part.part_number,
            line.quantity,
            [(s.lot.lot_number, s.lot.part_id, s.quantity) for s in line.lots],
        )
        for line in notice.lines
    ]


def test_856_set_is_the_same_ship_notice_as_the_form_and_a_bad_set_is_rejected(
    ingest, world, session
):
    report = ingest("x12_856_two_sets.edi")

    assert report["status"] == "partially_accepted"
    assert [m["status"] for m in report["messages"]] == ["accepted", "rejected"]
    notice = _notice(session, "ASN-7001")
    assert (notice.supplier_org_id, notice.buyer_org_id) == (
        world.org["supplier"],
        world.org["anchor"],
    )
    assert (notice.carrier, notice.tracking, notice.source) == ("SFEX", "SF1234567890", "edi")
    assert str(notice.ship_date) == "2024-03-06"
    # The same notice typed in the form (on a twin order) gives the same lines and lots.
    world.order("PO-EDI-TWIN")
    typed = create_ship_notice(
        session,
        world.actor("admin@supplier.edi"),
        {
            "number": "ASN-FORM",
            "buyer_org_id": world.org["anchor"],
            "ship_date": "2024-03-06",
            "carrier": "SFEX",
            "tracking": "SF1234567890",
            "lines": [
                {
                    "po_number": "PO-EDI-TWIN",
                    "po_line": 1,
                    "quantity": "120",
                    "unit": "pcs",
                    "lots": [{"lot_number": "L2403-A"}],
                },
                {
                    "po_number": "PO-EDI-TWIN",
                    "po_line": 2,
                    "quantity": "30.5",
                    "unit": "kg",
                    "lots": [
                        {"lot_number": "L2403-B", "quantity": "20"},
                        {"lot_number": "L2403-C", "quantity": "10.5"},
                    ],
                },
            ],
        },
    )
    assert _shape(session, notice) == _shape(session, typed)
    assert [line.quantity for line in notice.lines] == [Decimal("120"), Decimal("30.5")]
    assert typed.buyer_org_id == notice.buyer_org_id and typed.source == "form"
    # The rejected set wrote nothing and says why, at the field the rule refused.
    assert _notice(session, "ASN-7002") is None
    assert _count(session, Lot, Lot.lot_number == "L2403-Z") == 0
    rejected = [e for e in report["errors"] if e["message"] == "0002"]
    assert rejected and rejected[0]["field"] == "lines.0.po_number"
    assert rejected[0]["text"] == "No such order line of yours."


def test_a_quantity_finer_than_a_ten_thousandth_is_refused_not_rounded(ingest, session):
    content = edi_file("x12_856_two_sets.edi").replace(b"SN1**120*EA~", b"SN1**119.99999*EA~")

    report = ingest("fine.edi", content=content)

    assert report["messages"][0]["status"] == "rejected"
    refused = [e for e in report["errors"] if e["message"] == "0001"]
    fine = [e for e in refused if e["text"] == "Give at most 4 decimal places."]
    assert fine and fine[0]["field"] == "lines.0.quantity"
    assert _notice(session, "ASN-7001") is None
    assert _count(session, Lot, Lot.lot_number == "L2403-A") == 0


def test_ship_notice_writes_are_audited_as_edi_by_the_sender(ingest, world, session):
    ingest("x12_856_two_sets.edi")
    notice = _notice(session, "ASN-7001")
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity == "ship_notice", AuditEvent.entity_id == str(notice.id)
        )
    )
    assert (event.channel, event.actor_org_id) == ("edi", world.org["supplier"])
    assert event.actor_user_id == world.actors["admin@supplier.edi"].user_id


def test_997_acknowledges_each_set_of_the_group(ingest, session):
    report = ingest("x12_856_two_sets.edi")
    assert [a["kind"] for a in report["acks"]] == ["997"]
    ack = session.get(EdiOutbound, report["acks"][0]["id"])
    text = ack.content.decode()
    assert "AK1*SH*701~" in text
    assert "AK2*856*0001~AK5*A~" in text
    assert "AK2*856*0002~AK5*R" in text
    assert "AK9*P*2*2*1~" in text
    assert "*ZZ*ANCHORCO       *ZZ*SUPPLIER01     *" in text
    read = parse_document(ack.content)
    assert not read.all_errors()
    assert read.interchanges[0].messages[0].records[0]["status"] == "partially_accepted"


def test_desadv_with_batches_is_accepted_and_answered_with_a_contrl(ingest, session):
    report = ingest("edifact_desadv.edi")
    assert report["status"] == "accepted", report["errors"]
    notice = _notice(session, "DN-7101")
    assert [(lot, q) for _, lot, q in _lots(session, notice)] == [
        ("B2403-01", Decimal("100")),
        ("B2403-02", Decimal("20")),
        ("B2403-77", Decimal("30.5")),
    ]
    ack = session.get(EdiOutbound, report["acks"][0]["id"])
    assert ack.kind == "CONTRL"
    assert "UCI+DES0701+SUPPLIER01:14+ANCHORCO:14+7'" in ack.content.decode()


def test_the_same_bytes_twice_give_back_the_first_document(ingest, session):
    first = ingest("edifact_desadv.edi")
    again = ingest("edifact_desadv.edi")
    assert again["document"] == first["document"] and again["created"] is False
    assert _count(session, EdiDocument) == 1
    assert _count(session, Upload) == 1
    assert _count(session, ShipNotice, ShipNotice.number == "DN-7101") == 1
    assert _count(session, EdiOutbound) == 1


def test_reprocess_after_a_fix_takes_only_what_was_rejected(ingest, world, database, session):
    later_order = edi_file("x12_856_two_sets.edi").replace(
        b"PRF*PO-EDI-1~\nHL*3*2*I~\nLIN*9", b"PRF*PO-EDI-2~\nHL*3*2*I~\nLIN*1"
    )
    report = ingest("late.edi", content=later_order)
    assert report["status"] == "partially_accepted"
    world.order("PO-EDI-2")
    session.commit()
    with database.unit_of_work() as s:
        request_reprocess(s, world.actor("admin@supplier.edi"), report["document"])
    ingest_document(database, report["document"])
    with database.unit_of_work() as s:
        again = document_report(s, report["document"])
    assert again["status"] == "accepted", again["errors"]
    assert again["errors"] == []
    assert _count(session, ShipNotice, ShipNotice.number == "ASN-7001") == 1
    assert _count(session, ShipNotice, ShipNotice.number == "ASN-7002") == 1
    assert _count(session, EdiMessage, EdiMessage.document_id == report["document"]) == 2
    assert _count(session, EdiOutbound, EdiOutbound.document_id == report["document"]) == 2


def test_an_accepted_document_cannot_be_reprocessed(ingest, world, database):
    report = ingest("edifact_desadv.edi")
    with pytest.raises(Conflict), database.unit_of_work() as s:
        request_reprocess(s, world.actor("admin@supplier.edi"), report["document"])


def test_a_file_with_no_readable_message_is_not_offered_again(ingest, world, database, session):
    ebcdic = "ISA*00*          *00*".encode("cp500") + b"\x00" * 40
    report = ingest("ebcdic.edi", content=ebcdic)
    assert report["status"] == "rejected"
    document = session.get(EdiDocument, report["document"])
    assert not can_process_again(document)
    with pytest.raises(Conflict) as refused, database.unit_of_work() as s:
        request_reprocess(s, world.actor("admin@supplier.edi"), report["document"])
    assert "corrected file" in str(refused.value.message)
    session.refresh(document)
    assert document.status == "rejected"


def _document(session, report: dict) -> EdiDocument:
    return session.get(EdiDocument, report["document"])


@pytest.mark.parametrize(
    ("broken", "code"),
    [
        ({b"SE*22*0001": b"SE*23*0001", b"SE*10*0002": b"SE*11*0002"}, "segment_count_mismatch"),
        ({b"GE*2*701": b"GE*3*701"}, "message_count_mismatch"),
    ],
)
def test_a_file_refused_for_its_syntax_is_not_offered_again(
    ingest, world, database, session, broken, code
):
    content = edi_file("x12_856_two_sets.edi")
    for old, new in broken.items():
        content = content.replace(old, new)
    report = ingest("counts.edi", content=content)
    assert report["status"] == "rejected"
    assert code in {e["code"] for e in report["errors"]}
    assert not can_process_again(_document(session, report))
    with pytest.raises(Conflict) as refused, database.unit_of_work() as s:
        request_reprocess(s, world.actor("admin@supplier.edi"), report["document"])
    assert "errors in the file itself" in str(refused.value.message)
    session.expire_all()
    assert _document(session, report).status == "rejected"


def test_a_file_refused_by_business_rules_is_offered_again(ingest, session):
    unknown_line = ingest("x12_856_two_sets.edi")  # set 2 names no order line of the buyer
    assert unknown_line["status"] == "partially_accepted"
    assert can_process_again(_document(session, unknown_line))
    unknown_sender = ingest(
        "nobody.edi", content=edi_file("edifact_desadv.edi").replace(b"SUPPLIER01:14", b"NOBODY:14")
    )
    assert unknown_sender["status"] == "rejected"
    assert can_process_again(_document(session, unknown_sender))


def test_a_business_refusal_beside_a_syntax_error_is_still_offered_again(ingest, session):
    content = edi_file("x12_856_two_sets.edi").replace(b"SE*22*0001", b"SE*23*0001")
    report = ingest("mixed.edi", content=content)
    assert report["status"] == "rejected"
    assert can_process_again(_document(session, report))  # set 2 waits for its order line


def test_a_gbk_856_keeps_its_chinese_carrier(ingest, session):
    """X12 names no character set; a file from a system writing GBK is read as GB18030."""
    report = ingest("x12_856_gbk.edi")
    assert [m["status"] for m in report["messages"]] == ["accepted", "rejected"]
    assert _notice(session, "ASN-7001").carrier == "顺丰速运"


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (
            (b"REF*LT*L2403-Z~", b"REF*LT*L2403-Z~\nREF*LT*L2403-Y~"),
            "Give the quantity of lot L2403-Z.",
        ),
        ((b"REF*LT*L2403-Z~", b"REF*LT*L2403-Z~\nREF*LT*L2403-Z~"), "Lot L2403-Z appears twice."),
        ((b"SN1**5*EA", b"SN1**5.123456*EA"), "Give at most 4 decimal places."),
    ],
)
def test_a_record_breaking_a_rule_of_its_own_is_not_offered_again(
    ingest, world, database, session, change, text
):
    content = edi_file("x12_856_two_sets.edi").replace(b"LIN*9*BP", b"LIN*1*BP")
    content = content.replace(*change)
    if content.count(b"REF*LT") == 5:
        content = content.replace(b"SE*10*0002", b"SE*11*0002")
    report = ingest("own-rule.edi", content=content)
    assert [m["status"] for m in report["messages"]] == ["accepted", "rejected"]
    assert {(p["code"], p["message"]) for p in report["errors"]} == {("invalid_record", "0002")}
    assert text in {p["text"] for p in report["errors"]}
    assert not can_process_again(_document(session, report))
    with pytest.raises(Conflict), database.unit_of_work() as s:
        request_reprocess(s, world.actor("admin@supplier.edi"), report["document"])


def test_an_856_naming_its_order_in_lower_case_ships_against_it(ingest, session):
    content = edi_file("x12_856_gbk.edi").replace(b"PRF*PO-EDI-1~", b"PRF*po-edi-1~")
    report = ingest("x12_856_gbk.edi", content=content)
    assert [m["status"] for m in report["messages"]] == ["accepted", "rejected"]
    notice = _notice(session, "ASN-7001")
    # KGM is read as the order line's kg: the line was found under its own number.
    assert [(no, part, quantity) for no, part, quantity, _ in _shape(session, notice)] == [
        (1, "BRK-100", Decimal(120)),
        (2, "STL-7", Decimal("30.5")),
    ]


def test_an_interchange_number_with_a_nul_sent_again_is_a_repeat(ingest, session):
    # The number is stored with its NUL made visible; it is looked up the same way (PostgreSQL
    # cannot even compare a NUL), so the second file is warned of, not failed.
    content = edi_file("x12_856_gbk.edi").replace(b"000000701", b"00000\x00701")
    first = ingest("x12_856_gbk.edi", content=content)
    second = ingest("again.edi", content=content.replace(b"ASN-7001", b"ASN-7002"))
    assert first["document"] != second["document"]
    assert "repeated_interchange" in [p["code"] for p in second["errors"]]


@pytest.mark.parametrize(
    ("line_number", "said"),
    [("99999999999999999999", "Number too large."), ("①", "Not a valid integer.")],
)
def test_a_line_number_no_line_can_have_is_refused_at_its_element(
    ingest, session, line_number, said
):
    # "①" is a digit to Python's isdigit but no number to int(); the long one is past what a
    # line number's column holds: looking either up failed the whole file.
    lin = f"LIN*{line_number}*BP".encode("gbk")
    content = edi_file("x12_856_gbk.edi").replace(b"LIN*1*BP", lin)
    report = ingest("x12_856_gbk.edi", content=content)
    assert [m["status"] for m in report["messages"]] == ["rejected", "rejected"]
    refused = [e for e in report["errors"] if e["message"] == "0001"]
    assert [(e["element"], e["text"]) for e in refused] == [("LIN01", said)]
    assert _notice(session, "ASN-7001") is None
    assert _count(session, Lot, Lot.lot_number == "L2403-A") == 0
