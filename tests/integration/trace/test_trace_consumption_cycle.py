"""Declaring consumption refuses a link that would close a cycle, however long the chain and
when two declarations close it at the same moment."""

from __future__ import annotations

import threading
from contextlib import suppress
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from models.errors import ValidationFailed
from models.orders.consumption import declare_consumption
from models.orders.entities import Lot, LotConsumption
from tests.integration.trace.builders import add_lot, build_network, consume
from tests.services import migrated_postgres_database


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


@pytest.mark.postgres
def test_two_declarations_closing_a_cycle_at_once_let_only_one_through_on_postgres():
    """Each declaration waits, its link written but not committed, for the other to get as far
    (at most two seconds). Unserialised, both pass the cycle check, since neither sees the
    other's link, and both commit: a cycle. Serialised, the second one checks only once the
    first has committed, and is refused."""
    with migrated_postgres_database() as database:
        with database.unit_of_work() as session:
            net = build_network(session)
            for number in ("RACE-A", "RACE-B"):
                add_lot(net, "seats", net.parts["SEAT"], number, 1)
            seats = net.actor("seats")
        both_written = threading.Barrier(2, timeout=2)
        refusals: list[dict] = []

        def declare(output: str, input_: str) -> None:
            lot = {"lot_number": input_, "quantity": "1"}
            data = {"output_lot_number": output, "inputs": [lot]}
            try:
                with database.unit_of_work() as session:
                    declare_consumption(session, seats, data)
                    with suppress(threading.BrokenBarrierError):
                        both_written.wait()
            except ValidationFailed as error:
                refusals.append(error.errors)

        threads = [
            threading.Thread(target=declare, args=pair)
            for pair in (("RACE-A", "RACE-B"), ("RACE-B", "RACE-A"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        with database.unit_of_work() as session:
            links = session.scalar(
                select(func.count(LotConsumption.id))
                .join(Lot, Lot.id == LotConsumption.output_lot_id)
                .where(Lot.lot_number.in_(["RACE-A", "RACE-B"]))
            )
    assert links == 1, refusals
    assert len(refusals) == 1 and list(refusals[0]) == ["inputs.0.lot_number"]
    assert "cannot go into itself" in refusals[0]["inputs.0.lot_number"][0]
