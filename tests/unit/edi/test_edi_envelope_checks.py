"""Envelope counts and control references are checked; a mismatch is an error, not an exception."""

from __future__ import annotations

import pytest

from edi import document_to_dict, parse_document
from models.i18n import render

X12 = "x12_850_purchase_order.edi"
EDIFACT = "edifact_syntax4_groups.edi"
EDIFACT_NO_GROUPS = "edifact_orders_no_una_release.edi"


def mutate(fixture_bytes, name: str, old: str, new: str) -> bytes:
    text = fixture_bytes(name).decode()
    assert old in text
    return text.replace(old, new, 1).encode()


def errors_of(data: bytes) -> list[tuple]:
    result = document_to_dict(parse_document(data))
    return [
        (e["code"], e["element"] or e["segment_tag"], e["interchange"], e["message"])
        for e in result["errors"]
    ]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (X12, "SE*11*0001", "SE*12*0001", ("segment_count_mismatch", "SE01", "000000101", "0001")),
        (X12, "SE*11*0001", "SE*11*0002", ("control_number_mismatch", "SE02", "000000101", "0001")),
        (X12, "GE*1*101", "GE*2*101", ("message_count_mismatch", "GE01", "000000101", None)),
        (X12, "GE*1*101", "GE*1*102", ("control_number_mismatch", "GE02", "000000101", None)),
        (X12, "IEA*1*", "IEA*2*", ("group_count_mismatch", "IEA01", "000000101", None)),
        (
            X12,
            "IEA*1*000000101",
            "IEA*1*000000102",
            ("control_number_mismatch", "IEA02", "000000101", None),
        ),
        (X12, "SE*11*0001~\n", "", ("missing_trailer", "SE", "000000101", "0001")),
        (X12, "GE*1*101~\n", "", ("missing_trailer", "GE", "000000101", None)),
        (X12, "IEA*1*000000101~\n", "", ("missing_trailer", "IEA", "000000101", None)),
        (
            X12,
            "GE*1*101~",
            "NTE*GEN*stray~\nGE*1*101~",
            ("unexpected_segment", "NTE", "000000101", None),
        ),
        (EDIFACT, "UNT+7+1'", "UNT+8+1'", ("segment_count_mismatch", "UNT/0074", "ORD0002", "1")),
        (EDIFACT, "UNT+7+1'", "UNT+7+9'", ("control_number_mismatch", "UNT/0062", "ORD0002", "1")),
        (
            EDIFACT,
            "UNE+2+GRP1",
            "UNE+3+GRP1",
            ("message_count_mismatch", "UNE/0060", "ORD0002", None),
        ),
        (
            EDIFACT,
            "UNE+2+GRP1",
            "UNE+2+GRPX",
            ("control_number_mismatch", "UNE/0048", "ORD0002", None),
        ),
        (EDIFACT, "UNZ+2+", "UNZ+3+", ("message_count_mismatch", "UNZ/0036", "ORD0002", None)),
        (
            EDIFACT,
            "UNZ+2+ORD0002",
            "UNZ+2+ORD0003",
            ("control_number_mismatch", "UNZ/0020", "ORD0002", None),
        ),
        (EDIFACT, "UNZ+2+ORD0002'", "", ("missing_trailer", "UNZ", "ORD0002", None)),
        (
            EDIFACT_NO_GROUPS,
            "UNZ+1+",
            "UNZ+2+",
            ("message_count_mismatch", "UNZ/0036", "ORD0001", None),
        ),
    ],
)
def test_each_mismatch_is_one_structured_error(fixture_bytes, name, old, new, expected):
    assert errors_of(mutate(fixture_bytes, name, old, new)) == [expected]


def test_a_bad_message_loses_its_records_and_the_others_keep_theirs(fixture_bytes):
    document = parse_document(mutate(fixture_bytes, EDIFACT, "UNT+7+1'", "UNT+8+1'"))
    records = [len(m.records) for m in document.interchanges[0].messages]
    assert records == [0, 1, 1]


def test_a_group_that_does_not_add_up_gives_no_records(fixture_bytes):
    document = parse_document(mutate(fixture_bytes, EDIFACT, "UNE+2+GRP1", "UNE+3+GRP1"))
    assert [len(m.records) for m in document.interchanges[0].messages] == [0, 0, 1]


def test_an_interchange_that_does_not_add_up_gives_no_records(fixture_bytes):
    document = parse_document(mutate(fixture_bytes, EDIFACT, "UNZ+2+", "UNZ+3+"))
    assert [len(m.records) for m in document.interchanges[0].messages] == [0, 0, 0]


def test_data_after_the_trailer_is_reported_without_rejecting(fixture_bytes):
    data = fixture_bytes(X12) + b"-- end of file --\n"
    result = document_to_dict(parse_document(data))
    assert [e["code"] for e in result["errors"]] == ["unexpected_data"]
    assert result["interchanges"][0]["messages"][0]["records"]


def test_one_bad_set_among_good_ones(fixture_bytes):
    result = document_to_dict(parse_document(fixture_bytes("x12_856_one_bad_set.edi")))
    assert [len(m["records"]) for m in result["interchanges"][0]["messages"]] == [1, 0, 0]
    assert result["errors"] == [
        {
            "interchange": "000000601",
            "message": "0002",
            "segment_position": 2,
            "interchange_position": None,
            "segment_tag": "BSN",
            "element": "BSN03",
            "code": "bad_date",
            "text": "20240231 is not a valid date",
        },
        {
            "interchange": "000000601",
            "message": "0002",
            "segment_position": 8,
            "interchange_position": None,
            "segment_tag": "SN1",
            "element": "SN102",
            "code": "bad_number",
            "text": "x5 is not a number",
        },
        {
            "interchange": "000000601",
            "message": "0003",
            "segment_position": 7,
            "interchange_position": None,
            "segment_tag": "SE",
            "element": "SE01",
            "code": "segment_count_mismatch",
            "text": "Segments: SE01 declares 9, the transaction set has 7",
        },
    ]


def test_duplicate_set_control_number_in_a_group(fixture_bytes):
    text = fixture_bytes("x12_856_one_bad_set.edi").decode()
    text = text.replace("ST*856*0003", "ST*856*0001").replace("SE*9*0003", "SE*7*0001")
    codes = [(e[0], e[1], e[3]) for e in errors_of(text.encode())]
    assert ("duplicate_control_number", "ST02", "0001") in codes


def test_envelope_segment_inside_a_counted_message_is_an_error(fixture_bytes):
    text = fixture_bytes(X12).decode().replace("CUR*BY*CNY~", "CUR*BY*CNY~\nGE*1*9~")
    found = errors_of(text.replace("SE*11*", "SE*12*").encode())
    assert found == [("unexpected_segment", "GE", "000000101", "0001")]


def test_a_set_cut_short_by_a_group_trailer_has_no_trailer(fixture_bytes):
    found = errors_of(mutate(fixture_bytes, X12, "CUR*BY*CNY~", "CUR*BY*CNY~\nGE*1*9~"))
    assert ("missing_trailer", "SE", "000000101", "0001") in found


@pytest.mark.parametrize(
    ("name", "old", "new", "english", "chinese"),
    [
        (
            EDIFACT_NO_GROUPS,
            "UNZ+1+",
            "UNZ+2+",
            "Messages or groups: UNZ declares 2, the interchange holds 1",
            "报文或组：UNZ 声明 2 个，交换实际有 1 个",
        ),
        (
            X12,
            "GE*1*101",
            "GE*2*101",
            "Transaction sets: GE01 declares 2, the group holds 1",
            "交易集：GE01 声明 2 个，功能组实际有 1 个",
        ),
        (
            X12,
            "IEA*1*",
            "IEA*2*",
            "Functional groups: IEA01 declares 2, the interchange holds 1",
            "功能组：IEA01 声明 2 个，交换实际有 1 个",
        ),
    ],
)
def test_a_count_of_one_reads_right_in_both_languages(
    fixture_bytes, name, old, new, english, chinese
):
    """Not "UNZ says 2 messages or groups, 1 were found"."""
    (error,) = parse_document(mutate(fixture_bytes, name, old, new)).all_errors()
    assert (str(error.text), render(error.text, "zh_Hans_CN")) == (english, chinese)
