"""What went wrong with an EDI file, stored as JSON that each reader sees in their language.

A problem is ``{"code", "text", "interchange", "group", "message", "segment_position",
"segment_tag", "element", "field", "interchange_position"}``: the place it names (a segment and
element for what the reader found, a record field for what a domain operation refused) and the
English message with its template, so the web layer can translate it. ``segment_position``
counts from the message header (ST/UNH = 1), ``interchange_position`` from the interchange
header (ISA/UNB = 1) for an envelope segment outside any message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from models.errors import DomainError, InputFault, ValidationFailed
from models.i18n import Msg

PLACE_KEYS = (
    "interchange",
    "group",
    "message",
    "segment_position",
    "segment_tag",
    "element",
    "field",
    "interchange_position",
)
#: The code of a record's problem that the record alone causes (an :class:`InputFault`): the
#: same bytes are refused again however the data stored changes.
INVALID_RECORD = "invalid_record"
#: The keys of a place in a message: what a record field's place gives a domain problem.
SEGMENT_KEYS = ("segment_position", "segment_tag", "element")


def storable(value: Any) -> Any:
    """``value`` with NUL characters made visible: PostgreSQL text and JSONB cannot hold them,
    and a file may well contain them where a problem quotes it."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value


def holds_nul(value: Any) -> bool:
    """True when a string anywhere in ``value`` (a record) contains a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(item) for item in value.values())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


def stored_text(text: Any) -> Any:
    """A message as stored: a Msg as its template and parameters, anything else as text."""
    return storable(text.to_dict() if isinstance(text, Msg) else str(text))


def problem(code: str, text: Any, **place: Any) -> dict[str, Any]:
    """One problem; ``place`` holds any of :data:`PLACE_KEYS`."""
    found = {key: storable(place.get(key)) for key in PLACE_KEYS}
    return {"code": code, "text": stored_text(text), **found}


def in_file_order(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The problems in the order their places come in the file: interchange by interchange
    (in the order first met), then by segment; a problem with no position comes after the
    placed ones of its interchange. The order they were found in follows the checks, not the
    file, so a reader would jump back and forth."""
    first_met: dict[Any, int] = {}
    for found in problems:
        first_met.setdefault(found.get("interchange"), len(first_met))

    def place(found: dict[str, Any]) -> tuple[int, bool, int]:
        position = found.get("interchange_position")
        position = found.get("segment_position") if position is None else position
        return first_met[found.get("interchange")], position is None, position or 0

    return sorted(problems, key=place)


def domain_problems(
    error: DomainError, places: Mapping[str, Sequence[Any]] | None = None, **place: Any
) -> list[dict[str, Any]]:
    """The problems of an error a domain operation raised: one per field message, or one.

    ``places`` (where the reader found each field of the record) gives a field's problem the
    segment and element that carry the refused value, as the reader's own problems have.
    A message about the record alone (:class:`InputFault`) has the code :data:`INVALID_RECORD`.
    """
    if isinstance(error, ValidationFailed) and error.errors:
        return [
            problem(
                INVALID_RECORD if isinstance(message, InputFault) else error.code,
                message,
                **place,
                **field_place(places, field),
                field=field,
            )
            for field, messages in error.errors.items()
            for message in messages
        ]
    return [problem(error.code, error.message, **place)]


def field_place(places: Mapping[str, Sequence[Any]] | None, path: str) -> dict[str, Any]:
    """Where a record field was read: its own place, else that of the nearest part holding it
    (``lines.2.order_line_id`` is on the segment of ``lines.2``); empty when none is known."""
    parts = path.split(".")
    while parts and places:
        found = places.get(".".join(parts))
        if found is not None:
            return dict(zip(SEGMENT_KEYS, found, strict=True))
        parts.pop()
    return {}


def english(stored: Any) -> str:
    """The English text of a stored message (for logs, the CLI and acknowledgements)."""
    if isinstance(stored, dict) and "template" in stored:
        return str(Msg.from_dict(stored))
    return str(stored or "")


def as_english(problems: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Problems with their text in English: the JSON the CLI prints."""
    return [{**p, "text": english(p.get("text"))} for p in problems or []]
