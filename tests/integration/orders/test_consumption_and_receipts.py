"""Lot consumption links received lots into the supplier's lots, at most what was received;
receipts close lines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models.clock import local_today
from models.errors import Conflict, NotFound, ValidationFailed
from models.notify import Notification
from models.orders.consumption import declare_consumption
from models.orders.entities import Lot, LotConsumption, Receipt, ShipNotice
from models.orders.receiving import record_receipt
from models.orders.shipping import create_ship_notice


@pytest.fixture
def shipped(chain):
    """tier2 shipped T2-LOT to tier1; tier1 shipped T1-LOT (100 of part A-100) to the anchor."""
    upstream = chain.order(
        "PO-T1", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME"
    ).lines[0]
    create_ship_notice(
        chain.session,
        chain.actor("admin@tier2.test"),
        {
            "number": "ASN-T2",
            "lines": [
                {
                    "order_line_id": upstream.id,
                    "quantity": "100",
                    "lots": [{"lot_number": "T2-LOT"}],
                }
            ],
        },
    )
    line = chain.order().lines[0]
    notice = create_ship_notice(
        chain.session,
        chain.actor("admin@tier1.test"),
        {
            "number": "ASN-T1",
            "lines": [
                {"order_line_id": line.id, "quantity": "100", "lots": [{"lot_number": "T1-LOT"}]}
            ],
        },
    )
    return {"line": line, "notice": notice}


def declare(chain, output="T1-LOT", inputs=None, **extra):
    data = {
        "output_lot_number": output,
        "inputs": inputs or [{"lot_number": "T2-LOT", "quantity": "100"}],
        **extra,
    }
    return declare_consumption(chain.session, chain.actor("admin@tier1.test"), data)


def test_a_received_lot_goes_into_an_output_lot_once(chain, shipped):
    edges = declare(chain)
    assert len(edges) == 1 and edges[0].quantity == 100
    with pytest.raises(ValidationFailed) as caught:
        declare(chain)
    assert caught.value.errors["inputs.0.lot_number"] == ["Lot T2-LOT is already declared."]


def test_unknown_inputs_new_outputs_and_cycles_are_refused(chain, shipped):
    with pytest.raises(ValidationFailed) as caught:
        declare(
            chain,
            inputs=[
                {"lot_number": "NOPE", "quantity": "1"},
                {"lot_number": "T2-LOT", "quantity": "0"},
            ],
        )
    assert caught.value.errors == {
        "inputs.0.lot_number": ["No lot NOPE was shipped to you."],
        "inputs.1.quantity": ["Enter a quantity greater than 0."],
    }
    with pytest.raises(ValidationFailed) as caught:
        declare(chain, output="T1-NEW")
    assert caught.value.errors["part_number"] == ["Lot T1-NEW is new: give its part number."]
    declare(chain, output="T1-NEW", part_number="A-100")
    declare(chain, output="T1-LOT", inputs=[{"lot_number": "T1-NEW", "quantity": "1"}])
    with pytest.raises(ValidationFailed) as caught:
        declare(chain, output="T1-NEW", inputs=[{"lot_number": "T1-LOT", "quantity": "1"}])
    assert "cannot go into itself" in caught.value.errors["inputs.0.lot_number"][0]
    assert chain.session.scalar(select(func.count(LotConsumption.id))) == 2


def receive(chain, notice, *lots, user="buyer@anchor.test", on=None):
    data = {"ship_notice_id": notice.id, "lots": list(lots)}
    receipts, _ = record_receipt(
        chain.session, chain.actor(user), data | ({"received_on": on.isoformat()} if on else {})
    )
    return receipts


def test_rejects_keep_the_line_open_until_the_accepted_quantity_is_complete(chain, shipped):
    line, notice = shipped["line"], shipped["notice"]
    receive(
        chain,
        notice,
        {
            "lot_number": "T1-LOT",
            "received_quantity": "100",
            "rejected_quantity": "4",
            "reason_code": "surface",
        },
    )
    assert line.status == "open"
    assert chain.session.scalar(
        select(Notification.id).where(
            Notification.org_id == chain.org["tier1"], Notification.kind == "receipt.rejects"
        )
    )
    replacement = create_ship_notice(
        chain.session,
        chain.actor("admin@tier1.test"),
        {
            "number": "ASN-R",
            "lines": [
                {"order_line_id": line.id, "quantity": "4", "lots": [{"lot_number": "T1-LOT-R"}]}
            ],
        },
    )
    receive(chain, replacement, {"lot_number": "T1-LOT-R", "received_quantity": "4"})
    assert line.status == "closed" and line.order.status == "closed"


def test_bad_receipts_are_refused_and_nothing_is_written(chain, shipped):
    notice = shipped["notice"]
    with pytest.raises(ValidationFailed) as caught:
        receive(
            chain,
            notice,
            {"lot_number": "T1-LOT", "received_quantity": "101"},
            {"lot_number": "ZZZ", "received_quantity": "1"},
            {"lot_number": "T1-LOT", "received_quantity": "5", "rejected_quantity": "2"},
        )
    assert caught.value.errors == {
        "lots.0.received_quantity": [
            "You cannot receive more of lot T1-LOT than was shipped: 100 shipped, 0 already "
            "received."
        ],
        "lots.1.lot_number": ["This lot is not on the ship notice."],
        "lots.2.reason_code": ["Give a reason for the rejects."],
        "lots.2.received_quantity": [
            "You cannot receive more of lot T1-LOT than was shipped: 100 shipped, 0 already "
            "received."
        ],
    }
    assert chain.session.scalar(select(func.count(Receipt.id))) == 0
    with pytest.raises(NotFound):
        receive(
            chain,
            notice,
            {"lot_number": "T1-LOT", "received_quantity": "1"},
            user="admin@anchor2.test",
        )


def test_a_receipt_of_nothing_is_refused_and_nothing_is_written(chain, shipped):
    with pytest.raises(ValidationFailed) as caught:
        receive(chain, shipped["notice"], {"lot_number": "T1-LOT", "received_quantity": "0"})
    assert caught.value.errors == {
        "lots": ["Nothing received: enter what was received of at least one lot."]
    }
    assert chain.session.scalar(select(func.count(Receipt.id))) == 0


def test_a_lot_on_two_lines_of_a_notice_is_received_by_its_shipment_lot(chain):
    one, two = chain.order("PO-A").lines[0], chain.order("PO-B").lines[0]
    notice = create_ship_notice(
        chain.session,
        chain.actor("admin@tier1.test"),
        {"number": "ASN-2L", "lines": [
            {"order_line_id": one.id, "quantity": "2", "lots": [{"lot_number": "DUP"}]},
            {"order_line_id": two.id, "quantity": "3", "lots": [{"lot_number": "DUP"}]}]},
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        receive(chain, notice, {"lot_number": "DUP", "received_quantity": "2"})
    assert caught.value.errors == {
        "lots.0.lot_number": [
            "Lot DUP is on 2 lines of this notice: name it by its shipment_lot_id."
        ]
    }
    assert chain.session.scalar(select(func.count(Receipt.id))) == 0
    first = notice.lines[0].lots[0]
    (receipt,) = receive(chain, notice, {"shipment_lot_id": first.id, "received_quantity": "2"})
    assert receipt.order_line_id == one.id


def test_a_receipt_is_not_dated_in_the_future_nor_before_the_goods_shipped(chain, shipped):
    notice = shipped["notice"]
    lot = {"lot_number": "T1-LOT", "received_quantity": "10"}
    for day, message in [
        (local_today() + timedelta(days=1), "The day of receipt lies in the future."),
        (
            notice.ship_date - timedelta(days=1),
            f"The goods were shipped on {notice.ship_date.isoformat()}: "
            "they cannot be received before.",
        ),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            receive(chain, notice, lot, on=day)
        assert caught.value.errors == {"received_on": [message]}
    assert chain.session.scalar(select(func.count(Receipt.id))) == 0

    (receipt,) = receive(chain, notice, lot, on=notice.ship_date)
    assert receipt.received_on == notice.ship_date


def test_no_more_of_a_lot_is_consumed_than_was_received(chain, shipped):
    declare(chain, inputs=[{"lot_number": "T2-LOT", "quantity": "60"}])
    receive(
        chain,
        chain.session.scalar(select(ShipNotice).where(ShipNotice.number == "ASN-T2")),
        {"lot_number": "T2-LOT", "received_quantity": "90"},
        user="admin@tier1.test",
    )
    with pytest.raises(ValidationFailed) as caught:
        declare(
            chain,
            output="T1-NEW",
            part_number="A-100",
            inputs=[{"lot_number": "T2-LOT", "quantity": "31"}],
        )
    assert caught.value.errors == {
        "inputs.0.quantity": [
            "At most 30 pcs of this lot is left: 90 received, 60 already declared."
        ]
    }
    assert chain.session.scalar(select(func.count(LotConsumption.id))) == 1
    assert chain.session.scalar(select(Lot.id).where(Lot.lot_number == "T1-NEW")) is None
    declare(
        chain,
        output="T1-NEW",
        part_number="A-100",
        inputs=[{"lot_number": "T2-LOT", "quantity": "30"}],
    )


def test_a_receipt_sent_again_with_its_key_is_recorded_once(chain, shipped):
    notice, line = shipped["notice"], shipped["line"]
    data = {
        "ship_notice_id": notice.id,
        "idempotency_key": "receipt-key-0001",
        "lots": [{"lot_number": "T1-LOT", "received_quantity": "100"}],
    }
    buyer = chain.actor("buyer@anchor.test")
    first, created = record_receipt(chain.session, buyer, data)
    assert created and line.status == "closed"
    again, created = record_receipt(chain.session, buyer, data)
    assert not created and [r.id for r in again] == [r.id for r in first]
    assert chain.session.scalar(select(func.count(Receipt.id))) == 1
    assert first[0].idempotency_key == "receipt-key-0001"


def test_a_receipt_key_of_another_notice_is_a_conflict(chain, shipped):
    other = chain.order("PO-K").lines[0]
    second = create_ship_notice(
        chain.session,
        chain.actor("admin@tier1.test"),
        {"number": "ASN-K", "lines": [
            {"order_line_id": other.id, "quantity": "5", "lots": [{"lot_number": "K-1"}]}]},
    )  # fmt: skip
    buyer = chain.actor("buyer@anchor.test")
    lot = {"lot_number": "T1-LOT", "received_quantity": "10"}
    key = {"idempotency_key": "receipt-key-0002"}
    record_receipt(
        chain.session, buyer, {"ship_notice_id": shipped["notice"].id, "lots": [lot]} | key
    )
    with pytest.raises(Conflict):
        record_receipt(
            chain.session,
            buyer,
            {"ship_notice_id": second.id, "lots": [{"lot_number": "K-1", "received_quantity": "5"}]}
            | key,
        )
    assert chain.session.scalar(select(func.count(Receipt.id))) == 1


def test_a_receipt_key_sent_again_with_other_quantities_is_a_conflict(chain, shipped):
    notice = shipped["notice"]
    buyer = chain.actor("buyer@anchor.test")

    def send(**lot: str) -> tuple:
        data = {"ship_notice_id": notice.id, "idempotency_key": "receipt-key-0003"}
        return record_receipt(
            chain.session, buyer, data | {"lots": [{"lot_number": "T1-LOT", **lot}]}
        )

    send(received_quantity="4")
    for other in (
        {"received_quantity": "6"},
        {"received_quantity": "4", "rejected_quantity": "1", "reason_code": "surface"},
    ):
        with pytest.raises(Conflict) as caught:
            send(**other)
        assert "that earlier receipt was recorded; nothing new was recorded" in caught.value.message
        assert "reload the page" in caught.value.message
    assert send(received_quantity="4.0")[1] is False, "the same receipt again is a retry"
    received = chain.session.scalars(select(Receipt.received_quantity)).all()
    assert received == [4]
