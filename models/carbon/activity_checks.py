"""The checks of an activity record that need the database: site history, periods, parts.

Each adds its errors under the field it is about and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from models.carbon.constants import (
    CANONICAL_UNIT,
    FUEL_UNITS,
    HISTORY_MIN_MONTHS,
    HISTORY_MULTIPLE,
    MONTHLY_CEILING,
)
from models.carbon.entities import ActivityEnergy, ActivityRecord, Amount
from models.i18n import N_, Msg
from models.orders.entities import Part
from models.orgs.entities import Site
from models.validation import numeric_limit

#: Given mass and quantity x unit mass may differ by this factor before the mass is refused.
MASS_TOLERANCE = Decimal(10)
#: What an output's mass column holds: a mass worked out from the quantity must stay below it.
MASS_LIMIT = numeric_limit(Amount.precision, Amount.scale)


def is_current():  # type: ignore[no-untyped-def]
    """SQL condition: the activity record has not been superseded by a correction."""
    later = aliased(ActivityRecord)
    return ~exists(select(later.id).where(later.supersedes_id == ActivityRecord.id))


def parts_made_by(org_id: int):  # type: ignore[no-untyped-def]
    """SQL condition: ``Part`` is made by ``org_id`` (its supplier, or its owner making it)."""
    return (Part.supplier_org_id == org_id) | (
        (Part.owner_org_id == org_id) & Part.supplier_org_id.is_(None)
    )


def check_supersedes(
    session: Session, site: Site, loaded: dict[str, Any], errors: dict[str, list[str]]
) -> ActivityRecord | None:
    if loaded["supersedes_id"] is None:
        return None
    old = session.get(ActivityRecord, loaded["supersedes_id"])
    if old is None or old.site_id != site.id:
        errors["supersedes_id"] = [Msg(N_("There is no such record at this site."))]
        return None
    if session.scalar(select(ActivityRecord.id).where(ActivityRecord.supersedes_id == old.id)):
        errors["supersedes_id"] = [
            Msg(N_("This record was already corrected; correct the newer one."))
        ]
        return None
    if (old.period_start, old.period_end) != (loaded["period_start"], loaded["period_end"]):
        errors["supersedes_id"] = [
            Msg(N_("A correction covers the same period as the record it corrects."))
        ]
    return old


def check_overlap(
    session: Session,
    site: Site,
    start: date,
    end: date,
    supersedes: ActivityRecord | None,
    key: str,
    errors: dict[str, list[str]],
) -> None:
    query = select(ActivityRecord).where(
        ActivityRecord.site_id == site.id,
        ActivityRecord.period_start <= end,
        ActivityRecord.period_end >= start,
        is_current(),
    )
    if supersedes is not None:
        query = query.where(ActivityRecord.id != supersedes.id)
    clash = session.scalars(query.limit(1)).first()
    if clash is not None:
        errors.setdefault(key, []).append(
            Msg(
                N_(
                    "Record #%(id)s already covers %(start)s to %(end)s at this site; "
                    "send a correction of it instead."
                ),
                id=clash.id,
                start=clash.period_start.isoformat(),
                end=clash.period_end.isoformat(),
            )
        )


def check_energy(
    session: Session,
    site: Site,
    energy: dict[str, dict[str, Any]],
    start: date,
    end: date,
    supersedes: ActivityRecord | None,
    errors: dict[str, list[str]],
) -> dict[str, tuple[Decimal, Decimal, str]]:
    months = (end.month - start.month) + 1
    history = monthly_history(session, site.id, supersedes)
    result = {}
    for fuel, given in energy.items():
        quantity = given["quantity"] * FUEL_UNITS[fuel][given["unit"]]
        monthly = quantity / months
        key = f"energy.{fuel}.quantity"
        unit = CANONICAL_UNIT[fuel]
        usual = history.get(fuel, [])
        if monthly > MONTHLY_CEILING[fuel]:
            errors[key] = [
                Msg(
                    N_("%(value)s %(unit)s a month is beyond any plausible use; check the number."),
                    value=f"{monthly:,.0f}",
                    unit=unit,
                )
            ]
        elif len(usual) >= HISTORY_MIN_MONTHS and monthly > HISTORY_MULTIPLE * median(usual) > 0:
            errors[key] = [
                Msg(
                    N_(
                        "%(value)s %(unit)s a month is more than %(times)s times this site's "
                        "usual %(usual)s %(unit)s; check the number or the unit."
                    ),
                    value=f"{monthly:,.0f}",
                    unit=unit,
                    times=int(HISTORY_MULTIPLE),
                    usual=f"{median(usual):,.0f}",
                )
            ]
        result[fuel] = (quantity, given["quantity"], given["unit"])
    return result


def monthly_history(
    session: Session, site_id: int, supersedes: ActivityRecord | None
) -> dict[str, list[Decimal]]:
    rows = session.execute(
        select(
            ActivityEnergy.fuel,
            ActivityEnergy.quantity,
            ActivityRecord.period_start,
            ActivityRecord.period_end,
        )
        .join(ActivityRecord, ActivityRecord.id == ActivityEnergy.record_id)
        .where(
            ActivityRecord.site_id == site_id,
            is_current(),
            ActivityRecord.id != (supersedes.id if supersedes else -1),
        )
    ).all()
    history: dict[str, list[Decimal]] = defaultdict(list)
    for fuel, quantity, start, end in rows:
        months = (end.month - start.month) + 1
        history[fuel].extend([quantity / months] * months)
    return history


def check_output_given(loaded: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Energy with no output must be confirmed: the site's energy of the year is shared over
    the year's output, so a month whose output was forgotten would load its energy onto the
    parts of the other months without anyone noticing."""
    if loaded["energy"] and not loaded["outputs"] and not loaded["no_output"]:
        errors["no_output"] = [
            Msg(
                N_(
                    "Energy is given but no output: add what the site made in this period, "
                    "or confirm that it made nothing (its energy is then shared over the "
                    "year's output)."
                )
            )
        ]
    elif loaded["outputs"] and loaded["no_output"]:
        errors["no_output"] = [
            Msg(N_("Outputs are given: this period cannot also be one when nothing was made."))
        ]


def check_outputs(
    session: Session, org_id: int, outputs: list[dict[str, Any]], errors: dict[str, list[str]]
) -> list[tuple[Part, Decimal, Decimal, Decimal | None]]:
    ids = [o["part_id"] for o in outputs]
    made = {
        p.id: p
        for p in session.scalars(select(Part).where(Part.id.in_(ids), parts_made_by(org_id)))
    }
    result = []
    for index, given in enumerate(outputs):
        part = made.get(given["part_id"])
        if part is None:
            errors[f"outputs.{index}.part_id"] = [Msg(N_("Not a part your organisation makes."))]
            continue
        quantity, mass = given["quantity"], given["mass_kg"]
        expected = quantity * part.mass_kg if part.mass_kg is not None else None
        if mass is None and expected is None:
            errors[f"outputs.{index}.mass_kg"] = [
                Msg(N_("Give the total mass: this part has no unit mass on record."))
            ]
            continue
        if mass is None and expected >= MASS_LIMIT:
            errors[f"outputs.{index}.quantity"] = [
                Msg(
                    N_("This quantity weighs %(mass)s kg, more than a record holds."),
                    mass=f"{expected:,.0f}",
                )
            ]
            continue
        if (
            mass is not None
            and expected
            and not (expected / MASS_TOLERANCE <= mass <= expected * MASS_TOLERANCE)
        ):
            errors[f"outputs.{index}.mass_kg"] = [
                Msg(
                    N_("%(mass)s kg does not fit the quantity: expected about %(expected)s kg."),
                    mass=f"{mass:,.1f}",
                    expected=f"{expected:,.1f}",
                )
            ]
            continue
        result.append((part, quantity, mass if mass is not None else expected, given["value"]))
    return result  # type: ignore[return-value]
