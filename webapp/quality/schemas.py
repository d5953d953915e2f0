"""Output and query schemas of the quality API (inputs are validated by the domain operations)."""

from __future__ import annotations

import math
from typing import Any

from marshmallow import Schema, fields, validate

from models.quality.entities import CLASSIFICATIONS
from models.validation import Integer


class Finite(fields.Float):
    """A computed number; infinity or NaN (from data stored before values were bounded) is
    given as null, since JSON has no such numbers."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        number = super()._serialize(value, attr, obj, **kwargs)
        return number if number is None or math.isfinite(number) else None


class CharacteristicOutSchema(Schema):
    id = Integer()
    part_id = Integer()
    buyer_org_id = Integer()
    supplier_org_id = Integer()
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    nominal = fields.Float(allow_none=True)
    lsl = fields.Float(allow_none=True)
    usl = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    classification = fields.String()
    subgroup_size = Integer()
    active = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CharacteristicQuerySchema(Schema):
    supplier_org_id = Integer(load_default=None)
    part_id = Integer(load_default=None)
    classification = fields.String(load_default=None, validate=validate.OneOf(CLASSIFICATIONS))


class StatisticsOutSchema(Schema):
    characteristic_id = Integer()
    computed_at = fields.DateTime()
    chart = fields.String()
    subgroup_size = Integer()
    rules = fields.String()
    n = Integer()
    ignored = Integer()
    points = Integer()
    mean = Finite(allow_none=True)
    center = Finite(allow_none=True)
    ucl = Finite(allow_none=True)
    lcl = Finite(allow_none=True)
    dispersion_center = Finite(allow_none=True)
    dispersion_ucl = Finite(allow_none=True)
    dispersion_lcl = Finite(allow_none=True)
    sigma_within = Finite(allow_none=True)
    sigma_overall = Finite(allow_none=True)
    cp = Finite(allow_none=True)
    cpk = Finite(allow_none=True)
    pp = Finite(allow_none=True)
    ppk = Finite(allow_none=True)
    cpm = Finite(allow_none=True)
    status = fields.String(allow_none=True)
    capable_threshold = Finite()
    watch_threshold = Finite()
    signal_counts = fields.Dict(keys=fields.String(), values=Integer())
    last_measured_at = fields.DateTime(allow_none=True)


class ChartOutSchema(Schema):
    chart = fields.String(allow_none=True)
    subgroup_size = Integer()
    unit = fields.String()
    labels = fields.List(fields.String())
    lots = fields.List(fields.String())
    points = fields.List(Finite(allow_none=True))
    dispersion = fields.List(Finite(allow_none=True))
    limits = fields.Dict(keys=fields.String(), values=Finite(allow_none=True))
    spec = fields.Dict(keys=fields.String(), values=Finite(allow_none=True))
    signals = fields.List(fields.Dict())
    incomplete = Integer()


class DefectOutSchema(Schema):
    defect_code = fields.String()
    count = Integer()


class InspectionOutSchema(Schema):
    id = Integer()
    supplier_org_id = Integer()
    buyer_org_id = Integer()
    part_id = Integer()
    lot_number = fields.String()
    lot_id = Integer(allow_none=True)
    inspected_at = fields.DateTime()
    document_number = fields.String(allow_none=True)
    inspected_quantity = Integer(allow_none=True)
    defective_quantity = Integer(allow_none=True)
    source = fields.String()
    defects = fields.List(fields.Nested(DefectOutSchema))
    created_at = fields.DateTime()
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
    idempotency_key = fields.String(allow_none=True)


class InspectionVoidSchema(Schema):
    reason = fields.String(required=True, metadata={"description": "Why, 3 to 500 characters"})


class InspectionCreatedSchema(InspectionOutSchema):
    job_id = Integer(allow_none=True)
    characteristic_ids = fields.List(Integer())


class InspectionRecordedSchema(InspectionCreatedSchema):
    unknown_lot_numbers = fields.List(
        fields.String(),
        metadata={"description": "Lot numbers saved that are no lot of the supplier yet"},
    )
    notices = fields.List(
        fields.String(), metadata={"description": "What the user should be told, translated"}
    )


class RecomputeSchema(Schema):
    characteristic_ids = fields.List(Integer(), load_default=None)


class AlertOutSchema(Schema):
    id = Integer()
    characteristic_id = Integer()
    supplier_org_id = Integer()
    buyer_org_id = Integer()
    rules = fields.String()
    rule = Integer()
    points = fields.List(Integer())
    measurement_ids = fields.List(Integer())
    active = fields.Boolean()
    status = fields.String()
    note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class AlertQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))
    characteristic_id = Integer(load_default=None)
    active = fields.Boolean(load_default=None)


class PeriodQuerySchema(Schema):
    supplier_org_id = Integer(load_default=None)
    part_id = Integer(load_default=None)
    since = fields.Date(load_default=None)
    by_part = fields.Boolean(load_default=True)


class PpmOutSchema(Schema):
    supplier_org_id = Integer()
    part_id = Integer(allow_none=True)
    period = fields.String()
    received = fields.Float()
    rejected = fields.Float()
    lots = Integer()
    rejected_lots = Integer()
    ppm = fields.Float(allow_none=True)


class YieldOutSchema(Schema):
    supplier_org_id = Integer()
    part_id = Integer(allow_none=True)
    period = fields.String()
    inspected = Integer()
    defective = Integer()
    first_pass_yield = fields.Float(allow_none=True)


class CriticalCapabilityOutSchema(Schema):
    supplier_org_id = Integer()
    characteristics = Integer()
    capable = Integer()
    watch = Integer()
    action = Integer()
    unknown = Integer()
    min_cpk = Finite(allow_none=True)


class StepAttachmentOutSchema(Schema):
    id = Integer()
    attachment_id = Integer()
    filename = fields.String()
    created_at = fields.DateTime()


class StepOutSchema(Schema):
    id = Integer()
    step = fields.String()
    status = fields.String()
    text = fields.String(allow_none=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields", allow_none=True)
    owner_user_id = Integer(allow_none=True)
    due_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    review_comment = fields.String(allow_none=True)
    attachments = fields.List(fields.Nested(StepAttachmentOutSchema))


class CaseOutSchema(Schema):
    id = Integer()
    number = fields.String()
    buyer_org_id = Integer()
    supplier_org_id = Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    part_id = Integer(allow_none=True)
    lot_number = fields.String(allow_none=True)
    characteristic_id = Integer(allow_none=True)
    alert_id = Integer(allow_none=True)
    incident_id = Integer(allow_none=True)
    status = fields.String()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class CaseDetailSchema(CaseOutSchema):
    steps = fields.List(fields.Nested(StepOutSchema))


class CaseQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))


class SettingsOutSchema(Schema):
    capable = fields.Float()
    watch = fields.Float()
    rules = fields.String()
    due_hours = fields.Dict(keys=fields.String(), values=Integer())
    escalate_after_hours = Integer()
