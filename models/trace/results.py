"""What a trace returns: nodes (lots, or groups of withheld lots), edges and shipments.

Edges always point the way material flows, from the input lot to the lot made from it,
whichever way the trace walked. :meth:`Trace.to_dict` is the JSON form of the CLI and the API.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple


@dataclass(slots=True)
class TraceNode:
    """A lot reached by a trace, or a group of withheld lots (``withheld`` with a ``count``)."""

    key: str
    depth: int
    tier: int | None
    withheld: bool
    count: int = 1
    lot_id: int | None = None
    lot_number: str | None = None
    maker_org_id: int | None = None
    maker_code: str | None = None
    maker_name_zh: str | None = None
    maker_name_en: str | None = None
    part_number: str | None = None
    part_name_zh: str | None = None
    part_name_en: str | None = None
    unit: str | None = None
    quantity: Decimal | None = None
    made_at: date | None = None
    end: bool = False
    more: bool = False
    incident: bool = False
    parent: str | None = None

    def maker_name(self, locale: str) -> str:
        return (self.maker_name_en if locale == "en" and self.maker_name_en else None) or (
            self.maker_name_zh or ""
        )

    def part_name(self, locale: str) -> str:
        return (self.part_name_en if locale == "en" and self.part_name_en else None) or (
            self.part_name_zh or ""
        )


class TraceEdge(NamedTuple):
    """From the input lot's node to the node of the lot made from it."""

    source: str
    target: str
    quantity: Decimal | None


@dataclass
class TraceShipment:
    """A shipment of a visible lot, with the receiver's receipts summed."""

    key: str
    lot_number: str
    notice_id: int
    notice_number: str
    ship_date: date | None
    quantity: Decimal
    buyer_org_id: int | None
    buyer_code: str | None
    buyer_name_zh: str | None
    buyer_name_en: str | None
    received: Decimal | None = None
    rejected: Decimal | None = None
    received_on: date | None = None

    def buyer_name(self, locale: str) -> str:
        return (self.buyer_name_en if locale == "en" and self.buyer_name_en else None) or (
            self.buyer_name_zh or ""
        )


@dataclass
class Trace:
    direction: str
    roots: list[str]
    nodes: list[TraceNode]
    edges: list[TraceEdge]
    shipments: list[TraceShipment]
    max_depth: int

    @cached_property
    def _by_key(self) -> dict[str, TraceNode]:
        return {node.key: node for node in self.nodes}

    def node(self, key: str) -> TraceNode:
        return self._by_key[key]

    def path(self, key: str) -> list[str]:
        """Node keys from a root to this node, along a shortest path."""
        steps = [key]
        parent = self._by_key[key].parent
        while parent is not None:
            steps.append(parent)
            parent = self._by_key[parent].parent
        return steps[::-1]

    @property
    def withheld(self) -> dict[int | None, int]:
        """Withheld lots per tier of their maker (``None``: not below the viewer)."""
        counts: dict[int | None, int] = defaultdict(int)
        for node in self.nodes:
            if node.withheld:
                counts[node.tier] += node.count
        return dict(sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0)))

    @property
    def truncated(self) -> bool:
        return any(node.more for node in self.nodes)

    @property
    def ends(self) -> list[TraceNode]:
        """Visible lots where the walk ended: finished lots (down) or raw material (up)."""
        return [n for n in self.nodes if n.end and not n.withheld and n.depth > 0]

    def to_dict(self, locale: str = "en") -> dict[str, Any]:
        """A JSON-safe form (the CLI's and the API's)."""
        numbers = {node.key: node.lot_number or node.key for node in self.nodes}
        return {
            "root": numbers[self.roots[0]],
            "roots": [numbers[key] for key in self.roots],
            "direction": self.direction,
            "max_depth": self.max_depth,
            "truncated": self.truncated,
            "nodes": [
                {**_node_dict(node, locale), "path": [numbers[k] for k in self.path(node.key)]}
                for node in self.nodes
            ],
            "edges": [
                {
                    "from": numbers[edge.source],
                    "to": numbers[edge.target],
                    "quantity": number(edge.quantity),
                    "from_id": edge.source,
                    "to_id": edge.target,
                }
                for edge in self.edges
            ],
            "shipments": [_shipment_dict(item, locale) for item in self.shipments],
            "withheld": [{"tier": tier, "lots": count} for tier, count in self.withheld.items()],
        }


def number(value: Decimal | int | None) -> int | float | None:
    """A quantity for JSON and spreadsheets: whole numbers without decimals."""
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _node_dict(node: TraceNode, locale: str) -> dict[str, Any]:
    return {
        "id": node.key,
        "lot_number": node.lot_number,
        "maker": node.maker_code,
        "maker_name": node.maker_name(locale) or None,
        "tier": node.tier,
        "part_number": node.part_number,
        "part_name": node.part_name(locale) or None,
        "depth": node.depth,
        "quantity": number(node.quantity),
        "unit": node.unit,
        "made_at": node.made_at.isoformat() if node.made_at else None,
        "withheld": node.withheld,
        "count": node.count,
        "end": node.end,
        "truncated": node.more,
        "incident": node.incident,
    }


def _shipment_dict(item: TraceShipment, locale: str) -> dict[str, Any]:
    return {
        "lot_id": item.key,
        "lot_number": item.lot_number,
        "ship_notice": item.notice_number,
        "ship_date": item.ship_date.isoformat() if item.ship_date else None,
        "quantity": number(item.quantity),
        "receiver": item.buyer_code,
        "receiver_name": item.buyer_name(locale) or None,
        "received": number(item.received),
        "rejected": number(item.rejected),
        "received_on": item.received_on.isoformat() if item.received_on else None,
    }
