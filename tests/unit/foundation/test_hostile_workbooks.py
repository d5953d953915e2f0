"""Workbooks built to exhaust the server: a declared size, a deflate bomb, entity expansion."""

from __future__ import annotations

import io
import zipfile

from models.orders.columns import ORDER_COLUMNS
from models.sheets import MAX_ROWS, MAX_UNPACKED_BYTES, read_rows, read_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
UNREADABLE = "This file cannot be read: save it as .xlsx or as .csv (UTF-8)."


def _workbook(sheet_xml: str, shared_xml: str = f'<sst xmlns="{MAIN}"/>') -> bytes:
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{types}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{types}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{types}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/sharedStrings.xml": shared_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet(rows: str, dimension: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'


HEADER_ROW = '<row r="1">' + _cell("A1", "po_number") + _cell("B1", "supplier") + "</row>"


def _messages(sheet) -> list[str]:  # type: ignore[no-untyped-def]
    return [error["message"]["template"] for error in sheet.error_dicts()]


def test_a_declared_sheet_size_does_not_pad_rows_or_add_rows():
    """A 2,000-byte workbook declaring A1:XFD1048576 asked openpyxl for 17 billion cells (the
    process ran out of memory); a smaller declared size shows the padding."""
    rows = HEADER_ROW + '<row r="2">' + _cell("A2", "PO-1") + _cell("B2", "ACME") + "</row>"
    content = _workbook(_sheet(rows, dimension="A1:ZZ3000"))

    assert list(read_rows("orders.xlsx", content)) == [["po_number", "supplier"], ["PO-1", "ACME"]]
    sheet = read_sheet("orders.xlsx", content, ORDER_COLUMNS)
    assert sheet.rows == [(2, {"po_number": "PO-1", "supplier": "ACME"})]


def test_a_row_numbered_past_the_last_row_of_excel_is_unreadable():
    rows = HEADER_ROW + '<row r="999999999999">' + _cell("A999999999999", "PO-1") + "</row>"

    sheet = read_sheet("orders.xlsx", _workbook(_sheet(rows)), ORDER_COLUMNS)

    assert _messages(sheet) == [UNREADABLE]
    assert sheet.rows == []


def test_a_workbook_unpacking_past_the_limit_is_refused_before_it_is_parsed():
    """Shared strings deflate a thousandfold; openpyxl reads them all into memory."""
    entry = "<si><t>" + "x" * 1000 + "</t></si>"
    shared = f'<sst xmlns="{MAIN}">' + entry * (MAX_UNPACKED_BYTES // len(entry) + 1) + "</sst>"
    content = _workbook(_sheet(HEADER_ROW), shared)
    assert len(content) < 2 * 1024 * 1024

    sheet = read_sheet("orders.xlsx", content, ORDER_COLUMNS)

    assert _messages(sheet) == [UNREADABLE]


def test_entity_expansion_in_a_workbook_is_unreadable_not_a_server_error():
    entities = '<!ENTITY a0 "lollollollol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    shared = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}">'
    shared += "<si><t>&a9;</t></si></sst>"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'

    sheet = read_sheet("orders.xlsx", _workbook(_sheet(rows), shared), ORDER_COLUMNS)

    assert _messages(sheet) == [UNREADABLE]


def test_reading_stops_at_the_first_row_past_the_limit():
    """A million-row sheet cost 15 s of CPU before its row count was checked. The row after the
    limit here is one no spreadsheet can hold: had it been read, the file would be unreadable."""
    data = "".join(
        f'<row r="{n}">' + _cell(f"A{n}", f"PO-{n}") + "</row>" for n in range(2, MAX_ROWS + 3)
    )
    beyond = '<row r="999999999999">' + _cell("A999999999999", "PO-X") + "</row>"
    content = _workbook(_sheet(HEADER_ROW + data + beyond))

    sheet = read_sheet("orders.xlsx", content, ORDER_COLUMNS)

    assert "At most %(count)s rows." in _messages(sheet)
    assert UNREADABLE not in _messages(sheet)
    assert sheet.rows == []
