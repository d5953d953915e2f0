"""Checking one characteristic's values in an inspection: unit, numbers, physical sense, subgroups.

Each problem is added to the caller's error dict under its place (``characteristics.0.unit``,
``characteristics.0.measurements.3``), so an inspection reports all of them at once.
"""

from __future__ import annotations

import math
from typing import Any

from models.i18n import N_, Msg
from models.quality.entities import Characteristic
from models.quality.units import RATIO_SCALE, normalise_unit, physical_problem

#: No measurement in any unit of the catalogue reaches this magnitude (an insulation resistance
#: of a teraohm is the largest real reading); beyond it a value is a slip and would overflow the
#: statistics.
MAX_MAGNITUDE = 1e12

#: A value this many times above the upper specification limit, or below the lower one, is
#: refused as a slip (a misplaced decimal point, another unit) rather than recorded as a defect.
SLIP_FACTOR = 5


def check_entry(
    known: dict[Any, Characteristic],
    entry: dict[str, Any],
    path: str,
    errors: dict[str, list[str]],
) -> tuple[Characteristic, list[list[float]]] | None:
    """The entry's characteristic and subgroups, or None with its problems added to ``errors``."""
    wanted = entry.get("characteristic_id")
    key = ("id", wanted) if wanted else ("code", entry.get("code"))
    characteristic = known.get(key)
    if characteristic is None or not characteristic.active:
        errors[f"{path}.code"] = [
            Msg(
                N_("The part has no active characteristic %(code)s for you."),
                code=entry.get("code") or wanted,
            )
        ]
        return None
    known_problems = len(errors)
    unit = characteristic.unit
    given_unit = entry.get("unit")
    if not (given_unit or "").strip():
        errors[f"{path}.unit"] = [
            Msg(N_("Give the unit of the measurements (%(unit)s)."), unit=unit)
        ]
    elif normalise_unit(given_unit) != unit:
        errors[f"{path}.unit"] = [
            Msg(
                N_("The unit %(given)s does not match the characteristic's unit %(unit)s."),
                given=given_unit,
                unit=unit,
            )
        ]
    values: list[float] = []
    for position, raw in enumerate(entry["measurements"]):
        value, problem = _number(raw)
        if value is not None:
            values.append(value)
            problem = (
                _beyond_measure(unit, value)
                or physical_problem(unit, value)
                or _slipped(characteristic, value)
            )
        if problem is not None:
            errors[f"{path}.measurements.{position}"] = [Msg(problem[0], **problem[1])]
    size = characteristic.subgroup_size
    count = len(entry["measurements"])
    label = entry.get("subgroup")
    if label is not None and count != size:
        errors[f"{path}.measurements"] = [
            Msg(
                N_("Subgroup %(label)s: values given: %(found)d; %(code)s needs %(size)d."),
                label=label,
                found=count,
                code=characteristic.code,
                size=size,
            )
        ]
    elif count % size:
        errors[f"{path}.measurements"] = [
            Msg(
                N_("%(code)s takes whole subgroups of %(size)d values; this gives %(found)d."),
                found=count,
                size=size,
                code=characteristic.code,
            )
        ]
    if len(errors) > known_problems:
        return None
    return characteristic, [values[start : start + size] for start in range(0, len(values), size)]


def _beyond_measure(unit: str, value: float) -> tuple[str, dict[str, Any]] | None:
    if abs(value) < MAX_MAGNITUDE:
        return None
    return (
        N_(
            "%(value)s %(unit)s is beyond any physical measurement: a value must lie between "
            "-1,000,000,000,000 and 1,000,000,000,000 %(unit)s."
        ),
        {"value": value, "unit": unit},
    )


def _slipped(characteristic: Characteristic, value: float) -> tuple[str, dict[str, Any]] | None:
    """The problem with a value too far outside its specification to be a measurement.

    Only for the units of :data:`RATIO_SCALE` (sizes, masses, strengths, hardnesses) and a
    specification whose whole band lies above zero: there a value five times the upper limit,
    or a fifth of the lower one, is a typing slip, while a real out-of-specification part
    measures within a fraction of the band. Zero is left alone (a missing feature can measure
    nothing).
    """
    lsl, usl = characteristic.lsl, characteristic.usl
    if characteristic.unit not in RATIO_SCALE or lsl is None or usl is None or lsl <= 0:
        return None
    limits = {"value": value, "unit": characteristic.unit, "times": SLIP_FACTOR}
    if value > usl * SLIP_FACTOR:
        return (
            N_(
                "%(value)s %(unit)s is over %(times)s times the upper limit of %(usl)s "
                "%(unit)s: check the number (a misplaced decimal point?) and the unit."
            ),
            {**limits, "usl": usl},
        )
    if 0 < value < lsl / SLIP_FACTOR:
        return (
            N_(
                "%(value)s %(unit)s is under 1/%(times)s of the lower limit of %(lsl)s "
                "%(unit)s: check the number (a misplaced decimal point?) and the unit."
            ),
            {**limits, "lsl": lsl},
        )
    return None


def _number(raw: Any) -> tuple[float | None, tuple[str, dict[str, Any]] | None]:
    """A measured value as a finite float, or the problem with it (a decimal comma is named)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, (N_("Enter the measured value."), {})
    if isinstance(raw, bool):
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
