"""X12 and EDIFACT: bytes -> segments -> messages -> plain records, and acknowledgements out.

This package knows no Flask, Celery or database session; it returns plain data. The entry
points: :func:`parse_document` (read, check and map a file), :func:`document_to_dict` (the
``tierlight edi parse`` JSON), :func:`has_errors` (its exit status), :func:`read` /
:func:`iter_interchanges` (envelopes and segments without mapping), :func:`write_997`,
:func:`write_contrl`, :func:`write_850` and :func:`write_orders`.
"""

from edi.acks import write_997, write_contrl
from edi.document import document_to_dict, has_errors, parse_document, parse_to_dict
from edi.errors import EdiError
from edi.model import Document, Group, Interchange, Message, Segment, Separators
from edi.outbound import write_850, write_orders
from edi.reader import iter_interchanges, read
from edi.writer import ControlNumbers, Party

__all__ = [
    "ControlNumbers",
    "Document",
    "EdiError",
    "Group",
    "Interchange",
    "Message",
    "Party",
    "Segment",
    "Separators",
    "document_to_dict",
    "has_errors",
    "iter_interchanges",
    "parse_document",
    "parse_to_dict",
    "read",
    "write_850",
    "write_997",
    "write_contrl",
    "write_orders",
]
