"""Checking one characteristic's values in an inspection: unit, numbers, physical sense, subgroups.

Each problem is added to the caller's error dict under its place (``characteristics.0.unit``,
``characteristics.0.measurements.3``), so an inspection reports all of them at once.
"""

from __future__ import annotations

import math
from typing import Any

from models.i18n import N_, Msg
from models.quality.entities import Characteristic
from models.quality.units import normalise_unit, physical_problem


def check_entry(
    known: dict[Any, Characteristic],
    entry: dict[str, Any],
    path: str,
    errors: dict[str, list[str]],
) -> tuple[Characteristic, list[list[float]]] | None:
    """The entry's characteristic and subgroups, or None with its problems added to ``errors``."""
    wanted = entry["characteristic_id"]
    key = ("id", wanted) if wanted else ("code", entry["code"])
    characteristic = known.get(key)
    if characteristic is None or not characteristic.active:
        errors[f"{path}.code"] = [
            Msg(
                N_("The part has no active characteristic %(code)s for you."),
                code=entry["code"] or entry["characteristic_id"],
            )
        ]
        return None
    count = len(errors)
    unit = characteristic.unit
    if not (entry["unit"] or "").strip():
        errors[f"{path}.unit"] = [
            Msg(N_("Give the unit of the measurements (%(unit)s)."), unit=unit)
        ]
    elif normalise_unit(entry["unit"]) != unit:
        errors[f"{path}.unit"] = [
            Msg(
                N_("The unit %(given)s does not match the characteristic's unit %(unit)s."),
                given=entry["unit"],
                unit=unit,
            )
        ]
    values: list[float] = []
    for position, raw in enumerate(entry["measurements"]):
        value, problem = _number(raw)
        if value is not None:
            values.append(value)
            problem = physical_problem(unit, value)
        if problem is not None:
            errors[f"{path}.measurements.{position}"] = [Msg(problem[0], **problem[1])]
    size = characteristic.subgroup_size
    count = len(entry["measurements"])
    if entry["subgroup"] is not None and count != size:
        errors[f"{path}.measurements"] = [
            Msg(
                N_(
                    "Subgroup %(label)s has %(found)d values, not the %(size)d that %(code)s needs."
                ),
                label=entry["subgroup"],
                found=count,
                code=characteristic.code,
                size=size,
            )
        ]
    elif count % size:
        errors[f"{path}.measurements"] = [
            Msg(
                N_("%(found)d values do not make whole subgroups of %(size)d for %(code)s."),
                found=count,
                size=size,
                code=characteristic.code,
            )
        ]
    if len(errors) > count:
        return None
    return characteristic, [values[start : start + size] for start in range(0, len(values), size)]


def _number(raw: Any) -> tuple[float | None, tuple[str, dict[str, Any]] | None]:
    """A measured value as a finite float, or the problem with it (a decimal comma is named)."""
    if isinstance(raw, bool) or raw is None:
        return None, (N_("Not a valid number."), {})
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip()
        try:
            value = float(text)
        except ValueError:
            if "," in text and _is_float(text.replace(",", ".", 1)):
                return None, (
                    N_('"%(value)s" uses a decimal comma; use a decimal point.'),
                    {"value": text},
                )
            return None, (N_("Not a valid number."), {})
    if not math.isfinite(value):
        return None, (N_("Special numeric values (nan or infinity) are not permitted."), {})
    return value, None


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
