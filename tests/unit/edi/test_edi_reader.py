"""The reader finds interchanges, reads their separators and tokenises every segment."""

from __future__ import annotations

import pytest

from edi import Separators, has_errors, iter_interchanges, parse_document, read

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240301*1200*U*00401*"
    "000000001*0*P*>~"
)
PO = (
    "GS*PO*SENDER*RECEIVER*20240301*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO-1**20240301~"
    "PO1*1*2*EA*3**BP*P-1~SE*4*0001~GE*1*1~IEA*1*000000001~"
)


def only_interchange(data: bytes):
    document = read(data)
    assert not document.errors
    (interchange,) = document.interchanges
    return interchange


def test_x12_separators_come_from_the_isa(fixture_bytes):
    first, second = read(fixture_bytes("x12_two_interchanges_crlf_bom_junk.edi")).interchanges
    assert first.separators == Separators(element="*", component=">", segment="~")
    assert first.test is True
    # Version 00501: ISA11 is the repetition separator; the newline ends each segment.
    assert second.separators == Separators(element="|", component=":", segment="\n", repetition="^")
    assert (second.sender, second.receiver, second.control_number) == (
        "ANCHORCO",
        "SUPPLIER02",
        "000000402",
    )
    ref = next(s for s in second.messages[0].segments() if s.tag == "REF")
    assert ref.repetitions(2) == [["NOTE-1"], ["NOTE-2"]]


def test_bom_transport_header_crlf_and_missing_final_terminator(fixture_bytes):
    document = parse_document(fixture_bytes("x12_two_interchanges_crlf_bom_junk.edi"))
    assert not has_errors(document)
    assert [ic.control_number for ic in document.interchanges] == ["000000401", "000000402"]


def test_isa_shorter_than_106_characters_is_read_by_counting_separators():
    short = "ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*240301*1200*U*00401*000000001*0*P*>~"
    interchange = only_interchange((short + PO).encode())
    assert (interchange.sender, interchange.control_number) == ("SENDER", "000000001")
    assert not interchange.errors


def test_lines_wrapped_at_80_columns_are_joined():
    text = ISA + PO
    wrapped = "\n".join(text[i : i + 80] for i in range(0, len(text), 80))
    document = parse_document(wrapped.encode())
    assert not has_errors(document)
    assert document.interchanges[0].messages[0].records[0]["number"] == "PO-1"


def test_indentation_and_blank_segments_are_tolerated():
    text = (ISA + PO).replace("~", "~\r\n    ").replace("BEG", "~BEG")
    document = parse_document(text.encode())
    assert not has_errors(document)


def test_segment_positions_start_at_the_message_header():
    interchange = only_interchange((ISA + PO).encode())
    message = interchange.messages[0]
    assert [(s.position, s.tag) for s in message.segments()] == [
        (1, "ST"),
        (2, "BEG"),
        (3, "PO1"),
        (4, "SE"),
    ]
    assert message.segment_count == 4
    assert [tokens[0] for tokens in message.tokens()] == ["ST", "BEG", "PO1", "SE"]


def test_edifact_defaults_apply_without_una(fixture_bytes):
    interchange = only_interchange(fixture_bytes("edifact_orders_no_una_release.edi"))
    assert interchange.separators == Separators(
        element="+", component=":", segment="'", release="?"
    )
    assert interchange.version == "UNOC:3"
    assert (interchange.sender, interchange.sender_qualifier) == ("ANCHORCO", "14")
    assert interchange.date == "2024-03-01"


def test_una_gives_decimal_comma_and_release_character(fixture_bytes):
    interchange = only_interchange(fixture_bytes("edifact_desadv_decimal_comma.edi"))
    assert interchange.separators.decimal == ","
    assert interchange.separators.release == "?"


def test_several_interchanges_with_different_separators_and_standards(fixture_bytes):
    data = (
        fixture_bytes("edifact_orders_no_una_release.edi")
        + b"\n"
        + fixture_bytes("x12_850_purchase_order.edi")
        + fixture_bytes("edifact_syntax4_groups.edi")
    )
    document = parse_document(data)
    assert not has_errors(document)
    assert [ic.standard for ic in document.interchanges] == ["edifact", "x12", "edifact"]
    assert [len(ic.messages) for ic in document.interchanges] == [1, 1, 3]


def test_ebcdic_is_refused_with_its_own_code(fixture_bytes):
    data = fixture_bytes("x12_850_purchase_order.edi").decode().encode("cp037")
    document = parse_document(data)
    assert [e.code for e in document.errors] == ["ebcdic"]
    assert document.interchanges == []


def test_edifact_ebcdic_is_refused_too(fixture_bytes):
    data = fixture_bytes("edifact_orders_no_una_release.edi").decode().encode("cp500")
    assert [e.code for e in parse_document(data).errors] == ["ebcdic"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"711 03000000100002250124  11825429 1J   7120313533302",
        b"\x00\x01\x02 binary",
        "名称,数量\n零件,5\n".encode(),
    ],
)
def test_anything_else_is_not_x12_or_edifact(data):
    document = parse_document(data)
    assert [e.code for e in document.errors] == ["unknown_format"]
    assert has_errors(document)


def test_isa_inside_data_is_not_taken_for_a_new_interchange():
    text = ISA + PO.replace("BEG*00*SA*PO-1", "BEG*00*SA*ISA*1")
    document = parse_document(text.encode())
    assert len(document.interchanges) == 1


def test_bare_edifact_message_is_read_with_an_error():
    data = b"UNH+1+ORDERS:D:96A:UN'BGM+220+PO-9+9'LIN+1++P:BP'QTY+21:1'UNT+5+1'"
    document = parse_document(data)
    (interchange,) = document.interchanges
    assert [e.code for e in interchange.errors] == ["missing_interchange_header"]
    assert interchange.messages[0].records == []


def test_newline_terminated_edifact_without_una():
    text = (
        "UNB+UNOA:1+SENDER+RECEIVER+240301:1200+7\nUNH+1+ORDERS:D:96A:UN\nBGM+220+PO-7+9\n"
        "LIN+1++P-7:BP\nQTY+21:3\nUNT+5+1\nUNZ+1+7\n"
    )
    document = parse_document(text.encode())
    assert not has_errors(document)
    assert document.interchanges[0].separators.segment == "\n"
    assert document.interchanges[0].messages[0].records[0]["lines"][0]["quantity"] == "3"


def test_latin_1_file_is_decoded_by_its_syntax_identifier():
    text = (
        "UNB+UNOE:3+S+R+240301:1200+9'UNH+1+ORDERS:D:96A:UN'BGM+220+PO-9+9'"
        "LIN+1++Деталь:BP'QTY+21:1'UNT+5+1'UNZ+1+9'"
    )
    document = parse_document(text.encode("iso8859-5"))
    assert not has_errors(document)
    assert document.interchanges[0].messages[0].records[0]["lines"][0]["part_number"] == "Деталь"


def test_iter_interchanges_yields_one_interchange_at_a_time(fixture_bytes):
    data = fixture_bytes("x12_850_purchase_order.edi") * 3
    problems: list = []
    stream = iter_interchanges(data, problems)
    first = next(stream)
    assert first.control_number == "000000101"
    rest = list(stream)
    assert len(rest) == 2
    # The same interchange three times: the repeats are duplicates.
    assert [e.code for e in rest[0].errors] == ["duplicate_control_number"]


def test_segments_padded_with_spaces_before_the_terminator(fixture_bytes):
    # Fixed-width ERP output: "...*P*>   ~" — the spaces are padding, "~" ends the segment.
    document = parse_document(fixture_bytes("x12_856_padded_segments.edi"))
    assert not has_errors(document)
    (interchange,) = document.interchanges
    assert interchange.separators.segment == "~"
    (line,) = interchange.messages[0].records[0]["lines"]
    assert (line["po_number"], line["quantity"]) == ("PO-EDI-1", "4")
    assert line["lots"] == [{"lot_number": "B2411-01", "quantity": "4"}]
