"""Purchase orders: issued to an active supplier, every bad field named, nothing half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.audit import audit_trail
from models.errors import Forbidden, ValidationFailed
from models.notify import Notification
from models.orders.entities import OrderLine, PurchaseOrder
from models.orders.parts import define_part
from models.orders.purchasing import create_purchase_order
from models.validation import COMMA_HINT


def count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def order_data(chain, **line):
    return {
        "number": "PO-9",
        "supplier_org_id": chain.org["tier1"],
        "order_date": "2026-11-01",
        "lines": [{"part_number": "A-100", "quantity": "10", "due_date": "2026-12-01", **line}],
    }


def test_an_order_gets_numbered_lines_short_codes_an_audit_entry_and_a_notification(chain):
    data = order_data(chain)
    data["lines"].append({"part_number": "A-200", "quantity": "5.5", "due_date": "2026-12-15"})
    order = create_purchase_order(chain.session, chain.actor("buyer@anchor.test"), data)
    assert [line.line_no for line in order.lines] == [1, 2]
    assert all(len(line.short_code) == 8 for line in order.lines)
    assert order.lines[0].unit == "pcs" and str(order.lines[1].quantity) == "5.5000"
    assert (
        audit_trail(chain.session, "purchase_order", order.id)[0].action == "purchase_order.create"
    )
    note = chain.session.scalar(
        select(Notification).where(Notification.org_id == chain.org["tier1"])
    )
    assert note is not None and "PO-9" in note.title["params"]["number"]


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"quantity": "0"}, "lines.0.quantity", "Enter a quantity greater than 0."),
        ({"quantity": "-3"}, "lines.0.quantity", "Enter a quantity greater than 0."),
        ({"quantity": "ten"}, "lines.0.quantity", "Not a valid number."),
        ({"quantity": "1.23456"}, "lines.0.quantity", "Give at most 4 decimal places."),
        ({"quantity": "1,000"}, "lines.0.quantity", COMMA_HINT),
        ({"unit_price": "0.123456"}, "lines.0.unit_price", "Give at most 4 decimal places."),
        ({"part_number": "NOPE-1"}, "lines.0.part_number", "Unknown part number NOPE-1."),
        ({"unit": "kg"}, "lines.0.unit", "Part A-100 is counted in pcs."),
        ({"due_date": "31/12/2026"}, "lines.0.due_date", "Not a valid date."),
        (
            {"due_date": "2026-10-31"},
            "lines.0.due_date",
            "The due date is before the order date 2026-11-01.",
        ),
    ],
)
def test_bad_lines_are_named_and_nothing_is_written(chain, line, field, message):
    with pytest.raises(ValidationFailed) as caught:
        create_purchase_order(
            chain.session, chain.actor("buyer@anchor.test"), order_data(chain, **line)
        )
    assert caught.value.errors[field] == [message]
    assert count(chain.session, PurchaseOrder) == 0 and count(chain.session, OrderLine) == 0


def test_every_problem_is_reported_at_once(chain):
    data = order_data(chain, quantity="0")
    data["lines"].append({"part_number": "X", "quantity": "1", "due_date": "2026-12-01"})
    data["supplier_org_id"] = chain.org["tier2"]
    with pytest.raises(ValidationFailed) as caught:
        create_purchase_order(chain.session, chain.actor("buyer@anchor.test"), data)
    assert set(caught.value.errors) == {
        "supplier_org_id",
        "lines.0.quantity",
        "lines.1.part_number",
    }
    assert caught.value.errors["supplier_org_id"] == ["Not an active supplier of yours."]


def test_an_order_number_is_used_once_per_buyer(chain):
    create_purchase_order(chain.session, chain.actor("buyer@anchor.test"), order_data(chain))
    with pytest.raises(ValidationFailed) as caught:
        create_purchase_order(chain.session, chain.actor("buyer@anchor.test"), order_data(chain))
    assert caught.value.errors["number"] == ["Order number PO-9 is already used."]
    assert count(chain.session, PurchaseOrder) == 1


def test_duplicate_line_numbers_are_refused(chain):
    data = order_data(chain, line=3)
    data["lines"].append(
        {"line": "003", "part_number": "A-200", "quantity": "1", "due_date": "2026-12-01"}
    )
    with pytest.raises(ValidationFailed) as caught:
        create_purchase_order(chain.session, chain.actor("buyer@anchor.test"), data)
    assert caught.value.errors["lines.1.line"] == ["Line 3 appears twice."]


def test_a_part_can_be_named_by_the_suppliers_number_as_in_an_edi_850(chain):
    from models.orders.parts import define_part

    define_part(
        chain.session,
        chain.actor("buyer@anchor.test"),
        {
            "part_number": "A-300",
            "name_zh": "头枕",
            "unit": "pcs",
            "supplier_org_id": chain.org["tier1"],
            "supplier_part_number": "T1-HR-9",
        },
    )
    data = order_data(chain)
    data["lines"] = [
        {
            "line": "1",
            "part_number": None,
            "supplier_part_number": "T1-HR-9",
            "quantity": "4.0",
            "unit": "pcs",
            "due_date": "2026-12-01",
            "unit_price": None,
        }
    ]
    data["kind"] = "purchase_order"
    order = create_purchase_order(chain.session, chain.actor("buyer@anchor.test", "edi"), data)
    assert order.source == "edi" and order.lines[0].part.part_number == "A-300"


def test_a_reporter_cannot_buy(chain):
    with pytest.raises(Forbidden):
        create_purchase_order(chain.session, chain.actor("floor@tier1.test"), order_data(chain))


def test_a_part_counted_in_a_chinese_unit_is_ordered_in_it(chain):
    buyer = chain.actor("buyer@anchor.test")
    part = define_part(
        chain.session, buyer, {"part_number": "NUT-9", "name_zh": "螺母", "unit": "件"}
    )
    order = create_purchase_order(
        chain.session, buyer, order_data(chain, part_number="NUT-9", unit="件")
    )
    assert (part.unit, order.lines[0].unit) == ("件", "件")
    with pytest.raises(ValidationFailed) as caught:
        define_part(
            chain.session, buyer, {"part_number": "NUT-10", "name_zh": "螺母", "unit": "件 数"}
        )
    assert caught.value.errors["unit"] == [
        "Write the unit as a code (pcs, kg) or a word such as 件 or 公斤."
    ]


def test_a_mass_too_large_for_the_column_is_refused_on_its_field(chain):
    """Found by the API fuzz test: 10^12 kg passed the check and overflowed PostgreSQL's
    Numeric(18, 6) in a server error."""
    buyer = chain.actor("buyer@anchor.test")
    part = {"part_number": "HEAVY-1", "name_zh": "重件", "unit": "pcs"}
    with pytest.raises(ValidationFailed) as caught:
        define_part(chain.session, buyer, part | {"mass_kg": "1000000000000"})
    assert caught.value.errors == {"mass_kg": ["Number too large."]}
    largest = define_part(chain.session, buyer, part | {"mass_kg": "999999999999.999999"})
    chain.session.flush()
    assert str(largest.mass_kg) == "999999999999.999999"
