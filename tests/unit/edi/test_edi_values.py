"""Dates become ISO YYYY-MM-DD and numbers canonical decimal strings, or a ValueError."""

from __future__ import annotations

import pytest

from edi import parse_document
from edi.dates import edifact_date, x12_date
from edi.numbers import decimal_string


@pytest.mark.parametrize(
    ("value", "expected"),
    [("20240229", "2024-02-29"), ("240301", "2024-03-01"), ("991231", "1999-12-31")],
)
def test_x12_dates(value, expected):
    assert x12_date(value) == expected


@pytest.mark.parametrize("value", ["20240230", "2024031", "", "2024-03-01", "abcdefgh"])
def test_bad_x12_dates(value):
    with pytest.raises(ValueError):
        x12_date(value)


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        ("20240301", "102", "2024-03-01"),
        ("240301", "101", "2024-03-01"),
        ("202403011530", "203", "2024-03-01"),
        ("20240301153045", "204", "2024-03-01"),
        ("2024030120240315", "718", "2024-03-01"),
        ("202410", "616", "2024-03-04"),
        ("010324", "2", "2024-03-01"),
        ("20240301", "", "2024-03-01"),
        ("240301", "", "2024-03-01"),
    ],
)
def test_edifact_dates_by_format_code(value, code, expected):
    assert edifact_date(value, code) == expected


@pytest.mark.parametrize(("value", "code"), [("20240301", "999"), ("2024033", "102"), ("x", "")])
def test_bad_edifact_dates(value, code):
    with pytest.raises(ValueError):
        edifact_date(value, code)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", "10"),
        ("010,50", "10.5"),
        ("10.00", "10"),
        (".5", "0.5"),
        ("-0", "0"),
        ("1E3", None),
        ("1.000,5", None),
        ("", None),
        ("NaN", None),
        ("12 5", None),
        ("-2.250", "-2.25"),
        ("1200", "1200"),
    ],
)
def test_decimal_strings(value, expected):
    if expected is None:
        with pytest.raises(ValueError):
            decimal_string(value)
    else:
        assert decimal_string(value) == expected


@pytest.mark.parametrize("value", ["1,000", "30,5", "１２", "١٢"])
def test_x12_has_only_the_decimal_point_and_ascii_digits(value):
    with pytest.raises(ValueError):
        decimal_string(value, comma_is_decimal=False)


def test_an_x12_quantity_with_a_comma_is_a_bad_number_not_a_smaller_one(fixture_bytes):
    data = fixture_bytes("x12_856_sopi_ref_lt.edi").replace(b"SN1**120*EA", b"SN1**1,000*EA")
    document = parse_document(data)
    assert [(e.code, e.segment_tag) for e in document.all_errors()] == [("bad_number", "SN1")]
