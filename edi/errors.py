"""Structured EDI errors: a stable machine code, an English message and the place it names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from models.i18n import Msg

# Stable machine codes (the "code" of the CLI contract). Never rename one; add new ones.
UNKNOWN_FORMAT = "unknown_format"
EBCDIC = "ebcdic"
BAD_HEADER = "bad_header"
BAD_CHARACTERS = "bad_characters"
MISSING_INTERCHANGE_HEADER = "missing_interchange_header"
MISSING_TRAILER = "missing_trailer"
CONTROL_NUMBER_MISMATCH = "control_number_mismatch"
DUPLICATE_CONTROL_NUMBER = "duplicate_control_number"
SEGMENT_COUNT_MISMATCH = "segment_count_mismatch"
MESSAGE_COUNT_MISMATCH = "message_count_mismatch"
GROUP_COUNT_MISMATCH = "group_count_mismatch"
UNEXPECTED_SEGMENT = "unexpected_segment"
UNEXPECTED_DATA = "unexpected_data"
UNSUPPORTED_MESSAGE = "unsupported_message"
MISSING_SEGMENT = "missing_segment"
MISSING_ELEMENT = "missing_element"
BAD_DATE = "bad_date"
BAD_NUMBER = "bad_number"
BAD_CODE = "bad_code"


@dataclass(frozen=True, slots=True)
class EdiError:
    """One problem found in an EDI file, with the place it names.

    ``interchange``, ``group`` and ``message`` are control numbers as received (None when the
    problem is above that level or the number is unknown). ``segment_position`` is the 1-based
    position of the segment in its message (ST/UNH = 1), None for envelope segments outside a
    message; ``interchange_position`` is the 1-based position of such an envelope segment in
    its interchange (ISA/UNB = 1), None for a segment inside a message. For a missing segment
    (``missing_segment``, ``missing_trailer``) both name the segment after which it was
    expected. ``element`` is a display reference: ``SE01``/``SN102-1`` style for X12 (tag and
    2-digit element position, ``-n`` for a component), ``UNT/0074`` (tag and data element id) or
    ``QTY/1:2`` (tag, element position, component position) for EDIFACT. ``element_position``
    and ``component_position`` are the same place as numbers (1-based), for acknowledgements;
    ``value`` is the offending value when there is one.
    """

    code: str
    text: Msg
    interchange: str | None = None
    group: str | None = None
    message: str | None = None
    segment_position: int | None = None
    segment_tag: str | None = None
    element: str | None = None
    element_position: int | None = None
    component_position: int | None = None
    value: str | None = None
    interchange_position: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe form of the CLI contract (``text`` is the English message)."""
        return {
            "interchange": self.interchange,
            "message": self.message,
            "segment_position": self.segment_position,
            "interchange_position": self.interchange_position,
            "segment_tag": self.segment_tag,
            "element": self.element,
            "code": self.code,
            "text": str(self.text),
        }


@lru_cache(maxsize=1024)
def element_ref(
    standard: str,
    tag: str,
    position: int,
    component: int | None = None,
    ident: str | None = None,
) -> str:
    """The display reference of an element: ``BSN02``, ``SN102-1``, ``UNT/0074``, ``QTY/1:2``.

    Cached: a large message names the same few elements for each of its lines, and one string
    each serves them all."""
    if standard == "x12":
        ref = f"{tag}{position:02d}"
        return f"{ref}-{component}" if component else ref
    if ident:
        return f"{tag}/{ident}"
    return f"{tag}/{position}:{component}" if component else f"{tag}/{position}"
