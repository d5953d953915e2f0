"""Monthly activity data of a site: energy use and output, recorded by one operation.

Every channel (phone form, spreadsheet, API) goes through :func:`prepare_activity`, which checks
everything without writing, and :func:`write_activity`; :func:`record_activity` does both.
A record is never changed: a correction is a new record that supersedes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.carbon.activity_checks import (
    check_energy,
    check_output_given,
    check_outputs,
    check_overlap,
    check_supersedes,
)
from models.carbon.entities import ActivityEnergy, ActivityOutput, ActivityRecord
from models.carbon.schemas import ActivityRecordSchema
from models.clock import local_today
from models.errors import ValidationFailed
from models.i18n import N_, Msg
from models.orders.entities import Part
from models.orgs.entities import Site
from models.roles import require_permission
from models.validation import load


@dataclass
class PreparedActivity:
    """A record that passed every check, ready to be written."""

    site: Site
    period_start: date
    period_end: date
    energy: dict[str, tuple[Decimal, Decimal, str]]
    outputs: list[tuple[Part, Decimal, Decimal, Decimal | None]]
    supersedes: ActivityRecord | None = None
    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def prepare_activity(
    session: Session, actor: Actor, data: dict[str, Any], today: date | None = None
) -> PreparedActivity:
    """Check a record completely; raise ValidationFailed naming every bad field, write nothing."""
    require_permission(actor.role, "report")
    loaded = load(ActivityRecordSchema(), data)
    site = session.get(Site, loaded["site_id"])
    if site is None or site.org_id != actor.org_id:
        raise ValidationFailed.on("site_id", N_("This is not a site of your organisation."))
    period_key = "month" if data.get("month") else "period_start"
    start, end = loaded["period_start"], loaded["period_end"]
    errors: dict[str, list[str]] = {}
    today = today or local_today()
    if start > today:
        errors[period_key] = [Msg(N_("This month has not begun yet."))]
    elif date(end.year, end.month, 1) > today:
        errors["period_end"] = [Msg(N_("This period runs into a month that has not begun yet."))]
    supersedes = check_supersedes(session, site, loaded, errors)
    check_overlap(session, site, start, end, supersedes, period_key, errors)
    energy = check_energy(session, site, loaded["energy"], start, end, supersedes, errors)
    outputs = check_outputs(session, actor.org_id, loaded["outputs"], errors)
    check_output_given(loaded, errors)
    if errors:
        raise ValidationFailed(errors)
    return PreparedActivity(site, start, end, energy, outputs, supersedes, loaded["note"], data)


def write_activity(
    session: Session,
    actor: Actor,
    prepared: PreparedActivity,
    source: str = "form",
    upload_id: int | None = None,
) -> ActivityRecord:
    """Write a prepared record with its energy and output lines, and audit it."""
    record = ActivityRecord(
        org_id=actor.org_id,
        site_id=prepared.site.id,
        period_start=prepared.period_start,
        period_end=prepared.period_end,
        source=source,
        upload_id=upload_id,
        supersedes_id=prepared.supersedes.id if prepared.supersedes else None,
        note=prepared.note,
        created_by_user_id=actor.user_id,
    )
    session.add(record)
    session.flush()
    session.add_all(
        ActivityEnergy(
            record_id=record.id, fuel=fuel, quantity=q, entered_quantity=eq, entered_unit=unit
        )
        for fuel, (q, eq, unit) in prepared.energy.items()
    )
    session.add_all(
        ActivityOutput(record_id=record.id, part_id=p.id, quantity=q, mass_kg=m, value=v)
        for p, q, m, v in prepared.outputs
    )
    session.flush()
    record_audit(
        session,
        actor,
        "activity.correct" if prepared.supersedes else "activity.record",
        "activity_record",
        record.id,
        {
            "site_id": prepared.site.id,
            "period": [prepared.period_start.isoformat(), prepared.period_end.isoformat()],
            "supersedes_id": record.supersedes_id,
            "energy": {f: str(q) for f, (q, _e, _u) in prepared.energy.items()},
            "outputs": {str(p.id): str(q) for p, q, _m, _v in prepared.outputs},
        },
    )
    return record


def record_activity(
    session: Session,
    actor: Actor,
    data: dict[str, Any],
    source: str = "form",
    upload_id: int | None = None,
) -> ActivityRecord:
    """Record a site's month of energy and output (or correct one); nothing is written when any
    field is wrong. The caller propagates the footprints of :func:`affected_parts`."""
    return write_activity(session, actor, prepare_activity(session, actor, data), source, upload_id)


def affected_parts(session: Session, site_id: int, year: int) -> list[int]:
    """Parts whose footprint for ``year`` depends on the site's activity data of that year."""
    return sorted(
        session.scalars(
            select(ActivityOutput.part_id)
            .join(ActivityRecord, ActivityRecord.id == ActivityOutput.record_id)
            .where(
                ActivityRecord.site_id == site_id,
                ActivityRecord.period_start >= date(year, 1, 1),
                ActivityRecord.period_start <= date(year, 12, 31),
            )
            .distinct()
        )
    )


def records_of(session: Session, org_id: int, year: int | None = None) -> list[ActivityRecord]:
    """An organisation's records, newest period first, corrections included."""
    query = select(ActivityRecord).where(ActivityRecord.org_id == org_id)
    if year is not None:
        query = query.where(
            ActivityRecord.period_start >= date(year, 1, 1),
            ActivityRecord.period_start <= date(year, 12, 31),
        )
    return list(
        session.scalars(
            query.order_by(ActivityRecord.period_start.desc(), ActivityRecord.id.desc())
        )
    )


def superseded_ids(session: Session, record_ids: list[int]) -> set[int]:
    return set(
        session.scalars(
            select(ActivityRecord.supersedes_id).where(ActivityRecord.supersedes_id.in_(record_ids))
        )
    )
