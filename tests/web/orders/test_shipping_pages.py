"""Ship with lots, declare consumption and receive, through the pages."""

from __future__ import annotations

from sqlalchemy import func, select

from models.orders.entities import LotConsumption, Receipt, ShipNotice
from tests.helpers import csrf_token


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
