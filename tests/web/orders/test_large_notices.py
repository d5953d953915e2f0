"""A ship notice of hundreds of lots on one line: its page, its API resource and its receipt
stay small (the first lots of each line, the rest a page at a time)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from models.orders.entities import Receipt
from models.orders.shipping import create_ship_notice
from tests.helpers import bearer, csrf_token

ZH = {"Accept-Language": "zh-CN"}
LOTS = 300


def _serials(chain, session, lots: int = LOTS):
    """A notice of one line of ``lots`` pcs, each its own serial-number lot S-0000..."""
    line = chain.order("PO-SER", quantity=str(lots)).lines[0]
    notice = create_ship_notice(
        session,
        chain.actor("admin@tier1.test"),
        {
            "number": "ASN-SER",
            "lines": [
                {
                    "order_line_id": line.id,
                    "quantity": str(lots),
                    "lots": [{"lot_number": f"S-{i:04}", "quantity": "1"} for i in range(lots)],
                }
            ],
        },
    )
    session.commit()
    return line, notice


def test_the_notice_page_shows_the_first_lots_of_a_line_and_how_many_more(chain, login, session):
    _, notice = _serials(chain, session)
    buyer = login("buyer@anchor.test")

    page = buyer.get(f"/orders/notices/{notice.id}").get_data(as_text=True)
    chinese = buyer.get(f"/orders/notices/{notice.id}", headers=ZH).get_data(as_text=True)

    assert "S-0000" in page and "S-0049" in page and "S-0050" not in page
    assert "300 lots" in page and "and 250 more lots" in page
    assert page.count('name="lots.') == 50 * 4
    assert "Also receive the 250 other open lots of this notice in full, as shipped" in page
    line_id = notice.lines[0].id
    assert f"/orders/notices/{notice.id}/lines/{line_id}/lots?page=2" in page
    assert "共 300 个批次" in chinese and "还有 250 个批次" in chinese
    assert "同时按发货数量全数收下本通知其余 250 个未收批次" in chinese


def test_the_lots_of_a_line_are_paged(chain, login, session):
    _, notice = _serials(chain, session)
    buyer = login("buyer@anchor.test")
    lots = f"/orders/notices/{notice.id}/lines/{notice.lines[0].id}/lots"

    second = buyer.get(f"{lots}?page=2").get_data(as_text=True)
    last = buyer.get(f"{lots}?page=6", headers=ZH).get_data(as_text=True)

    assert "S-0050" in second and "S-0099" in second
    assert "S-0049" not in second and "S-0100" not in second
    assert "Lots 51–100 of 300" in second and "Page 2 of 6" in second
    assert "S-0299" in last and "第 251–300 个批次，共 300 个" in last
    other = create_ship_notice(
        session,
        chain.actor("admin@tier1.test"),
        {"number": "ASN-OTHER", "lines": [{"order_line_id": chain.order("PO-O").lines[0].id,
                                           "quantity": "1", "lots": [{"lot_number": "O-1"}]}]},
    )  # fmt: skip
    session.commit()
    wrong = buyer.get(f"/orders/notices/{notice.id}/lines/{other.lines[0].id}/lots")
    assert wrong.status_code == 404


def test_receiving_all_as_shipped_with_an_exception_records_every_lot(chain, login, session):
    _, notice = _serials(chain, session)
    buyer = login("buyer@anchor.test")
    page = f"/orders/notices/{notice.id}"
    first = notice.lines[0].lots[0].id
    form = {
        "csrf_token": csrf_token(buyer, page),
        "lots.0.shipment_lot_id": first,
        "lots.0.received_quantity": "1",
        "lots.0.rejected_quantity": "1",
        "lots.0.reason_code": "surface",
        "all_as_shipped": "1",
    }

    received = buyer.post(f"{page}/receipt", data=form)

    assert received.status_code == 302, received.get_data(as_text=True)
    receipts = session.scalars(select(Receipt)).all()
    assert len(receipts) == LOTS
    assert sum(r.received_quantity for r in receipts) == LOTS
    assert [r.shipment_lot_id for r in receipts if r.rejected_quantity] == [first]
    shown = buyer.get(page).get_data(as_text=True)
    assert "Record the receipt" not in shown and "Also receive" not in shown


def test_a_receipt_posted_from_a_page_of_lots_returns_to_it(chain, login, session):
    _, notice = _serials(chain, session)
    buyer = login("buyer@anchor.test")
    lots = f"/orders/notices/{notice.id}/lines/{notice.lines[0].id}/lots"
    lot = notice.lines[0].lots[60]
    form = {
        "csrf_token": csrf_token(buyer, f"{lots}?page=2"),
        "lots.10.shipment_lot_id": lot.id,
        "lots.10.received_quantity": "2",
    }

    refused = buyer.post(f"/orders/notices/{notice.id}/receipt?line={notice.lines[0].id}&page=2",
                         data=form, headers=ZH)  # fmt: skip
    form["lots.10.received_quantity"] = "1"
    received = buyer.post(
        f"/orders/notices/{notice.id}/receipt?line={notice.lines[0].id}&page=2", data=form
    )

    assert refused.status_code == 422
    assert "批次 S-0060 发货 1，已收货 0。" in refused.get_data(as_text=True)
    assert received.status_code == 302 and received.headers["Location"].endswith(f"{lots}?page=2")
    assert session.scalar(select(func.count(Receipt.id))) == 1


def test_the_api_notice_lists_the_first_lots_and_pages_the_rest(chain, client, session):
    _, notice = _serials(chain, session)
    headers = bearer(session, "buyer@anchor.test")

    resource = client.get(f"/api/v1/ship-notices/{notice.id}", headers=headers).get_json()
    listed = client.get("/api/v1/ship-notices", headers=headers).get_json()
    line = resource["lines"][0]
    second = client.get(f"{line['lots_url']}&page=2&page_size=100", headers=headers)
    everything = client.get(f"/api/v1/ship-notices/{notice.id}/lots", headers=headers)

    assert len(line["lots"]) == 50 and line["lot_count"] == LOTS
    assert line["lots"][0]["lot_number"] == "S-0000"
    assert listed[0]["lines"][0]["lot_count"] == LOTS and len(listed[0]["lines"][0]["lots"]) == 50
    assert line["lots_url"] == f"/api/v1/ship-notices/{notice.id}/lots?line={line['id']}"
    numbers = [lot["lot_number"] for lot in second.get_json()]
    assert numbers == [f"S-{i:04}" for i in range(100, 200)]
    assert json.loads(second.headers["X-Pagination"])["total"] == LOTS
    assert json.loads(everything.headers["X-Pagination"])["total"] == LOTS
    stranger = bearer(session, "admin@other1.test")
    assert client.get(line["lots_url"], headers=stranger).status_code == 404


def test_the_api_receives_all_as_shipped(chain, client, session):
    _, notice = _serials(chain, session, 120)
    headers = bearer(session, "buyer@anchor.test")

    nothing = client.post(
        f"/api/v1/ship-notices/{notice.id}/receipts", headers=headers, json={"lots": []}
    )
    received = client.post(
        f"/api/v1/ship-notices/{notice.id}/receipts",
        headers=headers,
        json={"all_as_shipped": True, "lots": [{"lot_number": "S-0007", "received_quantity": "0"}]},
    )

    assert nothing.status_code == 422 and nothing.get_json()["errors"] == {
        "lots": ["Give at least one lot."]
    }
    assert received.status_code == 201, received.get_json()
    receipts = session.scalars(select(Receipt)).all()
    assert len(receipts) == 119, "S-0007 was named without a quantity: not received"


def test_a_receive_all_retried_with_its_key_records_once_and_other_content_is_refused(
    chain, client, session
):
    _, notice = _serials(chain, session, 60)
    headers = bearer(session, "buyer@anchor.test")
    body = {
        "all_as_shipped": True,
        "idempotency_key": "receive-all-0001",
        "lots": [{"lot_number": "S-0003", "received_quantity": "1", "rejected_quantity": "1",
                  "reason_code": "surface"}],
    }  # fmt: skip
    url = f"/api/v1/ship-notices/{notice.id}/receipts"
    first = client.post(url, headers=headers, json=body)
    again = client.post(url, headers=headers, json=body)
    body["lots"][0]["rejected_quantity"] = "0"
    other = client.post(url, headers=headers, json=body)

    assert first.status_code == 201, first.get_json()
    assert again.status_code == 200
    assert sorted(r["id"] for r in again.get_json()) == sorted(r["id"] for r in first.get_json())
    assert other.status_code == 409
    assert session.scalar(select(func.count(Receipt.id))) == 60
