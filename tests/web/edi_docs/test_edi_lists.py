"""EDI lists page from the newest files to older ones; uploading without a file says so."""

from __future__ import annotations

import html
import io

import pytest
from sqlalchemy import func, select

from models.edi_docs.documents import receive_document
from models.edi_docs.entities import EdiDocument, EdiOutbound
from models.orders.entities import PurchaseOrder
from tests.fixtures.edi_docs.world import PASSWORD, build_world
from tests.helpers import csrf_token, sign_in
from tests.web.browser import sign_in_page
from webapp.paging import PAGE_SIZE
from worker.edi_exchange.orders import send_order_file

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
COUNT = PAGE_SIZE + 5


def _receive(session, world, count: int = COUNT) -> None:
    """``count`` files sent by the supplier, asn-000.edi the oldest (kept, not processed)."""
    actor = world.actor("admin@supplier.edi")
    for n in range(count):
        receive_document(session, actor, f"asn-{n:03d}.edi", f"ISA*{n}".encode())
    session.commit()


def _link(page: str, rel: str) -> str:
    return html.unescape(page.split(f'rel="{rel}"')[0].rsplit('href="', 1)[1].split('"')[0])


def test_older_documents_are_one_click_away_with_the_filter_kept(client, world, session):
    _receive(session, world)
    sign_in(client, "admin@supplier.edi", PASSWORD)
    first = client.get("/edi/?role=sent", headers=EN).get_data(as_text=True)
    assert f"asn-{COUNT - 1:03d}.edi" in first and "asn-000.edi" not in first
    assert "Page 1 of 2" in first and 'rel="prev"' not in first
    older = _link(first, "next")
    assert "role=sent" in older and "page=2" in older

    second = client.get(older, headers=EN).get_data(as_text=True)
    assert "asn-000.edi" in second and "asn-004.edi" in second
    assert f"asn-{COUNT - 1:03d}.edi" not in second
    assert "Page 2 of 2" in second and 'rel="next"' not in second
    assert "asn-000.edi" not in client.get(_link(second, "prev")).get_data(as_text=True)


def test_the_pager_speaks_chinese_and_a_page_past_the_end_shows_the_last(client, world, session):
    _receive(session, world)
    sign_in(client, "admin@supplier.edi", PASSWORD)
    first = client.get("/edi/", headers=ZH).get_data(as_text=True)
    assert "较早" in first and "第 1 页，共 2 页" in first
    last = client.get("/edi/?page=99", headers=ZH).get_data(as_text=True)
    assert "asn-000.edi" in last and "较新" in last


def test_a_short_list_has_no_pager(client, world, session):
    _receive(session, world, 3)
    sign_in(client, "admin@supplier.edi", PASSWORD)
    page = client.get("/edi/", headers=EN).get_data(as_text=True)
    assert "asn-000.edi" in page and "o-pager" not in page


def test_older_files_sent_are_one_click_away(client, world, session):
    buyer = world.actor("buyer@anchor.edi")
    order_id = session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == "PO-EDI-1"))
    for _ in range(COUNT):
        send_order_file(session, buyer, {"purchase_order_id": order_id, "standard": "x12"})
    session.commit()
    oldest, newest = session.execute(
        select(func.min(EdiOutbound.id), func.max(EdiOutbound.id))
    ).one()
    oldest_name = session.get(EdiOutbound, oldest).filename
    newest_name = session.get(EdiOutbound, newest).filename
    sign_in(client, "buyer@anchor.edi", PASSWORD)
    first = client.get("/edi/outbound?kind=850", headers=EN).get_data(as_text=True)
    assert newest_name in first and oldest_name not in first
    older = _link(first, "next")
    assert "kind=850" in older
    second = client.get(older, headers=EN).get_data(as_text=True)
    assert oldest_name in second and newest_name not in second


def test_an_upload_without_a_file_asks_for_one_and_stores_nothing(client, world, session):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    for data in ({}, {"file": (io.BytesIO(b""), "")}):
        response = client.post(
            "/edi/upload",
            data={**data, "csrf_token": csrf_token(client, "/edi/")},
            content_type="multipart/form-data",
            headers=ZH,
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "未选择文件。" in page and "文件为空" not in page
    assert session.scalar(select(func.count()).select_from(EdiDocument)) == 0


@pytest.mark.browser
def test_the_pager_fits_a_phone(live_server, phone):
    with live_server.database.unit_of_work() as session:
        world = build_world(session, with_order=False)
        actor = world.actor("admin@supplier.edi")
        for n in range(COUNT):
            receive_document(session, actor, f"asn-{n:03d}.edi", f"ISA*{n}".encode())
    page = phone()
    sign_in_page(page, live_server.url, "admin@supplier.edi", PASSWORD, "/edi/")
    page.wait_for_selector(".o-pager")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click(".o-pager a[rel=next]")
    page.wait_for_selector(".o-pager a[rel=prev]")
    page.wait_for_load_state("load")
    assert "asn-000.edi" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
def test_the_order_to_send_is_readable_on_a_phone(live_server, phone):
    with live_server.database.unit_of_work() as session:
        build_world(session)
    page = phone()
    sign_in_page(page, live_server.url, "admin@anchor.edi", PASSWORD, "/edi/outbound")
    page.wait_for_selector("#f-purchase_order_id")
    page.wait_for_load_state("load")
    order = page.locator("#f-purchase_order_id").bounding_box()
    standard = page.locator("#f-standard").bounding_box()
    assert order is not None and standard is not None
    # A row of its own (was squeezed to 9rem beside the standard, cutting the number off).
    assert order["width"] > 250 and standard["y"] > order["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


#: How many line boxes each word of an element's text takes (a word split mid-way takes two).
WORD_LINES = """(element) => {
  const text = element.firstChild;
  const lines = {};
  for (const match of text.data.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(text, match.index);
    range.setEnd(text, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    lines[match[0]] = tops.size;
  }
  return lines;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_files_sent_heading_keeps_its_words_whole_on_a_phone(live_server, phone, locale):
    with live_server.database.unit_of_work() as session:
        build_world(session, with_order=False)
    page = phone(locale=locale)
    sign_in_page(page, live_server.url, "admin@anchor.edi", PASSWORD, "/edi/outbound")
    page.wait_for_selector("main h1")
    page.wait_for_load_state("load")
    heading = page.locator("main h1")
    if locale == "en":
        assert heading.inner_text() == "Acknowledgements and orders"
        lines = heading.evaluate(WORD_LINES)
        assert lines == {"Acknowledgements": 1, "and": 1, "orders": 1}, lines
    box = heading.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
