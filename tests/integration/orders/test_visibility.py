"""Who sees which order lines: the two parties, and upstream viewers through sharing only;
prices never leave the two parties; late and stalled lines are flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.errors import NotFound
from models.orders.overview import LineFilters, count_lines, line_rows
from models.orders.progress import record_progress
from models.orders.timeline import line_timeline


@pytest.fixture
def lines(chain):
    return {
        "anchor": chain.order("PO-A").lines[0],
        "tier2": chain.order(
            "PO-T2", buyer="admin@tier1.test", supplier="tier2", part_number="T1-FRAME"
        ).lines[0],
        "hidden": chain.order(
            "PO-H", buyer="admin@tier1.test", supplier="hidden2", part_number="T1-TRIM"
        ).lines[0],
        "other": chain.order("PO-O", supplier="other1", part_number="A-200").lines[0],
    }


def numbers(chain, org, scope):
    rows = line_rows(chain.session, chain.org[org], LineFilters(scope=scope, status=None))
    return {row.order_number: row for row in rows}


def test_the_anchor_follows_shared_sub_tier_lines_without_their_prices(chain, lines):
    seen = numbers(chain, "anchor", "chain")
    assert set(seen) == {"PO-A", "PO-T2", "PO-O"}
    assert seen["PO-A"].unit_price == 12.5 and seen["PO-T2"].unit_price is None
    timeline = line_timeline(chain.session, chain.org["anchor"], lines["tier2"].id)
    assert timeline.row.unit_price is None
    with pytest.raises(NotFound):
        line_timeline(chain.session, chain.org["anchor"], lines["hidden"].id)


def test_a_second_anchor_sees_nothing_of_another_anchors_orders(chain, lines):
    assert numbers(chain, "anchor2", "chain") == {}
    with pytest.raises(NotFound):
        line_timeline(chain.session, chain.org["anchor2"], lines["other"].id)


def test_each_party_sees_its_side_with_prices(chain, lines):
    assert set(numbers(chain, "tier1", "buying")) == {"PO-T2", "PO-H"}
    assert set(numbers(chain, "tier1", "selling")) == {"PO-A"}
    assert numbers(chain, "tier2", "selling")["PO-T2"].unit_price == 12.5


def test_late_and_stalled_lines_are_flagged_and_filtered(chain, lines):
    late = chain.order(
        "PO-L",
        order_date=chain.today - timedelta(days=2),
        due_date=(chain.today - timedelta(days=1)).isoformat(),
    ).lines[0]
    record_progress(
        chain.session,
        chain.actor("floor@tier1.test"),
        lines["anchor"].id,
        {
            "stage": "production",
            "quantity_done": "10",
            "idempotency_key": "k-stalled-1",
            "reported_at": (chain.now() - timedelta(days=9)).isoformat(),
        },
    )
    rows = line_rows(chain.session, chain.org["anchor"], LineFilters(late=True))
    assert [row.line.id for row in rows] == [late.id]
    stalled = line_rows(chain.session, chain.org["anchor"], LineFilters(stalled=True))
    assert [row.line.id for row in stalled] == [lines["anchor"].id]
    soon = line_rows(chain.session, chain.org["anchor"], LineFilters(due_within=3))
    assert [row.line.id for row in soon] == [late.id]


def test_a_line_shows_its_newest_report_that_no_correction_replaced(chain, lines):
    floor = chain.actor("floor@tier1.test")
    line_id = lines["anchor"].id

    def report(key, quantity, hours_ago, **more):
        at = (chain.now() - timedelta(hours=hours_ago)).isoformat()
        data = {"stage": "production", "quantity_done": quantity, "idempotency_key": key}
        return record_progress(chain.session, floor, line_id, {**data, "reported_at": at, **more})

    report("k-first-1", "10", 3)
    wrong, _ = report("k-wrong-1", "40", 2)
    report("k-fixed-1", "15", 1, supersedes_id=wrong.id)
    row = numbers(chain, "anchor", "buying")["PO-A"]
    assert row.quantity_done == 15
    assert numbers(chain, "tier2", "selling")["PO-T2"].quantity_done is None


def test_pages_of_the_list_neither_share_nor_skip_lines_that_sort_alike(chain, lines):
    same = [
        chain.order("PO-SAME").lines[0],
        chain.order("PO-SAME", buyer="admin@tier1.test", supplier="tier2",
                    part_number="T1-FRAME").lines[0],
    ]  # fmt: skip
    filters = LineFilters(scope="chain", search="PO-SAME")
    pages = [line_rows(chain.session, chain.org["anchor"], filters, 1, n) for n in (0, 1, 2)]
    assert [len(page) for page in pages] == [1, 1, 0]
    assert {page[0].line.id for page in pages[:2]} == {line.id for line in same}
    assert count_lines(chain.session, chain.org["anchor"], filters) == 2
