"""Parse a whole EDI file into checked, mapped interchanges, and its CLI JSON form."""

from __future__ import annotations

from typing import Any

from edi.mapping import map_message
from edi.model import Document
from edi.reader import iter_interchanges


def parse_document(data: bytes) -> Document:
    """Read every interchange of ``data`` and map every message to records.

    Never raises on any input: what is wrong is in the errors of the document, its
    interchanges, groups and messages (see :meth:`Document.all_errors`). A message with an
    error has no records, nor has any message of a rejected group or interchange (one whose
    envelope does not add up); every message is still mapped so that all its problems are
    reported, and the other messages of the file keep their records.
    """
    document = Document()
    for interchange in iter_interchanges(data, document.errors):
        for group in interchange.groups:
            for message in group.messages:
                map_message(message)
                if interchange.rejected or group.rejected:
                    message.records = []
        document.interchanges.append(interchange)
    return document


def document_to_dict(document: Document) -> dict[str, Any]:
    """The JSON-safe result of ``tierlight edi parse FILE`` (a stable contract)::

        {"interchanges": [{"standard": "x12" | "edifact", "sender", "receiver",
                           "control_number",
                           "messages": [{"type", "control_number", "records": [...]}]}],
         "errors": [{"interchange", "message", "segment_position", "segment_tag",
                     "element", "code", "text"}]}

    ``interchange`` and ``message`` in an error are control numbers (None above that level);
    ``element`` is ``SE01``-style for X12 and ``UNT/0074`` or ``QTY/1:2`` style for EDIFACT
    (see :class:`edi.errors.EdiError`). Errors come file-level first, then per interchange:
    its own, then each group's, then each message's.
    """
    return {
        "interchanges": [
            {
                "standard": interchange.standard,
                "sender": interchange.sender,
                "receiver": interchange.receiver,
                "control_number": interchange.control_number,
                "messages": [
                    {
                        "type": message.type,
                        "control_number": message.control_number,
                        "records": message.records,
                    }
                    for message in interchange.messages
                ],
            }
            for interchange in document.interchanges
        ],
        "errors": [error.to_dict() for error in document.all_errors()],
    }


def parse_to_dict(data: bytes) -> dict[str, Any]:
    """``document_to_dict(parse_document(data))``: what the CLI prints for a file."""
    return document_to_dict(parse_document(data))


def has_errors(result: Document | dict[str, Any]) -> bool:
    """True when a parsed document (or its CLI dict) has any error: the CLI exits 1 then."""
    if isinstance(result, Document):
        return bool(result.all_errors())
    return bool(result.get("errors"))
