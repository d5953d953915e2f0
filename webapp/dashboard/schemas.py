"""Output and query schemas of the scorecard API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models.scorecards.entities import DISPUTE_STATES, PERIOD_KINDS
from models.scorecards.kpis import KPI_CATEGORIES
from models.scorecards.messages import reason
from models.validation import Day, Integer
from webapp.i18n import translate


class PeriodQuerySchema(Schema):
    period = fields.String(load_default="week", validate=validate.OneOf(PERIOD_KINDS))
    start = Day(load_default=None, metadata={"description": "Any day of the period"})


class ScorecardQuerySchema(PeriodQuerySchema):
    tier = Integer(load_default=None, validate=validate.Range(min=1, max=12))
    category = fields.String(load_default=None, validate=validate.OneOf(KPI_CATEGORIES))
    supplier = Integer(
        load_default=None,
        validate=validate.Range(min=1),
        metadata={"description": "Only this supplier and the suppliers below it"},
    )
    q = fields.String(load_default=None, metadata={"description": "Part of a supplier's name"})


class CardQuerySchema(Schema):
    period = fields.String(load_default="week", validate=validate.OneOf(PERIOD_KINDS))
    count = Integer(load_default=12, validate=validate.Range(min=1, max=60))


class DisputeQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(DISPUTE_STATES))


class SupplierScoreSchema(Schema):
    org_id = Integer()
    name_zh = fields.String()
    name_en = fields.String()
    tier = Integer(allow_none=True)
    index = fields.Float(allow_none=True)
    status = fields.String(metadata={"description": "green, amber, red or none (no data)"})
    values = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    withheld = fields.Function(lambda row: sorted(row.withheld))


class OverviewSchema(Schema):
    period = fields.String()
    totals = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    index = fields.Float(allow_none=True)
    suppliers = Integer()
    statuses = fields.Dict(keys=fields.String(), values=Integer())
    at_risk_suppliers = Integer()
    lines_at_risk = Integer()


class KpiCellSchema(Schema):
    code = fields.String()
    value = fields.Float(allow_none=True)
    num = fields.Float(allow_none=True)
    den = fields.Float(allow_none=True)
    score = fields.Float(allow_none=True)
    withheld = fields.Boolean()


class PeriodCardSchema(Schema):
    period = fields.Function(lambda p: p.period.label)
    kind = fields.Function(lambda p: p.period.kind)
    start = fields.Function(lambda p: p.period.start.isoformat())
    index = fields.Float(allow_none=True)
    computed_at = fields.DateTime(allow_none=True)
    kpis = fields.Function(lambda p: [KpiCellSchema().dump(c) for c in p.cells.values()])


class SupplierCardSchema(Schema):
    org_id = fields.Function(lambda c: c.organisation.id)
    name_zh = fields.Function(lambda c: c.organisation.name_zh)
    name_en = fields.Function(lambda c: c.organisation.name_en)
    tier = Integer(allow_none=True)
    withheld_categories = fields.Function(lambda c: sorted(c.withheld))
    periods = fields.List(fields.Nested(PeriodCardSchema))


class DrillSchema(Schema):
    kpi = fields.String()
    period = fields.Function(lambda d: d.period.label)
    columns = fields.List(fields.String())
    rows = fields.List(fields.Dict())
    withheld = Integer(metadata={"description": "Records of other customers, not shown"})


class RiskLineSchema(Schema):
    line_id = Integer()
    order_id = Integer()
    order_number = fields.String()
    line_no = Integer()
    part_number = fields.Function(lambda line: line.part.part_number)
    supplier_id = fields.Function(lambda line: line.supplier.id)
    supplier_name = fields.Function(lambda line: line.supplier.name_zh)
    tier = Integer(allow_none=True)
    promised = fields.Date(allow_none=True)
    since = fields.DateTime()
    kinds = fields.List(fields.String())
    reasons = fields.Function(lambda line: [translate(r) for r in line.reasons])


class WarningSchema(Schema):
    id = Integer()
    kind = fields.String()
    buyer_org_id = Integer()
    supplier_org_id = Integer()
    line_id = Integer(allow_none=True)
    promised_date = fields.Date(allow_none=True)
    expected_finish = fields.Date(allow_none=True)
    late_days = fields.Float(allow_none=True)
    last_report_at = fields.DateTime(allow_none=True)
    incident_count = Integer(allow_none=True)
    first_seen_at = fields.DateTime()
    updated_at = fields.DateTime()
    reason = fields.Function(lambda warning: translate(reason(warning)))


class RulesSchema(Schema):
    coverage_hours = Integer()
    otd_early_days = Integer()
    otd_late_days = Integer()
    stall_days = Integer()
    stall_due_within_days = Integer()
    projection_days = Integer()
    weights = fields.Dict(keys=fields.String(), values=Integer())


class DisputeViewSchema(Schema):
    id = Integer()
    supplier_org_id = Integer()
    buyer_org_id = Integer()
    kpi = fields.String()
    period_kind = fields.String()
    period_start = fields.Date()
    value_shown = fields.Float(allow_none=True)
    comment = fields.String()
    status = fields.String()
    answer = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)


class OwedSchema(Schema):
    unreported = fields.List(fields.Dict())
    unconfirmed = fields.List(fields.Dict())
    unmeasured = fields.List(fields.Dict())
    carbon = fields.List(fields.Dict())
    eightd = fields.List(fields.Dict())
