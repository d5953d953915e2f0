"""Schemas of the orders API: what it returns and which query parameters it takes.

Write bodies are documented with the domain's own input schemas (``models.orders.schemas``),
which the domain operations load; quantities and prices are returned as decimal strings.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from models.orders.overview import MAX_DUE_WITHIN_DAYS, SCOPES
from models.validation import Integer


def amount() -> fields.Decimal:
    """A decimal that may be missing, as a string (no binary rounding on the way)."""
    return fields.Decimal(as_string=True, allow_none=True)


class PartViewSchema(Schema):
    id = Integer()
    part_number = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    unit = fields.String()
    mass_kg = fields.Decimal(as_string=True, allow_none=True)
    supplier_org_id = Integer(allow_none=True)
    supplier_part_number = fields.String(allow_none=True)


class BomLineViewSchema(Schema):
    id = Integer()
    parent_part_id = Integer()
    child_part_id = Integer()
    quantity = fields.Decimal(as_string=True)
    scrap_pct = fields.Decimal(as_string=True)


class OrderLineBriefSchema(Schema):
    id = Integer()
    line_no = Integer()
    part_id = Integer()
    quantity = fields.Decimal(as_string=True)
    unit = fields.String()
    due_date = fields.Date()
    unit_price = fields.Decimal(as_string=True, allow_none=True)
    confirmation = fields.String()
    status = fields.String()
    short_code = fields.String()


class OrderViewSchema(Schema):
    id = Integer()
    number = fields.String()
    buyer_org_id = Integer()
    supplier_org_id = Integer()
    order_date = fields.Date()
    currency = fields.String()
    status = fields.String()
    source = fields.String()
    note = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(OrderLineBriefSchema))


class LineViewSchema(Schema):
    """An order line with its progress; ``unit_price`` is null for anyone but the two parties."""

    id = Integer(attribute="line.id")
    order_id = Integer(attribute="line.order_id")
    order_number = fields.String()
    line_no = Integer(attribute="line.line_no")
    buyer_org_id = Integer(attribute="line.buyer_org_id")
    supplier_org_id = Integer(attribute="line.supplier_org_id")
    part_number = fields.String(attribute="part.part_number")
    quantity = fields.Decimal(as_string=True, attribute="line.quantity")
    agreed_quantity = fields.Decimal(as_string=True, attribute="agreed")
    unit = fields.String(attribute="line.unit")
    due_date = fields.Date(attribute="line.due_date")
    promised_date = fields.Date(attribute="promised")
    unit_price = amount()
    confirmation = fields.String(attribute="line.confirmation")
    status = fields.String(attribute="line.status")
    stage = fields.String(allow_none=True)
    quantity_done = amount()
    expected_finish = fields.Date(allow_none=True)
    last_report_at = fields.DateTime(allow_none=True)
    shipped = fields.Decimal(as_string=True)
    received = fields.Decimal(as_string=True)
    rejected = fields.Decimal(as_string=True)
    percent = Integer()
    late = fields.Boolean()
    stalled = fields.Boolean()


class LineQuerySchema(Schema):
    scope = fields.String(load_default="buying", validate=validate.OneOf(SCOPES))
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "closed", "all"]))
    supplier_id = Integer(load_default=None)
    buyer_id = Integer(load_default=None)
    due_within = Integer(load_default=None, validate=validate.Range(min=0, max=MAX_DUE_WITHIN_DAYS))
    late = fields.Boolean(load_default=False)
    stalled = fields.Boolean(load_default=False)
    q = fields.String(load_default=None)


class ConfirmationViewSchema(Schema):
    id = Integer()
    line_id = Integer()
    action = fields.String()
    quantity = amount()
    promised_date = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    source = fields.String()
    by_org_id = Integer()
    at = fields.DateTime()


class ReportViewSchema(Schema):
    id = Integer()
    line_id = Integer()
    stage = fields.String()
    quantity_done = fields.Decimal(as_string=True)
    expected_finish = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    photo_id = Integer(allow_none=True)
    idempotency_key = fields.String()
    supersedes_id = Integer(allow_none=True)
    source = fields.String()
    reported_at = fields.DateTime()


class EventSchema(Schema):
    kind = fields.String()
    at = fields.DateTime()
    data = fields.Dict()


class TimelineViewSchema(Schema):
    line = fields.Nested(LineViewSchema, attribute="row")
    version = fields.String()
    predicted_finish = fields.Date(allow_none=True)
    events = fields.List(fields.Nested(EventSchema))


class ShipmentLotViewSchema(Schema):
    id = Integer()
    notice_line_id = Integer()
    lot_id = Integer()
    lot_number = fields.String(attribute="lot.lot_number")
    quantity = fields.Decimal(as_string=True)


class ShippedLotViewSchema(Schema):
    id = Integer(attribute="shipment_lot.id")
    lot_id = Integer(attribute="lot.id")
    lot_number = fields.String(attribute="lot.lot_number")
    quantity = fields.Decimal(as_string=True, attribute="shipment_lot.quantity")


class NoticeLineViewSchema(Schema):
    """A notice line with its first lots; ``lot_count`` says how many it has and ``lots_url``
    pages through them all."""

    id = Integer(attribute="notice_line.id")
    order_line_id = Integer(attribute="notice_line.order_line_id")
    quantity = fields.Decimal(as_string=True, attribute="notice_line.quantity")
    lots = fields.List(fields.Nested(ShippedLotViewSchema))
    lot_count = Integer()
    lots_url = fields.Method("_lots_url")

    def _lots_url(self, line: Any) -> str:
        notice_line = line.notice_line
        return f"/api/v1/ship-notices/{notice_line.notice_id}/lots?line={notice_line.id}"


class NoticeViewSchema(Schema):
    id = Integer(attribute="notice.id")
    number = fields.String(attribute="notice.number")
    supplier_org_id = Integer(attribute="notice.supplier_org_id")
    buyer_org_id = Integer(attribute="notice.buyer_org_id")
    ship_date = fields.Date(attribute="notice.ship_date")
    carrier = fields.String(allow_none=True, attribute="notice.carrier")
    tracking = fields.String(allow_none=True, attribute="notice.tracking")
    source = fields.String(attribute="notice.source")
    lines = fields.List(fields.Nested(NoticeLineViewSchema))


class NoticeLotsQuerySchema(Schema):
    line = Integer(load_default=None)


class NoticeQuerySchema(Schema):
    role = fields.String(load_default=None, validate=validate.OneOf(["buying", "selling"]))


class ReceiptViewSchema(Schema):
    id = Integer()
    shipment_lot_id = Integer()
    order_line_id = Integer()
    received_quantity = fields.Decimal(as_string=True)
    rejected_quantity = fields.Decimal(as_string=True)
    reason_code = fields.String(allow_none=True)
    received_on = fields.Date()
    idempotency_key = fields.String(allow_none=True)


class ConsumptionViewSchema(Schema):
    id = Integer()
    output_lot_id = Integer()
    input_lot_id = Integer()
    quantity = amount()
    source = fields.String()


class LotViewSchema(Schema):
    id = Integer()
    lot_number = fields.String()
    part_id = Integer()
    quantity = amount()
    made_at = fields.Date(allow_none=True)


class UploadViewSchema(Schema):
    """A stored upload; ``errors`` name the row (1 = header) and column of each problem."""

    id = Integer(attribute="upload.id")
    status = fields.String(attribute="upload.status")
    filename = fields.String(attribute="upload.filename")
    sha256 = fields.String(attribute="upload.sha256")
    repeated = fields.Boolean()
    written = fields.List(Integer())
    errors = fields.List(fields.Dict())


class FileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class SearchQuerySchema(Schema):
    q = fields.String(load_default=None)
    number = fields.String(load_default=None)
