"""Confirming lines: the supplier confirms or proposes, the buyer accepts or rejects."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.notify import Notification
from models.orders.confirmations import open_proposals, record_confirmation
from models.orders.entities import LineConfirmation
from models.orders.lines import agreed_quantity, promised_date


def test_confirming_agrees_on_the_order_as_it_stands(chain):
    line = chain.order().lines[0]
    record_confirmation(
        chain.session, chain.actor("admin@tier1.test"), line.id, {"action": "confirm"}
    )
    assert line.confirmation == "confirmed" and agreed_quantity(line) == line.quantity
    with pytest.raises(Conflict):
        record_confirmation(
            chain.session, chain.actor("admin@tier1.test"), line.id, {"action": "confirm"}
        )


def test_an_accepted_proposal_becomes_the_agreed_quantity_and_date(chain):
    line = chain.order().lines[0]
    record_confirmation(
        chain.session,
        chain.actor("admin@tier1.test"),
        line.id,
        {"action": "propose", "quantity": "90", "promised_date": "2030-01-15"},
    )
    assert line.confirmation == "proposed"
    record_confirmation(
        chain.session, chain.actor("buyer@anchor.test"), line.id, {"action": "accept"}
    )
    assert line.confirmation == "confirmed"
    assert str(agreed_quantity(line)) == "90.0000" and promised_date(line) == date(2030, 1, 15)


def test_a_rejected_proposal_leaves_the_line_to_be_confirmed_again(chain):
    line = chain.order().lines[0]
    record_confirmation(
        chain.session,
        chain.actor("admin@tier1.test"),
        line.id,
        {"action": "propose", "promised_date": "2030-01-15"},
    )
    record_confirmation(
        chain.session, chain.actor("buyer@anchor.test"), line.id, {"action": "reject"}
    )
    assert line.confirmation == "rejected" and agreed_quantity(line) == line.quantity
    record_confirmation(
        chain.session, chain.actor("admin@tier1.test"), line.id, {"action": "confirm"}
    )
    assert line.confirmation == "confirmed"


def test_a_rejected_proposal_on_a_confirmed_line_keeps_the_earlier_agreement(chain):
    line = chain.order().lines[0]

    def step(user: str, data: dict) -> None:
        record_confirmation(chain.session, chain.actor(user), line.id, data)

    step("admin@tier1.test", {"action": "confirm"})
    step("admin@tier1.test", {"action": "propose", "quantity": "9"})
    step("buyer@anchor.test", {"action": "reject"})
    assert line.confirmation == "confirmed"
    assert agreed_quantity(line) == line.quantity and promised_date(line) == line.due_date
    step("admin@tier1.test", {"action": "propose", "quantity": "90", "promised_date": "2030-01-15"})
    step("buyer@anchor.test", {"action": "accept"})
    step("admin@tier1.test", {"action": "propose", "quantity": "9"})
    step("buyer@anchor.test", {"action": "reject"})
    assert line.confirmation == "confirmed"
    assert agreed_quantity(line) == 90 and promised_date(line) == date(2030, 1, 15)
    history = chain.session.scalars(
        select(LineConfirmation.action)
        .where(LineConfirmation.line_id == line.id)
        .order_by(LineConfirmation.id)
    ).all()
    assert history == ["confirm", "propose", "reject", "propose", "accept", "propose", "reject"]


def test_each_party_may_only_take_its_own_steps(chain):
    line = chain.order().lines[0]
    with pytest.raises(Forbidden):
        record_confirmation(
            chain.session, chain.actor("buyer@anchor.test"), line.id, {"action": "confirm"}
        )
    with pytest.raises(Conflict):
        record_confirmation(
            chain.session, chain.actor("buyer@anchor.test"), line.id, {"action": "accept"}
        )
    with pytest.raises(NotFound):
        record_confirmation(
            chain.session, chain.actor("admin@other1.test"), line.id, {"action": "confirm"}
        )


def test_a_proposal_must_change_something(chain):
    line = chain.order().lines[0]
    with pytest.raises(ValidationFailed) as caught:
        record_confirmation(
            chain.session, chain.actor("admin@tier1.test"), line.id, {"action": "propose"}
        )
    assert caught.value.errors == {"promised_date": ["Propose another quantity or another date."]}
    with pytest.raises(ValidationFailed) as caught:
        record_confirmation(
            chain.session,
            chain.actor("admin@tier1.test"),
            line.id,
            {"action": "confirm", "quantity": "7"},
        )
    assert "propose it instead" in caught.value.errors["quantity"][0]


def test_a_proposed_date_before_the_order_date_is_refused(chain):
    line = chain.order().lines[0]
    before = (line.order.order_date - timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed) as caught:
        _propose(chain, line, promised_date=before)
    assert caught.value.errors == {
        "promised_date": [
            f"The promised date is before the order date {line.order.order_date.isoformat()}."
        ]
    }
    assert line.confirmation == "pending"
    assert chain.session.scalar(select(func.count()).select_from(LineConfirmation)) == 0


def _propose(chain, line, **data) -> None:
    record_confirmation(
        chain.session, chain.actor("admin@tier1.test"), line.id, {"action": "propose", **data}
    )


def _written(chain, line) -> tuple[int, int]:
    steps = select(func.count(LineConfirmation.id)).where(LineConfirmation.line_id == line.id)
    notes = select(func.count(Notification.id)).where(Notification.kind == "line.propose")
    return chain.session.scalar(steps), chain.session.scalar(notes)


def test_a_proposal_of_the_line_as_ordered_is_refused_on_both_fields_and_not_sent(chain):
    line = chain.order().lines[0]
    due = line.due_date.isoformat()
    for same in ({"quantity": "100", "promised_date": due}, {"quantity": "100.0"}):
        with pytest.raises(ValidationFailed) as caught:
            _propose(chain, line, **same)
        text = f"This proposal changes nothing: the line already has 100 pcs by {due}."
        for field in ("quantity", "promised_date"):
            (message,) = caught.value.errors[field]
            assert str(message).startswith(text)
    assert line.confirmation == "pending"
    assert _written(chain, line) == (0, 0)


def test_a_proposal_is_measured_against_the_last_agreement(chain):
    line = chain.order().lines[0]
    _propose(chain, line, quantity="90", promised_date="2030-01-15")
    record_confirmation(
        chain.session, chain.actor("buyer@anchor.test"), line.id, {"action": "accept"}
    )
    with pytest.raises(ValidationFailed) as caught:
        _propose(chain, line, quantity="90", promised_date="2030-01-15")
    assert "already has 90 pcs by 2030-01-15" in str(caught.value.errors["promised_date"][0])
    assert line.confirmation == "confirmed" and _written(chain, line) == (2, 1)
    _propose(chain, line, quantity="100", promised_date="2030-01-15")
    proposal = open_proposals(chain.session, [line])[line.id]
    assert (proposal.quantity, proposal.promised_date) == (100, date(2030, 1, 15))
    record_confirmation(
        chain.session, chain.actor("buyer@anchor.test"), line.id, {"action": "reject"}
    )
    _propose(chain, line, quantity="100")
    assert line.confirmation == "proposed", "back to the order is a change from the agreement"
