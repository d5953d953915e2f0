"""The demo's orders, lots and receipts are there, deterministic, and tell a realistic story."""

from __future__ import annotations

from sqlalchemy import func, select

from models.demo import seed_demo
from models.demo.orders import CONSUMPTION, ORDERS
from models.orders.entities import Lot, LotConsumption, PurchaseOrder, Receipt
from models.orders.overview import LineFilters, line_rows
from models.orgs.entities import Organisation


def test_the_demo_chain_has_orders_lots_consumption_and_receipts(session):
    seed_demo(session)
    orders = {o.number: o for o in session.scalars(select(PurchaseOrder))}
    assert set(ORDERS) <= set(orders)
    assert orders["CF-PO-2411-002"].status == "closed" and orders["JN-PO-1101"].status == "closed"
    lots = {lot.lot_number: lot for lot in session.scalars(select(Lot))}
    assert {"CS-FRM-2410-01", "MH-2410-B", "JG-H2410-02", "JN-F-2411-04", "HT-C-2411-01"} <= set(
        lots
    )
    outputs = {lots[output].id for _, output, _ in CONSUMPTION}
    declared = select(func.count(LotConsumption.id)).where(
        LotConsumption.output_lot_id.in_(outputs)
    )
    assert session.scalar(declared) == sum(len(inputs) for _, _, inputs in CONSUMPTION)
    rejected = select(func.sum(Receipt.rejected_quantity)).where(
        Receipt.order_line_id.in_([line.id for n in ORDERS for line in orders[n].lines])
    )
    assert session.scalar(rejected) == 78
    changfeng = session.scalar(
        select(Organisation.id).where(Organisation.name_en.like("Changfeng%"))
    )
    rows = line_rows(session, changfeng, LineFilters(scope="chain", status=None))
    numbers = {row.order_number for row in rows}
    assert "JN-PO-1101" in numbers and "JN-PO-1102" not in numbers and "BC-PO-0088" not in numbers
    assert any(row.late for row in rows) and any(row.stalled for row in rows)
