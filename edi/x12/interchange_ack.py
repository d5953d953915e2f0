"""Read the X12 TA1 interchange acknowledgments an interchange holds, as
``interchange_ack`` records.

A TA1 stands in the envelope, outside any group: it answers a whole interchange we sent (its
ISA13), often to say that its envelope was refused and none of its groups was read.
"""

from __future__ import annotations

from typing import Any

from edi.model import Interchange

# TA104 (I17).
STATUS = {"A": "accepted", "E": "accepted_with_errors", "R": "rejected"}


def interchange_acks(interchange: Interchange) -> list[dict[str, Any]]:
    """Each TA1 of the interchange as ``{"kind": "interchange_ack",
    "interchange_control_number": TA101, "date": TA102, "time": TA103, "status": TA104 as
    accepted / accepted_with_errors / rejected (None when unknown), "status_code": TA104,
    "note_code": TA105}``, the codes as sent."""
    return [
        {
            "kind": "interchange_ack",
            "interchange_control_number": segment.value(1).strip(),
            "date": segment.value(2).strip(),
            "time": segment.value(3).strip(),
            "status": STATUS.get(segment.value(4).strip()),
            "status_code": segment.value(4).strip(),
            "note_code": segment.value(5).strip(),
        }
        for segment in interchange.service_segments
        if segment.tag == "TA1"
    ]
