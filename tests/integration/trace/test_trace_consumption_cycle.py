"""Declaring consumption refuses a link that would close a cycle, however long the chain."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import func, select

from models.errors import ValidationFailed
from models.orders.consumption import declare_consumption
from models.orders.entities import LotConsumption
from tests.integration.trace.builders import add_lot, build_network, consume


def test_a_cycle_sixty_lots_long_is_refused_when_it_is_declared(session):
    net = build_network(session)
    chain = [f"DEEP-{n}" for n in range(60)]
    for number in chain:
        add_lot(net, "seats", net.parts["SEAT"], number, 1)
    for earlier, later in pairwise(chain):
        consume(net, later, earlier)
    before = session.scalar(select(func.count(LotConsumption.id)))
    data = {"output_lot_number": "DEEP-0", "inputs": [{"lot_number": "DEEP-59", "quantity": "1"}]}
    with pytest.raises(ValidationFailed) as caught:
        declare_consumption(session, net.actor("seats"), data)
    assert "cannot go into itself" in caught.value.errors["inputs.0.lot_number"][0]
    assert session.scalar(select(func.count(LotConsumption.id))) == before
    fine = {"output_lot_number": "DEEP-59", "inputs": [{"lot_number": "FRAME-1", "quantity": "1"}]}
    assert len(declare_consumption(session, net.actor("seats"), fine)) == 1
