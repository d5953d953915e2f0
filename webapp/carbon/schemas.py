"""Schemas of the carbon API: what it returns, and the documented shape of what it takes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models.clock import local_today
from models.validation import Integer
from webapp.carbon.common import factor_text

#: The reporting years a carbon request may name (as a footprint's or a roll-up's).
YEARS = validate.Range(min=2000, max=2100)


class YearQuerySchema(Schema):
    year = Integer(load_default=None, validate=YEARS)


class FootprintQuerySchema(YearQuerySchema):
    part_id = Integer(load_default=None)
    status = fields.String(load_default="Active")


class PactExportQuerySchema(Schema):
    version = Integer(load_default=3)


class EnergyOutSchema(Schema):
    fuel = fields.String()
    quantity = fields.Decimal(as_string=True)
    entered_quantity = fields.Decimal(as_string=True)
    entered_unit = fields.String()


class OutputOutSchema(Schema):
    part_id = Integer()
    quantity = fields.Decimal(as_string=True)
    mass_kg = fields.Decimal(as_string=True)
    value = fields.Decimal(as_string=True, allow_none=True)


class ActivityRecordOutSchema(Schema):
    id = Integer()
    site_id = Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    source = fields.String()
    supersedes_id = Integer(allow_none=True)
    note = fields.String(allow_none=True)
    energy = fields.List(fields.Nested(EnergyOutSchema))
    outputs = fields.List(fields.Nested(OutputOutSchema))
    created_at = fields.DateTime()


class EmissionFactorOutSchema(Schema):
    id = Integer()
    owner_org_id = Integer(
        allow_none=True,
        metadata={"description": "The anchor whose own version this is; null when published"},
    )
    fuel = fields.String()
    region = fields.String()
    year = Integer()
    version = Integer()
    value = fields.Decimal(as_string=True)
    unit = fields.String()
    scope = Integer()
    source = fields.Function(
        lambda f: factor_text(f, f.source),
        metadata={"description": "In the request's language for a published factor"},
    )
    note = fields.Function(
        lambda f: factor_text(f, f.note),
        allow_none=True,
        metadata={"description": "In the request's language for a published factor"},
    )
    supersedes_id = Integer(allow_none=True)
    created_at = fields.DateTime()


class FootprintOutSchema(Schema):
    id = Integer()
    pf_id = fields.String()
    part_id = Integer()
    org_id = Integer()
    year = Integer()
    kind = fields.String()
    status = fields.String()
    pcf_kg = fields.Decimal(as_string=True)
    scope1_kg = fields.Decimal(as_string=True, allow_none=True)
    scope2_kg = fields.Decimal(as_string=True, allow_none=True)
    inputs_kg = fields.Decimal(as_string=True, allow_none=True)
    mass_kg = fields.Decimal(as_string=True, allow_none=True)
    primary_data_share = fields.Decimal(as_string=True, allow_none=True)
    dqr_technological = fields.Decimal(as_string=True, allow_none=True)
    dqr_temporal = fields.Decimal(as_string=True, allow_none=True)
    dqr_geographical = fields.Decimal(as_string=True, allow_none=True)
    missing_inputs = Integer()
    created_at = fields.DateTime()


class BarSchema(Schema):
    kind = fields.String()
    kg = fields.Float()
    label = fields.String()
    part_id = Integer(allow_none=True)
    org_id = Integer(allow_none=True)
    pf_id = fields.String(allow_none=True)
    quantity = fields.Float(allow_none=True)
    count = Integer()


class TierSchema(Schema):
    tier = Integer()
    kg = fields.Float()
    share = fields.Float()
    named = fields.Method("_named")
    withheld_kg = fields.Float()
    withheld_count = Integer()

    def _named(self, obj: object) -> list[dict[str, object]]:
        return [{"org_id": o, "name": n, "kg": kg} for o, n, kg in obj.named]  # type: ignore[attr-defined]


class FootprintDetailSchema(FootprintOutSchema):
    bars = fields.List(fields.Nested(BarSchema))
    tiers = fields.List(fields.Nested(TierSchema))
    calc = fields.Dict(allow_none=True)


class ScopeLineSchema(Schema):
    org_id = Integer()
    name = fields.String()
    kg = fields.Float()
    parts = Integer()
    missing = Integer()


class Scope3Schema(Schema):
    year = Integer()
    total_kg = fields.Float()
    by_supplier = fields.List(fields.Nested(ScopeLineSchema))
    by_tier = fields.Dict(keys=fields.String(), values=fields.Float())
    missing_parts = Integer()


class PactImportSchema(Schema):
    part_id = Integer(required=True)
    document = fields.Dict(
        required=True, metadata={"description": "PACT v2 or v3 ProductFootprint"}
    )


class RollupSchema(Schema):
    year = Integer(
        load_default=lambda: local_today().year,
        validate=YEARS,
        metadata={"description": "The reporting year; this year by default (product's clock)"},
    )
