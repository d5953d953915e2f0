"""Numbers too large for the database, in links and API calls: a clear answer, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.orders.entities import ShipNotice
from tests.helpers import bearer

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/orders/?due_within={HUGE}",
        "/orders/?due_within=3000000",
        f"/orders/?page={HUGE}",
        f"/orders/?supplier={HUGE}",
    ],
)
def test_a_list_link_with_a_huge_number_shows_the_list_unfiltered(chain, login, path):
    chain.order("PO-HUGE")
    chain.session.commit()
    page = login("buyer@anchor.test").get(path)
    assert page.status_code == 200
    assert "PO-HUGE" in page.get_data(as_text=True)


def test_the_work_order_sheet_of_a_huge_order_number_shows_every_open_line(chain, login):
    chain.order("PO-HUGE")
    chain.session.commit()
    page = login("floor@tier1.test").get(f"/orders/sheet?order={HUGE}")
    assert page.status_code == 200
    assert "PO-HUGE" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [f"/api/v1/order-lines?supplier_id={HUGE}", "/api/v1/order-lines?due_within=3651"],
)
def test_an_api_filter_out_of_range_is_a_422_naming_it(chain, client, session, path):
    answer = client.get(path, headers=bearer(session, "buyer@anchor.test"))
    assert answer.status_code == 422
    field = path.split("?")[1].split("=")[0]
    assert field in answer.get_json()["errors"]


def test_an_api_page_past_what_the_database_counts_is_empty(chain, client, session):
    answer = client.get(
        f"/api/v1/purchase-orders?page={HUGE}", headers=bearer(session, "buyer@anchor.test")
    )
    assert answer.status_code == 200 and answer.get_json() == []


def test_a_huge_id_in_a_body_is_number_too_large_and_writes_nothing(chain, client, session):
    answer = client.post(
        "/api/v1/ship-notices",
        headers={**bearer(session, "admin@tier1.test"), "Accept-Language": "zh"},
        json={
            "ship_date": "2026-11-20",
            "lines": [
                {"order_line_id": int(HUGE), "quantity": "1", "lots": [{"lot_number": "L1"}]}
            ],
        },
    )
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["errors"]["lines.0.order_line_id"] == ["数值过大。"]
    assert session.scalar(select(func.count(ShipNotice.id))) == 0
