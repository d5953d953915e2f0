"""Outbound orders round-trip through the reader; acknowledgements say what was accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from edi import (
    ControlNumbers,
    Party,
    Separators,
    has_errors,
    parse_document,
    write_850,
    write_997,
    write_contrl,
    write_orders,
)

WHEN = dt.datetime(2024, 3, 8, 8, 0)
ORDER = {
    "kind": "purchase_order",
    "number": "PO-2024-0123",
    "order_date": "2024-03-08",
    "currency": "CNY",
    "lines": [
        {
            "line": "1",
            "part_number": "BRK-100",
            "supplier_part_number": "SUP-9001",
            "quantity": "120",
            "unit": "EA",
            "due_date": "2024-04-10",
            "unit_price": "3.75",
        },
        {
            "line": "2",
            "part_number": "STL-7",
            "supplier_part_number": None,
            "quantity": "40.5",
            "unit": "KGM",
            "due_date": None,
            "unit_price": None,
        },
    ],
}


def read_back(data: bytes) -> tuple[dict, object]:
    document = parse_document(data)
    assert not has_errors(document), document.all_errors()
    (interchange,) = document.interchanges
    (message,) = interchange.messages
    (record,) = message.records
    return record, interchange


def test_850_round_trip_with_identities_and_control_numbers():
    data = write_850(
        ORDER,
        sender=Party("ANCHORCO", "ZZ"),
        receiver=Party("SUPPLIER01", "01", application_id="SUP01APP"),
        control=ControlNumbers(interchange=42, group=7, first_message=3),
        when=WHEN,
    )
    record, interchange = read_back(data)
    assert record == ORDER
    assert (interchange.sender, interchange.receiver_qualifier) == ("ANCHORCO", "01")
    assert interchange.control_number == "000000042"
    assert interchange.groups[0].control_number == "7"
    assert interchange.groups[0].receiver == "SUP01APP"
    assert interchange.messages[0].control_number == "0003"


def test_orders_round_trip_escapes_separators_in_values():
    order = {**ORDER, "lines": [{**ORDER["lines"][0], "part_number": "RING+SEAL:2'?"}]}
    data = write_orders(
        order,
        sender=Party("ANCHORCO", "14"),
        receiver=Party("SUPPLIER01", "14"),
        control=ControlNumbers(interchange=99),
        when=WHEN,
    )
    assert b"RING?+SEAL?:2?'??" in data
    record, interchange = read_back(data)
    assert record == order
    assert (interchange.version, interchange.control_number) == ("UNOC:3", "99")


def test_orders_with_a_repetition_separator_and_syntax_4():
    separators = Separators(element="+", component=":", segment="'", repetition="*", release="?")
    order = {**ORDER, "lines": [{**ORDER["lines"][0], "part_number": "A*B"}]}
    data = write_orders(
        order,
        sender=Party("A", "14"),
        receiver=Party("B", "14"),
        control=ControlNumbers(1),
        separators=separators,
        when=WHEN,
        syntax="UNOC:4",
    )
    assert data.startswith(b"UNA:+.?*'UNB+UNOC:4+A:14+B:14+20240308:0800+1'")
    assert b"A?*B:BP" in data
    record, _ = read_back(data)
    assert record == order


def test_x12_writer_refuses_a_value_holding_a_separator():
    order = {**ORDER, "number": "PO*1"}
    with pytest.raises(ValueError, match="separator"):
        write_850(order, sender=Party("A"), receiver=Party("B"), control=ControlNumbers(1))


def test_997_for_a_group_with_errors(fixture_bytes):
    document = parse_document(fixture_bytes("x12_856_one_bad_set.edi"))
    data = write_997(
        document.interchanges[0],
        sender=Party("ANCHORCO"),
        control=ControlNumbers(interchange=900, group=77),
        when=WHEN,
    )
    assert data.decode().split("~") == [
        "ISA*00*          *00*          *ZZ*ANCHORCO       *ZZ*SUPPLIER01     *240308*0800*U*"
        "00401*000000900*0*P*>",
        "GS*FA*ANCHORCO*SUPPLIER01*20240308*0800*77*X*004010",
        "ST*997*0001",
        "AK1*SH*601",
        "AK2*856*0001",
        "AK5*A",
        "AK2*856*0002",
        "AK3*BSN*2**8",
        "AK4*3**8*20240231",
        "AK3*SN1*8**8",
        "AK4*2**6*x5",
        "AK5*R*5",
        "AK2*856*0003",
        "AK5*R*4",
        "AK9*P*3*3*1",
        "SE*14*0001",
        "GE*1*77",
        "IEA*1*000000900",
        "",
    ]


def test_997_reads_back_as_a_functional_ack(fixture_bytes):
    document = parse_document(fixture_bytes("x12_856_one_bad_set.edi"))
    data = write_997(document.interchanges[0], sender=Party("ANCHORCO"), control=ControlNumbers(1))
    record, _ = read_back(data)
    assert record["status"] == "partially_accepted"
    assert [(s["control_number"], s["status"]) for s in record["sets"]] == [
        ("0001", "accepted"),
        ("0002", "rejected"),
        ("0003", "rejected"),
    ]


def test_997_starts_with_a_ta1_when_the_interchange_does_not_add_up(fixture_bytes):
    text = fixture_bytes("x12_850_purchase_order.edi").decode()
    document = parse_document(text.replace("IEA*1*000000101", "IEA*1*000000999").encode())
    data = write_997(
        document.interchanges[0], sender=Party("SUPPLIER01"), control=ControlNumbers(5)
    )
    segments = data.decode().split("~")
    assert segments[1] == "TA1*000000101*240301*0930*R*001"
    assert "AK5*R" in segments
    assert segments[-5] == "AK9*R*1*1*0"


def test_997_of_an_interchange_without_a_group_is_a_ta1_alone(fixture_bytes):
    # The GS..GE lines were lost: nothing to answer with AK1..AK9, and an FA group with no
    # 997 in it is itself invalid X12 (GE01 0), so the TA1 travels alone (IEA01 0).
    text = fixture_bytes("x12_850_purchase_order.edi").decode()
    text = "~".join(s for s in text.split("~") if not s.strip().startswith(("GS*", "GE*")))
    document = parse_document(text.encode())
    data = write_997(
        document.interchanges[0], sender=Party("SUPPLIER01"), control=ControlNumbers(5)
    )
    segments = [s for s in data.decode().split("~") if s]
    assert [s[:3] for s in segments] == ["ISA", "TA1", "IEA"]
    assert segments[-1] == "IEA*0*000000005"


def test_contrl_for_an_interchange_with_message_errors(fixture_bytes):
    text = fixture_bytes("edifact_syntax4_groups.edi").decode()
    text = text.replace("UNT+7+1'", "UNT+8+1'").replace("QTY+21:3:KGM", "QTY+21:3x:KGM")
    document = parse_document(text.encode())
    data = write_contrl(
        document.interchanges[0],
        sender=Party("SUPPLIER01", "14"),
        control=ControlNumbers(31),
        when=dt.datetime(2024, 3, 12, 9, 30),
    )
    assert data.decode().split("'") == [
        "UNA:+.? ",
        "UNB+UNOC:4+SUPPLIER01:14+ANCHORCO:14+20240312:0930+31",
        "UNH+1+CONTRL:4:1:UN",
        "UCI+ORD0002+ANCHORCO:14+SUPPLIER01:14+7",
        "UCF+GRP1+ANCHORCO:14+SUPPLIER01:14+7",
        "UCM+1+ORDERS:D:01B:UN+4+29+UNT",
        "UCM+2+ORDERS:D:01B:UN+4",
        "UCS+5+12",
        "UCD+12+1:2",
        "UCF+GRP2+ANCHORCO:14+SUPPLIER01:14+7",
        "UCM+3+ORDERS:D:01B:UN+7",
        "UNT+10+1",
        "UNZ+1+31",
        "",
    ]
    record, _ = read_back(data)
    assert [(m["control_number"], m["action"]) for m in record["messages"]] == [
        ("1", "rejected"),
        ("2", "rejected"),
        ("3", "accepted"),
    ]


def test_contrl_rejects_an_interchange_whose_trailer_does_not_match(fixture_bytes):
    text = fixture_bytes("edifact_orders_no_una_release.edi").decode()
    document = parse_document(text.replace("UNZ+1+ORD0001", "UNZ+1+ORD0009").encode())
    data = write_contrl(document.interchanges[0], sender=Party("S"), control=ControlNumbers(2))
    segments = data.decode().split("'")
    assert segments[1].startswith("UNB+UNOC:3+S:ZZ+ANCHORCO:14+")
    assert segments[3] == "UCI+ORD0001+ANCHORCO:14+SUPPLIER01:14+4+28"
    assert not any(s.startswith("UCM") for s in segments)


def test_acknowledgements_refuse_the_other_standard(fixture_bytes):
    x12 = parse_document(fixture_bytes("x12_850_purchase_order.edi")).interchanges[0]
    edifact = parse_document(fixture_bytes("edifact_ordrsp.edi")).interchanges[0]
    with pytest.raises(ValueError):
        write_contrl(x12, sender=Party("S"), control=ControlNumbers(1))
    with pytest.raises(ValueError):
        write_997(edifact, sender=Party("S"), control=ControlNumbers(1))
