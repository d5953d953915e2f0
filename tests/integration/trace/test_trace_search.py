"""The search box: a lot number's prefix in any case, alike on SQLite and PostgreSQL, and
served by indexes on PostgreSQL, which read the lots that match and no others."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from models.orders.entities import Lot
from models.trace.search import bulk_lookup, find_lot, search_lots, split_numbers
from tests.integration.trace.builders import add_lot, build_network
from tests.services import migrated_postgres_database


@pytest.fixture
def net(session):
    return build_network(session)


def found(session, net, term):
    return {hit.lot.lot_number for hit in search_lots(session, net.orgs["anchor"].id, term)}


def test_a_lot_number_prefix_is_found_in_any_case(session, net):
    assert found(session, net, "steel") == {"STEEL-1", "STEEL-2"}
    assert found(session, net, "Steel-2") == {"STEEL-2"}
    assert found(session, net, "STEEL") == {"STEEL-1", "STEEL-2"}
    hits = search_lots(session, net.orgs["anchor"].id, "car-1")
    assert [(h.lot.lot_number, h.matched) for h in hits] == [("CAR-1", "lot")]


def test_wildcards_in_a_search_stay_literal_in_any_case(session, net):
    assert found(session, net, "steel_") == set()
    assert found(session, net, "s%") == set()
    assert found(session, net, "%") == set()


def test_pasted_numbers_in_quotes_are_found_without_them(session, net):
    pasted = "\"STEEL-1\"\n“CAR-1”\n「SEAT-1」\n‘ORE-1’\n『FRAME-1』\n＂CAR-2＂\n'BRAKE-1'"
    numbers = split_numbers(pasted)
    assert numbers == ["STEEL-1", "CAR-1", "SEAT-1", "ORE-1", "FRAME-1", "CAR-2", "BRAKE-1"]
    result = bulk_lookup(session, net.orgs["anchor"].id, pasted.splitlines())
    assert [number for number, lots in result.items() if lots] == numbers


def test_a_number_of_quotes_alone_is_no_lot_number(session, net):
    assert split_numbers('"" , “” STEEL-1') == ["STEEL-1"]


@pytest.mark.postgres
def test_the_prefix_search_is_served_by_the_upper_case_index_on_postgres():
    """The statement the search runs, explained with sequential scans priced out: the planner
    reaches the lots through the index on ``upper(lot_number)`` (a few lots would otherwise be
    read whole, which says nothing about a large table)."""
    with migrated_postgres_database() as database, database.unit_of_work() as session:
        net = build_network(session)
        connection = session.connection()
        statements: list[tuple[str, object]] = []

        def keep(_conn, _cursor, statement, parameters, _context, _many):
            statements.append((statement, parameters))

        event.listen(connection, "before_cursor_execute", keep)
        found(session, net, "steel")
        event.remove(connection, "before_cursor_execute", keep)
        statement, parameters = next(s for s in statements if "LIKE" in s[0])
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        )
        session.rollback()
    assert "ix_lots_lot_number_upper" in plan, plan


OTHER_LOTS = 20_000


@pytest.mark.postgres
def test_a_search_reads_only_the_matching_lots_on_postgres():
    """Among 20,000 other lots, the statements of a search for two lots are explained as
    planned (sequential scans allowed): none reads the lots table whole, whose cost would
    grow with every lot made rather than with the lots found."""
    with migrated_postgres_database() as database, database.unit_of_work() as session:
        net = build_network(session)
        _add_other_lots(session, net.lots["STEEL-1"])
        statements = _statements_of(session, lambda: found(session, net, "steel"))
        plans = [_plan(session, *s) for s in statements if " lots" in s[0]]
        assert found(session, net, "steel") == {"STEEL-1", "STEEL-2"}
        session.rollback()
    assert plans
    for plan in plans:
        assert "Seq Scan on lots" not in plan, plan


def _add_other_lots(session, like: Lot) -> None:
    """Lots enough that reading them all costs more than reading a few by index."""
    session.execute(
        text(
            "INSERT INTO lots (maker_org_id, part_id, lot_number, quantity, made_at, created_at)"
            " SELECT :maker, :part, 'BULK-' || n, 10, DATE '2026-10-01', now()"
            " FROM generate_series(1, :count) AS n"
        ),
        {"maker": like.maker_org_id, "part": like.part_id, "count": OTHER_LOTS},
    )
    session.execute(text("ANALYZE"))


def _statements_of(session, run) -> list[tuple[str, object]]:
    connection = session.connection()
    statements: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(connection, "before_cursor_execute", keep)
    return statements


def _plan(session, statement: str, parameters: object) -> str:
    rows = session.connection().exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return "\n".join(row[0] for row in rows)


@pytest.mark.postgres
def test_a_search_is_planned_for_its_term_however_often_it_runs_on_postgres():
    """The driver prepares a statement after five runs and PostgreSQL may then plan it once for
    every term, a plan that cannot use the lot number index: no search may run on such a plan."""
    with migrated_postgres_database() as database:
        with database.unit_of_work() as session:
            net = build_network(session)
            _add_other_lots(session, net.lots["STEEL-1"])
        for _ in range(12):
            with database.unit_of_work() as session:
                assert found(session, net, "steel") == {"STEEL-1", "STEEL-2"}
                plans = session.execute(
                    text(
                        "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                        " FROM pg_prepared_statements WHERE statement LIKE '%upper(lots.%'"
                        " AND statement NOT LIKE '%pg_prepared_statements%'"
                    )
                ).one()
    generic, custom = plans
    assert custom > 0 and generic == 0


def test_pasted_numbers_are_found_in_any_case_like_the_search_box(session, net):
    result = bulk_lookup(session, net.orgs["anchor"].id, ["steel-1", "Car-1", "STEEL-1", "nope-1"])
    assert {number: [lot.lot_number for lot in lots] for number, lots in result.items()} == {
        "steel-1": ["STEEL-1"],
        "Car-1": ["CAR-1"],
        "nope-1": [],
    }


def test_a_pasted_lot_number_with_a_space_is_found_whole(session, net):
    add_lot(net, "steel", net.parts["COIL"], "COIL 7", 10)
    numbers = split_numbers("COIL 7\nSTEEL-1 STEEL-2\n\nCOIL 7")
    result = bulk_lookup(session, net.orgs["anchor"].id, numbers)
    assert {number: [lot.lot_number for lot in lots] for number, lots in result.items()} == {
        "COIL 7": ["COIL 7"],
        "STEEL-1": ["STEEL-1"],
        "STEEL-2": ["STEEL-2"],
    }


def test_a_lot_given_by_number_is_found_in_any_case_the_exact_one_first(session, net):
    """An incident or a trace names its lot by number: cs-frm-1 is the lot CS-FRM-1, as in the
    search box; a lot written exactly as typed wins over one differing only in case."""
    anchor = net.orgs["anchor"].id
    assert find_lot(session, anchor, " steel-1 ").lot_number == "STEEL-1"
    add_lot(net, "steel", net.parts["COIL"], "steel-1", 10)
    assert find_lot(session, anchor, "steel-1").lot_number == "steel-1"
    assert find_lot(session, anchor, "STEEL-1").lot_number == "STEEL-1"
