"""The shop floor's phone journey in a real browser at 360 x 740: open the line's short link,
report in three taps and one number, and the buyer's open line page shows it by itself."""

from __future__ import annotations

import re

import pytest

from models.orders.shipping import create_ship_notice
from tests.fixtures.orders.chain import PASSWORD, build_chain
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def line(live_server):
    with live_server.database.unit_of_work() as session:
        chain = build_chain(session)
        order = chain.order("PO-PHONE-1", quantity="500")
        found = order.lines[0]
        return {"id": found.id, "code": found.short_code}


def test_three_taps_from_the_qr_link_reach_the_buyers_timeline(live_server, phone, line):
    buyer = phone(locale="en-US")
    buyer.goto(f"{live_server.url}/auth/login?next=/orders/lines/{line['id']}")
    submit_sign_in(buyer, "buyer@anchor.test", PASSWORD)
    buyer.wait_for_selector("#timeline")
    assert "In production" not in buyer.inner_text("#timeline")

    floor = phone(locale="zh-CN")
    floor.goto(f"{live_server.url}/r/{line['code']}")
    submit_sign_in(floor, "floor@tier1.test", PASSWORD)
    floor.wait_for_url(re.compile(rf"/orders/lines/{line['id']}/report"))

    width = floor.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the report form scrolls sideways on a phone"
    for selector in (".o-stage span", ".o-submit", "#f-quantity_done"):
        box = floor.locator(selector).first.bounding_box()
        assert box is not None and box["height"] >= 44, f"{selector} is too small to tap"

    floor.get_by_text("生产中", exact=True).click()  # tap 1: the stage
    floor.locator("#f-quantity_done").tap()  # tap 2: the number field
    floor.keyboard.type("42")  # the one number
    floor.locator(".o-submit").click()  # tap 3: send

    banner = floor.locator(".o-done-banner")
    banner.wait_for()
    assert "生产中" in banner.inner_text() and "42" in banner.inner_text()

    buyer.wait_for_function(
        "document.querySelector('#timeline').innerText.includes('In production')",
        timeout=20_000,
    )
    timeline = buyer.inner_text("#timeline")
    assert "42" in timeline


def test_a_double_tap_on_send_records_one_report(live_server, phone, line):
    floor = phone(locale="zh-CN")
    floor.goto(f"{live_server.url}/auth/login?next=/orders/lines/{line['id']}/report")
    submit_sign_in(floor, "floor@tier1.test", PASSWORD)
    floor.wait_for_selector(".o-submit")
    floor.get_by_text("备料", exact=True).click()
    floor.fill("#f-quantity_done", "0")
    floor.locator(".o-submit").dblclick()
    floor.locator(".o-done-banner").wait_for()

    from sqlalchemy import func, select

    from models.orders.entities import ProgressReport

    with live_server.database.unit_of_work() as session:
        count = session.scalar(
            select(func.count(ProgressReport.id)).where(ProgressReport.line_id == line["id"])
        )
    assert count == 1


def test_the_receipt_form_fits_a_phone_lot_by_lot(live_server, phone):
    with live_server.database.unit_of_work() as session:
        chain = build_chain(session)
        line = chain.order("PO-PHONE-2", quantity="500").lines[0]
        lots = [
            {"lot_number": "SEAT-2026-11-23-NIGHT-A", "quantity": "300"},
            {"lot_number": "SEAT-2026-11-23-NIGHT-B", "quantity": "200"},
        ]
        notice = create_ship_notice(
            session,
            chain.actor("admin@tier1.test"),
            {
                "number": "ASN-PHONE",
                "lines": [{"order_line_id": line.id, "quantity": "500", "lots": lots}],
            },
        )
        notice_id = notice.id
    buyer = phone(locale="zh-CN")
    buyer.goto(f"{live_server.url}/auth/login?next=/orders/notices/{notice_id}")
    submit_sign_in(buyer, "buyer@anchor.test", PASSWORD)
    buyer.wait_for_selector("input[name='lots.1.received_quantity']")
    buyer.wait_for_load_state("load")

    assert buyer.evaluate("document.documentElement.scrollWidth") <= 360
    for wrap in buyer.locator(".table-wrap").all():
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the lots scroll sideways"
    for lot in range(2):
        for name in ("received_quantity", "rejected_quantity", "reason_code"):
            box = buyer.locator(f"[name='lots.{lot}.{name}']").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, name
            assert box["height"] >= 44 and box["width"] >= 100, f"{name} is too small to tap"
    code = buyer.locator("table.o-lots code").first.bounding_box()
    assert code is not None and code["height"] < 30, "the lot number wraps"


def test_a_long_order_number_wraps_instead_of_widening_the_phone_pages(live_server, phone):
    with live_server.database.unit_of_work() as session:
        chain = build_chain(session)
        line_id = chain.order("PO-" + "LONG" * 15).lines[0].id
    floor = phone(locale="zh-CN")
    floor.goto(f"{live_server.url}/auth/login?next=/orders/report")
    submit_sign_in(floor, "floor@tier1.test", PASSWORD)
    floor.wait_for_selector(".o-tile")
    pages = ("/orders/report", "/orders/sheet", f"/orders/lines/{line_id}/report")
    for path in (*pages, f"/orders/lines/{line_id}", "/orders/"):
        floor.goto(f"{live_server.url}{path}")
        width = floor.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide on a 360-px phone"
