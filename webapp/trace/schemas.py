"""Schemas of the trace and incident API (output, query strings and documented bodies)."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_login import current_user
from marshmallow import Schema, fields, validate

from models.trace.entities import INCIDENT_STATES, SEVERITIES, Incident
from models.trace.graph import DIRECTIONS, MAX_DEPTH
from models.trace.scope import Lens
from models.validation import Integer
from webapp.database import db_session
from webapp.templating import current_locale
from webapp.trace.labels import WITHHELD_WORDS


class TraceQuerySchema(Schema):
    max_depth = Integer(load_default=MAX_DEPTH, validate=validate.Range(min=1, max=MAX_DEPTH))


class SearchQuerySchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=120))


class LotSchema(Schema):
    id = Integer()
    lot_number = fields.String()
    maker = fields.Function(lambda lot: lot.maker.credit_code)
    maker_name = fields.Function(lambda lot: lot.maker.name_zh)
    part_number = fields.Function(lambda lot: lot.part.part_number)
    quantity = fields.Decimal(as_string=True, allow_none=True)
    made_at = fields.Date(allow_none=True)


class LotHitSchema(LotSchema):
    matched = fields.String(metadata={"description": "lot, serial, part, order or notice"})


class TraceNodeSchema(Schema):
    id = fields.String(metadata={"description": "lot-<id>, or withheld-<n> for a withheld group"})
    lot_number = fields.String(allow_none=True)
    maker = fields.String(allow_none=True, metadata={"description": "maker's credit code"})
    maker_name = fields.String(allow_none=True)
    tier = Integer(allow_none=True, metadata={"description": "relative to the viewer"})
    part_number = fields.String(allow_none=True)
    part_name = fields.String(allow_none=True)
    depth = Integer()
    quantity = fields.Float(allow_none=True)
    unit = fields.String(allow_none=True)
    made_at = fields.String(allow_none=True)
    withheld = fields.Boolean()
    count = Integer(metadata={"description": "lots in a withheld group (1 otherwise)"})
    end = fields.Boolean(metadata={"description": "raw material (up) or finished lot (down)"})
    truncated = fields.Boolean()
    incident = fields.Boolean()
    path = fields.List(fields.String())


class TraceEdgeSchema(Schema):
    from_ = fields.String(attribute="from", data_key="from")
    to = fields.String()
    quantity = fields.Float(allow_none=True)
    from_id = fields.String()
    to_id = fields.String()


class TraceShipmentSchema(Schema):
    lot_id = fields.String()
    lot_number = fields.String()
    ship_notice = fields.String()
    ship_date = fields.String(allow_none=True)
    quantity = fields.Float(allow_none=True)
    receiver = fields.String(allow_none=True)
    receiver_name = fields.String(allow_none=True)
    received = fields.Float(allow_none=True)
    rejected = fields.Float(allow_none=True)
    received_on = fields.String(allow_none=True)


class WithheldSchema(Schema):
    tier = Integer(allow_none=True)
    lots = Integer()


class TraceSchema(Schema):
    root = fields.String()
    roots = fields.List(fields.String())
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    max_depth = Integer()
    truncated = fields.Boolean()
    nodes = fields.List(fields.Nested(TraceNodeSchema))
    edges = fields.List(fields.Nested(TraceEdgeSchema))
    shipments = fields.List(fields.Nested(TraceShipmentSchema))
    withheld = fields.List(fields.Nested(WithheldSchema))


class BulkBodySchema(Schema):
    lot_numbers = fields.List(fields.String(), required=True)
    direction = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(DIRECTIONS)
    )
    max_depth = Integer(load_default=MAX_DEPTH, validate=validate.Range(min=1, max=MAX_DEPTH))


class BulkEntrySchema(Schema):
    lot_number = fields.String()
    lots = fields.List(fields.Nested(LotSchema))


class BulkResultSchema(Schema):
    results = fields.List(fields.Nested(BulkEntrySchema))
    not_found = fields.List(fields.String())
    trace = fields.Nested(TraceSchema, allow_none=True)


class IncidentQuerySchema(Schema):
    state = fields.String(load_default=None, validate=validate.OneOf(INCIDENT_STATES))
    severity = fields.String(load_default=None, validate=validate.OneOf(SEVERITIES))


class IncidentEventSchema(Schema):
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    note = fields.String(allow_none=True)
    at = fields.DateTime()


def _lens() -> Lens:
    """What the signed-in organisation may see and name, worked out once per request."""
    if "trace_lens" not in g:
        g.trace_lens = Lens.of(db_session(), current_user.org_id)
    return g.trace_lens


def _named(org_id: int) -> int | None:
    return org_id if _lens().may_name(org_id) else None


def _shown_lots(incident: Incident) -> list[int]:
    return [link.lot_id for link in incident.lots if _lens().sees(link.lot)]


def _events(incident: Incident) -> list[dict[str, Any]]:
    """The incident's history; the notes only for those who read the incident's words."""
    events = IncidentEventSchema(many=True).dump(incident.events)
    if not _lens().reads(incident):
        for event in events:
            event["note"] = None
    return events


class IncidentSchema(Schema):
    """An incident as one party sees it: an organisation the reader may not name and a lot
    its maker withholds from the reader are left out, as on the incident's page."""

    id = Integer()
    reference = fields.String()
    title = fields.Function(
        lambda i: i.title if _lens().reads(i) else str(WITHHELD_WORDS),
        metadata={"description": "the opener's title, or a note that it keeps its words"},
    )
    description = fields.Function(
        lambda i: i.description if _lens().reads(i) else None,
        metadata={"description": "null when the opener is not known to you"},
    )
    severity = fields.String()
    state = fields.String()
    opener_org_id = fields.Function(
        lambda i: _named(i.opener_org_id),
        metadata={"description": "null when the opener is not shown to you"},
    )
    supplier_org_id = fields.Function(
        lambda i: _named(i.supplier_org_id),
        metadata={"description": "null when the supplier is not shown to you"},
    )
    lot_ids = fields.Function(
        _shown_lots, metadata={"description": "the lots whose makers let you see them"}
    )
    withheld_lots = fields.Function(
        lambda i: len(i.lots) - len(_shown_lots(i)),
        metadata={"description": "how many of the incident's lots are withheld from you"},
    )
    scope_job_id = Integer(allow_none=True)
    snapshot_id = Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    events = fields.Function(_events)


class ScopeLotSchema(Schema):
    relation = fields.String()
    depth = Integer()
    finished = fields.Boolean()
    lot_id = fields.Function(lambda item: item.lot.id)
    lot_number = fields.Function(lambda item: item.lot.lot_number)
    part_number = fields.Function(lambda item: item.part.part_number)
    maker = fields.Function(lambda item: item.maker.credit_code)
    tier = Integer(allow_none=True)
    shipments = fields.Function(
        lambda item: item.receivers(current_locale()),
        metadata={"description": "each shipment as 'notice → receiver' ('—': not shown to you)"},
    )


class WithheldGroupSchema(Schema):
    relation = fields.String()
    tier = Integer(allow_none=True)
    lots = Integer()
    finished = Integer()


class ScopeOrgSchema(Schema):
    organisation = fields.Function(
        lambda o: o.organisation.credit_code if o.organisation else None,
        metadata={"description": "credit code, or null when not shown to you"},
    )
    name = fields.Function(lambda o: o.organisation.name_zh if o.organisation else None)
    tier = Integer(allow_none=True)
    lots_made = fields.Function(lambda o: o.row.lots_made)
    lots_received = fields.Function(lambda o: o.row.lots_received)
    finished_lots = fields.Function(lambda o: o.row.finished_lots)
    hop = fields.Function(lambda o: o.row.hop)
    forwarded_by = fields.Function(lambda o: o.forwarded_by.credit_code if o.forwarded_by else None)
    notified_at = fields.Function(
        lambda o: o.row.notified_at.isoformat() if o.row.notified_at else None
    )


class ScopeSchema(Schema):
    snapshot_id = Integer(allow_none=True)
    status = fields.String(metadata={"description": "none, computing or complete"})
    summary = fields.Dict(allow_none=True)
    lots = fields.List(fields.Nested(ScopeLotSchema))
    withheld = fields.List(fields.Nested(WithheldGroupSchema))
    organisations = fields.List(fields.Nested(ScopeOrgSchema))
