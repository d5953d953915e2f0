"""Map an EDIFACT ORDRSP order response to an ``order_response`` record."""

from __future__ import annotations

from typing import Any

from edi.edifact.orders import OrderLine, line_parts, open_line, read_line_segment
from edi.view import MessageView

# BGM message function (1225): 29 accepted without amendment, 27 not accepted, 4 change,
# 30 accepted with amendment.
_HEADER_STATUS = {"29": "accepted", "27": "rejected", "4": "changed", "30": "changed"}
# LIN action codes (1229).
_LINE_STATUS = {
    "5": "accepted",
    "4": "accepted",
    "11": "accepted",
    "3": "changed",
    "6": "changed",
    "1": "changed",
    "12": "changed",
    "7": "rejected",
    "2": "rejected",
    "10": "rejected",
}
# QTY qualifiers (6063) for the confirmed quantity: 113 to be delivered, 12 despatched,
# 21 ordered; DTM qualifiers (2005) for the promised date: 69 promised for delivery,
# 67 current schedule delivery, 2 delivery requested, 11 despatch, 10 shipment requested.
_CONFIRMED = ("113", "12", "21")
_PROMISED = ("69", "67", "2", "11", "10")


def map_ordrsp(view: MessageView) -> list[dict[str, Any]]:
    """The ORDRSP as one ``order_response`` record (the same shape as for an X12 855).

    ``number`` BGM document number, ``order_number`` RFF+ON, ``date`` DTM+137, ``status``
    from BGM 1225 (29 accepted, 27 rejected, 4/30 changed, else None) with ``status_code``.
    Per LIN: ``status`` from the LIN action code 1229 (4/5/11 accepted, 1/3/6/12 changed,
    2/7/10 rejected; without one the header status, else accepted), ``status_code`` 1229,
    ``quantity``/``unit`` QTY+113, else +12, else +21, ``promised_date`` DTM+69, else +67,
    +2, +11, +10 of the line.
    """
    record: dict[str, Any] = {
        "kind": "order_response",
        "number": None,
        "order_number": None,
        "date": None,
        "status": None,
        "status_code": None,
    }
    lines: list[OrderLine] = []
    seen_bgm = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BGM":
            seen_bgm = True
            record["number"] = view.text(segment, 2, required=True, ident="1004")
            record["status_code"] = view.text(segment, 3, ident="1225")
            record["status"] = _HEADER_STATUS.get(record["status_code"] or "")
        elif tag == "LIN":
            lines.append(open_line(view, segment))
        elif lines:
            read_line_segment(view, segment, lines[-1])
        elif tag == "DTM" and segment.value(1).strip() == "137" and record["date"] is None:
            record["date"] = view.dtm(segment)
        elif tag == "RFF" and segment.value(1).strip() == "ON" and record["order_number"] is None:
            record["order_number"] = view.text(segment, 1, 2, required=True, ident="1154")
            view.place("order_number", segment, 1, 2, ident="1154")
    if not seen_bgm:
        view.missing_segment("BGM", first=True)
    records = [
        _record(view, f"lines.{index}", line, record["status"]) for index, line in enumerate(lines)
    ]
    return [{**record, "lines": records}]


def _record(
    view: MessageView, path: str, line: OrderLine, header_status: str | None
) -> dict[str, Any]:
    """The record line of a LIN; ``path`` (``lines.N``) names where its fields sit."""
    part_number, supplier_part = line_parts(view, line)
    code = view.text(line.segment, 2, ident="1229")
    view.place(f"{path}.line", line.segment, 1, ident="1082")
    view.place(f"{path}.status", line.segment, 2, ident="1229")
    view.place(path, line.segment)
    quantity, unit = line.first_quantity(_CONFIRMED)
    qty = next((line.quantity_segments[q] for q in _CONFIRMED if q in line.quantity_segments), None)
    view.place(f"{path}.quantity", qty, 1, 2, ident="6060")
    dtm = next((line.date_segments[q] for q in _PROMISED if q in line.date_segments), None)
    view.place(f"{path}.promised_date", dtm, 1, 2, ident="2380")
    return {
        "line": line.line,
        "part_number": part_number,
        "supplier_part_number": supplier_part,
        "status": _LINE_STATUS.get(code, "changed") if code else header_status or "accepted",
        "status_code": code,
        "quantity": quantity,
        "unit": unit,
        "promised_date": line.first_date(_PROMISED),
    }
