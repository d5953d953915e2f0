"""Read one column of measurements, in time order, from CSV text.

- The first non-blank row may be a header: it is skipped when it is not a number.
- Blank rows (and rows of empty cells) are skipped; a UTF-8 byte-order mark is ignored. A
  file is read as UTF-8, UTF-16 with its byte-order mark or GB18030, as the upload pages
  read CSV (:func:`models.sheets.decode_text`).
- A row holds one measurement; empty cells after it (a trailing comma) are tolerated, a second
  value is an error.
- The decimal separator is the point. A decimal comma is refused rather than guessed, because
  "1,234" is a thousand and a quarter in some exports and one and a bit in others; the message
  says so, so the user can re-export.
- Every error is a ValidationFailed keyed ``row N``, N being the line number in the file
  (counting from 1, header and blank lines included), so it can be found in an editor.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator

from models.errors import ValidationFailed
from models.i18n import N_
from models.sheets import UnreadableFile, decode_text

NOT_A_NUMBER = N_('Row %(row)d: "%(value)s" is not a number.')
DECIMAL_COMMA = N_('Row %(row)d: "%(value)s" uses a decimal comma; use a decimal point.')


def read_measurements_file(content: bytes) -> list[float]:
    """The measurements of a one-column CSV file as stored (see :func:`read_measurements_csv`)."""
    try:
        text = decode_text(content)
    except UnreadableFile:
        raise ValidationFailed.on(
            "file", N_("This file cannot be read: save it as .csv (UTF-8 or GB18030).")
        ) from None
    return read_measurements_csv(text)


def read_measurements_csv(text: str) -> list[float]:
    """The measurements of a one-column CSV file, in file order (see module doc for the rules)."""
    values: list[float] = []
    header_allowed = True
    for row, cells in _rows(text):
        filled = [cell.strip() for cell in cells]
        while filled and not filled[-1]:
            filled.pop()
        if not filled:
            continue
        if len(filled) > 1:
            raise _too_many_cells(row, filled)
        value = _number(filled[0])
        if value is None and header_allowed:
            header_allowed = False
            continue
        if value is None:
            raise _row_error(row, filled[0], NOT_A_NUMBER)
        header_allowed = False
        values.append(value)
    if not values:
        raise ValidationFailed.on("file", N_("The file holds no measurements."))
    return values


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each CSV row; malformed CSV raises ValidationFailed."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error:
        row = reader.line_num
        raise ValidationFailed.on(
            f"row {row}", N_("Row %(row)d cannot be read as CSV."), row=row
        ) from None


def _number(cell: str) -> float | None:
    """The cell as a finite float (plain notation: no digit separators), or None."""
    if "_" in cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _too_many_cells(row: int, cells: list[str]) -> ValidationFailed:
    """An unquoted decimal comma splits a value in two cells ("74", "030"): say so."""
    if len(cells) == 2 and cells[1].isdigit() and _number(".".join(cells)) is not None:
        return _row_error(row, ",".join(cells), DECIMAL_COMMA)
    return ValidationFailed.on(
        f"row {row}",
        N_("Row %(row)d has %(count)d values; give one measurement per row."),
        row=row,
        count=len(cells),
    )


def _row_error(row: int, cell: str, template: str) -> ValidationFailed:
    if template == NOT_A_NUMBER and _number(cell.replace(",", ".", 1)) is not None:
        template = DECIMAL_COMMA
    return ValidationFailed.on(f"row {row}", template, row=row, value=cell)
