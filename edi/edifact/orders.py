"""Map an EDIFACT ORDERS purchase order to a ``purchase_order`` record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edi import parts
from edi.model import Segment
from edi.view import MessageView


@dataclass(slots=True)
class OrderLine:
    """What an ORDERS or ORDRSP line group (LIN, PIA, QTY, DTM, PRI, RFF) says."""

    segment: Segment
    line: str | None
    ids: list[tuple[str, str]] = field(default_factory=list)
    quantities: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    dates: dict[str, str | None] = field(default_factory=dict)
    prices: dict[str, str | None] = field(default_factory=dict)
    #: Where things were read: segments with product ids (and their first id element), the
    #: QTY of each qualifier.
    id_segments: list[tuple[Segment, int]] = field(default_factory=list)
    quantity_segments: dict[str, Segment] = field(default_factory=dict)
    date_segments: dict[str, Segment] = field(default_factory=dict)

    def first_quantity(self, preferred: tuple[str, ...]) -> tuple[str | None, str | None]:
        """(quantity, unit) of the first preferred qualifier present, else of the first QTY."""
        for qualifier in preferred:
            if qualifier in self.quantities:
                return self.quantities[qualifier]
        return next(iter(self.quantities.values()), (None, None))

    def first_date(self, preferred: tuple[str, ...]) -> str | None:
        return next((self.dates[q] for q in preferred if q in self.dates), None)


def open_line(view: MessageView, lin: Segment) -> OrderLine:
    """A line from its LIN: line number element 1, item number and type in C212 (element 3)."""
    return OrderLine(lin, view.text(lin, 1), parts.edifact_ids(lin, 3), id_segments=[(lin, 3)])


def read_line_segment(view: MessageView, segment: Segment, line: OrderLine) -> None:
    """Add a PIA, QTY, DTM or PRI of the line group to ``line`` (first of each qualifier)."""
    tag = segment.tag
    qualifier = segment.value(1).strip()
    if tag == "PIA":
        line.ids.extend(parts.edifact_ids(segment, 2))
        line.id_segments.append((segment, 2))
    elif tag == "QTY" and qualifier not in line.quantities:
        line.quantity_segments[qualifier] = segment
        line.quantities[qualifier] = (
            view.number(segment, 1, 2, required=True, ident="6060"),
            view.text(segment, 1, 3),
        )
    elif tag == "DTM" and qualifier not in line.dates:
        line.date_segments[qualifier] = segment
        line.dates[qualifier] = view.dtm(segment)
    elif tag == "PRI" and qualifier not in line.prices:
        line.prices[qualifier] = view.number(segment, 1, 2, required=True, ident="5118")


def line_parts(view: MessageView, line: OrderLine) -> tuple[str | None, str | None]:
    """(part_number, supplier_part_number) of the line; a missing id is an error."""
    part_number, supplier_part = parts.choose(line.ids)
    if part_number is None:
        view.text(line.segment, 3, required=True, ident="7140")
    return part_number, supplier_part


def map_orders(view: MessageView) -> list[dict[str, Any]]:
    """The ORDERS as one ``purchase_order`` record (the same shape as for an X12 850).

    ``number`` BGM document number, ``order_date`` DTM+137, ``currency`` CUX C504 component 2
    (None when absent). Each LIN is a line: ``line`` LIN element 1, ids from LIN C212 and PIA
    (:func:`edi.parts.choose`), ``quantity``/``unit`` QTY+21 (else the first QTY),
    ``due_date`` DTM+2 of the line else of the header, ``unit_price`` PRI+AAA (net) else
    PRI+AAB (gross).
    """
    record: dict[str, Any] = {
        "kind": "purchase_order",
        "number": None,
        "order_date": None,
        "currency": None,
    }
    header_due: tuple[str | None, Segment | None] = (None, None)
    lines: list[OrderLine] = []
    seen_bgm = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BGM":
            seen_bgm = True
            record["number"] = view.text(segment, 2, required=True, ident="1004")
            view.place("number", segment, 2, ident="1004")
        elif tag == "LIN":
            lines.append(open_line(view, segment))
        elif lines:
            read_line_segment(view, segment, lines[-1])
        elif tag == "DTM" and segment.value(1).strip() == "137" and record["order_date"] is None:
            record["order_date"] = view.dtm(segment)
            view.place("order_date", segment, 1, 2, ident="2380")
        elif tag == "DTM" and segment.value(1).strip() == "2" and header_due[1] is None:
            header_due = (view.dtm(segment), segment)
        elif tag == "CUX" and record["currency"] is None:
            record["currency"] = view.text(segment, 1, 2)
    if not seen_bgm:
        view.missing_segment("BGM", first=True)
    if not lines:
        view.missing_segment("LIN")
    records = [
        _record(view, f"lines.{index}", line, header_due) for index, line in enumerate(lines)
    ]
    return [{**record, "lines": records}]


def _record(
    view: MessageView, path: str, line: OrderLine, header_due: tuple[str | None, Segment | None]
) -> dict[str, Any]:
    """The record line of a LIN; ``path`` (``lines.N``) names where its fields sit."""
    part_number, supplier_part = line_parts(view, line)
    quantity, unit = line.first_quantity(("21",))
    qty = line.quantity_segments.get("21") or next(iter(line.quantity_segments.values()), None)
    view.place_id(f"{path}.part_number", part_number, line.id_segments)
    view.place_id(f"{path}.supplier_part_number", supplier_part, line.id_segments)
    view.place(f"{path}.quantity", qty, 1, 2, ident="6060")
    view.place(f"{path}.unit", qty, 1, 3, ident="6411")
    view.place(f"{path}.line", line.segment, 1, ident="1082")
    view.place(path, line.segment)
    view.place(f"{path}.due_date", line.date_segments.get("2") or header_due[1], 1, 2, ident="2380")
    if not line.quantities:
        view.missing_segment("QTY", line.segment)
    return {
        "line": line.line,
        "part_number": part_number,
        "supplier_part_number": supplier_part,
        "quantity": quantity,
        "unit": unit,
        "due_date": line.first_date(("2",)) or header_due[0],
        "unit_price": line.prices.get("AAA") or line.prices.get("AAB"),
    }
