"""Map an X12 855 purchase order acknowledgment to an ``order_response`` record."""

from __future__ import annotations

from typing import Any

from edi.model import Segment
from edi.view import MessageView
from edi.x12.purchase_order import po1_line

# ACK01 line item status codes (668) by what they mean for the buyer.
_ACCEPTED = frozenset({"IA", "AC", "AR"})
_REJECTED = frozenset({"IR", "ID", "R1", "R2", "R3", "R4", "R5"})
# BAK02 acknowledgment types (587).
_HEADER_STATUS = {
    "AD": "accepted",
    "AE": "accepted",
    "AK": "accepted",
    "AP": "accepted",
    "AT": "accepted",
    "AC": "changed",
    "AH": "changed",
    "RD": "rejected",
    "RF": "rejected",
    "RJ": "rejected",
    "RO": "rejected",
}
# ACK04 / DTM01 qualifiers of the date the seller promises: 068 current schedule ship,
# 067 current schedule delivery, 017 estimated delivery, 002 delivery requested.
_PROMISED = ("068", "067", "017", "002")


def line_status(code: str) -> str:
    """accepted, changed or rejected for an ACK01 code; every other code is a change."""
    if code in _ACCEPTED:
        return "accepted"
    if code in _REJECTED:
        return "rejected"
    return "changed"


def map_order_response(view: MessageView) -> list[dict[str, Any]]:
    """The 855 as one ``order_response`` record.

    ``number`` BAK08 (the seller's order number, None when absent), ``order_number`` BAK03,
    ``date`` BAK09 (acknowledgment date), else BAK04; ``status``/``status_code`` from BAK02
    (AD/AE/AK/AP/AT accepted, AC/AH changed, RD/RF/RJ/RO rejected, else None). Per PO1 line:
    ``line``, ``part_number``, ``supplier_part_number``, ``status`` from the first ACK01
    (IA/AC/AR accepted, IR/ID/R1-R5 rejected, any other code changed; without ACK the header
    status, else accepted) with ``status_code`` the ACK01 code; ``quantity``/``unit`` from ACK02/
    ACK03, else PO102/PO103; ``promised_date`` from an ACK with ACK04 068/067/017/002 (ACK05),
    else a DTM with one of those qualifiers in the line, else None.
    """
    record: dict[str, Any] = {
        "kind": "order_response",
        "number": None,
        "order_number": None,
        "date": None,
        "status": None,
        "status_code": None,
    }
    lines: list[dict[str, Any]] = []
    seen_bak = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BAK":
            seen_bak = True
            _header(view, segment, record)
        elif tag == "PO1":
            lines.append({**po1_line(view, segment), "status_code": None, "promised_date": None})
            view.place(f"lines.{len(lines) - 1}.line", segment, 1)
            view.place(f"lines.{len(lines) - 1}", segment)
        elif tag == "ACK" and lines:
            _ack(view, segment, lines[-1], f"lines.{len(lines) - 1}")
        elif tag == "DTM" and lines and _first_promise(segment, lines[-1]):
            lines[-1]["promised_date"] = view.date(segment, 2, required=True)
            view.place(f"lines.{len(lines) - 1}.promised_date", segment, 2)
    if not seen_bak:
        view.missing_segment("BAK", first=True)
    for line in lines:
        code = line["status_code"]
        line["status"] = line_status(code) if code else record["status"] or "accepted"
    return [{**record, "lines": [_ordered(line) for line in lines]}]


def _first_promise(dtm: Segment, line: dict[str, Any]) -> bool:
    """Whether the DTM gives the line's promised date (the first one given counts)."""
    return dtm.value(1) in _PROMISED and line["promised_date"] is None


def _header(view: MessageView, bak: Segment, record: dict[str, Any]) -> None:
    code = view.text(bak, 2, required=True)
    record["status_code"] = code
    record["status"] = _HEADER_STATUS.get(code or "")
    record["order_number"] = view.text(bak, 3, required=True)
    view.place("order_number", bak, 3)
    record["number"] = view.text(bak, 8)
    record["date"] = view.date(bak, 9) or view.date(bak, 4)


def _ack(view: MessageView, ack: Segment, line: dict[str, Any], path: str) -> None:
    """The line's answer from its ACK; ``path`` (``lines.N``) names where its fields sit."""
    if line["status_code"] is None:
        line["status_code"] = view.text(ack, 1, required=True)
        view.place(f"{path}.status", ack, 1)
        quantity = view.number(ack, 2)
        if quantity is not None:
            line["quantity"] = quantity
            line["unit"] = view.text(ack, 3) or line["unit"]
            view.place(f"{path}.quantity", ack, 2)
    if line["promised_date"] is None and ack.value(4).strip() in _PROMISED:
        line["promised_date"] = view.date(ack, 5, required=True)
        view.place(f"{path}.promised_date", ack, 5)


def _ordered(line: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "line",
        "part_number",
        "supplier_part_number",
        "status",
        "status_code",
        "quantity",
        "unit",
        "promised_date",
    )
    return {key: line[key] for key in keys}
