"""Who sees which scorecard: the anchor its tier-1s and consented tier-2s, each supplier its own;
a KPI of a category not shared is withheld, and so are the records of other customers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.errors import NotFound
from models.scorecards.cards import supplier_card, supplier_view
from models.scorecards.dashboard import at_risk, overview, overview_and_table, supplier_table
from models.scorecards.drilldown import drill
from models.scorecards.periods import period_of
from models.scorecards.recompute import recompute
from models.scorecards.risks import at_risk_lines
from models.scorecards.viewer import make_view
from tests.integration.scorecards.builders import (
    NOW,
    TODAY,
    hours_ago,
    line,
    report,
)

WEEK = period_of("week", TODAY)


@pytest.fixture
def scored(session, net):
    for supplier in (net.t1, net.t1b, net.t2, net.hidden):
        made = line(
            session,
            net.anchor if supplier in (net.t1, net.t1b) else net.t1,
            supplier,
            due=TODAY + timedelta(days=2),
        )
        report(session, made, 10, hours_ago(100))
    other = line(session, net.other, net.t1, due=TODAY + timedelta(days=2))  # another customer
    report(session, other, 10, hours_ago(1))
    recompute(session, [WEEK], NOW)
    return net


def test_the_anchor_sees_its_tier_ones_and_the_consented_tier_two(session, scored):
    net = scored
    rows, total = supplier_table(session, make_view(session, net.anchor.id), WEEK)
    assert {r.org_id for r in rows} == {net.t1.id, net.t1b.id, net.t2.id}
    assert total == 3
    t2 = next(r for r in rows if r.org_id == net.t2.id)
    assert t2.tier == 2
    assert t2.withheld == {"completeness_carbon", "carbon_intensity", "primary_share"}
    assert t2.values["coverage"] == 0


def test_the_tier_one_sees_its_own_suppliers_hidden_included(session, scored):
    net = scored
    rows, _ = supplier_table(session, make_view(session, net.t1.id), WEEK)
    assert {r.org_id for r in rows} == {net.t2.id, net.hidden.id}
    assert all(not r.withheld for r in rows)


def test_filters_narrow_to_a_tier_and_to_a_supplier_with_its_sub_tiers(session, scored):
    net = scored
    rows, _ = supplier_table(session, make_view(session, net.anchor.id, tier=2), WEEK)
    assert [r.org_id for r in rows] == [net.t2.id]
    view = make_view(session, net.anchor.id, supplier_id=net.t1.id)
    assert {r.org_id for r in supplier_table(session, view, WEEK)[0]} == {net.t1.id, net.t2.id}
    view = make_view(session, net.anchor.id, category="carbon")
    assert overview(session, view, WEEK).totals["coverage"] is not None  # totals stay complete


def test_a_supplier_outside_the_chain_is_not_found(session, scored):
    net = scored
    with pytest.raises(NotFound):
        supplier_view(session, net.anchor.id, net.hidden.id)
    with pytest.raises(NotFound):
        supplier_view(session, net.other.id, net.t2.id)
    own = supplier_view(session, net.hidden.id, net.hidden.id)
    card = supplier_card(session, own, net.hidden.id, "week", 4, TODAY)
    assert card.own and not card.withheld
    assert card.current.cells["coverage"].value == 0


def test_a_withheld_kpi_cannot_be_drilled_into(session, scored):
    net = scored
    view = supplier_view(session, net.anchor.id, net.t2.id)
    with pytest.raises(NotFound):
        drill(session, view, net.t2.id, "primary_share", WEEK, NOW)
    card = supplier_card(session, view, net.t2.id, "week", 2, TODAY)
    assert card.current.cells["primary_share"].withheld
    assert card.current.cells["coverage"].value == 0


def test_drilling_down_lists_the_records_and_counts_other_customers_as_withheld(session, scored):
    net = scored
    view = supplier_view(session, net.anchor.id, net.t1.id)
    found = drill(session, view, net.t1.id, "coverage", WEEK, NOW)
    assert len(found.rows) == 1 and found.withheld == 1
    assert found.rows[0]["covered"] == 0
    own = drill(
        session, supplier_view(session, net.t1.id, net.t1.id), net.t1.id, "coverage", WEEK, NOW
    )
    assert len(own.rows) == 2 and own.withheld == 0


def test_the_anchor_sees_lines_at_risk_of_consented_tier_twos_only(session, scored):
    from models.scorecards.warnings import refresh_warnings

    net = scored
    refresh_warnings(session, NOW)
    lines, total = at_risk_lines(session, make_view(session, net.anchor.id))
    suppliers = {line.supplier.id for line in lines}
    assert suppliers == {net.t1.id, net.t1b.id, net.t2.id}
    assert total == 3
    assert all("stalled" in line.kinds for line in lines)


@pytest.mark.parametrize("viewer", ["anchor", "t1"])
def test_the_one_statement_page_shows_the_same_tiles_and_rows_as_the_separate_queries(
    session, scored, viewer
):
    view = make_view(session, getattr(scored, viewer).id)
    risky = at_risk(session, view)

    tiles, rows = overview_and_table(session, view, WEEK, 2, 0, risky)

    assert tiles == overview(session, view, WEEK, risky)
    assert rows == supplier_table(session, view, WEEK, 2, 0, None, risky)[0]
    assert len(rows) == 2
    assert (
        overview_and_table(session, view, WEEK, 2, 2, risky)[1]
        == (supplier_table(session, view, WEEK, 2, 2, None, risky)[0])
    )
