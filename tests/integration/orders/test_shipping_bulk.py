"""Large ship notices: thousands of lines checked and written set-based, every error at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from models.errors import ValidationFailed
from models.orders.entities import Lot, PurchaseOrder, ShipmentLot, ShipNotice, ShipNoticeLine
from models.orders.purchasing import create_purchase_order
from models.orders.shipping import create_ship_notice, shipped_quantity

LINES = 2000
PER_ORDER = 500


def count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def written(session) -> tuple[int, int, int, int]:
    return tuple(count(session, e) for e in (ShipNotice, ShipNoticeLine, Lot, ShipmentLot))


def big_orders(chain, lines: int = LINES) -> None:
    """Orders PO-1, PO-2, ... of 500 lines each (A-100, 100 pcs) from the anchor to tier1."""
    due = (chain.today + timedelta(days=14)).isoformat()
    for k in range(0, lines, PER_ORDER):
        create_purchase_order(
            chain.session,
            chain.actor("buyer@anchor.test"),
            {
                "number": f"PO-{k // PER_ORDER + 1}",
                "supplier_org_id": chain.org["tier1"],
                "lines": [
                    {"part_number": "A-100", "quantity": "100", "due_date": due}
                    for _ in range(min(PER_ORDER, lines - k))
                ],
            },
        )


def item(n: int, quantity: str = "10", **extra) -> dict:
    """Line ``n`` of the notice: order PO-(n // 500 + 1), line n % 500 + 1, its own lot."""
    return {
        "po_number": f"PO-{n // PER_ORDER + 1}",
        "po_line": n % PER_ORDER + 1,
        "quantity": quantity,
        "lots": [{"lot_number": f"L-{n}"}],
        **extra,
    }


def notice(number: str, lines: list[dict]) -> dict:
    return {"number": number, "ship_date": "2026-11-20", "lines": lines}


@contextmanager
def statements(session) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (each batch of a multi-row one counts)."""
    sent: list[str] = []
    engine = session.connection().engine

    def record(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_2000_line_notice_with_mixed_errors_reports_every_one_and_writes_nothing(chain):
    session = chain.session
    big_orders(chain)
    supplier = chain.actor("admin@tier1.test")
    create_ship_notice(session, supplier, notice("ASN-0", [item(0, "100")]))
    other_part = chain.order("PO-A200", part_number="A-200").lines[0]
    create_ship_notice(
        session,
        supplier,
        notice(
            "ASN-00",
            [{"order_line_id": other_part.id, "quantity": "5", "lots": [{"lot_number": "L-X"}]}],
        ),
    )
    theirs = chain.order("PO-O", supplier="other1").lines[0]
    lines = [item(n) for n in range(LINES)]
    lines[5] = item(5, po_number="PO-404")
    lines[250] = item(250, part_number="A-200")
    lines[499] = item(499, unit="kg")
    lines[777]["lots"] = [
        {"lot_number": "L-777a", "quantity": "4"},
        {"lot_number": "L-777b", "quantity": "5"},
    ]
    lines[1000]["lots"] = [{"lot_number": "L-X"}]
    lines[1500]["lots"] = [
        {"lot_number": "L-1500", "quantity": "5"},
        {"lot_number": "L-1500", "quantity": "5"},
    ]
    lines[1600] = {"order_line_id": theirs.id, "quantity": "1", "lots": [{"lot_number": "Q"}]}
    lines[1999] = item(1999, "-1")
    close_line(chain, "PO-3", 1234 % PER_ORDER + 1)
    before = written(session)

    with pytest.raises(ValidationFailed) as caught:
        create_ship_notice(session, supplier, notice("ASN-BIG", lines))

    assert caught.value.errors == {
        "lines.0.quantity": [
            "Over-shipment: 100 already shipped plus 10 makes 110, more than the 100 ordered "
            "plus 5% tolerance (at most 105)."
        ],
        "lines.5.po_number": ["No such order line of yours."],
        "lines.250.part_number": ["The order line is for part A-100."],
        "lines.499.unit": ["The order line is counted in pcs."],
        "lines.777.lots": ["The lots add up to 9, the line ships 10."],
        "lines.1000.lots.0.lot_number": ["Lot L-X is already used for another part (A-200)."],
        "lines.1234.po_number": ["This line is closed."],
        "lines.1500.lots.1.lot_number": ["Lot L-1500 appears twice."],
        "lines.1600.order_line_id": ["No such order line of yours."],
        "lines.1999.quantity": ["Enter a quantity greater than 0."],
    }
    assert written(session) == before


def close_line(chain, order_number: str, line_no: int) -> None:
    order = chain.session.scalar(select(PurchaseOrder).where(PurchaseOrder.number == order_number))
    next(line for line in order.lines if line.line_no == line_no).status = "closed"
    chain.session.flush()


def test_a_2000_line_notice_is_written_in_a_few_statements(chain):
    session = chain.session
    big_orders(chain)
    supplier = chain.actor("admin@tier1.test")
    create_ship_notice(session, supplier, notice("ASN-0", [item(0, "30")]))
    old_lot = session.scalar(select(Lot).where(Lot.lot_number == "L-0"))
    assert old_lot.quantity == 30
    lines = [item(n) for n in range(LINES)]
    lines[1]["lots"] = [
        {"lot_number": "L-0", "quantity": "4"},
        {"lot_number": "L-1", "quantity": "6"},
    ]
    lines[2]["lots"] = [{"lot_number": "L-SHARED"}]
    lines[3]["lots"] = [{"lot_number": "L-SHARED"}]

    with statements(session) as sent:
        created = create_ship_notice(session, supplier, notice("ASN-BIG", lines))

    # The look-ups are a few per 500 lines, never one per line; the inserts are multi-row
    # statements where the driver allows (PostgreSQL), one row each on SQLite (in-process).
    assert len([sql for sql in sent if sql.lstrip().startswith("SELECT")]) < 20
    if session.get_bind().dialect.name == "postgresql":
        assert len(sent) < 40
    assert len(created.lines) == LINES
    assert [(lot.lot.lot_number, lot.quantity) for lot in created.lines[1].lots] == [
        ("L-0", 4),
        ("L-1", 6),
    ]
    # L-0 carries 10 on line 0 and 4 on line 1; the lot the session holds reads it
    assert old_lot.quantity == 44
    shared = session.scalar(select(Lot).where(Lot.lot_number == "L-SHARED"))
    assert shared.quantity == 20 and shared.made_at.isoformat() == "2026-11-20"
    assert count(session, Lot) == LINES - 1  # L-0 .. L-1999 but L-2 and L-3, L-SHARED
    assert count(session, ShipmentLot) == 1 + LINES + 1  # ASN-0, a lot a line, L-1 on line 1
    first = created.lines[0].order_line_id
    assert shipped_quantity(session, first) == Decimal(40)


def test_a_new_lot_named_for_two_parts_in_one_notice_is_refused(chain):
    one = chain.order("PO-1").lines[0]
    two = chain.order("PO-2", part_number="A-200").lines[0]
    data = notice(
        "ASN-1",
        [
            {"order_line_id": one.id, "quantity": "5", "lots": [{"lot_number": "N-1"}]},
            {"order_line_id": two.id, "quantity": "5", "lots": [{"lot_number": "N-1"}]},
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        create_ship_notice(chain.session, chain.actor("admin@tier1.test"), data)
    assert caught.value.errors == {
        "lines.1.lots.0.lot_number": ["Lot N-1 is already used for another part (A-100)."]
    }
    assert count(chain.session, Lot) == 0


def test_one_order_line_twice_in_a_notice_counts_both_against_the_tolerance(chain):
    line = chain.order("PO-1").lines[0]
    data = notice(
        "ASN-1",
        [
            {"order_line_id": line.id, "quantity": "60", "lots": [{"lot_number": "T-1"}]},
            {"order_line_id": line.id, "quantity": "50", "lots": [{"lot_number": "T-2"}]},
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        create_ship_notice(chain.session, chain.actor("admin@tier1.test"), data)
    assert caught.value.errors == {
        "lines.1.quantity": [
            "Over-shipment: 0 already shipped plus 110 makes 110, more than the 100 ordered "
            "plus 5% tolerance (at most 105)."
        ]
    }
