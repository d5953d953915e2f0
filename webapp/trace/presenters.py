"""Shaping traces and scopes for the pages: the chart data (for trace.js) and table limits."""

from __future__ import annotations

from typing import Any

from flask import url_for

from models.trace.results import Trace
from webapp.trace.labels import withheld_text

#: Nodes drawn in a chart; the table and the exports list everything.
CHART_NODES = 400
#: Rows rendered in a page table.
TABLE_ROWS = 500


def trace_chart(trace: Trace, locale: str) -> dict[str, Any]:
    """Nodes (nearest first, at most :data:`CHART_NODES`) and edges for the genealogy chart.

    ``parent`` is the node's predecessor on a shortest path from a root, which gives the
    collapsible tree; ``edges`` (in the direction material flows) give the full graph.
    """
    nodes = trace.nodes[:CHART_NODES]
    kept = {node.key for node in nodes}
    return {
        "direction": trace.direction,
        "capped": len(trace.nodes) > len(nodes),
        "total": len(trace.nodes),
        "nodes": [
            {
                "id": node.key,
                "name": _name(node, locale),
                "detail": _detail(node, locale),
                "tier": node.tier,
                "depth": node.depth,
                "withheld": node.withheld,
                "incident": node.incident,
                "end": node.end,
                "parent": node.parent,
                "url": (
                    url_for("trace.lot", lot_id=node.lot_id, direction=trace.direction)
                    if node.lot_id
                    else None
                ),
            }
            for node in nodes
        ],
        "edges": [
            {"source": edge.source, "target": edge.target}
            for edge in trace.edges
            if edge.source in kept and edge.target in kept
        ],
    }


def _name(node: Any, locale: str) -> str:
    if node.withheld:
        return withheld_text(node.tier, node.count)
    return node.lot_number or ""


def _detail(node: Any, locale: str) -> str:
    if node.withheld:
        return ""
    return " · ".join(
        part for part in (node.part_number, node.part_name(locale), node.maker_name(locale)) if part
    )


def scope_chart(items: list[Any], edges: list[tuple[int, int]], locale: str) -> dict[str, Any]:
    """Chart data of a containment scope: its visible lots coloured by relation."""
    items = items[:CHART_NODES]
    kept = {item.lot.id for item in items}
    return {
        "direction": "down",
        "capped": False,
        "total": len(items),
        "nodes": [
            {
                "id": f"lot-{item.lot.id}",
                "name": item.lot.lot_number,
                "detail": f"{item.part.part_number} · {item.maker.display_name(locale)}",
                "tier": item.tier,
                "depth": item.depth,
                "withheld": False,
                "incident": item.relation == "incident",
                "relation": item.relation,
                "end": item.finished,
                "parent": None,
                "url": url_for("trace.lot", lot_id=item.lot.id, direction="down"),
            }
            for item in items
        ],
        "edges": [
            {"source": f"lot-{a}", "target": f"lot-{b}"}
            for a, b in edges
            if a in kept and b in kept
        ],
    }
