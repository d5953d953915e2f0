"""Map an EDIFACT CONTRL syntax and service report to a ``contrl`` record."""

from __future__ import annotations

from typing import Any

from edi.model import Segment
from edi.view import MessageView

# Action codes (0083).
ACTIONS = {"4": "rejected", "7": "accepted", "8": "received"}


def _action(view: MessageView, segment: Segment, n: int) -> dict[str, Any]:
    code = view.text(segment, n, required=True, ident="0083")
    return {"action": ACTIONS.get(code or ""), "action_code": code}


def map_contrl(view: MessageView) -> list[dict[str, Any]]:
    """The CONTRL as one ``contrl`` record::

        {"kind": "contrl", "interchange": UCI 0020, "sender": UCI S002/0004,
         "receiver": UCI S003/0010, "action": "accepted" (7) | "rejected" (4) |
         "received" (8) | None, "action_code": 0083, "error_code": 0085 or None,
         "groups": [{"control_number": UCF 0048, "action", "action_code", "error_code"}],
         "messages": [{"control_number": UCM 0062, "type": S009/0065, "action",
                       "action_code", "error_code",
                       "segment_errors": [{"position": UCS 0096 (int), "error_code",
                           "elements": [{"position": S011/0098 (int), "component":
                                         S011/0104 (int or None), "error_code"}]}]}]}

    UCS and UCD that come before any UCM belong to no message and are left out of
    ``messages``; UCD before any UCS likewise.
    """
    record: dict[str, Any] = {"kind": "contrl", "interchange": None, "sender": None}
    groups: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    seen_uci = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "UCI":
            seen_uci = True
            record.update(
                interchange=view.text(segment, 1, required=True, ident="0020"),
                sender=view.text(segment, 2),
                receiver=view.text(segment, 3),
                **_action(view, segment, 4),
                error_code=view.text(segment, 5),
            )
        elif tag == "UCF":
            groups.append(
                {
                    "control_number": view.text(segment, 1, required=True, ident="0048"),
                    **_action(view, segment, 4),
                    "error_code": view.text(segment, 5),
                }
            )
        elif tag == "UCM":
            messages.append(
                {
                    "control_number": view.text(segment, 1, required=True, ident="0062"),
                    "type": view.text(segment, 2),
                    **_action(view, segment, 3),
                    "error_code": view.text(segment, 4),
                    "segment_errors": [],
                }
            )
        elif tag == "UCS" and messages:
            messages[-1]["segment_errors"].append(
                {
                    "position": _int(view.number(segment, 1, required=True, ident="0096")),
                    "error_code": view.text(segment, 2),
                    "elements": [],
                }
            )
        elif tag == "UCD" and messages and messages[-1]["segment_errors"]:
            component = segment.value(2, 2).strip()
            messages[-1]["segment_errors"][-1]["elements"].append(
                {
                    "position": _int(view.number(segment, 2, 1, required=True, ident="0098")),
                    "component": int(component) if component.isdecimal() else None,
                    "error_code": view.text(segment, 1, required=True, ident="0085"),
                }
            )
    if not seen_uci:
        view.missing_segment("UCI", first=True)
        record.update(receiver=None, action=None, action_code=None, error_code=None)
    return [{**record, "groups": groups, "messages": messages}]


def _int(value: str | None) -> int | None:
    return int(float(value)) if value is not None else None
