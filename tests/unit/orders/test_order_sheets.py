"""Reading spreadsheets by their Chinese or English headers, and the lot shorthand of forms."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from models.orders.columns import ORDER_COLUMNS
from models.orders.schemas import REJECT_REASONS
from models.sheets import MAX_ROWS, read_sheet, template_csv
from webapp.orders.forms import lots_from_text, remap
from webapp.orders.labels import REASON_LABELS


def test_headers_match_in_either_language_case_and_required_star_ignored():
    content = "PO NUMBER*,供应商,Part number,数量,due_date\nPO-1,ACME,P-1,5,2026-12-01\n\n"
    sheet = read_sheet("a.csv", content.encode(), ORDER_COLUMNS)
    assert sheet.errors == []
    assert sheet.letters == {
        "po_number": "A",
        "supplier": "B",
        "part_number": "C",
        "quantity": "D",
        "due_date": "E",
    }
    assert sheet.rows == [
        (
            2,
            {
                "po_number": "PO-1",
                "supplier": "ACME",
                "part_number": "P-1",
                "quantity": "5",
                "due_date": "2026-12-01",
            },
        )
    ]


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_numbers():
    """A Chinese sheet often has a title, and a line under it, above its header."""
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年12月采购订单"])
    sheet.append([None, None, "制表：采购部"])
    sheet.append(["订单号", "供应商", "零件号", "数量", "交货日期"])
    sheet.append(["PO-1", "长风", "P-1", 5, "2026-12-01"])
    content = io.BytesIO()
    book.save(content)

    read = read_sheet("a.xlsx", content.getvalue(), ORDER_COLUMNS)

    assert read.errors == []
    assert [(number, row["po_number"]) for number, row in read.rows] == [(4, "PO-1")]


def test_a_first_row_naming_no_column_is_still_the_header_when_none_follows():
    read = read_sheet("a.csv", b"foo,bar\nPO-1,ACME\n", ORDER_COLUMNS)

    assert ("Unknown column “%(header)s”.", 1, "foo") in [
        (e.message.template, e.row, e.header) for e in read.errors
    ]
    assert read.rows == []


def test_excel_style_gb18030_csv_with_semicolons_is_read():
    content = "订单号;供应商;零件号;数量;交货日期\nPO-1;长风;P-1;5;2026-12-01\n".encode("gb18030")
    sheet = read_sheet("a.csv", content, ORDER_COLUMNS)
    assert sheet.errors == [] and sheet.rows[0][1]["supplier"] == "长风"


def test_excel_unicode_text_in_utf16_with_tabs_and_a_full_width_star_is_read():
    content = "订单号＊\t供应商 \t零件号\t数量\t交货日期\nPO-1\t长风\tP-1\t5\t2026-12-01\n"
    sheet = read_sheet("orders.txt", content.encode("utf-16"), ORDER_COLUMNS)
    assert sheet.errors == [] and sheet.rows[0][1]["po_number"] == "PO-1"


def _workbook(rows: list[list[object]], formatted_empty_row: int = 0) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if formatted_empty_row:
        book.active.cell(formatted_empty_row, 1).font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_formatted_empty_rows_do_not_count_towards_the_row_limit():
    header = ["订单号", "供应商", "零件号", "数量", "交货日期"]
    content = _workbook([header, ["PO-1", "长风", "P-1", 5, "2026-12-01"]], MAX_ROWS + 100)
    sheet = read_sheet("a.xlsx", content, ORDER_COLUMNS)
    assert sheet.errors == [] and len(sheet.rows) == 1


def test_more_data_rows_than_the_limit_is_one_error_and_no_rows():
    lines = ["订单号,供应商,零件号,数量,交货日期"] + [
        f"PO-{n},长风,P-1,5,2026-12-01" for n in range(MAX_ROWS + 1)
    ]
    sheet = read_sheet("a.csv", "\n".join(lines).encode(), ORDER_COLUMNS)
    assert [e.message.template for e in sheet.errors] == ["At most %(count)s rows."]
    assert sheet.rows == []


def test_an_unreadable_file_is_one_clear_error():
    sheet = read_sheet("a.xlsx", b"not a workbook", ORDER_COLUMNS)
    assert [e.message.template for e in sheet.errors] == [
        "This file cannot be read: save it as .xlsx or as .csv (UTF-8)."
    ]


def test_the_csv_template_reads_back_without_errors_but_without_rows():
    sheet = read_sheet("t.csv", template_csv(ORDER_COLUMNS, "zh_Hans_CN"), ORDER_COLUMNS)
    assert [e.message.template for e in sheet.errors] == ["The file has no data rows."]


def test_lot_shorthand_of_the_ship_notice_form():
    assert lots_from_text("L-1") == [{"lot_number": "L-1"}]
    assert lots_from_text("L-1=60; L-2：40，L-3: 5") == [
        {"lot_number": "L-1", "quantity": "60"},
        {"lot_number": "L-2", "quantity": "40"},
        {"lot_number": "L-3", "quantity": "5"},
    ]


def test_a_lots_quantity_may_group_its_thousands():
    assert lots_from_text("L-1=1,000, L-2=12,500.5\nL-3=60,L-4=7") == [
        {"lot_number": "L-1", "quantity": "1000"},
        {"lot_number": "L-2", "quantity": "12500.5"},
        {"lot_number": "L-3", "quantity": "60"},
        {"lot_number": "L-4", "quantity": "7"},
    ]


def test_errors_of_kept_rows_point_back_at_their_form_rows():
    errors = {"lines.1.quantity": ["bad"], "lines.0.lots.2.quantity": ["x"], "number": ["n"]}
    assert remap(errors, "lines", [2, 5]) == {
        "lines.5.quantity": ["bad"],
        "lines.2.lots": ["x"],
        "number": ["n"],
    }


def test_every_reject_reason_has_a_label():
    assert set(REASON_LABELS) == set(REJECT_REASONS)


def test_numbers_with_thousands_separators_are_read_and_ambiguous_commas_left_as_written():
    header = "订单号;供应商;零件号;数量;交货日期;单价;行号\n"
    rows = [
        "PO-1;长风;P-1;1,000;2026-12-01;12,500.5;1,001",
        "PO-1;长风;P-1;-1,234,567.25;2026-12-01;+1,000;2",
        "PO-1;长风;P-1;1,5;2026-12-01;1,00;3",
        "PO-1;长风;P-1;1,0000;2026-12-01;12,50.5;4",
    ]
    sheet = read_sheet("a.csv", (header + "\n".join(rows)).encode(), ORDER_COLUMNS)
    read = [(v["quantity"], v["unit_price"], v["line"]) for _, v in sheet.rows]
    assert read == [
        ("1000", "12500.5", "1001"),
        ("-1234567.25", "+1000", "2"),
        ("1,5", "1,00", "3"),
        ("1,0000", "12,50.5", "4"),
    ]
    text_column = read_sheet("a.csv", "订单号;供应商\n1,000;长风\n".encode(), ORDER_COLUMNS)
    assert text_column.rows[0][1]["po_number"] == "1,000", "only number columns are read so"
