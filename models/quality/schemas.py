"""Input schemas of supplier quality: characteristics, inspections, settings and 8D steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from models.clock import as_utc, local_midnight
from models.i18n import N_, Msg
from models.orders.schemas import IdempotencyKey
from models.quality.entities import CLASSIFICATIONS, STEPS
from models.quality.rules import RULE_SETS
from models.quality.units import UNITS, normalise_unit
from models.validation import Float, Integer

DEFAULT_ESCALATE_AFTER_HOURS = 48
MAX_SUBGROUP_SIZE = 50
MAX_VALUES_PER_ENTRY = 10_000
#: More pieces than any lot holds, and within the database's 32-bit integer column.
MAX_PIECES = 1_000_000_000


class Moment(fields.Field):
    """A date (its local midnight) or an ISO date-time (a naive one on the local clock), as
    aware UTC (see :mod:`models.clock`)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        try:
            if isinstance(value, datetime):
                return as_utc(value)
            if isinstance(value, date):
                return local_midnight(value)
            if isinstance(value, str) and value.strip():
                return as_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except (ValueError, OverflowError):
            pass
        raise ValidationError(Msg(N_("Give a date (YYYY-MM-DD) or a date and time.")))


class FilledText(fields.String):
    """Text that must be given: missing, null or blank, it is refused with ``blank`` (say
    "Enter the lot number.", not marshmallow's "Length must be between 1 and 80.")."""

    def __init__(self, blank: str, max_length: int, strip: bool = False, **kwargs: Any) -> None:
        super().__init__(
            required=True,
            validate=validate.Length(max=max_length),
            error_messages={"required": blank, "null": blank},
            **kwargs,
        )
        self.blank = blank
        self.strip = strip

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not text.strip():
            raise ValidationError(Msg(self.blank))
        return text.strip() if self.strip else text


class UnitField(fields.String):
    """A unit symbol or UN/ECE Rec 20 code from the catalogue, stored as the symbol."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        symbol = normalise_unit(super()._deserialize(value, attr, data, **kwargs))
        if symbol is None:
            raise ValidationError(
                Msg(
                    N_("Unknown unit %(unit)s; use one of %(known)s."),
                    unit=value,
                    known=", ".join(unit.symbol for unit in UNITS),
                )
            )
        return symbol


def _check_limits(data: dict[str, Any]) -> None:
    lsl, usl, target, nominal = (data.get(k) for k in ("lsl", "usl", "target", "nominal"))
    if lsl is None and usl is None:
        raise ValidationError(Msg(N_("Give a lower or an upper specification limit.")), "usl")
    if lsl is not None and usl is not None and lsl >= usl:
        raise ValidationError(
            Msg(N_("LSL (%(lsl)s) must be below USL (%(usl)s)."), lsl=lsl, usl=usl), "lsl"
        )
    for name, value in (("target", target), ("nominal", nominal)):
        if value is not None and (
            (lsl is not None and value < lsl) or (usl is not None and value > usl)
        ):
            raise ValidationError(
                Msg(N_("%(value)s lies outside the specification limits."), value=value), name
            )


class CharacteristicSchema(Schema):
    """A characteristic as the buyer specifies it (LSL below USL, target and nominal within)."""

    part_id = Integer(required=True)
    supplier_org_id = Integer(load_default=None)
    # Stripped: files and EDI messages name a characteristic by its code, read without spaces.
    code = FilledText(N_("Enter the characteristic's code."), max_length=35, strip=True)
    name = FilledText(N_("Enter the characteristic's name."), max_length=200)
    unit = UnitField(required=True)
    nominal = Float(load_default=None, allow_none=True)
    lsl = Float(load_default=None, allow_none=True)
    usl = Float(load_default=None, allow_none=True)
    target = Float(load_default=None, allow_none=True)
    classification = fields.String(
        load_default="standard", validate=validate.OneOf(CLASSIFICATIONS)
    )
    subgroup_size = Integer(load_default=1, validate=validate.Range(min=1, max=MAX_SUBGROUP_SIZE))
    active = fields.Boolean(load_default=True)

    @validates_schema
    def _limits(self, data: dict[str, Any], partial: bool = False, **_: Any) -> None:
        if not partial:
            _check_limits(data)


class DefectSchema(Schema):
    code = FilledText(N_("Enter the defect code."), max_length=32)
    count = Integer(required=True, validate=validate.Range(min=0, max=MAX_PIECES))


class CharacteristicResultSchema(Schema):
    """The values of one characteristic in an inspection: one or more subgroups, in order.

    Shaped like a characteristic of an EDIFACT QALITY record; ``name``, the limits, the test
    method and the sender's statistics are accepted for information only: the buyer's
    characteristic is the specification, and the statistics are recomputed.
    """

    characteristic_id = Integer(load_default=None)
    code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=35))
    name = fields.String(load_default=None, allow_none=True)
    unit = fields.String(load_default=None, allow_none=True)
    lower_limit = fields.Raw(load_default=None, allow_none=True)
    upper_limit = fields.Raw(load_default=None, allow_none=True)
    test_method = fields.String(load_default=None, allow_none=True)
    statistics = fields.Dict(load_default=None, allow_none=True)
    subgroup = fields.String(load_default=None, allow_none=True)
    date = Moment(load_default=None, allow_none=True)
    # Numbers are read by the operation, so that a bad value is reported with every other
    # problem of the inspection (unit, subgroup size) rather than alone.
    measurements = fields.List(
        fields.Raw(allow_none=True),
        required=True,
        validate=validate.Length(min=1, max=MAX_VALUES_PER_ENTRY),
    )

    @validates_schema
    def _named(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("characteristic_id") is None and not data.get("code"):
            raise ValidationError(Msg(N_("Name the characteristic by its code or id.")), "code")


class InspectionSchema(Schema):
    """A supplier's inspection of one lot; the shape of an EDIFACT QALITY item, plus counts."""

    part_id = Integer(load_default=None)
    part_number = fields.String(load_default=None, allow_none=True)
    supplier_part_number = fields.String(load_default=None, allow_none=True)
    line = fields.String(load_default=None, allow_none=True)
    lot_number = FilledText(N_("Enter the lot number."), max_length=80)
    quantity = fields.Raw(load_default=None, allow_none=True)
    unit = fields.String(load_default=None, allow_none=True)
    inspected_at = Moment(load_default=None, allow_none=True)
    document_number = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=64)
    )
    inspected_quantity = Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_PIECES)
    )
    defective_quantity = Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_PIECES)
    )
    defects = fields.List(fields.Nested(DefectSchema), load_default=list)
    characteristics = fields.List(fields.Nested(CharacteristicResultSchema), load_default=list)
    #: Optional: the same key sent again returns the inspection it recorded (see
    #: :func:`models.quality.measurements.record_inspection`).
    idempotency_key = IdempotencyKey(load_default=None)

    @validates_schema(skip_on_field_errors=False)
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        """Every rule between fields, each judged only on fields that loaded (a field that
        failed is absent and has its own error), so one answer names all the problems."""
        errors: dict[str, list[Msg]] = {}

        def refuse(name: str, message: Msg) -> None:
            errors.setdefault(name, []).append(message)

        naming = ("part_id", "part_number", "supplier_part_number")
        named = data.get("part_number") or data.get("supplier_part_number")
        if all(key in data for key in naming) and data["part_id"] is None and not named:
            refuse("part_number", Msg(N_("Name the part by its number or id.")))
        inspected = data.get("inspected_quantity")
        counted = data.get("defective_quantity") is not None or data.get("defects")
        if "inspected_quantity" in data and inspected is None:
            if counted:
                refuse(
                    "inspected_quantity",
                    Msg(N_("Give the inspected quantity with the defect counts.")),
                )
            elif "characteristics" in data and not data["characteristics"]:
                refuse("characteristics", Msg(N_("Give measurements or an inspected quantity.")))
        defective = data.get("defective_quantity")
        if inspected is not None and defective is not None and defective > inspected:
            refuse(
                "defective_quantity",
                Msg(N_("More defective (%(defective)s) than inspected."), defective=defective),
            )
        codes = [defect["code"] for defect in data.get("defects", []) if "code" in defect]
        if len(set(codes)) != len(codes):
            refuse("defects", Msg(N_("Each defect code may appear once.")))
        # Each count is refused at its own place, so a spreadsheet names the row that holds it.
        for index, defect in enumerate(data.get("defects", [])):
            loaded = "code" in defect and "count" in defect
            if loaded and inspected is not None and defect["count"] > inspected:
                refuse(
                    f"defects.{index}.count",
                    Msg(N_("More pieces with %(code)s than inspected."), code=defect["code"]),
                )
        if errors:
            raise ValidationError(errors)


class QualitySettingsSchema(Schema):
    capable = fields.Float(required=True, validate=validate.Range(min=0, max=10))
    watch = fields.Float(required=True, validate=validate.Range(min=0, max=10))
    rules = fields.String(required=True, validate=validate.OneOf(RULE_SETS))
    due_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(STEPS)),
        values=Integer(validate=validate.Range(min=1, max=24 * 365)),
        load_default=dict,
    )
    escalate_after_hours = Integer(
        load_default=DEFAULT_ESCALATE_AFTER_HOURS, validate=validate.Range(min=1, max=24 * 90)
    )

    @validates_schema
    def _watch_below_capable(self, data: dict[str, Any], **_: Any) -> None:
        if "capable" in data and "watch" in data and data["watch"] > data["capable"]:
            raise ValidationError(
                Msg(N_("The watch threshold must not be above the capable threshold.")), "watch"
            )


class EightDOpenSchema(Schema):
    """Opening an 8D: from an alert, an incident, or by hand for a supplier."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default=None, allow_none=True)
    supplier_org_id = Integer(load_default=None, allow_none=True)
    alert_id = Integer(load_default=None, allow_none=True)
    incident_id = Integer(load_default=None, allow_none=True)
    characteristic_id = Integer(load_default=None, allow_none=True)
    part_id = Integer(load_default=None, allow_none=True)
    lot_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80))


class EightDStepSchema(Schema):
    """The supplier's answer to a step; what submitting needs is checked by the operation."""

    text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000))
    owner_user_id = Integer(load_default=None, allow_none=True)
    contained_quantity = Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    escape_point = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000)
    )
    implemented_on = fields.Date(load_default=None, allow_none=True)
    submit = fields.Boolean(load_default=False)


class EightDReviewSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("accept", "return")))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    due_at = Moment(load_default=None, allow_none=True)

    @validates_schema
    def _comment_on_return(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            raise ValidationError(Msg(N_("Say why the step is returned.")), "comment")


class AlertCloseSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
