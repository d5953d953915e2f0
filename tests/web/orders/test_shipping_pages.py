"""Ship with lots, declare consumption and receive, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models.clock import local_today
from models.orders.entities import Lot, LotConsumption, Receipt, ShipNotice, ShipNoticeLine
from models.orders.purchasing import create_purchase_order
from models.orders.shipping import create_ship_notice
from tests.helpers import csrf_token

ZH = {"Accept-Language": "zh-CN"}


def _due(chain, days: int) -> str:
    return (chain.today + timedelta(days=days)).isoformat()


def _row_of(html: str, index: int, line_id: int) -> bool:
    return f'name="lines.{index}.order_line_id" value="{line_id}"' in html


def test_ship_declare_and_receive_through_the_pages(chain, login, session):
    upstream = chain.order(
        "PO-T", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME"
    ).lines[0]
    line = chain.order("PO-A").lines[0]
    chain.session.commit()
    tier2 = login("admin@tier2.test")
    page = f"/orders/notices/new?buyer={chain.org['tier1']}"
    response = tier2.post(
        page,
        data={
            "csrf_token": csrf_token(tier2, page),
            "number": "ASN-T2",
            "lines.0.order_line_id": upstream.id,
            "lines.0.quantity": "100",
            "lines.0.lots": "T2-A=60; T2-B=40",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    tier1 = login("admin@tier1.test")
    page = f"/orders/notices/new?buyer={chain.org['anchor']}"
    over = tier1.post(
        page,
        data={
            "csrf_token": csrf_token(tier1, page),
            "number": "ASN-T1",
            "lines.0.order_line_id": line.id,
            "lines.0.quantity": "200",
            "lines.0.lots": "T1-A",
        },
    )
    assert over.status_code == 422 and "Over-shipment" in over.get_data(as_text=True)
    assert session.scalar(select(func.count(ShipNotice.id))) == 1
    tier1.post(
        page,
        data={
            "csrf_token": csrf_token(tier1, page),
            "number": "ASN-T1",
            "lines.0.order_line_id": line.id,
            "lines.0.quantity": "100",
            "lines.0.lots": "T1-A",
        },
    )
    declared = tier1.post(
        "/orders/consumption",
        data={
            "csrf_token": csrf_token(tier1, "/orders/consumption"),
            "output_lot_number": "T1-A",
            "inputs.0.lot_number": "T2-A",
            "inputs.0.quantity": "60",
            "inputs.1.lot_number": "T2-B",
            "inputs.1.quantity": "40",
        },
    )
    assert declared.status_code == 302
    assert session.scalar(select(func.count(LotConsumption.id))) == 2
    notice = session.scalar(select(ShipNotice).where(ShipNotice.number == "ASN-T1"))
    buyer = login("buyer@anchor.test")
    shown = buyer.get(f"/orders/notices/{notice.id}").get_data(as_text=True)
    assert "T1-A" in shown
    lot_id = notice.lines[0].lots[0].id
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    future = buyer.post(
        f"/orders/notices/{notice.id}/receipt",
        headers={"Accept-Language": "zh-CN"},
        data={
            "csrf_token": csrf_token(buyer, f"/orders/notices/{notice.id}"),
            "received_on": tomorrow,
            "lots.0.shipment_lot_id": lot_id,
            "lots.0.received_quantity": "100",
        },
    )
    assert future.status_code == 422
    assert "收货日期不能晚于今天。" in future.get_data(as_text=True)
    assert f'value="{tomorrow}"' in future.get_data(as_text=True)
    assert session.scalar(select(func.count(Receipt.id))) == 0
    received = buyer.post(
        f"/orders/notices/{notice.id}/receipt",
        data={
            "csrf_token": csrf_token(buyer, f"/orders/notices/{notice.id}"),
            "lots.0.shipment_lot_id": lot_id,
            "lots.0.received_quantity": "100",
            "lots.0.rejected_quantity": "0",
        },
    )
    assert received.status_code == 302
    assert session.scalar(select(func.count(Receipt.id))) == 1
    session.refresh(line)
    assert line.status == "closed"
    assert upstream.status == "open"


def test_notice_rows_keep_their_line_when_an_earlier_line_appears(chain, login, session):
    later = chain.order("PO-LATER", due_date=_due(chain, 30)).lines[0]
    chain.session.commit()
    tier1 = login("admin@tier1.test")
    page = f"/orders/notices/new?buyer={chain.org['anchor']}"
    seen = tier1.get(page).get_data(as_text=True)
    assert _row_of(seen, 0, later.id)
    earlier = chain.order("PO-EARLIER", due_date=_due(chain, 2)).lines[0]
    chain.session.commit()
    assert _row_of(tier1.get(page).get_data(as_text=True), 0, earlier.id)
    response = tier1.post(
        page,
        data={
            "csrf_token": csrf_token(tier1, page),
            "number": "ASN-ROWS",
            "lines.0.order_line_id": later.id,
            "lines.0.quantity": "3",
            "lines.0.lots": "L-LATER",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    shipped = session.scalars(select(ShipNoticeLine.order_line_id)).all()
    assert shipped == [later.id]


def test_notice_refuses_rows_of_lines_no_longer_shippable(chain, login, session):
    closed = chain.order("PO-CLOSED").lines[0]
    other = chain.order("PO-OTHER", supplier="other1", part_number="A-200").lines[0]
    good = chain.order("PO-GOOD").lines[0]
    closed.status = "closed"
    chain.session.commit()
    tier1 = login("admin@tier1.test")
    page = f"/orders/notices/new?buyer={chain.org['anchor']}"
    response = tier1.post(
        page,
        headers=ZH,
        data={
            "csrf_token": csrf_token(tier1, page),
            "number": "ASN-STALE",
            "lines.0.order_line_id": closed.id,
            "lines.0.quantity": "5",
            "lines.0.lots": "L-CLOSED",
            "lines.1.order_line_id": other.id,
            "lines.1.quantity": "6",
            "lines.1.lots": "L-OTHER",
            "lines.2.order_line_id": good.id,
            "lines.2.quantity": "7",
            "lines.2.lots": "L-GOOD",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "本行已关闭。" in html and "贵司没有这一订单行。" in html
    assert html.count("已不能发货的订单行") == 2
    assert _row_of(html, 0, closed.id) and _row_of(html, 1, other.id) and _row_of(html, 2, good.id)
    assert 'name="lines.2.quantity" type="number" value="7"' in html
    assert "PO-OTHER" not in html
    assert session.scalar(select(func.count(ShipNotice.id))) == 0


def test_a_consumption_without_inputs_is_refused_without_a_field_key(chain, login, session):
    tier1 = login("admin@tier1.test")
    page = "/orders/consumption"
    bad = tier1.post(
        page,
        headers=ZH,
        data={"csrf_token": csrf_token(tier1, page), "output_lot_number": "OUT-1"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert re.search(r"请更正以下问题：</strong>\s*<ul><li>请填写 1 至 500 个投入批次。", text)
    assert "<code>inputs</code>" not in text
    assert session.scalar(select(func.count(LotConsumption.id))) == 0
    assert session.scalar(select(func.count(Lot.id))) == 0


def test_a_notice_of_many_lines_is_shown_and_received_page_by_page(chain, login, session):
    due = _due(chain, 14)
    lines = [{"part_number": "A-100", "quantity": "2", "due_date": due} for _ in range(120)]
    order = create_purchase_order(
        session,
        chain.actor("buyer@anchor.test"),
        {"number": "PO-MANY", "supplier_org_id": chain.org["tier1"], "lines": lines},
    )
    notice = create_ship_notice(
        session,
        chain.actor("admin@tier1.test"),
        {
            "number": "ASN-MANY",
            "lines": [
                {"order_line_id": line.id, "quantity": "2", "lots": [{"lot_number": f"M-{i:03}"}]}
                for i, line in enumerate(order.lines)
            ],
        },
    )
    session.commit()
    buyer = login("buyer@anchor.test")
    page = f"/orders/notices/{notice.id}"

    first = buyer.get(page).get_data(as_text=True)
    third = buyer.get(f"{page}?page=3", headers=ZH).get_data(as_text=True)

    assert "M-000" in first and "M-049" in first and "M-050" not in first
    assert "Lines 1–50 of 120" in first and "Page 1 of 3" in first
    assert "M-100" in third and "M-119" in third and "M-099" not in third
    assert "第 101–120 行，共 120 行" in third
    lot_ids = [lot.id for line in notice.lines[50:100] for lot in line.lots]
    form = {f"lots.{i}.shipment_lot_id": lot_id for i, lot_id in enumerate(lot_ids)}
    form |= {f"lots.{i}.received_quantity": "2" for i in range(len(lot_ids))}
    form["csrf_token"] = csrf_token(buyer, f"{page}?page=2")

    received = buyer.post(f"{page}/receipt?page=2", data=form)

    assert received.status_code == 302 and received.headers["Location"].endswith("?page=2")
    receipts = session.scalars(select(Receipt)).all()
    assert sorted(r.shipment_lot_id for r in receipts) == sorted(lot_ids)
    assert "✓" in buyer.get(f"{page}?page=2").get_data(as_text=True)


def _receipt_form(
    chain, login, session, number: str, lot: str, received: str, shipped: str = "100"
):
    """A one-lot notice, the buyer's client, the notice page and its filled receipt form."""
    line = chain.order(f"PO-{number}", quantity=shipped).lines[0]
    notice = create_ship_notice(
        session,
        chain.actor("admin@tier1.test"),
        {"number": f"ASN-{number}", "lines": [
            {"order_line_id": line.id, "quantity": shipped, "lots": [{"lot_number": lot}]}]},
    )  # fmt: skip
    session.commit()
    buyer = login("buyer@anchor.test")
    page = f"/orders/notices/{notice.id}"
    shown = buyer.get(page).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', shown)[1]
    form = {
        "csrf_token": csrf_token(buyer, page),
        "idempotency_key": key,
        "lots.0.shipment_lot_id": notice.lines[0].lots[0].id,
        "lots.0.received_quantity": received,
    }
    return buyer, page, form


def test_a_receipt_form_posted_twice_records_one_receipt(chain, login, session):
    buyer, page, form = _receipt_form(chain, login, session, "TWICE", "TW-1", "40")

    first = buyer.post(f"{page}/receipt", data=form)
    again = buyer.post(f"{page}/receipt", data=form, headers=ZH, follow_redirects=True)

    assert first.status_code == 302
    assert again.status_code == 200 and again.request.path == page
    text = again.get_data(as_text=True)
    assert "收货已记录。" in text and 'class="error"' not in text
    receipts = session.scalars(select(Receipt)).all()
    assert [r.received_quantity for r in receipts] == [40]
    assert form["idempotency_key"] not in text, "the next receipt gets a key of its own"


def test_a_receipt_form_sent_again_with_another_number_is_refused_on_the_page(
    chain, login, session
):
    buyer, page, form = _receipt_form(chain, login, session, "AGAIN", "AG-1", "4")
    assert buyer.post(f"{page}/receipt", data=form).status_code == 302

    corrected = buyer.post(
        f"{page}/receipt", data={**form, "lots.0.received_quantity": "6"}, headers=ZH
    )

    assert corrected.status_code == 409
    text = corrected.get_data(as_text=True)
    assert "较早的收货已记录" in text and "重新加载页面" in text
    assert "收货已记录。" not in text and "AG-1" in text, "the notice page, not an error page"
    assert session.scalars(select(Receipt.received_quantity)).all() == [4]


def test_a_refused_receipt_says_why_at_the_top_even_once_the_notice_is_received(
    chain, login, session
):
    buyer, page, form = _receipt_form(chain, login, session, "FULL", "FU-1", "100")
    assert buyer.post(f"{page}/receipt", data=form).status_code == 302

    again = buyer.post(
        f"{page}/receipt",
        data={**form, "idempotency_key": "b" * 32, "lots.0.received_quantity": "1"},
        headers=ZH,
    )

    assert again.status_code == 422
    text = again.get_data(as_text=True)
    summary = text.index('class="errors"')
    assert summary < text.index("FU-1"), "the reason comes before the list of lots"
    assert "收货未记录。" in text and "1 个批次条目需要更正" in text
    assert session.scalars(select(Receipt.received_quantity)).all() == [100]


def test_lots_without_quantities_are_named_once_each(chain, login, session):
    line = chain.order("PO-Q").lines[0]
    chain.session.commit()
    tier1 = login("admin@tier1.test")
    page = f"/orders/notices/new?buyer={chain.org['anchor']}"
    form = {
        "csrf_token": csrf_token(tier1, page),
        "number": "ASN-Q",
        "lines.0.order_line_id": line.id,
        "lines.0.quantity": "30",
        "lines.0.lots": "Q-1; Q-2; Q-3=10",
    }
    html = tier1.post(page, data=form).get_data(as_text=True)
    assert "Give the quantity of lot Q-1." in html and "Give the quantity of lot Q-2." in html
    assert "Q-3." not in html and "Give each lot" not in html
    chinese = tier1.post(page, data=form, headers=ZH).get_data(as_text=True)
    assert chinese.count("请填写批次 Q-1 的数量。") == 1
    assert session.scalar(select(func.count(ShipNotice.id))) == 0


def test_the_receipt_form_offers_a_lot_of_thousands_as_a_number_the_field_takes(
    chain, login, session
):
    buyer, page, _ = _receipt_form(chain, login, session, "BIG", "BIG-1", "", shipped="1200")
    for headers in ({}, ZH):
        html = buyer.get(page, headers=headers).get_data(as_text=True)
        # A number field shows nothing for "1,200": the buyer would see the field empty.
        assert 'name="lots.0.received_quantity" value="1200"' in html


@pytest.mark.parametrize(
    "typed", [{"lots.0.rejected_quantity": "5"}, {"lots.0.reason_code": "surface"}]
)
def test_a_rejection_typed_without_the_received_quantity_is_refused_on_that_lot(
    chain, login, session, typed
):
    buyer, page, form = _receipt_form(chain, login, session, "REJ", "RJ-1", "")

    refused = buyer.post(f"{page}/receipt", data={**form, **typed}, headers=ZH)

    assert refused.status_code == 422, "the lot was left out of the receipt without a word"
    text = refused.get_data(as_text=True)
    assert "收货未记录。" in text and "1 个批次条目需要更正" in text
    assert session.scalar(select(func.count(Receipt.id))) == 0
