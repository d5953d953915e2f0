"""Whatever is done to a valid file, reading, mapping and acknowledging it never raise."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi import ControlNumbers, Party, document_to_dict, parse_document, write_997, write_contrl

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edi"
FILES = sorted(path.read_bytes() for path in FIXTURES.glob("*.edi"))
SEPARATORS = b"*~>^|:+'?\n\r"


def _segments(data: bytes) -> tuple[bytes, list[bytes]]:
    terminator = b"~" if data.lstrip(b"\xef\xbb\xbf").startswith(b"ISA") else b"'"
    return terminator, data.split(terminator)


def truncate(data: bytes, at: int) -> bytes:
    return data[: at % (len(data) + 1)]


def swap_separators(data: bytes, a: int, b: int) -> bytes:
    x, y = SEPARATORS[a % len(SEPARATORS)], SEPARATORS[b % len(SEPARATORS)]
    return data.translate(bytes.maketrans(bytes([x, y]), bytes([y, x])))


def drop_segment(data: bytes, index: int) -> bytes:
    terminator, segments = _segments(data)
    del segments[index % len(segments)]
    return terminator.join(segments)


def duplicate_segment(data: bytes, index: int) -> bytes:
    terminator, segments = _segments(data)
    at = index % len(segments)
    segments.insert(at, segments[at])
    return terminator.join(segments)


def insert_bytes(data: bytes, at: int, junk: bytes) -> bytes:
    at %= len(data) + 1
    return data[:at] + junk + data[at:]


MUTATION = st.one_of(
    st.tuples(st.just(truncate), st.integers(0, 10_000)),
    st.tuples(st.just(swap_separators), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just(drop_segment), st.integers(0, 100)),
    st.tuples(st.just(duplicate_segment), st.integers(0, 100)),
    st.tuples(st.just(insert_bytes), st.integers(0, 10_000), st.binary(min_size=1, max_size=12)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FILES), st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_files_never_raise(original, mutations):
    data = original
    for operation, *arguments in mutations:
        data = operation(data, *arguments)
    document = parse_document(data)
    json.dumps(document_to_dict(document))
    for interchange in document.interchanges:
        if interchange.standard == "x12" and interchange.header is not None:
            write_997(interchange, sender=Party("ME"), control=ControlNumbers(1))
        elif interchange.standard == "edifact" and interchange.header is not None:
            write_contrl(interchange, sender=Party("ME"), control=ControlNumbers(1))
