"""Recording a supplier's inspection of a lot: the one door for measurements and defect counts.

Every channel (phone form, spreadsheet, API, EDIFACT QALITY) hands :func:`record_inspection`
the same plain dict; :func:`prepare_inspection` checks all of it (part, lot, characteristics,
units, physical sense, subgroup sizes) before anything is written, and names each problem by
its place, e.g. ``characteristics.0.measurements.3``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import ValidationFailed
from models.i18n import N_, Msg
from models.orders.entities import Lot, Part
from models.quality.entities import Characteristic, DefectCount, Inspection, Measurement
from models.quality.inspection_keys import known_inspection
from models.quality.schemas import InspectionSchema
from models.quality.values import check_entry
from models.roles import require_permission
from models.validation import load_collecting

SOURCES = {"web": "form", "api": "api", "file": "file", "edi": "edi", "system": "system"}
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass
class PreparedEntry:
    """The checked values of one characteristic entry, cut into whole subgroups."""

    characteristic: Characteristic
    measured_at: datetime
    subgroups: list[list[float]]
    #: Whether the request gave the time (the entry's date or the inspection's), rather than
    #: taking the moment it was sent.
    dated: bool = True


@dataclass
class PreparedInspection:
    """An inspection that passed every check and can be written as it stands."""

    data: dict[str, Any]
    part: Part
    supplier_org_id: int
    lot_id: int | None
    inspected_at: datetime
    entries: list[PreparedEntry] = field(default_factory=list)

    @property
    def characteristic_ids(self) -> list[int]:
        return sorted({entry.characteristic.id for entry in self.entries})


#: Told, not refused: a supplier measures a lot in process or at final inspection, before the
#: ship notice that creates the lot (lots are created on first use, see
#: :func:`models.orders.shipping.create_ship_notice`); such an inspection keeps its lot number
#: without a lot until the lot is created (:mod:`models.quality.lot_links` links it then). A
#: number no lot has yet may also be a typo, so the user is shown it.
UNKNOWN_LOTS = N_(
    "Lot numbers not yet known: %(lots)s (no ship notice or lot declaration of yours uses them "
    "yet). The measurements are saved under these numbers; check them for typos."
)


def unknown_lots_notice(lot_numbers: list[str]) -> Msg | None:
    """What to tell the user about the lot numbers of saved inspections that no lot has yet."""
    return Msg(UNKNOWN_LOTS, lots=", ".join(lot_numbers)) if lot_numbers else None


def unknown_lot_numbers(inspections: list[Inspection]) -> list[str]:
    """The lot numbers of these written inspections that are not lots known to the system."""
    return sorted({found.lot_number for found in inspections if found.lot_id is None})


def record_inspection(
    session: Session, actor: Actor, data: dict[str, Any], upload_id: int | None = None
) -> Inspection:
    """:func:`record_inspection_once` for callers that need not know whether it wrote."""
    return record_inspection_once(session, actor, data, upload_id)[0]


def record_inspection_once(
    session: Session, actor: Actor, data: dict[str, Any], upload_id: int | None = None
) -> tuple[Inspection, bool]:
    """Check and write one inspection (see :func:`prepare_inspection`); all or nothing.

    Returns ``(inspection, created)``. The same ``idempotency_key`` sent again by the supplier
    with the same content returns the inspection it first recorded and writes nothing (also
    when two copies race: the database's unique key decides); the key with other content is a
    conflict. The caller enqueues the statistics recompute of the inspection's characteristics
    after the transaction commits (:func:`inspection_characteristic_ids`), when it wrote.
    """
    prepared = prepare_inspection(session, actor, data)
    key = prepared.data.get("idempotency_key")
    known = known_inspection(session, prepared, key)
    if known is not None:
        return known, False
    if key is None:
        return write_inspection(session, actor, prepared, upload_id), True
    try:
        with session.begin_nested():
            inspection = write_inspection(session, actor, prepared, upload_id)
    except IntegrityError:
        # Another copy was written between the look-up and this insert.
        known = known_inspection(session, prepared, key)
        if known is None:
            raise
        return known, False
    return inspection, True


def prepare_inspection(session: Session, actor: Actor, data: dict[str, Any]) -> PreparedInspection:
    """Check an inspection without writing it; raises ValidationFailed naming every problem.

    A bad field does not stop the checks of the others (a bad date still lets an unknown
    characteristic or a bad value be named), so one answer lists all that must be corrected.
    The actor reports for its own organisation, as the supplier of the part. The lot is
    matched to the supplier's lot of that number when one is known.
    """
    require_permission(actor.role, "report")
    loaded, errors = load_collecting(InspectionSchema(), data)
    part = _resolve_part(session, actor.org_id, loaded, errors)
    inspected_at = loaded.get("inspected_at") or utcnow()
    latest = utcnow() + FUTURE_TOLERANCE
    if inspected_at > latest:
        errors["inspected_at"] = [Msg(N_("The inspection date lies in the future."))]
    if part is None:
        raise ValidationFailed(errors)
    lot_id = None
    if "lot_number" in loaded:
        lot_id = _resolve_lot(session, actor.org_id, part, loaded["lot_number"], errors)
    prepared = PreparedInspection(loaded, part, actor.org_id, lot_id, inspected_at)
    known = _characteristics(session, part.id, actor.org_id)
    for index, entry in enumerate(loaded.get("characteristics", [])):
        if "measurements" not in entry or not (entry.get("characteristic_id") or entry.get("code")):
            continue  # the schema named what is missing; nothing to look up
        date = entry.get("date")
        if date is not None and date > latest:
            errors[f"characteristics.{index}.date"] = [
                Msg(N_("The measurement date lies in the future."))
            ]
        checked = check_entry(known, entry, f"characteristics.{index}", errors)
        if checked is not None:
            characteristic, subgroups = checked
            dated = date is not None or loaded.get("inspected_at") is not None
            prepared.entries.append(
                PreparedEntry(characteristic, date or inspected_at, subgroups, dated)
            )
    if errors:
        raise ValidationFailed(errors)
    return prepared


def write_inspection(
    session: Session, actor: Actor, prepared: PreparedInspection, upload_id: int | None = None
) -> Inspection:
    """Write a prepared inspection; each subgroup's values get consecutive ids."""
    data = prepared.data
    defective = data["defective_quantity"]
    if defective is None and data["defects"]:
        # Pieces with several defects are counted once per defect; never more than inspected.
        defective = min(sum(d["count"] for d in data["defects"]), data["inspected_quantity"])
    inspection = Inspection(
        supplier_org_id=prepared.supplier_org_id,
        buyer_org_id=prepared.part.owner_org_id,
        part_id=prepared.part.id,
        lot_number=data["lot_number"],
        lot_id=prepared.lot_id,
        inspected_at=prepared.inspected_at,
        document_number=data["document_number"],
        inspected_quantity=data["inspected_quantity"],
        defective_quantity=defective,
        source=SOURCES.get(actor.channel, actor.channel),
        upload_id=upload_id,
        created_by_user_id=actor.user_id,
        idempotency_key=data.get("idempotency_key"),
    )
    session.add(inspection)
    session.flush()
    for defect in data["defects"]:
        session.add(
            DefectCount(
                inspection_id=inspection.id, defect_code=defect["code"], count=defect["count"]
            )
        )
    rows = []
    numbers: dict[int, int] = {}
    for entry in prepared.entries:
        for values in entry.subgroups:
            number = numbers[entry.characteristic.id] = numbers.get(entry.characteristic.id, 0) + 1
            rows.extend(
                {
                    "inspection_id": inspection.id,
                    "characteristic_id": entry.characteristic.id,
                    "measured_at": entry.measured_at,
                    "subgroup_no": number,
                    "value": value,
                }
                for value in values
            )
    if rows:
        session.execute(insert(Measurement), rows)
    record_audit(
        session,
        actor,
        "inspection.record",
        "quality_inspection",
        inspection.id,
        {
            "lot_number": inspection.lot_number,
            "measurements": len(rows),
            "characteristics": prepared.characteristic_ids,
            "upload_id": upload_id,
        },
    )
    return inspection


def inspection_characteristic_ids(session: Session, inspection_id: int) -> list[int]:
    """The characteristics an inspection measured (whose statistics it changes)."""
    return list(
        session.scalars(
            select(Measurement.characteristic_id)
            .where(Measurement.inspection_id == inspection_id)
            .distinct()
            .order_by(Measurement.characteristic_id)
        )
    )


def _resolve_part(
    session: Session, supplier_id: int | None, data: dict[str, Any], errors: dict[str, list[str]]
) -> Part | None:
    """The one part the supplier reports on, by id, buyer part number or its own number; or
    None with the problem added to ``errors`` (none is added when no name of it loaded)."""
    measured = select(Characteristic.part_id).where(Characteristic.supplier_org_id == supplier_id)
    query = select(Part).where(or_(Part.supplier_org_id == supplier_id, Part.id.in_(measured)))
    if data.get("part_id") is not None:
        query = query.where(Part.id == data["part_id"])
        label = str(data["part_id"])
    elif data.get("part_number"):
        query = query.where(Part.part_number == data["part_number"])
        label = data["part_number"]
    elif data.get("supplier_part_number"):
        query = query.where(Part.supplier_part_number == data["supplier_part_number"])
        label = data["supplier_part_number"]
    else:
        return None
    parts = list(session.scalars(query.limit(2)))
    if len(parts) == 1:
        return parts[0]
    message = (
        N_("Several customers use part number %(part)s; give the part id.")
        if parts
        else N_("No part %(part)s is supplied by your organisation.")
    )
    errors.setdefault("part_number", []).append(Msg(message, part=label))
    return None


def _resolve_lot(
    session: Session,
    supplier_id: int | None,
    part: Part,
    lot_number: str,
    errors: dict[str, list[str]],
) -> int | None:
    lot = session.scalar(
        select(Lot).where(Lot.maker_org_id == supplier_id, Lot.lot_number == lot_number)
    )
    if lot is None:
        return None
    if lot.part_id != part.id:
        errors["lot_number"] = [Msg(N_("Lot %(lot)s is a lot of another part."), lot=lot_number)]
    return lot.id


def _characteristics(
    session: Session, part_id: int, supplier_id: int | None
) -> dict[Any, Characteristic]:
    """The part's characteristics for this supplier, by id and by code."""
    found = session.scalars(
        select(Characteristic).where(
            Characteristic.part_id == part_id, Characteristic.supplier_org_id == supplier_id
        )
    )
    known: dict[Any, Characteristic] = {}
    for characteristic in found:
        known[("id", characteristic.id)] = characteristic
        known[("code", characteristic.code)] = characteristic
    return known
