"""Input schemas of the carbon operations: activity data, factors, declared footprints, settings."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from models.carbon.constants import (
    ALLOCATION_METHODS,
    CANONICAL_UNIT,
    FUEL_UNITS,
    FUELS,
    GRID_REGIONS,
    UNIT_SPELLINGS,
)
from models.carbon.entities import Amount, FactorValue, Kg, Rating
from models.clock import local_today
from models.i18n import N_, Msg
from models.validation import Integer, Numeric

NOT_NEGATIVE = validate.Range(min=0, error=N_("Must not be negative."))
POSITIVE = validate.Range(min=0, min_inclusive=False, error=N_("Must be more than zero."))
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
MAX_MONTHS = 12
#: (precision, scale) of the columns the numbers go to: a number they cannot hold is refused
#: at its field, not rounded to zero, stored as infinity (SQLite) or overflowing (PostgreSQL).
AMOUNT, FACTOR, KG, RATING = ((t.precision, t.scale) for t in (Amount, FactorValue, Kg, Rating))
#: A footprint per unit must stay below this to be kept (and rolled up as a finite number).
PCF_LIMIT = Decimal(10) ** (KG[0] - KG[1])


def _unit_check(fuel: str) -> validate.Validator:
    units = tuple(FUEL_UNITS[fuel])

    def check(value: str) -> None:
        if value not in units:
            raise ValidationError(
                Msg(
                    N_("%(unit)s does not fit this fuel; use %(units)s."),
                    unit=value,
                    units=", ".join(units),
                )
            )

    return check


def unit_symbol(fuel: str, written: str) -> str:
    """The symbol of the unit of ``fuel`` that ``written`` names (``mwh``, ``度``, ``m³``);
    anything else as written, for the unit check to refuse."""
    wanted = written.strip().casefold()
    for symbol in FUEL_UNITS[fuel]:
        spellings = (symbol, *UNIT_SPELLINGS.get(symbol, ()))
        if wanted in {spelling.casefold() for spelling in spellings}:
            return symbol
    return written.strip()


def _energy_schema(fuel: str) -> type[Schema]:
    """Quantity and unit of one fuel; the unit must be one that measures this fuel."""

    @pre_load
    def _symbol(self: Schema, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("unit"), str):
            return data | {"unit": unit_symbol(fuel, data["unit"])}
        return data

    return type(
        f"Energy_{fuel}",
        (Schema,),
        {
            "quantity": Numeric(*AMOUNT, required=True, validate=NOT_NEGATIVE),
            "unit": fields.String(load_default=CANONICAL_UNIT[fuel], validate=_unit_check(fuel)),
            "_symbol": _symbol,
        },
    )


EnergySchema = type(
    "EnergySchema",
    (Schema,),
    {fuel: fields.Nested(_energy_schema(fuel), load_default=None) for fuel in FUELS}
    | {
        "error_messages": {
            "unknown": Msg(N_("Not a fuel we know. Use one of: %(fuels)s."), fuels=", ".join(FUELS))
        }
    },
)


class OutputSchema(Schema):
    part_id = Integer(required=True)
    quantity = Numeric(*AMOUNT, required=True, validate=POSITIVE)
    mass_kg = Numeric(*AMOUNT, load_default=None, validate=NOT_NEGATIVE)
    value = Numeric(*AMOUNT, load_default=None, validate=NOT_NEGATIVE)


class ActivityRecordSchema(Schema):
    """A site's energy and output for one month (``month``) or whole months (a period)."""

    site_id = Integer(required=True)
    month = fields.String(load_default=None)
    period_start = fields.Date(load_default=None)
    period_end = fields.Date(load_default=None)
    energy = fields.Nested(EnergySchema, load_default=dict)
    outputs = fields.List(fields.Nested(OutputSchema), load_default=list)
    #: The maker confirms that the site made nothing in the period (a shutdown, a retooling):
    #: energy without output is otherwise taken for forgotten output and refused.
    no_output = fields.Boolean(load_default=False)
    supersedes_id = Integer(load_default=None)
    note = fields.String(load_default=None, validate=validate.Length(max=500))

    @post_load
    def _period(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        start, end = _period_of(data.pop("month"), data["period_start"], data["period_end"])
        data["period_start"], data["period_end"] = start, end
        data["energy"] = {fuel: v for fuel, v in (data["energy"] or {}).items() if v is not None}
        if not data["energy"] and not data["outputs"]:
            raise ValidationError(
                Msg(N_("Give at least one energy quantity or one output.")), "energy"
            )
        parts = [o["part_id"] for o in data["outputs"]]
        for index, part_id in enumerate(parts):
            if part_id in parts[:index]:
                raise ValidationError(
                    Msg(N_("This part is listed twice.")), f"outputs.{index}.part_id"
                )
        return data


def parse_month(text: str) -> tuple[date, date]:
    """``2026-10`` -> (2026-10-01, 2026-10-31); ValidationError names the expected form."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1990:
        raise ValidationError(Msg(N_("Give the month as YYYY-MM, e.g. 2026-10.")), "month")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _period_of(month: str | None, start: date | None, end: date | None) -> tuple[date, date]:
    if month:
        return parse_month(month)
    if start is None or end is None:
        raise ValidationError(Msg(N_("Give the month (or a start and an end date).")), "month")
    if start.day != 1 or end.day != monthrange(end.year, end.month)[1]:
        raise ValidationError(
            Msg(N_("A period runs over whole months: from a 1st to a month's last day.")),
            "period_start",
        )
    if end < start:
        raise ValidationError(Msg(N_("The end is before the start.")), "period_end")
    if start.year != end.year:
        raise ValidationError(Msg(N_("A period lies within one calendar year.")), "period_end")
    if (end.month - start.month) + 1 > MAX_MONTHS:
        raise ValidationError(Msg(N_("A period is at most 12 months.")), "period_end")
    return start, end


class EmissionFactorSchema(Schema):
    """A factor value for a fuel, grid region and year; an existing one gets a new version."""

    fuel = fields.String(required=True, validate=validate.OneOf(FUELS))
    region = fields.String(required=True, validate=validate.OneOf(tuple(GRID_REGIONS)))
    year = Integer(required=True, validate=validate.Range(min=1990, max=2100))
    value = Numeric(*FACTOR, required=True, validate=NOT_NEGATIVE)
    scope = Integer(load_default=None, validate=validate.OneOf((1, 2)))
    source = fields.String(required=True, validate=validate.Length(min=3, max=2000))
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class DeclaredFootprintSchema(Schema):
    """A footprint the maker states itself: kgCO2e per ONE unit of the part, for a year."""

    part_id = Integer(required=True)
    year = Integer(required=True, validate=validate.Range(min=2000, max=2100))
    pcf_kg = Numeric(*KG, required=True, validate=NOT_NEGATIVE)
    primary_data_share = Numeric(
        *RATING,
        load_default=None,
        validate=validate.Range(min=0, max=100, error=N_("Must be between 0 and 100.")),
    )
    dqr_technological = Numeric(*RATING, load_default=None, validate=validate.Range(min=1, max=3))
    dqr_temporal = Numeric(*RATING, load_default=None, validate=validate.Range(min=1, max=3))
    dqr_geographical = Numeric(*RATING, load_default=None, validate=validate.Range(min=1, max=3))
    note = fields.String(load_default=None, validate=validate.Length(max=2000))

    @validates_schema
    def _year_not_future(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("year") and data["year"] > local_today().year:
            raise ValidationError(Msg(N_("The year has not started yet.")), "year")


class CarbonSettingsSchema(Schema):
    allocation_method = fields.String(required=True, validate=validate.OneOf(ALLOCATION_METHODS))


class PactClientSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
