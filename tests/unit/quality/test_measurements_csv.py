"""Reading one column of measurements from CSV text, and the row-numbered errors."""

from __future__ import annotations

import pytest

from models.errors import ValidationFailed
from models.quality.csv_input import read_measurements_csv


def test_reads_values_in_file_order_after_a_header() -> None:
    text = 'diameter_mm\n74.030\n\n  74.002 \n"73.992"\n1e-3\n-2\n'
    assert read_measurements_csv(text) == [74.030, 74.002, 73.992, 0.001, -2.0]


def test_a_file_without_header_starts_with_data() -> None:
    assert read_measurements_csv("1.5\r\n2.5\r\n") == [1.5, 2.5]


def test_byte_order_mark_and_trailing_empty_cells_are_tolerated() -> None:
    assert read_measurements_csv("\ufeffvalue,\n3.25,\n4,,\n") == [3.25, 4.0]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("value\n1.0\n\nabc\n", "row 4", 'Row 4: "abc" is not a number.'),
        ("1.0\n2.0\nvalue\n", "row 3", 'Row 3: "value" is not a number.'),
        ("1.0\nnan\n", "row 2", 'Row 2: "nan" is not a number.'),
        ("1.0\n1_000\n", "row 2", 'Row 2: "1_000" is not a number.'),
        ("1.0\n74,030\n", "row 2", 'Row 2: "74,030" uses a decimal comma; use a decimal point.'),
        ('1.0\n"74,03"\n', "row 2", 'Row 2: "74,03" uses a decimal comma; use a decimal point.'),
        ("1.0\n2.0,3.0\n", "row 2", "Row 2 has 2 values; give one measurement per row."),
        ("", "file", "The file holds no measurements."),
        ("value\n\n", "file", "The file holds no measurements."),
    ],
)
def test_bad_cells_name_their_row(text: str, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_measurements_csv(text)
    assert caught.value.errors == {field: [message]}
