"""The input graph of parts: bill-of-materials lines, lot consumption, and ancestors (SQL).

A parent's inputs come from its bill of materials when it has one; otherwise from the lots
consumed into the parent's lots made in the year (consumed quantity per unit made). The
ancestors of changed parts are found with one recursive CTE over both kinds of edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from models.carbon.compose import InputLine
from models.carbon.own_emissions import year_bounds
from models.carbon.sql import among
from models.orders.entities import BomLine, Lot, LotConsumption, Part


def _lot_edges(year: int):  # type: ignore[no-untyped-def]
    output, consumed = aliased(Lot), aliased(Lot)
    start, end = year_bounds(year)
    return (
        select(output.part_id.label("parent"), consumed.part_id.label("child"))
        .select_from(LotConsumption)
        .join(output, output.id == LotConsumption.output_lot_id)
        .join(consumed, consumed.id == LotConsumption.input_lot_id)
        .where(output.made_at.between(start, end))
    )


def ancestors(session: Session, part_ids: Iterable[int], year: int) -> set[int]:
    """Every part that consumes any of ``part_ids``, directly or through others."""
    seeds = list(part_ids)
    if not seeds:
        return set()
    edges = union_all(
        select(BomLine.parent_part_id.label("parent"), BomLine.child_part_id.label("child")),
        _lot_edges(year),
    ).cte("edges")
    found = (
        select(edges.c.parent.label("part_id"), literal(1).label("depth"))
        .where(among(session, edges.c.child, seeds))
        .cte("ancestors", recursive=True)
    )
    found = found.union(
        select(edges.c.parent, found.c.depth + 1)
        .join(found, edges.c.child == found.c.part_id)
        .where(found.c.depth < 64)
    )
    return set(session.scalars(select(found.c.part_id).distinct()))


def ancestors_in_memory(seeds: set[int], lines: dict[int, list[InputLine]]) -> set[int]:
    """The same as :func:`ancestors`, over input lines already loaded."""
    parents_of: dict[int, set[int]] = defaultdict(set)
    for parent, children in lines.items():
        for line in children:
            parents_of[line.child_id].add(parent)
    found: set[int] = set()
    stack = list(seeds)
    while stack:
        for parent in parents_of.get(stack.pop(), ()):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def input_lines(
    session: Session, year: int, parents: set[int] | None = None
) -> dict[int, list[InputLine]]:
    """Inputs per unit of each parent (of all parents when ``parents`` is None)."""
    bom = select(
        BomLine.parent_part_id, BomLine.child_part_id, BomLine.quantity, BomLine.scrap_pct
    ).order_by(BomLine.parent_part_id, BomLine.id)
    if parents is not None:
        bom = bom.where(among(session, BomLine.parent_part_id, parents))
    lines: dict[int, list[InputLine]] = defaultdict(list)
    for parent, child, quantity, scrap in session.execute(bom):
        lines[parent].append(InputLine(child, float(quantity), float(scrap or 0), "bom"))
    for parent, child, per_unit in _lot_ratios(session, year, parents):
        if parent not in lines or all(line.via == "lots" for line in lines[parent]):
            lines[parent].append(InputLine(child, per_unit, 0.0, "lots"))
    return dict(lines)


def _lot_ratios(
    session: Session, year: int, parents: set[int] | None
) -> list[tuple[int, int, float]]:
    """(parent, child, consumed per unit made) from the lots made in ``year``.

    Consumption records without a quantity say which lot went in but not how much, so they
    cannot be counted.
    """
    output, consumed = aliased(Lot), aliased(Lot)
    start, end = year_bounds(year)
    used = (
        select(
            output.part_id, consumed.part_id, func.sum(LotConsumption.quantity).label("quantity")
        )
        .select_from(LotConsumption)
        .join(output, output.id == LotConsumption.output_lot_id)
        .join(consumed, consumed.id == LotConsumption.input_lot_id)
        .where(output.made_at.between(start, end), LotConsumption.quantity.is_not(None))
        .group_by(output.part_id, consumed.part_id)
    )
    made = (
        select(Lot.part_id, func.sum(Lot.quantity))
        .where(
            Lot.made_at.between(start, end),
            Lot.id.in_(select(LotConsumption.output_lot_id)),
            Lot.quantity.is_not(None),
        )
        .group_by(Lot.part_id)
    )
    if parents is not None:
        used = used.where(among(session, output.part_id, parents))
        made = made.where(among(session, Lot.part_id, parents))
    totals = {part_id: float(quantity) for part_id, quantity in session.execute(made)}
    return [
        (parent, child, float(quantity) / totals[parent])
        for parent, child, quantity in session.execute(used)
        if totals.get(parent)
    ]


def part_facts(
    session: Session, part_ids: set[int] | None = None
) -> dict[int, tuple[int, float | None]]:
    """Maker and unit mass of each part (its supplier, or its owner when it makes it itself)."""
    query = select(Part.id, func.coalesce(Part.supplier_org_id, Part.owner_org_id), Part.mass_kg)
    if part_ids is not None:
        query = query.where(among(session, Part.id, part_ids))
    return {
        pid: (maker, None if mass is None else float(mass))
        for pid, maker, mass in session.execute(query)
    }


def topological(targets: set[int], lines: dict[int, list[InputLine]]) -> list[int]:
    """``targets`` ordered so that every part comes after the targets it consumes.

    A cycle (which a bill of materials should never have) is broken where it is met.
    """
    order: list[int] = []
    state: dict[int, int] = {}
    for root in targets:
        if root in state:
            continue
        stack = [(root, iter(lines.get(root, ())))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            advanced = False
            for line in children:
                child = line.child_id
                if child in targets and child not in state:
                    state[child] = 1
                    stack.append((child, iter(lines.get(child, ()))))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                state[node] = 2
                order.append(node)
    return order
