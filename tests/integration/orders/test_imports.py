"""Spreadsheet imports: every row checked before anything is written, errors on a row and
column, rejected uploads kept, the same bytes recognised."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from models.files import Upload
from models.i18n import Msg
from models.orders.columns import CONSUMPTION_COLUMNS, ORDER_COLUMNS
from models.orders.entities import LotConsumption, OrderLine, PurchaseOrder
from models.orders.imports import import_consumption, import_purchase_orders
from models.orders.parts import define_part
from models.orders.shipping import create_ship_notice
from models.sheets import template_csv, template_xlsx
from models.validation import COMMA_HINT

ZH_HEADER = "订单号,供应商,下单日期,行号,零件号,数量,单位,交货日期,单价\n"


def csv_bytes(*rows: str, header: str = ZH_HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def import_orders(chain, content: bytes):
    """The buyer imports ``content`` as an order CSV."""
    return import_purchase_orders(chain.session, chain.actor("buyer@anchor.test"), "o.csv", content)


def count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def test_a_good_csv_creates_one_order_per_number(chain):
    content = csv_bytes(
        "PO-X1,Tier One Seats,2026-11-01,1,A-100,10,pcs,2026-12-01,12.5",
        "PO-X1,Tier One Seats,2026-11-01,2,A-200,5,,2026-12-05,",
        "PO-X2,一级座椅厂,,,A-100,7,,2026-12-09,",
    )
    result = import_orders(chain, content)
    assert result.accepted and len(result.written) == 2 and result.upload.errors is None
    orders = chain.session.scalars(select(PurchaseOrder).order_by(PurchaseOrder.number)).all()
    assert [(o.number, len(o.lines), o.source) for o in orders] == [
        ("PO-X1", 2, "file"),
        ("PO-X2", 1, "file"),
    ]


def test_bad_cells_reject_the_whole_file_but_keep_it_with_row_and_column(chain):
    content = csv_bytes(
        "PO-X1,Tier One Seats,2026-11-01,1,A-100,10,pcs,2026-12-01,",
        "PO-X1,Tier One Seats,2026-11-01,2,A-100,-4,pcs,2026-12-01,",
        "PO-X2,Nobody Ltd,2026-11-01,1,NOPE,abc,,2026-13-01,",
    )
    result = import_orders(chain, content)
    assert result.upload.status == "rejected" and result.written == []
    found = [(e["row"], e["column"], e["message"]["template"]) for e in result.upload.errors]
    assert found == [
        (3, "F", "Enter a quantity greater than 0."),
        (4, "B", "No active supplier “%(name)s”."),
        (4, "E", "Unknown part number %(part)s."),
        (4, "F", "Not a valid number."),
        (4, "H", "Not a valid date."),
    ], "in reading order"
    assert count(chain.session, PurchaseOrder) == 0 and count(chain.session, OrderLine) == 0
    assert chain.session.get(Upload, result.upload.id).content == content


def test_numbers_with_thousands_separators_are_read_and_ambiguous_ones_refused(chain):
    content = csv_bytes(
        'PO-X1,Tier One Seats,2026-11-01,1,A-100,"1,000",pcs,2026-12-01,"12,500.5"',
        'PO-X1,Tier One Seats,2026-11-01,2,A-200,"1,5",,2026-12-05,',
    )
    refused = import_orders(chain, content)
    found = [(e["row"], e["column"], e["message"]["template"]) for e in refused.upload.errors]
    assert found == [(3, "F", COMMA_HINT)], "how to write it, not only that it is wrong"
    assert count(chain.session, PurchaseOrder) == 0 and count(chain.session, OrderLine) == 0
    accepted = import_orders(chain, csv_bytes(content.decode().splitlines()[1]))
    assert accepted.accepted, accepted.upload.errors
    line = chain.session.scalars(select(OrderLine)).one()
    assert (line.quantity, line.unit_price) == (1000, Decimal("12500.5"))


def test_wrong_headers_are_named_on_row_one(chain):
    content = csv_bytes("x", header="订单号,供应商,Colour,数量\n")
    result = import_orders(chain, content)
    messages = [(e["row"], e["column"], e["message"]["template"]) for e in result.upload.errors]
    assert (1, "C", "Unknown column “%(header)s”.") in messages
    assert sum(1 for m in messages if m[2] == "The column “%(header)s” is missing.") == 2


def test_dates_as_excel_saves_them_in_a_chinese_csv_are_read(chain):
    content = csv_bytes(
        "PO-X1,Tier One Seats,2026/11/1,1,A-100,10,pcs,2026/12/1,",
        "PO-X1,Tier One Seats,2026/11/1,2,A-200,5,,2026年12月5日,",
        "PO-X1,Tier One Seats,2026/11/1,3,A-200,5,,2026.12.09 00:00:00,",
    )
    result = import_orders(chain, content)
    assert result.accepted
    order = chain.session.scalars(select(PurchaseOrder)).one()
    assert order.order_date == date(2026, 11, 1)
    assert [line.due_date for line in order.lines] == [
        date(2026, 12, 1),
        date(2026, 12, 5),
        date(2026, 12, 9),
    ]


def test_a_date_that_does_not_exist_is_refused_as_written(chain):
    content = csv_bytes("PO-X1,Tier One Seats,,1,A-100,10,pcs,2026/2/30,")
    result = import_orders(chain, content)
    found = [(e["row"], e["column"], e["message"]["template"]) for e in result.upload.errors]
    assert found == [(2, "H", "Not a valid date.")]
    assert count(chain.session, PurchaseOrder) == 0


def test_a_date_out_of_range_is_refused_and_the_upload_kept_with_its_error(chain):
    content = csv_bytes("PO-X1,Tier One Seats,,1,A-100,10,pcs,1999-12-31,")
    result = import_orders(chain, content)
    assert result.upload.status == "rejected" and count(chain.session, PurchaseOrder) == 0
    chain.session.commit()  # the kept upload's errors are stored as JSON
    kept = chain.session.get(Upload, result.upload.id)
    assert [(e["row"], e["column"], str(Msg.from_dict(e["message"]))) for e in kept.errors] == [
        (2, "H", "Give a date from 2000-01-01 to 2099-12-31.")
    ]


def test_a_column_given_twice_is_named_with_both_places(chain):
    content = csv_bytes("x", header="订单号,供应商,零件号,数量,交货日期,Quantity\n")
    result = import_orders(chain, content)
    messages = [
        (e["row"], e["column"], str(Msg.from_dict(e["message"]))) for e in result.upload.errors
    ]
    assert messages == [(1, "F", "The column “Quantity” is there twice (also column D).")]
    assert count(chain.session, PurchaseOrder) == 0


def test_the_same_bytes_again_are_recognised_and_not_imported_twice(chain):
    content = csv_bytes("PO-X1,Tier One Seats,2026-11-01,1,A-100,10,pcs,2026-12-01,")
    first = import_orders(chain, content)
    again = import_purchase_orders(
        chain.session, chain.actor("buyer@anchor.test"), "o2.csv", content
    )
    assert first.accepted and again.repeated and again.upload.id == first.upload.id
    assert count(chain.session, PurchaseOrder) == 1


def test_a_rejected_file_sent_again_after_a_fix_is_a_new_attempt_and_keeps_the_first(chain):
    content = csv_bytes("PO-X1,Tier One Seats,2026-11-01,1,A-900,10,pcs,2026-12-01,")
    first = import_orders(chain, content)
    assert first.upload.status == "rejected"
    define_part(
        chain.session,
        chain.actor("buyer@anchor.test"),
        {"part_number": "A-900", "name_zh": "新零件", "unit": "pcs"},
    )

    again = import_purchase_orders(
        chain.session, chain.actor("buyer@anchor.test"), "o-fixed.csv", content
    )

    assert again.accepted and not again.repeated and again.upload.id != first.upload.id
    assert (again.upload.attempt, again.upload.filename) == (2, "o-fixed.csv")
    kept = chain.session.get(Upload, first.upload.id)
    assert (kept.status, kept.filename, kept.attempt) == ("rejected", "o.csv", 1)
    assert [e["column"] for e in kept.errors] == ["E"]
    assert count(chain.session, PurchaseOrder) == 1
    third = import_purchase_orders(
        chain.session, chain.actor("buyer@anchor.test"), "o3.csv", content
    )
    assert third.repeated and third.upload.id == again.upload.id
    assert count(chain.session, PurchaseOrder) == 1


def test_the_xlsx_templates_read_back_in_both_languages(chain):
    for locale in ("zh_Hans_CN", "en"):
        book = load_workbook(io.BytesIO(template_xlsx(ORDER_COLUMNS, locale, "PO")))
        sheet = book.worksheets[0]
        sheet.append(
            ["PO-" + locale[:2], "Tier One Seats", None, 1, "A-100", 3, None, "2026-12-01"]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        result = import_purchase_orders(
            chain.session, chain.actor("buyer@anchor.test"), "t.xlsx", buffer.getvalue()
        )
        assert result.accepted, result.upload.errors
    assert template_csv(ORDER_COLUMNS, "en").decode().startswith("\ufeffPO number,Supplier")


def test_consumption_rows_group_by_output_lot(chain):
    line = chain.order(
        "PO-T", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME"
    ).lines[0]
    create_ship_notice(
        chain.session,
        chain.actor("admin@tier2.test"),
        {
            "number": "A1",
            "lines": [
                {
                    "order_line_id": line.id,
                    "quantity": "10",
                    "lots": [
                        {"lot_number": "IN-1", "quantity": "6"},
                        {"lot_number": "IN-2", "quantity": "4"},
                    ],
                }
            ],
        },
    )
    chain.order()
    book = Workbook()
    sheet = book.active
    sheet.append([c.en for c in CONSUMPTION_COLUMNS])
    sheet.append(["OUT-1", "A-100", None, "IN-1", "Tier Two Steel", 6])
    sheet.append(["OUT-1", None, None, "IN-2", None, 4])
    sheet.append(["OUT-2", "A-100", None, "IN-1", None, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    bad = import_consumption(
        chain.session, chain.actor("admin@tier1.test"), "c.xlsx", buffer.getvalue()
    )
    assert [(e["row"], e["column"]) for e in bad.upload.errors] == [(4, "F")]
    assert count(chain.session, LotConsumption) == 0
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    book.save(buffer)
    good = import_consumption(
        chain.session, chain.actor("admin@tier1.test"), "c.xlsx", buffer.getvalue()
    )
    assert good.accepted and count(chain.session, LotConsumption) == 2
