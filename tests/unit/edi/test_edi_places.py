"""Each envelope error names the segment concerned by its position in the interchange.

Some cases read public samples from ../shared/data/edi next to the repository (their licences
forbid copying them here); they are skipped without that folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edi import parse_document
from models.edi_docs.problems import in_file_order

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "edi"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public EDI samples not found at {SAMPLES}"
)


def _places(content: bytes) -> list[tuple[str, str | None, int | None, int | None]]:
    """(code, tag, position in the message, position in the interchange) of every error."""
    return [
        (e.code, e.segment_tag, e.segment_position, e.interchange_position)
        for e in parse_document(content).all_errors()
    ]


@needs_samples
def test_segments_outside_a_message_start_where_the_first_of_them_is():
    content = (SAMPLES / "edifact/ORDERS/EdiFabric_EDIFACT.NET_CorruptUnh.txt").read_bytes()
    assert _places(content) == [
        ("unexpected_segment", "NH", None, 2),
        ("message_count_mismatch", "UNZ", None, 78),
    ]


@needs_samples
def test_a_repeated_group_is_placed_at_its_second_header():
    content = (SAMPLES / "edifact/ORDERS/EdiFabric_EDIFACT.NET_DuplicateGroup.txt").read_bytes()
    assert _places(content) == [("duplicate_control_number", "UNG", None, 42)]


X12 = (
    b"ISA*00*          *00*          *ZZ*SUPPLIER01     *ZZ*ANCHORCO       *240305*1400*U*00401"
    b"*000000101*0*P*>~GS*SH*SUPPLIER01*ANCHORCO*20240305*1400*7*X*004010~"
    b"ST*997*0001~AK1*SH*1~AK9*A*1*1*1~SE*4*0001~GE*1*7~IEA*2*000000102~"
)


def test_trailer_count_and_control_mismatches_are_placed_at_the_trailer():
    assert _places(X12) == [
        ("group_count_mismatch", "IEA", None, 8),
        ("control_number_mismatch", "IEA", None, 8),
    ]


def test_a_repeated_interchange_is_placed_at_its_header_and_a_missing_trailer_at_the_end():
    second = X12.replace(b"IEA*2*000000102~", b"IEA*1*000000101~")
    unfinished = second.replace(b"GE*1*7~IEA*1*000000101~", b"GE*1*7~")
    assert _places(second + second)[-1] == ("duplicate_control_number", "ISA", None, 1)
    assert _places(unfinished) == [("missing_trailer", "IEA", None, 7)]


def test_a_missing_line_segment_is_placed_after_the_last_one_before_the_trailer():
    content = X12.replace(b"AK1*SH*1~AK9*A*1*1*1~SE*4*0001~", b"AK9*A*1*1*1~SE*3*0001~")
    content = content.replace(b"IEA*2*000000102~", b"IEA*1*000000101~")
    assert _places(content) == [("missing_segment", "AK1", 1, None)]
    content = X12.replace(b"AK9*A*1*1*1~SE*4*0001~", b"SE*3*0001~")
    content = content.replace(b"IEA*2*000000102~", b"IEA*1*000000101~")
    assert _places(content) == [("missing_segment", "AK9", 2, None)]


def test_problems_are_listed_in_file_order_interchange_by_interchange():
    found = [
        {"interchange": "2", "segment_position": 3, "interchange_position": None},
        {"interchange": "1", "segment_position": 18, "interchange_position": None},
        {"interchange": "1", "segment_position": None, "interchange_position": 22},
        {"interchange": "1", "segment_position": 17, "interchange_position": None},
        {"interchange": "1", "segment_position": None, "interchange_position": None},
        {"interchange": "1", "segment_position": None, "interchange_position": 21},
    ]
    ordered = [(p["interchange"], p["interchange_position"] or p["segment_position"])
               for p in in_file_order(found)]  # fmt: skip
    assert ordered == [("2", 3), ("1", 17), ("1", 18), ("1", 21), ("1", 22), ("1", None)]
