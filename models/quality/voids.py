"""Voiding an inspection recorded by mistake (wrong lot, wrong gauge, typed twice).

Measurements are append-only, so a mistake is not edited away: the supplier voids the whole
inspection with a reason. Its values leave the control charts and capability (they are copied
into the audit trail first, so nothing is lost), its counts leave the first-pass yield, and the
record stays in the list marked void with who voided it, when and why. The right values are
then recorded as a new inspection.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import N_
from models.quality.entities import Inspection, Measurement
from models.roles import require_permission

REASON_MIN = 3
REASON_MAX = 500


@dataclass(frozen=True)
class Voided:
    """The voided inspection and the characteristics whose statistics must be recomputed."""

    inspection: Inspection
    characteristic_ids: list[int]


def void_inspection(session: Session, actor: Actor, inspection_id: int, reason: object) -> Voided:
    """Void one of the actor's organisation's inspections; all or nothing.

    The caller enqueues the statistics recompute of ``characteristic_ids`` after commit.
    """
    require_permission(actor.role, "report")
    inspection = session.get(Inspection, inspection_id, with_for_update=True)
    if inspection is None or inspection.supplier_org_id != actor.org_id:
        raise NotFound()
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) < REASON_MIN:
        raise ValidationFailed.on("reason", N_("Say why this inspection is void."))
    if len(text) > REASON_MAX:
        raise ValidationFailed.on(
            "reason", N_("Keep the reason within %(count)d characters."), count=REASON_MAX
        )
    if inspection.voided_at is not None:
        raise Conflict(N_("This inspection is void already."))
    values = session.execute(
        select(
            Measurement.characteristic_id,
            Measurement.subgroup_no,
            Measurement.measured_at,
            Measurement.value,
        )
        .where(Measurement.inspection_id == inspection.id)
        .order_by(Measurement.id)
    ).all()
    session.execute(delete(Measurement).where(Measurement.inspection_id == inspection.id))
    inspection.voided_at = utcnow()
    inspection.voided_by_user_id = actor.user_id
    inspection.void_reason = text
    characteristic_ids = sorted({row.characteristic_id for row in values})
    record_audit(
        session,
        actor,
        "inspection.void",
        "quality_inspection",
        inspection.id,
        {
            "reason": text,
            "lot_number": inspection.lot_number,
            "inspected_quantity": inspection.inspected_quantity,
            "defective_quantity": inspection.defective_quantity,
            "measurements": [
                [row.characteristic_id, row.subgroup_no, row.measured_at.isoformat(), row.value]
                for row in values
            ],
        },
    )
    return Voided(inspection, characteristic_ids)
