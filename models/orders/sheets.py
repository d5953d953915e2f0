"""Spreadsheets in and out: reading CSV/XLSX rows by their (Chinese or English) headers,
writing templates, and placing errors on a row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from models.i18n import N_, Msg

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    zh: str
    required: bool = False
    help_en: str = ""
    help_zh: str = ""

    def header(self, locale: str) -> str:
        return self.en if locale == "en" else self.zh


@dataclass
class SheetError:
    """A problem at a row (1 is the header row) and column letter; both may be unknown."""

    message: Msg
    row: int | None = None
    column: str | None = None
    header: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message.to_dict(),
        }


@dataclass
class Sheet:
    """Data rows by spreadsheet row number, each ``{key: cell text}``; where each key sits."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    errors: list[SheetError] = field(default_factory=list)

    def error(self, row: int | None, key: str | None, message: Msg) -> SheetError:
        """An error placed on the row and the column that holds ``key``."""
        err = SheetError(message, row, self.letters.get(key or ""), self.headers.get(key or ""))
        self.errors.append(err)
        return err


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _read_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("encoding")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_sheet(filename: str, content: bytes, columns: tuple[Column, ...]) -> Sheet:
    """Read the first sheet of an .xlsx or a .csv (UTF-8 or GB18030) into a :class:`Sheet`.

    Headers are matched in Chinese or English (or by key), ignoring case and a trailing ``*``;
    an unknown or missing required header is an error on row 1. Blank rows are skipped.
    """
    sheet = Sheet()
    try:
        reader = _read_csv if filename.lower().endswith(".csv") else _read_xlsx
        table = reader(content)
    except (InvalidFileException, zipfile.BadZipFile, ValueError, KeyError, OSError):
        sheet.errors.append(
            SheetError(Msg(N_("This file cannot be read: save it as .xlsx or as .csv (UTF-8).")))
        )
        return sheet
    if not table:
        sheet.errors.append(SheetError(Msg(N_("The file is empty.")), 1))
        return sheet
    names = {}
    for column in columns:
        for name in (column.key, column.en, column.zh):
            names[name.lower()] = column
    index_of: dict[int, Column] = {}
    for index, raw in enumerate(table[0]):
        text = _cell_text(raw).rstrip("*").strip()
        if not text:
            continue
        letter = get_column_letter(index + 1)
        column = names.get(text.lower())
        if column is None or column.key in sheet.letters:
            sheet.errors.append(
                SheetError(Msg(N_("Unknown column “%(header)s”."), header=text), 1, letter, text)
            )
            continue
        index_of[index] = column
        sheet.letters[column.key] = letter
        sheet.headers[column.key] = text
    for column in columns:
        if column.required and column.key not in sheet.letters:
            sheet.errors.append(
                SheetError(
                    Msg(
                        N_("The column “%(header)s” is missing."),
                        header=column.zh + " / " + column.en,
                    ),
                    1,
                )
            )
    if len(table) - 1 > MAX_ROWS:
        sheet.errors.append(SheetError(Msg(N_("At most %(count)s rows."), count=MAX_ROWS)))
        return sheet
    for number, raw_row in enumerate(table[1:], start=2):
        values = {
            index_of[i].key: _cell_text(value)
            for i, value in enumerate(raw_row)
            if i in index_of and _cell_text(value)
        }
        if values:
            sheet.rows.append((number, values))
    if not sheet.rows and not sheet.errors:
        sheet.errors.append(SheetError(Msg(N_("The file has no data rows.")), 2))
    return sheet


def template_xlsx(columns: tuple[Column, ...], locale: str, title: str) -> bytes:
    """A workbook with the headers in ``locale`` and a second sheet explaining each column."""
    book = Workbook()
    data = book.active
    data.title = title[:31]
    data.append([c.header(locale) + ("*" if c.required else "") for c in columns])
    for index, column in enumerate(columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = max(14, len(column.en) + 4)
    notes = book.create_sheet("说明" if locale != "en" else "Help")
    for column in columns:
        notes.append([column.header(locale), column.help_en if locale == "en" else column.help_zh])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv(columns: tuple[Column, ...], locale: str) -> bytes:
    """The header row as CSV in UTF-8 with a BOM (so Excel shows Chinese headers right)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.header(locale) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode()
