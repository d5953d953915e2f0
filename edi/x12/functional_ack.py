"""Map an X12 997 (or 999) functional acknowledgment to a ``functional_ack`` record."""

from __future__ import annotations

from typing import Any

from edi.model import Segment
from edi.view import MessageView

# AK501/IK501 and AK901 codes (717, 715).
STATUS = {
    "A": "accepted",
    "E": "accepted_with_errors",
    "P": "partially_accepted",
    "R": "rejected",
    "M": "rejected",
    "W": "rejected",
    "X": "rejected",
}


def _codes(segment: Segment, first: int, last: int) -> list[str]:
    return [code for n in range(first, last + 1) if (code := segment.value(n).strip())]


def _count(view: MessageView, segment: Segment, n: int) -> int | None:
    value = view.number(segment, n)
    return int(float(value)) if value is not None else None


def map_functional_ack(view: MessageView) -> list[dict[str, Any]]:
    """The 997/999 as one ``functional_ack`` record.

    ``{"kind": "functional_ack", "functional_id": AK101, "group_control_number": AK102,
    "status": AK901 as accepted / accepted_with_errors / partially_accepted / rejected,
    "status_code": AK901, "sets_included": AK902, "sets_received": AK903,
    "sets_accepted": AK904 (ints or None), "error_codes": [AK905..AK909],
    "sets": [{"type": AK201, "control_number": AK202, "status", "status_code": AK501,
    "error_codes": [AK502..AK506], "segment_errors": [{"tag": AK301, "position": AK302 (int),
    "loop": AK303, "code": AK304, "elements": [{"position": AK401-1 (int), "component":
    AK401-2 (int or None), "reference": AK402, "code": AK403, "value": AK404}]}]}]}``.
    A 999 reads the same way with IK3/IK4/IK5 in place of AK3/AK4/AK5.
    """
    record: dict[str, Any] = {
        "kind": "functional_ack",
        "functional_id": None,
        "group_control_number": None,
    }
    sets: list[dict[str, Any]] = []
    summary: dict[str, Any] | None = None
    seen_ak1 = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "AK1":
            seen_ak1 = True
            record["functional_id"] = view.text(segment, 1, required=True)
            record["group_control_number"] = view.text(segment, 2, required=True)
        elif tag == "AK2":
            sets.append(_set(view, segment))
        elif tag in ("AK3", "IK3") and sets:
            sets[-1]["segment_errors"].append(_segment_error(view, segment))
        elif tag in ("AK4", "IK4") and sets and sets[-1]["segment_errors"]:
            sets[-1]["segment_errors"][-1]["elements"].append(_element_error(view, segment))
        elif tag in ("AK5", "IK5") and sets:
            code = view.text(segment, 1, required=True)
            sets[-1].update(
                status=STATUS.get(code or ""), status_code=code, error_codes=_codes(segment, 2, 6)
            )
        elif tag == "AK9":
            summary = _summary(view, segment)
    if not seen_ak1:
        view.missing_segment("AK1", first=True)
    if summary is None:
        view.missing_segment("AK9")
        summary = {"status": None, "status_code": None, "error_codes": []}
    return [{**record, **summary, "sets": sets}]


def _set(view: MessageView, ak2: Segment) -> dict[str, Any]:
    return {
        "type": view.text(ak2, 1, required=True),
        "control_number": view.text(ak2, 2, required=True),
        "status": None,
        "status_code": None,
        "error_codes": [],
        "segment_errors": [],
    }


def _segment_error(view: MessageView, ak3: Segment) -> dict[str, Any]:
    return {
        "tag": view.text(ak3, 1, required=True),
        "position": _count(view, ak3, 2),
        "loop": view.text(ak3, 3),
        "code": view.text(ak3, 4),
        "elements": [],
    }


def _element_error(view: MessageView, ak4: Segment) -> dict[str, Any]:
    component = ak4.value(1, 2).strip()
    return {
        "position": _count(view, ak4, 1),
        "component": int(component) if component.isdecimal() else None,
        "reference": view.text(ak4, 2),
        "code": view.text(ak4, 3, required=True),
        "value": view.text(ak4, 4),
    }


def _summary(view: MessageView, ak9: Segment) -> dict[str, Any]:
    code = view.text(ak9, 1, required=True)
    return {
        "status": STATUS.get(code or ""),
        "status_code": code,
        "sets_included": _count(view, ak9, 2),
        "sets_received": _count(view, ak9, 3),
        "sets_accepted": _count(view, ak9, 4),
        "error_codes": _codes(ak9, 5, 9),
    }
