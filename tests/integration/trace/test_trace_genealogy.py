"""Tracing lots up and down on a hand-built multi-tier graph, as different viewers see it."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import event, select

from models.access import tiers, visible_org_ids
from models.errors import NotFound, ValidationFailed
from models.orgs.entities import CATEGORIES, Organisation, SupplierLink
from models.orgs.sharing import update_sharing
from models.trace.assemble import RECEIVER, ROW_COLUMNS, SHIPMENT_LOT
from models.trace.graph import would_create_cycle
from models.trace.queries import trace, trace_lot_number, trace_statement
from models.trace.visibility import visible_among
from tests.integration.trace.builders import BUYER_ONLY, add_lot, build_network, consume, ship


@pytest.fixture
def net(session):
    return build_network(session)


def numbers(result, withheld=False):
    return {n.lot_number for n in result.nodes if not n.withheld} if not withheld else None


def depth_of(result, number):
    return next(n.depth for n in result.nodes if n.lot_number == number)


def test_upstream_reaches_every_input_with_depth_tier_and_path(session, net):
    result = trace(session, [net.lot_id("CAR-1")], "up", None)
    assert numbers(result) == {
        "CAR-1", "SEAT-1", "BRAKE-1", "FRAME-1", "STEEL-1", "STEEL-2", "PLAS-1", "ORE-1",
    }  # fmt: skip
    steel = next(n for n in result.nodes if n.lot_number == "STEEL-1")
    assert (steel.depth, steel.tier) == (2, 2)
    assert [result.node(k).lot_number for k in result.path(steel.key)] == [
        "CAR-1",
        "SEAT-1",
        "STEEL-1",
    ]
    ore = next(n for n in result.nodes if n.lot_number == "ORE-1")
    assert (ore.depth, ore.tier, ore.end) == (3, 3, True)
    assert result.node(result.roots[0]).lot_number == "CAR-1"


def test_a_diamond_gives_each_lot_once_at_its_shortest_depth_and_every_edge(session, net):
    result = trace(session, [net.lot_id("SEAT-1")], "up", None)
    assert [n.lot_number for n in result.nodes].count("STEEL-1") == 1
    assert depth_of(result, "STEEL-1") == 1
    as_numbers = {(result.node(e.source).lot_number, result.node(e.target).lot_number)
                  for e in result.edges}  # fmt: skip
    assert {("STEEL-1", "SEAT-1"), ("STEEL-1", "FRAME-1"), ("FRAME-1", "SEAT-1")} <= as_numbers


def test_downstream_reaches_finished_lots_with_shipments_and_receipts(session, net):
    ship(net, "BRAKE-1", "anchor", 200, received=200, rejected=8)
    result = trace(session, [net.lot_id("STEEL-2")], "down", None)
    assert numbers(result) == {"STEEL-2", "BRAKE-1", "CAR-1", "CAR-2", "OTHER-CAR-1"}
    assert {n.lot_number for n in result.ends} == {"CAR-1", "CAR-2", "OTHER-CAR-1"}
    edge = next(e for e in result.edges if result.node(e.target).lot_number == "BRAKE-1")
    assert result.node(edge.source).lot_number == "STEEL-2" and edge.quantity == 900
    [shipment] = result.shipments
    assert (shipment.lot_number, shipment.notice_number) == ("BRAKE-1", "ASN-BRAKE-1-anchor")
    assert (shipment.received, shipment.rejected) == (200, 8)
    assert shipment.buyer_name_en == "Anchor Motors"


def test_a_cycle_in_the_data_ends_and_each_lot_appears_once(session, net):
    part = net.parts["COIL"]
    for number in ("LOOP-A", "LOOP-B", "LOOP-C"):
        add_lot(net, "steel", part, number, 1)
    consume(net, "LOOP-B", "LOOP-A")
    consume(net, "LOOP-C", "LOOP-B")
    consume(net, "LOOP-A", "LOOP-C")
    for direction in ("up", "down"):
        result = trace(session, [net.lot_id("LOOP-A")], direction, None)
        assert sorted(n.lot_number for n in result.nodes) == ["LOOP-A", "LOOP-B", "LOOP-C"]
        assert len(result.edges) == 3


def test_the_depth_limit_stops_the_walk_and_says_so(session, net):
    part = net.parts["COIL"]
    chain = [f"CHAIN-{n}" for n in range(8)]
    for number in chain:
        add_lot(net, "steel", part, number, 1)
    for output, input_ in pairwise(chain):
        consume(net, output, input_)
    result = trace(session, [net.lot_id("CHAIN-0")], "up", None, max_depth=3)
    assert sorted(n.depth for n in result.nodes) == [0, 1, 2, 3]
    assert result.truncated and next(n for n in result.nodes if n.depth == 3).more
    assert not trace(session, [net.lot_id("CHAIN-0")], "up", None).truncated


def test_the_anchor_sees_plastics_lot_as_withheld_by_a_tier_2_supplier(session, net):
    result = trace(session, [net.lot_id("CAR-1")], "up", net.orgs["anchor"].id)
    assert "PLAS-1" not in numbers(result)
    assert result.withheld == {2: 1}
    [hidden] = [n for n in result.nodes if n.withheld]
    assert (hidden.lot_number, hidden.maker_code, hidden.part_number, hidden.quantity) == (
        None, None, None, None,
    )  # fmt: skip
    edge = next(e for e in result.edges if e.source == hidden.key)
    assert result.node(edge.target).lot_number == "SEAT-1"
    assert edge.quantity == 200, "the seat maker's own declaration stays visible"
    assert "PLAS-1" not in str(result.to_dict())


def test_a_tier_1_sees_its_direct_supplier_even_without_upstream_sharing(session, net):
    seats = net.orgs["seats"].id
    result = trace(session, [net.lot_id("SEAT-1")], "up", seats)
    assert numbers(result) == {"SEAT-1", "FRAME-1", "STEEL-1", "PLAS-1", "ORE-1"}
    assert result.withheld == {}
    tier_of = {n.lot_number: n.tier for n in result.nodes}
    assert tier_of == {"SEAT-1": 0, "FRAME-1": 0, "STEEL-1": 1, "PLAS-1": 1, "ORE-1": 2}


def test_a_non_consenting_tier_2_sees_its_customers_lots_only_as_withheld(session, net):
    plastics = net.orgs["plastics"].id
    result = trace(session, [net.lot_id("PLAS-1")], "down", plastics)
    assert numbers(result) == {"PLAS-1"}
    assert result.withheld == {None: 2}
    assert result.to_dict()["withheld"] == [{"tier": None, "lots": 2}]


def test_grouped_withheld_lots_are_counted_per_tier_and_parent(session, net):
    steel = net.orgs["steel"].id
    result = trace(session, [net.lot_id("STEEL-1")], "down", steel)
    groups = [n for n in result.nodes if n.withheld]
    assert [(g.depth, g.count) for g in groups] == [(1, 2), (2, 1)]
    assert result.withheld == {None: 3}


def test_a_lot_the_viewer_may_not_see_cannot_be_traced(session, net):
    with pytest.raises(NotFound):
        trace(session, [net.lot_id("PLAS-1")], "down", net.orgs["anchor"].id)
    with pytest.raises(NotFound):
        trace(session, [987654321], "up", None)


def test_one_walk_per_trace_and_names_read_only_when_not_cached(session, net, engine):
    """The walk is one statement; the makers' and parts' names take one more per kind the
    first time (build_network just wrote them, which drops any cached name), none after."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    lot, anchor = net.lot_id("ORE-1"), net.orgs["anchor"].id
    event.listen(engine, "before_cursor_execute", record)
    try:
        first = trace(session, [lot], "down", anchor)
        cold, statements[:] = list(statements), []
        again = trace(session, [lot], "down", anchor)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(cold) == 3
    assert [s for s in cold if "RECURSIVE" in s] == cold[:1]
    assert len(statements) == 1 and "RECURSIVE" in statements[0]
    assert again.to_dict() == first.to_dict()


#: An agreement that treats each category differently: ore shares progress with steel only,
#: quality all the way up, carbon with nobody, traceability with steel's customers too.
MIXED = {
    "progress_buyer": True,
    "quality_buyer": True,
    "quality_upstream": True,
    "carbon_buyer": False,
    "traceability_buyer": True,
    "traceability_upstream": True,
}


def _link(session, net, buyer, supplier):
    return session.scalar(
        select(SupplierLink).where(
            SupplierLink.buyer_id == net.orgs[buyer].id,
            SupplierLink.supplier_id == net.orgs[supplier].id,
        )
    )


@pytest.mark.parametrize(
    "change",
    [
        None,
        ("anchor", "seats", "suspended"),
        ("seats", "steel", "suspended"),
        ("steel", "ore", MIXED),
        # steel stays visible to seats' customers, not to those of brakes only ("other")
        ("brakes", "steel", BUYER_ONLY),
    ],
)
def test_the_targeted_access_rule_agrees_with_the_access_module(session, net, change):
    if change:
        buyer, supplier, what = change
        link = _link(session, net, buyer, supplier)
        if what == "suspended":
            link.status = what
        else:
            update_sharing(session, net.actor(supplier), link.id, what)
        session.flush()
    org_ids = list(session.scalars(select(Organisation.id)))
    lateral = session.get_bind().dialect.name == "postgresql"  # as a trace asks it there
    for category in CATEGORIES:
        for viewer in [None, *org_ids]:
            makers = select(Organisation.id.label("org_id"))
            query = visible_among(makers, viewer, category, lateral)
            rows = session.execute(query).all()
            if viewer is None:
                assert all(visible for _, visible, _ in rows)
                continue
            visible = visible_org_ids(session, viewer, category)
            tier_of = {viewer: 0, **tiers(session, viewer)}
            assert {org for org, seen, _ in rows if seen} == visible, (category, viewer)
            assert {org: tier for org, _, tier in rows if tier is not None} == tier_of


def test_an_agreement_that_stops_sharing_upstream_withholds_the_lots_at_once(session, net):
    anchor = net.orgs["anchor"].id
    before = trace(session, [net.lot_id("CAR-1")], "up", anchor)
    assert "ORE-1" in numbers(before) and 3 not in before.withheld
    link = _link(session, net, "steel", "ore")
    update_sharing(session, net.actor("ore"), link.id, BUYER_ONLY)
    session.commit()
    result = trace(session, [net.lot_id("CAR-1")], "up", anchor)
    assert "ORE-1" not in numbers(result)
    assert result.withheld[3] == 1  # ore: tier 3 below the anchor
    steel_view = trace(session, [net.lot_id("STEEL-1")], "up", net.orgs["steel"].id)
    assert "ORE-1" in numbers(steel_view)


def test_the_operator_view_counts_tiers_from_the_nearest_anchor(session, net):
    result = trace(session, [net.lot_id("OTHER-CAR-1")], "up", None)
    tier_of = {n.lot_number: n.tier for n in result.nodes}
    assert tier_of["OTHER-CAR-1"] == 0 and tier_of["BRAKE-1"] == 1 and tier_of["ORE-1"] == 3


def test_a_lot_number_is_resolved_by_maker_when_ambiguous(session, net):
    add_lot(net, "brakes", net.parts["BRAKE"], "ORE-1", 5)
    with pytest.raises(ValidationFailed) as error:
        trace_lot_number(session, "ORE-1", "down")
    assert "maker" in error.value.errors
    result = trace_lot_number(session, "ORE-1", "down", net.orgs["ore"].credit_code)
    assert "CAR-1" in numbers(result)
    with pytest.raises(NotFound):
        trace_lot_number(session, "PLAS-1", "up", viewer_code=net.orgs["anchor"].credit_code)


def test_cycle_check_refuses_a_link_back_upstream(session, net):
    assert would_create_cycle(session, net.lot_id("ORE-1"), net.lot_id("CAR-1"))
    assert would_create_cycle(session, net.lot_id("STEEL-1"), net.lot_id("SEAT-1"))
    assert would_create_cycle(session, net.lot_id("SEAT-1"), net.lot_id("SEAT-1"))
    assert not would_create_cycle(session, net.lot_id("CAR-2"), net.lot_id("SEAT-1"))
    assert not would_create_cycle(session, net.lot_id("SEAT-1"), net.lot_id("STEEL-2"))


def test_cycle_check_ends_on_cyclic_data(session, net):
    part = net.parts["COIL"]
    for number in ("CYC-A", "CYC-B"):
        add_lot(net, "steel", part, number, 1)
    consume(net, "CYC-A", "CYC-B")
    consume(net, "CYC-B", "CYC-A")
    assert not would_create_cycle(session, net.lot_id("ORE-1"), net.lot_id("CYC-A"))
    assert would_create_cycle(session, net.lot_id("CYC-B"), net.lot_id("CYC-A"))


def test_the_statement_selects_the_columns_assemble_reads_by_position():
    for direction in ("up", "down"):
        for with_viewer, lateral in ((True, True), (True, False), (False, False)):
            statement = trace_statement(direction, with_viewer, False, lateral)
            names = [column.name for column in statement.selected_columns]
            assert names[: len(ROW_COLUMNS)] == list(ROW_COLUMNS)
            if direction == "down":
                assert names[SHIPMENT_LOT] == "shipment_lot_id"
                assert names[RECEIVER] == "buyer_org_id"
