"""Choose part numbers and lot numbers among the product ids a line carries."""

from __future__ import annotations

from edi.model import Segment

# Which qualifiers name whose part number. X12 (235): BP buyer's part, PI purchaser's item,
# IN buyer's item, VP vendor's part, VN vendor's item, MG manufacturer's part.
# EDIFACT (7143): BP buyer's part, IN buyer's item, SA supplier's article, VP/VN vendor,
# MF manufacturer's article.
BUYER = ("BP", "PI", "IN")
SUPPLIER = ("VP", "SA", "VN", "MG", "MF")
# Qualifiers of ids that are not the product: lots, orders, lines, serial numbers.
NOT_PARTS = frozenset({"LT", "NB", "PO", "ON", "PL", "PD", "SN", "ZZ", "CH", "SZ", "BT"})
LOT = frozenset({"LT", "NB"})

#: An id with the segment and element carrying it.
IdPlace = tuple[str, Segment, int]


def choose(ids: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(part_number, supplier_part_number) from (qualifier, id) pairs in the order received.

    The part number is the buyer's (BP, PI, IN) when there is one, else the supplier's, else
    the first other product id (UPC, EAN ...); the supplier part number is the supplier's or
    None. Lot, order and line references never count as part numbers.
    """
    by_qualifier: dict[str, str] = {}
    others: list[str] = []
    for qualifier, value in ids:
        if not value or qualifier in NOT_PARTS:
            continue
        by_qualifier.setdefault(qualifier, value)
        if qualifier not in BUYER and qualifier not in SUPPLIER:
            others.append(value)
    buyer = next((by_qualifier[q] for q in BUYER if q in by_qualifier), None)
    supplier = next((by_qualifier[q] for q in SUPPLIER if q in by_qualifier), None)
    return buyer or supplier or (others[0] if others else None), supplier


def x12_ids(segment: Segment, first: int) -> list[tuple[str, str]]:
    """(qualifier, id) pairs of an X12 segment from element ``first`` on (LIN02/03, PO106/07)."""
    return [
        (segment.value(n).strip(), segment.value(n + 1).strip())
        for n in range(first, len(segment.elements), 2)
    ]


def edifact_ids(segment: Segment, first: int) -> list[tuple[str, str]]:
    """(type, id) pairs of the C212 composites of an EDIFACT segment from element ``first`` on
    (LIN element 3, PIA elements 2-6): item number is component 1, its type component 2."""
    return [
        (segment.value(n, 2).strip(), segment.value(n).strip())
        for n in range(first, len(segment.elements) + 1)
        if segment.value(n).strip()
    ]


def id_places(segment: Segment, first: int, at: Segment | None = None) -> list[IdPlace]:
    """Each id of ``segment`` from element ``first`` on, with where it is: ``at`` (the
    segment itself, or a bare copy of it for a mapper keeping many) and the element."""
    return [
        (value, at or segment, n)
        for n in range(first, len(segment.elements) + 1)
        if (value := segment.value(n).strip())
    ]


def id_place(
    candidates: list[tuple[Segment, int]], value: str | None
) -> tuple[Segment, int] | None:
    """The segment and element that carry the id ``value``: the first of the (segment, first
    id element) candidates with an element, from that one on, whose first component is it."""
    places = [place for segment, first in candidates for place in id_places(segment, first)]
    return placed(places, value)


def placed(places: list[IdPlace], value: str | None) -> tuple[Segment, int] | None:
    """The segment and element of the first of ``places`` that carries the id ``value``."""
    if not value:
        return None
    return next(((segment, n) for known, segment, n in places if known == value), None)
