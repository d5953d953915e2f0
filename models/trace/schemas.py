"""Input schemas of incidents: opening one on lots, and moving it through its states."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from models.i18n import N_, Msg
from models.trace.entities import SEVERITIES
from models.validation import Integer

MAX_INCIDENT_LOTS = 500
ACTIONS = ("send", "acknowledge", "accept", "decline", "close")


class LotRefSchema(Schema):
    lot_number = fields.String(required=True, validate=validate.Length(min=1, max=80))
    maker = fields.String(load_default=None, validate=validate.Length(max=18))


class IncidentCreateSchema(Schema):
    """Lots may be given by id (``lot_ids``, from a trace page) or by number (``lots``)."""

    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    severity = fields.String(
        required=True,
        validate=validate.OneOf(SEVERITIES, error=N_("Choose minor, major, critical or safety.")),
    )
    description = fields.String(load_default="", validate=validate.Length(max=10000))
    lot_ids = fields.List(
        Integer(strict=False, validate=validate.Range(min=1, max=2**63 - 1)),
        load_default=list,
    )
    lots = fields.List(fields.Nested(LotRefSchema), load_default=list)

    @validates_schema(skip_on_field_errors=False)
    def _some_lots(self, data: dict[str, Any], **_: Any) -> None:
        count = len(data.get("lot_ids") or []) + len(data.get("lots") or [])
        if count == 0 and "lot_ids" in data and "lots" in data:
            raise ValidationError(Msg(N_("Name at least one lot.")), "lot_ids")
        if count > MAX_INCIDENT_LOTS:
            raise ValidationError(
                Msg(N_("At most %(limit)s lots per incident."), limit=MAX_INCIDENT_LOTS),
                "lot_ids",
            )


class IncidentActionSchema(Schema):
    action = fields.String(
        required=True, validate=validate.OneOf(ACTIONS, error=N_("Unknown action."))
    )
    note = fields.String(load_default=None, validate=validate.Length(max=5000))

    @validates_schema
    def _decline_needs_reason(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("action") == "decline" and not (data.get("note") or "").strip():
            raise ValidationError(Msg(N_("Say why the incident is declined.")), "note")
