"""Spreadsheets in and out: reading CSV/XLSX rows (by their Chinese or English headers),
writing templates, and placing errors on a row and column. Every upload of the product reads
its file here.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from models.i18n import N_, Msg

MAX_ROWS = 5000
#: Rows a sheet may hold above its header: a title, and perhaps a line under it.
TITLE_ROWS = 2
UNREADABLE = N_("This file cannot be read: save it as .xlsx or as .csv (UTF-8).")
#: The most a workbook may unpack to. Its parts are deflated XML, shrinking a thousandfold when
#: repetitive: a 20 MB upload could unpack to gigabytes (openpyxl holds every shared string in
#: memory). A full 5,000-row sheet unpacks to a few megabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: Excel's own last row; a row numbered past it is no spreadsheet's.
MAX_ROW_NUMBER = 1_048_576


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    zh: str
    required: bool = False
    help_en: str = ""
    help_zh: str = ""
    kind: Literal["text", "date", "month", "number"] = "text"

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

    def error_dicts(self) -> list[dict[str, Any]]:
        """The errors in reading order: by row, then column (A ... Z, AA ...); a problem of the
        whole file first."""
        return [
            e.to_dict()
            for e in sorted(
                self.errors,
                key=lambda e: (e.row or 0, len(e.column or ""), e.column or ""),
            )
        ]


class UnreadableFile(ValueError):
    """Neither an .xlsx workbook nor a CSV in UTF-8 or GB18030."""


def cell_text(value: Any) -> str:
    """A cell as text: numbers as written (12.5, not 12.500000001), a date-time at midnight as
    its date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def read_rows(filename: str, content: bytes) -> Iterator[list[Any]]:
    """The rows of a .csv, .tsv or .txt (by its name) or else of an .xlsx's first sheet, cells
    as stored, one at a time: a caller stops reading where its row limit is passed, so a
    million-row file costs no more than the limit (see :func:`read_sheet`). A file that cannot
    be read raises :class:`UnreadableFile` when the row that cannot be read is reached."""
    delimited = filename.lower().endswith((".csv", ".tsv", ".txt"))
    try:
        yield from _read_csv(content) if delimited else _read_xlsx(content)
    except (InvalidFileException, zipfile.BadZipFile, ValueError, KeyError, OSError, SyntaxError):
        # SyntaxError: the XML parser's ParseError, e.g. entities expanding past its limit.
        raise UnreadableFile(filename) from None


#: A date as spreadsheets write it when saved as CSV (Excel's Chinese locale: 2026/12/1 8:00)
#: or as people type it (2026.12.1, 2026年12月1日), with or without a time.
_MOMENT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
#: A month: 2026/10, 2026.10, 2026年10月.
_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
#: A number with its thousands grouped by commas, as Excel shows it: 1,000 or 12,500.5. Only
#: whole groups of three: 1,5 or 1,00 may be a decimal comma, so they stay for the schema to
#: refuse.
GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def _typed_text(value: Any, kind: str) -> str:
    """A cell as the schema reads it: a date as YYYY-MM-DD, a month as YYYY-MM, a number
    without its thousands separators, when the cell holds one written another common way;
    anything else as written, for the schema to refuse with its message."""
    if kind in ("date", "month") and isinstance(value, datetime):
        value = value.date()
    text = cell_text(value)
    if kind == "date":
        return _as_date(text) or text
    if kind == "month":
        return _as_month(text) or text
    if kind == "number":
        return number_text(text)
    return text


def number_text(text: str) -> str:
    """A number without its thousands separators when written grouped (1,000, as Excel shows
    it), else the text as written."""
    return text.replace(",", "") if GROUPED_NUMBER.fullmatch(text) else text


def moment_text(text: str) -> str:
    """A date-time as ISO (``2026-11-01 08:00:00``) when ``text`` holds one written a common
    way; else ``text`` as it is, for the schema to refuse with its message."""
    moment = _written_moment(text)
    return moment.isoformat(sep=" ") if moment is not None else text


def _written_moment(text: str) -> datetime | None:
    match = _MOMENT.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime(*(int(part or 0) for part in match.groups()))
    except ValueError:
        return None


def _as_date(text: str) -> str | None:
    """Only a date at midnight: a time of day on a due date is a slip, not a date."""
    moment = _written_moment(text)
    return moment.date().isoformat() if moment is not None and moment.time() == time() else None


def _as_month(text: str) -> str | None:
    """Also the first day of a month: Excel turns a typed ``2026-10`` into 2026-10-01."""
    first = _as_date(text)
    if first is not None:
        return first[:7] if first.endswith("-01") else None
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def decode_text(content: bytes) -> str:
    """A text file's content: UTF-8, UTF-16 with its byte-order mark (Excel's "Unicode text")
    or GB18030 (Excel's CSV on a Chinese Windows); else :class:`UnreadableFile`."""
    unicode = "utf-16" if content[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    for encoding in (unicode, "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("encoding")


def _read_csv(content: bytes) -> Iterator[list[str]]:
    """The rows of a text file (see :func:`decode_text`); the delimiter is whichever of , ; or
    tab the header has most."""
    text = decode_text(content)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _read_xlsx(content: bytes) -> Iterator[list[Any]]:
    """The first sheet's rows, each as long as its last cell, not as the workbook says.

    A sheet declares its own size (``<dimension ref="A1:XFD1048576"/>``) and openpyxl pads
    every row to it and yields every row up to it: a 2 KB file asking for 17 billion cells.
    The declared size is dropped, and a file unpacking past :data:`MAX_UNPACKED_BYTES` is
    refused before it is parsed (a zip member's declared size binds: reading past it fails).
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ValueError("unpacks too large")
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROW_NUMBER:
                raise ValueError("row past the last row of a spreadsheet")
            yield list(row)
    finally:
        book.close()


def read_sheet(filename: str, content: bytes, columns: tuple[Column, ...]) -> Sheet:
    """Read the first sheet of an .xlsx or a .csv (UTF-8 or GB18030) into a :class:`Sheet`.

    Headers are matched in Chinese or English (or by key), ignoring case and a trailing ``*``
    (or ``＊``); an unknown or missing required header is an error on the header row, the first
    row unless a title stands above it (see :func:`find_header`). Blank rows are skipped and do
    not count towards the :data:`MAX_ROWS` limit (spreadsheets keep formatted empty rows).
    Reading stops at the first row past the limit.
    """
    sheet = Sheet()
    names = _column_names(columns)
    rows = read_rows(filename, content)
    try:
        found = find_header(rows, lambda text: _header_text(text).lower() in names)
        if found is None:
            sheet.errors.append(SheetError(Msg(N_("The file is empty.")), 1))
            return sheet
        number, header, data = found
        index_of = _read_header(sheet, number, header, columns, names)
        _read_data(sheet, data, index_of, number + 1)
    except UnreadableFile:
        sheet.rows.clear()
        sheet.errors = [SheetError(Msg(UNREADABLE))]
    finally:
        rows.close()
    return sheet


def find_header(
    rows: Iterator[list[Any]], names_a_column: Callable[[str], bool]
) -> tuple[int, list[Any], Iterator[list[Any]]] | None:
    """The header row, its number and the rows after it; None for a file without rows.

    The header is the first row, unless that names no column and one of the next
    :data:`TITLE_ROWS` does: a Chinese sheet often has a title (质检记录表) above its header.
    """
    looked: list[list[Any]] = []
    for row in itertools.islice(rows, TITLE_ROWS + 1):
        if any(names_a_column(cell_text(cell)) for cell in row):
            return len(looked) + 1, row, rows
        looked.append(row)
    if not looked:
        return None
    return 1, looked[0], itertools.chain(looked[1:], rows)


def _column_names(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Each column by its key and its English and Chinese header, in lower case."""
    return {
        name.lower(): column for column in columns for name in (column.key, column.en, column.zh)
    }


def _header_text(text: str) -> str:
    """A header cell as matched: without the ``*`` (or ``＊``) marking a required column."""
    return text.rstrip("*＊ ").strip()


def _read_header(
    sheet: Sheet,
    number: int,
    header: list[Any],
    columns: tuple[Column, ...],
    names: dict[str, Column],
) -> dict[int, Column]:
    """The column of each header cell; unknown, repeated and missing headers are errors on the
    header row (``number``)."""
    index_of: dict[int, Column] = {}
    for index, raw in enumerate(header):
        text = _header_text(cell_text(raw))
        if not text:
            continue
        letter = get_column_letter(index + 1)
        column = names.get(text.lower())
        if column is None or column.key in sheet.letters:
            problem = (
                Msg(N_("Unknown column “%(header)s”."), header=text)
                if column is None
                else Msg(
                    N_("The column “%(header)s” is there twice (also column %(first)s)."),
                    header=text,
                    first=sheet.letters[column.key],
                )
            )
            sheet.errors.append(SheetError(problem, number, letter, text))
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
                    number,
                )
            )
    return index_of


def _read_data(
    sheet: Sheet, rows: Iterator[list[Any]], index_of: dict[int, Column], first: int
) -> None:
    """The non-blank data rows from row ``first``, up to :data:`MAX_ROWS`: one more is an error,
    and no row."""
    for number, raw_row in enumerate(rows, start=first):
        values = {
            index_of[i].key: text
            for i, value in enumerate(raw_row)
            if i in index_of and (text := _typed_text(value, index_of[i].kind))
        }
        if values:
            sheet.rows.append((number, values))
        if len(sheet.rows) > MAX_ROWS:
            sheet.rows.clear()
            sheet.errors.append(SheetError(Msg(N_("At most %(count)s rows."), count=MAX_ROWS)))
            return
    if not sheet.rows and not sheet.errors:
        sheet.errors.append(SheetError(Msg(N_("The file has no data rows.")), first))


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
