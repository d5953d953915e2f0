"""Repeated inspections: the client's idempotency key names one inspection of its supplier.

A key sent again with the same content is a retry (a phone on a bad network, an API client
that lost the answer): it is answered with the inspection first recorded, and nothing is
written, so one subgroup never counts twice in the charts. The same key with other content is
another inspection under a used key, a conflict.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import Conflict
from models.i18n import N_
from models.quality.entities import Inspection, Measurement

if TYPE_CHECKING:
    from models.quality.measurements import PreparedInspection

KEY_REUSED = N_(
    "This form was already sent with other values and that earlier inspection was recorded; "
    "nothing new was recorded. To record another inspection, reload the page (or send a new "
    "idempotency key)."
)


def known_inspection(
    session: Session, prepared: PreparedInspection, key: str | None
) -> Inspection | None:
    """The inspection the supplier recorded under ``key``, when this is a retry of it; None
    when the key is new (or not given). The key with other content is a conflict."""
    if key is None:
        return None
    known = session.scalar(
        select(Inspection).where(
            Inspection.supplier_org_id == prepared.supplier_org_id,
            Inspection.idempotency_key == key,
        )
    )
    if known is None:
        return None
    if not _same_content(session, prepared, known):
        raise Conflict(KEY_REUSED)
    return known


def _same_content(session: Session, prepared: PreparedInspection, known: Inspection) -> bool:
    data = prepared.data
    asked = (prepared.part.id, data["lot_number"], data["document_number"])
    if asked != (known.part_id, known.lot_number, known.document_number):
        return False
    if data["inspected_quantity"] != known.inspected_quantity:
        return False
    if data["defective_quantity"] not in (None, known.defective_quantity):
        return False
    # A time the request left out was "now" when it was first sent: only given times count.
    if data["inspected_at"] is not None and prepared.inspected_at != known.inspected_at:
        return False
    defects = sorted((d["code"], d["count"]) for d in data["defects"])
    if defects != sorted((d.defect_code, d.count) for d in known.defects):
        return False
    recorded = session.execute(
        select(
            Measurement.characteristic_id,
            Measurement.subgroup_no,
            Measurement.value,
            Measurement.measured_at,
        )
        .where(Measurement.inspection_id == known.id)
        .order_by(Measurement.id)
    ).all()
    rows = list(_measurement_rows(prepared))
    return len(rows) == len(recorded) and all(
        (row[:3] == tuple(stored[:3])) and (row[3] is None or row[3] == stored[3])
        for row, stored in zip(rows, recorded, strict=True)
    )


def _measurement_rows(
    prepared: PreparedInspection,
) -> Iterator[tuple[int, int, float, datetime | None]]:
    """The rows :func:`models.quality.measurements.write_inspection` would write, in order;
    the time only where the request gave one."""
    numbers: dict[int, int] = {}
    for entry in prepared.entries:
        characteristic_id = entry.characteristic.id
        for values in entry.subgroups:
            number = numbers[characteristic_id] = numbers.get(characteristic_id, 0) + 1
            for value in values:
                yield characteristic_id, number, value, entry.measured_at if entry.dated else None
