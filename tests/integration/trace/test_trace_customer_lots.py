"""A supplier serving two customers: each sees the lots made for its own supply chain only.

Steel (tier 2) supplies both seats and brakes and shares traceability with each, upstream too.
It makes RAIL-S of a part seats defined (consumed into SEAT-1) and PLATE-B of a part brakes
defined (consumed into BRAKE-1), both from ORE-1. Seats may see RAIL-S, not PLATE-B; brakes the
reverse; the anchor, above both, sees both.
"""

from __future__ import annotations

import pytest

from models.errors import NotFound
from models.trace.containment import build_snapshot
from models.trace.incidents import open_incident
from models.trace.queries import trace, trace_lot_number
from models.trace.scope import Lens, scope_lots
from models.trace.search import bulk_lookup, search_lots
from tests.integration.trace.builders import add_lot, add_part, build_network, consume


@pytest.fixture
def net(session):
    net = build_network(session)
    for number, maker_part, customer, into in (
        ("RAIL-S", "RAIL", "seats", "SEAT-1"),
        ("PLATE-B", "PLATE", "brakes", "BRAKE-1"),
    ):
        add_lot(net, "steel", add_part(net, customer, maker_part), number, 400)
        consume(net, number, "ORE-1", 100)
        consume(net, into, number, 10)
    session.flush()
    return net


def shown(result) -> set[str]:
    return {n.lot_number for n in result.nodes if not n.withheld}


def withheld(result) -> int:
    return sum(n.count for n in result.nodes if n.withheld)


def test_a_tier_one_tracing_down_sees_the_lots_made_for_it_not_for_another_customer(session, net):
    seats = trace(session, [net.lot_id("ORE-1")], "down", net.orgs["seats"].id)
    assert "RAIL-S" in shown(seats) and "PLATE-B" not in shown(seats)
    assert withheld(seats) >= 1
    brakes = trace(session, [net.lot_id("ORE-1")], "down", net.orgs["brakes"].id)
    assert "PLATE-B" in shown(brakes) and "RAIL-S" not in shown(brakes)


def test_the_anchor_above_both_customers_sees_both_lots(session, net):
    result = trace(session, [net.lot_id("ORE-1")], "down", net.orgs["anchor"].id)
    assert {"RAIL-S", "PLATE-B"} <= shown(result)


def test_the_maker_sees_its_lots_made_for_every_customer(session, net):
    result = trace(session, [net.lot_id("ORE-1")], "down", net.orgs["steel"].id)
    assert {"RAIL-S", "PLATE-B"} <= shown(result)


def test_another_customers_lot_is_not_found_by_trace_search_or_bulk_lookup(session, net):
    seats = net.orgs["seats"]
    with pytest.raises(NotFound):
        trace(session, [net.lot_id("PLATE-B")], "up", seats.id)
    with pytest.raises(NotFound):
        trace_lot_number(session, "PLATE-B", "up", viewer_code=seats.credit_code)
    assert search_lots(session, seats.id, "PLATE-B") == []
    assert bulk_lookup(session, seats.id, ["PLATE-B", "RAIL-S"]) == {
        "PLATE-B": [],
        "RAIL-S": [net.lots["RAIL-S"]],
    }


def test_an_incident_on_another_customers_lot_is_refused(session, net):
    data = {"title": "Cracked plate", "severity": "major", "lot_ids": [net.lot_id("PLATE-B")]}
    with pytest.raises(NotFound):
        open_incident(session, net.actor("seats"), data)


def test_the_containment_scope_withholds_another_customers_lots(session, net):
    data = {"title": "Bad ore", "severity": "safety", "lot_ids": [net.lot_id("ORE-1")]}
    incident = open_incident(session, net.actor("anchor"), data)
    snapshot = build_snapshot(session, incident.id, incident.scope_job_id)
    lots, hidden = scope_lots(session, Lens.of(session, net.orgs["seats"].id), snapshot.id)
    numbers = {item.lot.lot_number for item in lots}
    assert "RAIL-S" in numbers and "PLATE-B" not in numbers
    assert sum(group.lots for group in hidden) >= 1
    anchor_lots, _ = scope_lots(session, Lens.of(session, net.orgs["anchor"].id), snapshot.id)
    assert {"RAIL-S", "PLATE-B"} <= {item.lot.lot_number for item in anchor_lots}
