"""Ship notices: lots belong to their maker, over-shipment beyond tolerance is refused, what
the buyer rejected may be shipped again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models.errors import ValidationFailed
from models.orders.confirmations import record_confirmation
from models.orders.entities import Lot, ProgressReport, ShipNotice
from models.orders.progress import record_progress
from models.orders.purchasing import create_purchase_order
from models.orders.receiving import record_receipt
from models.orders.shipping import create_ship_notice, shipped_quantity
from models.orders.timeline import line_timeline

NO_LOT = (
    "The line names no lot: give at least one lot number (and, for several lots, "
    "the quantity of each)."
)


def count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def ship(chain, line, quantity, lots, number="ASN-1", user="admin@tier1.test", **extra):
    data = {
        "number": number,
        "ship_date": "2026-11-20",
        "carrier": "SF",
        "lines": [{"order_line_id": line.id, "quantity": quantity, "lots": lots, **extra}],
    }
    return create_ship_notice(chain.session, chain.actor(user), data)


def test_a_notice_creates_the_suppliers_lots_and_counts_what_shipped(chain):
    line = chain.order().lines[0]
    notice = ship(
        chain,
        line,
        "60",
        [{"lot_number": "L-1", "quantity": "40"}, {"lot_number": "L-2", "quantity": "20"}],
    )
    lots = chain.session.scalars(select(Lot).order_by(Lot.lot_number)).all()
    assert [(lot.lot_number, lot.maker_org_id, lot.part_id) for lot in lots] == [
        ("L-1", chain.org["tier1"], line.part_id),
        ("L-2", chain.org["tier1"], line.part_id),
    ]
    assert (
        notice.buyer_org_id == chain.org["anchor"]
        and shipped_quantity(chain.session, line.id) == 60
    )


def test_shipping_beyond_the_tolerance_is_refused_with_the_figures(chain):
    line = chain.order().lines[0]
    ship(chain, line, "100", [{"lot_number": "L-1"}])
    with pytest.raises(ValidationFailed) as caught:
        ship(chain, line, "6", [{"lot_number": "L-2"}], number="ASN-2")
    assert caught.value.errors["lines.0.quantity"] == [
        "Over-shipment: 100 already shipped plus 6 makes 106, more than the 100 ordered plus "
        "5% tolerance (at most 105)."
    ]
    assert count(chain.session, ShipNotice) == 1
    ship(chain, line, "5", [{"lot_number": "L-2"}], number="ASN-3")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Give a date from 2000-01-01 to 2099-12-31."),
        ("9999-12-31", "Give a date from 2000-01-01 to 2099-12-31."),
        ("2099-01-01", "A ship date at most 30 days ahead."),
    ],
)
def test_an_impossible_ship_date_is_refused_and_nothing_is_written(chain, day, message):
    line = chain.order().lines[0]
    with pytest.raises(ValidationFailed) as caught:
        create_ship_notice(
            chain.session,
            chain.actor("admin@tier1.test"),
            {"number": "ASN-D", "ship_date": day,
             "lines": [{"order_line_id": line.id, "quantity": "10",
                        "lots": [{"lot_number": "L-1"}]}]},
        )  # fmt: skip
    assert caught.value.errors["ship_date"] == [message]
    assert count(chain.session, ShipNotice) == 0


def test_a_lot_number_reused_for_another_part_is_refused(chain):
    one = chain.order("PO-1").lines[0]
    two = chain.order("PO-2", part_number="A-200").lines[0]
    ship(chain, one, "10", [{"lot_number": "L-1"}])
    with pytest.raises(ValidationFailed) as caught:
        ship(chain, two, "10", [{"lot_number": "L-1"}], number="ASN-2")
    assert caught.value.errors["lines.0.lots.0.lot_number"] == [
        "Lot L-1 is already used for another part (A-100)."
    ]


def test_lines_of_another_supplier_are_unknown_and_lots_must_add_up(chain):
    theirs = chain.order("PO-1", supplier="other1").lines[0]
    mine = chain.order("PO-2").lines[0]
    data = {
        "number": "ASN-1",
        "lines": [
            {"order_line_id": theirs.id, "quantity": "5", "lots": [{"lot_number": "L-1"}]},
            {
                "po_number": "PO-2",
                "po_line": 1,
                "quantity": "5",
                "part_number": "A-200",
                "lots": [{"lot_number": "L-2", "quantity": "3"}],
            },
            {"po_number": "PO-2", "po_line": "1", "quantity": "0", "lots": []},
        ],
    }
    with pytest.raises(ValidationFailed) as caught:
        create_ship_notice(chain.session, chain.actor("admin@tier1.test"), data)
    errors = caught.value.errors
    assert errors["lines.0.order_line_id"] == ["No such order line of yours."]
    assert errors["lines.1.part_number"] == ["The order line is for part A-100."]
    assert errors["lines.1.lots"] == ["The lots add up to 3, the line ships 5."]
    assert errors["lines.2.quantity"] == ["Enter a quantity greater than 0."]
    assert errors["lines.2.lots"] == [NO_LOT]
    assert count(chain.session, ShipNotice) == 0 and count(chain.session, Lot) == 0
    assert mine.status == "open"


def test_a_line_without_lots_is_told_it_names_none(chain):
    chain.order("PO-3")
    data = {
        "number": "ASN-3",
        "lines": [{"po_number": "PO-3", "po_line": 1, "quantity": "3", "lots": []}],
    }
    with pytest.raises(ValidationFailed) as caught:
        create_ship_notice(chain.session, chain.actor("admin@tier1.test"), data)
    assert caught.value.errors == {"lines.0.lots": [NO_LOT]}  # not "The lots add up to 0"


def test_an_edi_856_record_ships_by_order_number(chain):
    chain.order("PO-7")
    record = {
        "kind": "ship_notice",
        "number": "ASN-7",
        "ship_date": "2026-11-21",
        "carrier": None,
        "tracking": "1Z999",
        "lines": [
            {
                "po_number": "PO-7",
                "po_line": "1",
                "part_number": "A-100",
                "supplier_part_number": None,
                "quantity": "12",
                "unit": "pcs",
                "lots": [{"lot_number": "E-1", "quantity": None}],
            }
        ],
    }
    notice = create_ship_notice(chain.session, chain.actor("admin@tier1.test", "edi"), record)
    assert notice.source == "edi" and notice.lines[0].lots[0].quantity == 12


def ship_by_number(chain, po_number, number="ASN-8"):
    data = {
        "number": number,
        "lines": [{"po_number": po_number, "po_line": 1, "quantity": "5", "lots": [
            {"lot_number": f"{number}-L"}
        ]}],
    }  # fmt: skip
    return create_ship_notice(chain.session, chain.actor("admin@tier1.test"), data)


def test_an_order_number_in_another_case_names_the_order(chain):
    line = chain.order("PO-CASE-1").lines[0]
    notice = ship_by_number(chain, "po-case-1")
    assert [shipped.order_line_id for shipped in notice.lines] == [line.id]


def test_an_order_number_matching_two_orders_but_for_case_names_neither(chain):
    upper = chain.order("PO-CASE-2").lines[0]
    lower = chain.order("po-case-2").lines[0]
    assert ship_by_number(chain, "po-case-2").lines[0].order_line_id == lower.id  # exact wins
    assert ship_by_number(chain, "PO-CASE-2", "ASN-9").lines[0].order_line_id == upper.id
    with pytest.raises(ValidationFailed) as caught:
        ship_by_number(chain, "Po-Case-2", "ASN-10")
    assert caught.value.errors["lines.0.po_number"] == ["No such order line of yours."]
    assert count(chain.session, ShipNotice) == 2


def test_an_order_number_in_another_case_never_names_a_line_of_another_order(chain):
    due = (chain.today + timedelta(days=14)).isoformat()
    buyer, supplier = chain.actor("buyer@anchor.test"), chain.org["tier1"]
    lines = [{"part_number": "A-100", "quantity": "10", "due_date": due}]
    create_purchase_order(chain.session, buyer, {
        "number": "PO-CASE-3", "supplier_org_id": supplier, "lines": lines * 2,
    })  # fmt: skip
    chain.order("po-case-3")
    for number, asn in (("po-case-3", "ASN-11"), ("Po-Case-3", "ASN-12")):
        data = {"number": asn, "lines": [{"po_number": number, "po_line": 2, "quantity": "1",
                                          "lots": [{"lot_number": f"{asn}-L"}]}]}  # fmt: skip
        with pytest.raises(ValidationFailed) as caught:
            create_ship_notice(chain.session, chain.actor("admin@tier1.test"), data)
        assert caught.value.errors["lines.0.po_number"] == ["No such order line of yours."]
    assert count(chain.session, ShipNotice) == 0


def test_rejected_goods_do_not_count_against_the_limit_so_replacements_ship(chain):
    line = chain.order().lines[0]
    first = ship(chain, line, "60", [{"lot_number": "L-1"}])
    second = ship(chain, line, "40", [{"lot_number": "L-2"}], number="ASN-2")
    record_progress(
        chain.session,
        chain.actor("floor@tier1.test"),
        line.id,
        {"stage": "shipped", "quantity_done": "100", "idempotency_key": "key-0001"},
    )
    receive(chain, first, "L-1", "60", "2")
    receive(chain, second, "L-2", "40", "30")
    assert line.status == "open" and percent(chain, line) == 68

    replacement = ship(chain, line, "30", [{"lot_number": "L-3"}], number="ASN-3")
    receive(chain, replacement, "L-3", "30", "0")
    assert line.status == "open" and percent(chain, line) == 98

    notices = count(chain.session, ShipNotice)
    with pytest.raises(ValidationFailed) as caught:
        ship(chain, line, "8", [{"lot_number": "L-4"}], number="ASN-4")
    assert caught.value.errors["lines.0.quantity"] == [
        "Over-shipment: 130 already shipped less 32 rejected plus 8 makes 106, more than the "
        "100 ordered plus 5% tolerance (at most 105)."
    ]
    assert count(chain.session, ShipNotice) == notices
    assert chain.session.scalar(select(Lot.id).where(Lot.lot_number == "L-4")) is None

    last = ship(chain, line, "2", [{"lot_number": "L-4"}], number="ASN-4")
    receive(chain, last, "L-4", "2", "0")
    assert line.status == "closed" and percent(chain, line) == 100


def test_replacements_for_rejects_may_be_reported_done(chain):
    line = chain.order().lines[0]
    notice = ship(chain, line, "100", [{"lot_number": "L-1"}])
    receive(chain, notice, "L-1", "100", "30")

    def report(key: str, done: str) -> None:
        values = {"stage": "production", "quantity_done": done, "idempotency_key": key}
        record_progress(chain.session, chain.actor("floor@tier1.test"), line.id, values)

    report("key-0001", "135")
    assert percent(chain, line) == 100
    with pytest.raises(ValidationFailed) as caught:
        report("key-0002", "136")
    assert caught.value.errors["quantity_done"] == [
        "At most 135 pcs (the order plus its tolerance and the 30 rejected)."
    ]
    assert count(chain.session, ProgressReport) == 1


def receive(chain, notice, lot, received, rejected):
    item = {"lot_number": lot, "received_quantity": received, "rejected_quantity": rejected}
    if rejected != "0":
        item["reason_code"] = "surface"
    record_receipt(
        chain.session,
        chain.actor("buyer@anchor.test"),
        {"ship_notice_id": notice.id, "lots": [item]},
    )


def percent(chain, line) -> int:
    return line_timeline(chain.session, chain.org["anchor"], line.id).row.percent


def test_the_agreed_quantity_sets_the_limit_while_a_change_is_proposed(chain):
    line = chain.order().lines[0]
    for user, data in [
        ("admin@tier1.test", {"action": "propose", "quantity": "350"}),
        ("buyer@anchor.test", {"action": "accept"}),
        ("admin@tier1.test", {"action": "propose", "quantity": "340"}),
    ]:
        record_confirmation(chain.session, chain.actor(user), line.id, data)
    ship(chain, line, "360", [{"lot_number": "L-1"}])
    assert shipped_quantity(chain.session, line.id) == 360
