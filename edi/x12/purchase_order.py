"""Map an X12 850 purchase order to a ``purchase_order`` record."""

from __future__ import annotations

from typing import Any

from edi import parts
from edi.model import Segment
from edi.view import MessageView


def po1_line(view: MessageView, po1: Segment) -> dict[str, Any]:
    """The fields of a PO1 line: PO101 line, PO102 quantity, PO103 unit, PO104 unit price and
    the product ids from PO106/PO107 on (see :func:`edi.parts.choose`)."""
    part_number, supplier_part = parts.choose(parts.x12_ids(po1, 6))
    if part_number is None:
        view.text(po1, 7, required=True)
    return {
        "line": view.text(po1, 1),
        "part_number": part_number,
        "supplier_part_number": supplier_part,
        "quantity": view.number(po1, 2, required=True),
        "unit": view.text(po1, 3),
        "unit_price": view.number(po1, 4),
    }


def _place_po1(view: MessageView, path: str, po1: Segment, line: dict[str, Any]) -> None:
    """Where the fields of the PO1 line ``path`` (``lines.N``) sit."""
    for key in ("part_number", "supplier_part_number"):
        view.place_id(f"{path}.{key}", line[key], [(po1, 7)])
    for key, element in (("line", 1), ("quantity", 2), ("unit", 3), ("unit_price", 4)):
        view.place(f"{path}.{key}", po1, element)
    view.place(path, po1)


def map_purchase_order(view: MessageView) -> list[dict[str, Any]]:
    """The 850 as one ``purchase_order`` record.

    ``number`` BEG03, ``order_date`` BEG05, ``currency`` CUR02 (None when absent). Each PO1 is
    a line (:func:`po1_line`); its ``due_date`` is the DTM*002 (delivery requested) after it,
    else the DTM*002 before the first PO1, else None.
    """
    record: dict[str, Any] = {
        "kind": "purchase_order",
        "number": None,
        "order_date": None,
        "currency": None,
    }
    lines: list[dict[str, Any]] = []
    header_due: tuple[str | None, Segment | None] = (None, None)
    seen_beg = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BEG":
            seen_beg = True
            record["number"] = view.text(segment, 3, required=True)
            view.place("number", segment, 3)
            record["order_date"] = view.date(segment, 5)
            view.place("order_date", segment, 5)
        elif tag == "CUR" and record["currency"] is None:
            record["currency"] = view.text(segment, 2)
        elif tag == "PO1":
            lines.append({**po1_line(view, segment), "due_date": None})
            _place_po1(view, f"lines.{len(lines) - 1}", segment, lines[-1])
        elif tag == "DTM" and segment.value(1) == "002":
            due = view.date(segment, 2, required=True)
            if lines and lines[-1]["due_date"] is None:
                lines[-1]["due_date"] = due
                view.place(f"lines.{len(lines) - 1}.due_date", segment, 2)
            elif not lines and header_due[0] is None:
                header_due = (due, segment)
    if not seen_beg:
        view.missing_segment("BEG", first=True)
    if not lines:
        view.missing_segment("PO1")
    due, dtm = header_due
    for index, line in enumerate(lines):
        if line["due_date"] is None and dtm is not None:
            line["due_date"] = due
            view.place(f"lines.{index}.due_date", dtm, 2)
    return [{**record, "lines": [_ordered(line) for line in lines]}]


def _ordered(line: dict[str, Any]) -> dict[str, Any]:
    keys = ("line", "part_number", "supplier_part_number", "quantity", "unit", "due_date")
    return {**{key: line[key] for key in keys}, "unit_price": line["unit_price"]}
