"""The orders API: the same operations as the pages, JSON in and out, one error shape."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from sqlalchemy import func, select, update

from models.files import Upload
from models.orders.entities import (
    LineConfirmation,
    Lot,
    LotConsumption,
    Part,
    ProgressReport,
    PurchaseOrder,
    Receipt,
)
from models.orders.shipping import create_ship_notice
from tests.helpers import bearer


def test_order_confirm_report_ship_declare_and_receive_over_the_api(chain, client, session):
    buyer = bearer(session, "buyer@anchor.test")
    seller = bearer(session, "admin@tier1.test")
    floor = bearer(session, "floor@tier1.test")
    created = client.post(
        "/api/v1/purchase-orders",
        headers=buyer,
        json={
            "number": "PO-API-1",
            "supplier_org_id": chain.org["tier1"],
            "lines": [
                {
                    "part_number": "A-100",
                    "quantity": "50",
                    "due_date": "2026-12-20",
                    "unit_price": "9.99",
                }
            ],
        },
    )
    assert created.status_code == 201, created.get_json()
    line_id = created.get_json()["lines"][0]["id"]
    confirmed = client.post(
        f"/api/v1/order-lines/{line_id}/confirmations", headers=seller, json={"action": "confirm"}
    )
    assert confirmed.status_code == 201 and confirmed.get_json()["action"] == "confirm"
    report = {"stage": "production", "quantity_done": "20", "idempotency_key": "api-key-0001"}
    first = client.post(f"/api/v1/order-lines/{line_id}/progress", headers=floor, json=report)
    again = client.post(f"/api/v1/order-lines/{line_id}/progress", headers=floor, json=report)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    shipped = client.post(
        "/api/v1/ship-notices",
        headers=seller,
        json={
            "number": "ASN-API",
            "lines": [
                {
                    "po_number": "PO-API-1",
                    "po_line": 1,
                    "quantity": "50",
                    "lots": [{"lot_number": "API-LOT", "quantity": "50"}],
                }
            ],
        },
    )
    assert shipped.status_code == 201, shipped.get_json()
    notice = shipped.get_json()
    assert notice["lines"][0]["lots"][0]["lot_number"] == "API-LOT"
    received = client.post(
        f"/api/v1/ship-notices/{notice['id']}/receipts",
        headers=buyer,
        json={"lots": [{"lot_number": "API-LOT", "received_quantity": "50"}]},
    )
    assert received.status_code == 201
    line = client.get(f"/api/v1/order-lines/{line_id}", headers=buyer).get_json()
    assert line["line"]["status"] == "closed" and line["line"]["unit_price"] == "9.9900"
    assert [e["kind"] for e in line["events"]] == ["confirmation", "report", "shipment", "receipt"]


def test_bad_input_gets_the_json_error_shape_with_field_paths_in_chinese(chain, client, session):
    headers = {**bearer(session, "buyer@anchor.test"), "Accept-Language": "zh-CN"}
    response = client.post(
        "/api/v1/purchase-orders",
        headers=headers,
        json={
            "number": "PO-API-2",
            "supplier_org_id": chain.org["tier1"],
            "lines": [{"part_number": "A-100", "quantity": "abc", "due_date": "2026-12-20"}],
        },
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert body["errors"]["lines.0.quantity"] == ["不是有效的数字。"]
    assert session.scalar(select(func.count(PurchaseOrder.id))) == 0


def test_a_line_of_another_supplier_is_404_and_nothing_is_written(chain, client, session):
    line = chain.order(supplier="other1").lines[0]
    chain.session.commit()
    response = client.post(
        f"/api/v1/order-lines/{line.id}/progress",
        headers=bearer(session, "floor@tier1.test"),
        json={"stage": "production", "quantity_done": "1", "idempotency_key": "api-key-0002"},
    )
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    assert session.scalar(select(func.count(ProgressReport.id))) == 0


def test_lines_are_paged_and_prices_stay_with_the_parties(chain, client, session):
    for n in range(3):
        chain.order(f"PO-P{n}", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME")
    chain.session.commit()
    response = client.get(
        "/api/v1/order-lines?scope=chain&page_size=2", headers=bearer(session, "buyer@anchor.test")
    )
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    assert [row["unit_price"] for row in response.get_json()] == [None, None]


def test_a_rejected_upload_is_kept_and_answered_with_its_cells(chain, client, session):
    content = b"PO number,Supplier,Part number,Quantity,Due date\nPO-U,Tier One Seats,A-100,0,x\n"
    response = client.post(
        "/api/v1/purchase-orders/upload",
        headers=bearer(session, "buyer@anchor.test"),
        data={"file": (io.BytesIO(content), "po.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == "rejected"
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(2, "D"), (2, "E")}


def test_a_multipart_part_without_a_name_is_no_file_and_no_server_error(chain, client, session):
    """Found by the API fuzz test: a part whose Content-Disposition names no field ended in a
    server error (the NUL check read its missing name)."""
    body = (
        b"--b\r\nContent-Disposition: form-data\r\n\r\n12\r\n"
        b'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\x00y\r\n--b--\r\n'
    )
    response = client.post(
        "/api/v1/purchase-orders/upload",
        headers=bearer(session, "buyer@anchor.test"),
        data=body,
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"note"}
    assert session.scalar(select(func.count()).select_from(Upload)) == 0


def test_the_openapi_document_describes_the_orders_api(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/purchase-orders",
        "/api/v1/order-lines/{line_id}/progress",
        "/api/v1/ship-notices",
        "/api/v1/lot-consumptions",
        "/api/v1/parts",
    ):
        assert path in paths


def test_consuming_more_of_a_lot_than_was_received_is_refused_in_chinese(chain, client, session):
    line = chain.order(
        "PO-T1", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME"
    ).lines[0]
    lot = {"order_line_id": line.id, "quantity": "100", "lots": [{"lot_number": "T2-LOT"}]}
    create_ship_notice(
        chain.session, chain.actor("admin@tier2.test"), {"number": "ASN-T2", "lines": [lot]}
    )
    chain.session.commit()
    headers = {**bearer(session, "admin@tier1.test"), "Accept-Language": "zh-CN"}
    response = client.post(
        "/api/v1/lot-consumptions",
        headers=headers,
        json={
            "output_lot_number": "T1-LOT",
            "part_number": "A-100",
            "inputs": [{"lot_number": "T2-LOT", "quantity": "5000"}],
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "inputs.0.quantity": ["此批次最多还剩 100 pcs：已收货 100，已申报消耗 0。"]
    }
    assert session.scalar(select(func.count(LotConsumption.id))) == 0
    assert session.scalar(select(Lot.id).where(Lot.lot_number == "T1-LOT")) is None


def test_a_second_source_sees_the_part_without_the_first_sources_data(chain, client, session):
    part_id = chain.order("PO-2ND", supplier="other1").lines[0].part_id
    chain.session.execute(
        update(Part).where(Part.id == part_id).values(supplier_part_number="T1-SEAT-9")
    )
    session.commit()
    second = client.get(f"/api/v1/parts/{part_id}", headers=bearer(session, "admin@other1.test"))
    assert second.status_code == 200
    assert second.get_json()["part_number"] == "A-100"
    assert second.get_json()["supplier_org_id"] is None
    assert second.get_json()["supplier_part_number"] is None
    named = client.get(f"/api/v1/parts/{part_id}", headers=bearer(session, "admin@tier1.test"))
    assert named.get_json()["supplier_org_id"] == chain.org["tier1"]
    assert named.get_json()["supplier_part_number"] == "T1-SEAT-9"


def test_a_proposal_that_changes_nothing_is_a_422_on_both_fields_in_chinese(chain, client, session):
    line = chain.order().lines[0]
    chain.session.commit()
    headers = {**bearer(session, "admin@tier1.test"), "Accept-Language": "zh-CN"}
    response = client.post(
        f"/api/v1/order-lines/{line.id}/confirmations",
        headers=headers,
        json={"action": "propose", "quantity": "100.00", "promised_date": str(line.due_date)},
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    refused = f"此提议没有任何变化：该行已是 {line.due_date.isoformat()} 前交付 100 pcs。"
    assert errors["quantity"][0].startswith(refused)
    assert errors["promised_date"] == errors["quantity"]
    assert session.scalar(select(func.count(LineConfirmation.id))) == 0


def test_a_receipt_sent_again_with_its_key_is_answered_200_with_the_first_receipts(
    chain, client, session
):
    line = chain.order("PO-API-K").lines[0]
    notice = create_ship_notice(
        session,
        chain.actor("admin@tier1.test"),
        {"number": "ASN-API-K", "lines": [
            {"order_line_id": line.id, "quantity": "100", "lots": [{"lot_number": "K-LOT"}]}]},
    )  # fmt: skip
    session.commit()
    body = {
        "idempotency_key": "api-receipt-0001",
        "lots": [{"lot_number": "K-LOT", "received_quantity": "30"}],
    }
    url = f"/api/v1/ship-notices/{notice.id}/receipts"
    buyer = bearer(session, "buyer@anchor.test")
    first = client.post(url, headers=buyer, json=body)
    again = client.post(url, headers=buyer, json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert [r["id"] for r in again.get_json()] == [r["id"] for r in first.get_json()]
    assert first.get_json()[0]["idempotency_key"] == "api-receipt-0001"
    assert session.scalar(select(func.count(Receipt.id))) == 1


def test_the_accepted_agreement_stays_in_force_while_a_new_proposal_is_open(chain, client, session):
    due = chain.today - timedelta(days=1)
    line = chain.order(
        "PO-API-AGREED", order_date=due - timedelta(days=30), due_date=due.isoformat()
    ).lines[0]
    session.commit()
    url = f"/api/v1/order-lines/{line.id}"
    seller = bearer(session, "admin@tier1.test")
    buyer = bearer(session, "buyer@anchor.test")

    def step(headers: dict, **data: str) -> dict:
        answer = client.post(f"{url}/confirmations", headers=headers, json=data)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    agreed = due + timedelta(days=20)
    step(seller, action="propose", quantity="350", promised_date=agreed.isoformat())
    step(buyer, action="accept")
    step(seller, action="propose", promised_date=(agreed + timedelta(days=5)).isoformat())
    shown = client.get(url, headers=buyer).get_json()["line"]
    assert shown["confirmation"] == "proposed"
    assert (shown["promised_date"], shown["agreed_quantity"]) == (agreed.isoformat(), "350.0000")
    assert shown["late"] is False
    step(buyer, action="reject")
    proposal = step(seller, action="propose", quantity="300")
    assert (proposal["quantity"], proposal["promised_date"]) == ("300.0000", agreed.isoformat())


def test_a_receipt_key_sent_again_with_another_body_is_a_409_in_chinese(chain, client, session):
    line = chain.order("PO-API-K2").lines[0]
    notice = create_ship_notice(
        session,
        chain.actor("admin@tier1.test"),
        {"number": "ASN-API-K2", "lines": [
            {"order_line_id": line.id, "quantity": "100", "lots": [{"lot_number": "K2-LOT"}]}]},
    )  # fmt: skip
    session.commit()
    url = f"/api/v1/ship-notices/{notice.id}/receipts"
    buyer = {**bearer(session, "buyer@anchor.test"), "Accept-Language": "zh-CN"}

    def send(received: str):
        lots = [{"lot_number": "K2-LOT", "received_quantity": received}]
        return client.post(
            url, headers=buyer, json={"idempotency_key": "api-k2-0001", "lots": lots}
        )

    first, again, other = send("4"), send("4"), send("6")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.get_json() == again.get_json()
    assert first.get_json()[0]["rejected_quantity"] == "0.0000"
    message = other.get_json()["message"]
    assert "较早的收货已记录" in message and "重新加载页面" in message, message
    assert session.scalar(select(Receipt.received_quantity)) == 4
    assert session.scalar(select(func.count(Receipt.id))) == 1


def test_a_report_key_sent_again_with_another_stage_is_a_409_in_chinese(chain, client, session):
    line = chain.order("PO-API-K3").lines[0]
    session.commit()
    url = f"/api/v1/order-lines/{line.id}/progress"
    floor = {**bearer(session, "floor@tier1.test"), "Accept-Language": "zh-CN"}

    def send(stage: str):
        body = {"stage": stage, "quantity_done": "20", "idempotency_key": "api-k3-0001"}
        return client.post(url, headers=floor, json=body)

    first, again, other = send("production"), send("production"), send("inspection")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert "已用其他数值提交过" in other.get_json()["message"], other.get_json()
    assert session.scalars(select(ProgressReport.stage)).all() == ["production"]
