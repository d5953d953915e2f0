"""The buyer's and the supplier's pages: order list, new order, upload, report form, timeline."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models.base import utcnow
from models.orders.confirmations import record_confirmation
from models.orders.entities import LineConfirmation, ProgressReport, PurchaseOrder
from models.orders.progress import record_progress
from tests.helpers import csrf_token, field_error

ZH = {"Accept-Language": "zh-CN"}


def test_the_buyer_sees_its_lines_with_progress_and_filters(chain, login):
    chain.order("PO-LIST-1")
    chain.session.commit()
    client = login("buyer@anchor.test")
    page = client.get("/orders/").get_data(as_text=True)
    assert "PO-LIST-1 / 1" in page and "<progress" in page
    assert "PO-LIST-1" not in client.get("/orders/?late=1").get_data(as_text=True)
    assert "PO-LIST-1" in client.get("/orders/?due_within=30").get_data(as_text=True)


def test_a_new_order_by_form_and_its_errors_in_chinese(chain, login, session):
    client = login("buyer@anchor.test")
    token = csrf_token(client, "/orders/new")
    form = {
        "csrf_token": token,
        "number": "PO-F1",
        "supplier_org_id": chain.org["tier1"],
        "lines.0.part_number": "A-100",
        "lines.0.quantity": "0",
        "lines.0.due_date": "2026-12-01",
        "lines.3.part_number": "NOPE",
        "lines.3.quantity": "2",
        "lines.3.due_date": "2026-12-01",
    }
    bad = client.post("/orders/new", data=form, headers=ZH)
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "请输入大于0的数量。" in text and "未知零件号 NOPE。" in text
    assert session.scalar(select(func.count(PurchaseOrder.id))) == 0
    form.update({"lines.0.quantity": "20", "lines.3.part_number": "A-200"})
    good = client.post("/orders/new", data=form)
    assert good.status_code == 302
    order = session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == "PO-F1"))
    assert [line.line_no for line in order.lines] == [1, 2]


def test_an_order_without_lines_is_refused_without_a_field_key(chain, login, session):
    client = login("buyer@anchor.test")
    form = {
        "csrf_token": csrf_token(client, "/orders/new"),
        "number": "PO-EMPTY",
        "supplier_org_id": chain.org["tier1"],
    }
    bad = client.post("/orders/new", data=form, headers=ZH)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert re.search(r"请更正以下问题：</strong>\s*<ul><li>订单需有 1 至 500 行。", text)
    assert "<code>lines</code>" not in text
    assert session.scalar(select(func.count(PurchaseOrder.id))) == 0


def test_an_upload_with_bad_cells_names_row_and_column_in_chinese(chain, login, session):
    client = login("buyer@anchor.test")
    content = "订单号,供应商,零件号,数量,交货日期\nPO-U1,Tier One Seats,A-100,-5,2026-12-01\n"
    response = client.post(
        "/orders/upload",
        data={
            "csrf_token": csrf_token(client, "/orders/upload"),
            "file": (__import__("io").BytesIO(content.encode()), "po.csv"),
        },
        headers=ZH,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert re.search(r"<td>2</td><td>D \(数量\)</td><td>请输入大于0的数量。</td>", text)
    assert session.scalar(select(func.count(PurchaseOrder.id))) == 0


def test_templates_come_with_chinese_or_english_headers(chain, login):
    client = login("buyer@anchor.test")
    zh_response = client.get("/orders/template.csv?lang=zh")
    assert zh_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    zh = zh_response.get_data().decode("utf-8-sig")
    en = client.get("/orders/template.csv?lang=en").get_data().decode("utf-8-sig")
    assert zh.startswith("订单号,供应商") and en.startswith("PO number,Supplier")
    xlsx = client.get("/orders/template.xlsx?lang=zh")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def report_form(client, line_id, key, headers=None, **data):
    token = csrf_token(client, f"/orders/lines/{line_id}/report")
    return client.post(
        f"/orders/lines/{line_id}/report",
        headers=headers or {},
        data={
            "csrf_token": token,
            "idempotency_key": key,
            "stage": "production",
            "quantity_done": "12",
            **data,
        },
    )


def test_the_report_form_records_once_per_key_and_shows_it(chain, login, session):
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    assert (
        client.get(f"/r/{line.short_code}")
        .headers["Location"]
        .endswith(f"/orders/lines/{line.id}/report")
    )
    first = report_form(client, line.id, "key-form-0001")
    again = report_form(client, line.id, "key-form-0001")
    assert first.status_code == again.status_code == 303
    assert session.scalar(select(func.count(ProgressReport.id))) == 1
    done = client.get(first.headers["Location"], headers=ZH).get_data(as_text=True)
    assert "生产中" in done and "12" in done
    bad = report_form(client, line.id, "key-form-0002", quantity_done="-1")
    assert bad.status_code == 422


def test_each_refused_field_of_the_report_form_is_tied_to_its_error(chain, login):
    """A screen reader reads a refused field's error with the field (aria-describedby)."""
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    bad = report_form(
        client, line.id, "key-form-0003", quantity_done="-1", expected_finish="1999-01-01"
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    for name in ("quantity_done", "expected_finish"):
        assert field_error(page, name), name
        assert re.search(rf'name="{name}"[^>]*aria-describedby="e-{name}"', page), name


@pytest.mark.parametrize(
    ("headers", "said"),
    [({}, "already sent with other values"), (ZH, "已用其他数值提交过")],
)
def test_a_cached_report_form_sent_with_another_number_is_refused_on_the_form(
    chain, login, session, headers, said
):
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    assert report_form(client, line.id, "key-form-0005").status_code == 303
    again = report_form(client, line.id, "key-form-0005", quantity_done="30", headers=headers)
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert said in page
    assert 'name="quantity_done"' in page and 'value="30"' in page, "the form, with the values"
    assert session.scalars(select(ProgressReport.quantity_done)).all() == [12]
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)[1]
    assert key != "key-form-0005", "the re-shown form sends the values as a new report"
    assert report_form(client, line.id, key, quantity_done="30").status_code == 303
    assert sorted(session.scalars(select(ProgressReport.quantity_done))) == [12, 30]


def test_the_short_link_takes_the_buyer_to_the_lines_timeline(chain, login):
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("buyer@anchor.test")
    target = client.get(f"/r/{line.short_code}").headers["Location"]
    assert target.endswith(f"/orders/lines/{line.id}")
    assert client.get(target).status_code == 200


def test_another_suppliers_line_is_not_found(chain, login):
    line = chain.order(supplier="other1").lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    assert client.get(f"/orders/lines/{line.id}/report").status_code == 404
    assert client.get(f"/orders/lines/{line.id}").status_code == 404
    assert report_form(client, line.id, "key-form-0009").status_code == 404


def test_the_anchor_sees_a_sub_tier_line_without_its_price(chain, login):
    line = chain.order(
        "PO-T",
        buyer="admin@tier1.test",
        supplier="tier2",
        part_number="T1-FRAME",
        unit_price="77.25",
    ).lines[0]
    chain.session.commit()
    anchor = login("buyer@anchor.test").get(f"/orders/lines/{line.id}").get_data(as_text=True)
    assert "PO-T" in anchor and "77.25" not in anchor
    tier1 = login("admin@tier1.test").get(f"/orders/lines/{line.id}").get_data(as_text=True)
    assert "77.25" in tier1


def test_the_timeline_fragment_answers_204_until_something_changes(chain, login):
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("buyer@anchor.test")
    page = client.get(f"/orders/lines/{line.id}").get_data(as_text=True)
    version = re.search(r'data-version="([^"]+)"', page).group(1)
    fragment = f"/orders/lines/{line.id}/timeline?v={version}"
    assert client.get(fragment).status_code == 204
    floor = login("floor@tier1.test")
    report_form(floor, line.id, "key-form-0003")
    client = login("buyer@anchor.test")
    changed = client.get(fragment)
    assert changed.status_code == 200 and "In production" in changed.get_data(as_text=True)


def test_the_work_order_sheet_has_a_qr_code_and_short_link_per_line(chain, login):
    order = chain.order()
    chain.session.commit()
    page = login("floor@tier1.test").get(f"/orders/sheet?order={order.id}").get_data(as_text=True)
    assert "<svg" in page and f"/r/{order.lines[0].short_code}" in page


def test_times_are_shown_on_the_products_clock(chain, login):
    """Stored in UTC, shown in Beijing time (the default TIME_ZONE): 02:30 UTC reads 10:30."""
    line = chain.order().lines[0]
    when = (utcnow() - timedelta(days=1)).replace(hour=2, minute=30, second=0, microsecond=0)
    report = {"stage": "production", "quantity_done": "5", "idempotency_key": "key-clock-0001",
              "reported_at": when.isoformat()}  # fmt: skip
    record_progress(chain.session, chain.actor("floor@tier1.test"), line.id, report)
    chain.session.commit()
    client = login("buyer@anchor.test")

    chinese = client.get(f"/orders/lines/{line.id}", headers=ZH).get_data(as_text=True)
    english = client.get(f"/orders/lines/{line.id}").get_data(as_text=True)

    assert f"{when:%Y/%m/%d} 10:30" in chinese
    assert f"{when.month}/{when.day}/{when:%y}, 10:30\u202fAM" in english


def test_a_proposal_that_changes_nothing_is_refused_on_the_order_page_in_chinese(
    chain, login, session
):
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("admin@tier1.test")
    page = f"/orders/{line.order_id}"
    response = client.post(
        f"/orders/lines/{line.id}/confirmation",
        data={
            "csrf_token": csrf_token(client, page),
            "action": "propose",
            "quantity": "100",
            "promised_date": line.due_date.isoformat(),
        },
        headers=ZH,
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    refused = f"此提议没有任何变化：该行已是 {line.due_date.isoformat()} 前交付 100 pcs。"
    assert text.count(refused) == 1, "one message for both fields"
    assert session.scalar(select(func.count(LineConfirmation.id))) == 0
    session.refresh(line)
    assert line.confirmation == "pending"


def test_the_order_page_keeps_the_agreement_while_a_change_is_proposed(chain, login, session):
    line = chain.order().lines[0]
    for user, data in [
        (
            "admin@tier1.test",
            {"action": "propose", "quantity": "350", "promised_date": "2030-01-15"},
        ),
        ("buyer@anchor.test", {"action": "accept"}),
        ("admin@tier1.test", {"action": "propose", "promised_date": "2030-02-01"}),
    ]:
        record_confirmation(chain.session, chain.actor(user), line.id, data)
    chain.session.commit()
    text = login("buyer@anchor.test").get(f"/orders/{line.order_id}").get_data(as_text=True)
    assert "Agreed</dt><dd>350 pcs · " in text
    seller = login("admin@tier1.test").get(f"/orders/{line.order_id}").get_data(as_text=True)
    assert 'placeholder="350"' in seller
    assert "A field left empty stays as it stands now: 350 pcs by " in seller


def test_a_template_names_its_sheet_in_the_language_of_its_headers(chain, login):
    client = login("buyer@anchor.test")
    for path, zh_title, en_title in (
        ("/orders/template.xlsx", "采购订单", "Purchase orders"),
        ("/orders/consumption/template.xlsx", "批次投料", "Lot consumption"),
    ):
        for lang, ui, title, help_sheet in (
            ("zh", "en", zh_title, "说明"),
            ("en", "zh-CN", en_title, "Help"),
        ):
            got = client.get(f"{path}?lang={lang}", headers={"Accept-Language": ui})
            assert load_workbook(io.BytesIO(got.data)).sheetnames == [title, help_sheet]


def test_the_shop_floor_finds_its_lines_past_the_first_fifty_on_the_next_pages(chain, login):
    for n in range(52):
        chain.order(f"PO-FLOOR-{n:02d}", due_date=(chain.today + timedelta(days=n)).isoformat())
    chain.session.commit()
    client = login("floor@tier1.test")

    def tiles(path):
        return re.findall(r'id="line-(\d+)"', client.get(path).get_data(as_text=True))

    first, second = tiles("/orders/report"), tiles("/orders/report?page=2")
    assert (len(first), len(second), len(set(first) | set(second))) == (50, 2, 52)
    sheet = client.get("/orders/sheet?page=2").get_data(as_text=True)
    assert sheet.count('class="o-slip"') == 2 and "PO-FLOOR-51" in sheet
