"""Domain operations on characteristics: the buyer specifies what its supplier measures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import N_
from models.orders.entities import Part
from models.orgs.entities import SupplierLink
from models.quality.entities import Characteristic, Measurement
from models.quality.schemas import CharacteristicSchema
from models.quality.scope import get_characteristic
from models.roles import require_permission
from models.validation import load

#: What may change once measurements exist without breaking the recorded subgroups.
FROZEN_WITH_DATA = ("unit", "subgroup_size")
EDITABLE = (
    "code", "name", "unit", "nominal", "lsl", "usl", "target", "classification",
    "subgroup_size", "active",
)  # fmt: skip


def create_characteristic(session: Session, actor: Actor, data: dict[str, Any]) -> Characteristic:
    """A new characteristic of one of the buyer's parts, measured by one of its suppliers.

    Guarantees: the part belongs to the actor's organisation, the supplier is an active
    direct supplier of it, LSL is below USL and the code is unique for the part and supplier.
    """
    require_permission(actor.role, "manage_quality")
    loaded = load(CharacteristicSchema(), data)
    part = session.get(Part, loaded["part_id"])
    if part is None or part.owner_org_id != actor.org_id:
        raise ValidationFailed.on("part_id", N_("Choose one of your own parts."))
    supplier_id = loaded["supplier_org_id"] or part.supplier_org_id
    if supplier_id is None:
        raise ValidationFailed.on(
            "supplier_org_id", N_("The part has no supplier; choose the supplier who measures.")
        )
    if not _is_active_supplier(session, actor.org_id, supplier_id):
        raise ValidationFailed.on(
            "supplier_org_id", N_("Choose one of your active direct suppliers.")
        )
    _require_unique_code(session, part.id, supplier_id, loaded["code"])
    characteristic = Characteristic(
        buyer_org_id=actor.org_id,
        supplier_org_id=supplier_id,
        **{key: loaded[key] for key in ("part_id", *EDITABLE)},
    )
    session.add(characteristic)
    session.flush()
    record_audit(
        session,
        actor,
        "characteristic.create",
        "quality_characteristic",
        characteristic.id,
        dict(loaded),
    )
    return characteristic


def update_characteristic(
    session: Session, actor: Actor, characteristic_id: int, data: dict[str, Any]
) -> Characteristic:
    """Change a characteristic's specification; the buyer that specified it only.

    The unit and subgroup size are frozen once measurements exist (they define how the
    recorded values are read); the limits may change, which takes effect at the next recompute.
    """
    require_permission(actor.role, "manage_quality")
    characteristic = get_characteristic(session, actor.org_id, characteristic_id)
    if characteristic.buyer_org_id != actor.org_id:
        raise NotFound()
    loaded = load(CharacteristicSchema(exclude=("part_id", "supplier_org_id")), data, partial=True)
    merged = {key: loaded.get(key, getattr(characteristic, key)) for key in EDITABLE}
    load(CharacteristicSchema(exclude=("part_id", "supplier_org_id")), _as_input(merged))
    changed = {key: value for key, value in loaded.items() if getattr(characteristic, key) != value}
    if any(key in changed for key in FROZEN_WITH_DATA) and _has_measurements(
        session, characteristic.id
    ):
        raise Conflict(
            N_("The unit and subgroup size cannot change once measurements are recorded.")
        )
    if "code" in changed:
        _require_unique_code(
            session, characteristic.part_id, characteristic.supplier_org_id, changed["code"]
        )
    for key, value in changed.items():
        setattr(characteristic, key, value)
    characteristic.updated_at = utcnow()
    record_audit(
        session,
        actor,
        "characteristic.update",
        "quality_characteristic",
        characteristic.id,
        changed,
    )
    return characteristic


def _as_input(values: dict[str, Any]) -> dict[str, Any]:
    """Stored values in the schema's input form, so the merged whole is checked once more."""
    return {key: value for key, value in values.items() if value is not None}


def _is_active_supplier(session: Session, buyer_id: int | None, supplier_id: int) -> bool:
    return (
        session.scalar(
            select(SupplierLink.id).where(
                SupplierLink.buyer_id == buyer_id,
                SupplierLink.supplier_id == supplier_id,
                SupplierLink.status == "active",
            )
        )
        is not None
    )


def _require_unique_code(session: Session, part_id: int, supplier_id: int, code: str) -> None:
    taken = session.scalar(
        select(Characteristic.id).where(
            Characteristic.part_id == part_id,
            Characteristic.supplier_org_id == supplier_id,
            Characteristic.code == code,
        )
    )
    if taken is not None:
        raise ValidationFailed.on(
            "code", N_("The part already has a characteristic %(code)s."), code=code
        )


def _has_measurements(session: Session, characteristic_id: int) -> bool:
    found = session.scalar(
        select(Measurement.id).where(Measurement.characteristic_id == characteristic_id).limit(1)
    )
    return found is not None
