"""Assembling trace rows: withheld groups, edge direction, hidden quantities, ends and paths."""

from __future__ import annotations

from decimal import Decimal

from models.trace.assemble import ROW_COLUMNS, assemble
from models.trace.names import Names, OrgName, PartName


def row(parent, lot, depth, quantity=None, visible=True, tier=1, number=None, more=False):
    values = dict.fromkeys(ROW_COLUMNS)
    values.update(
        parent_id=parent,
        lot_id=lot,
        depth=depth,
        edge_quantity=Decimal(quantity) if quantity is not None else None,
        visible=visible,
        tier=tier,
        lot_number=(number or f"L{lot}") if visible else None,
        maker_org_id=lot * 10 if visible else None,
        part_id=lot * 100 if visible else None,
        more=more,
        incident=False,
    )
    no_shipment = (None,) * 10
    return (*(values[name] for name in ROW_COLUMNS), *no_shipment)


def names_of(rows):
    """Names for the makers and parts of visible rows, made up from their ids."""
    makers = {r[ROW_COLUMNS.index("maker_org_id")] for r in rows} - {None}
    parts = {r[ROW_COLUMNS.index("part_id")] for r in rows} - {None}
    return Names(
        {i: OrgName(f"C{i}", f"厂{i}", f"Maker {i}") for i in makers},
        {i: PartName(f"P{i}", f"件{i}", f"Part {i}", "pcs") for i in parts},
    )


def test_withheld_lots_of_one_tier_under_one_node_become_one_group():
    rows = [
        row(None, 1, 0, tier=0),
        row(1, 2, 1, "5", visible=False, tier=2),
        row(1, 3, 1, "6", visible=False, tier=2),
        row(1, 4, 1, "7", tier=1),
        row(2, 5, 2, "1", tier=3),
    ]
    result = assemble(rows, [1], "up", 99, 30, names_of(rows))
    group = result.node("withheld-1")
    assert (group.count, group.tier, group.lot_number) == (2, 2, None)
    edges = {(e.source, e.target): e.quantity for e in result.edges}
    assert edges[("withheld-1", "lot-1")] is None, "two edges merged lose their quantity"
    assert edges[("lot-4", "lot-1")] == 7
    assert edges[("lot-5", "withheld-1")] is None, "declared by a withheld maker"
    assert result.path("lot-5") == ["lot-1", "withheld-1", "lot-5"]
    assert result.withheld == {2: 2}
    shown = result.node("lot-4")
    assert (shown.maker_code, shown.maker_name("zh"), shown.part_name("en")) == (
        "C40", "厂40", "Part 400",
    )  # fmt: skip
    assert (group.maker_code, group.part_number) == (None, None)


def test_downstream_edges_point_from_input_to_output_and_ends_are_finished_lots():
    rows = [row(None, 1, 0), row(1, 2, 1, "3"), row(2, 3, 2, "1"), row(1, 3, 1, "2")]
    result = assemble(rows, [1], "down", None, 30, names_of(rows))
    assert {(e.source, e.target) for e in result.edges} == {
        ("lot-1", "lot-2"), ("lot-2", "lot-3"), ("lot-1", "lot-3"),
    }  # fmt: skip
    assert result.node("lot-3").depth == 1, "the shortest path wins"
    assert [n.lot_number for n in result.ends] == ["L3"]


def test_a_lot_at_the_depth_limit_with_more_beyond_is_not_an_end():
    rows = [row(None, 1, 0), row(1, 2, 1, "1", more=True)]
    result = assemble(rows, [1], "up", None, 1, names_of(rows))
    assert result.truncated and not result.node("lot-2").end
    assert result.to_dict()["nodes"][1]["truncated"] is True
