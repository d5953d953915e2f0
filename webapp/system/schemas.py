"""Schemas of the jobs API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models.validation import Integer
from webapp.templating import status_label


class JobCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["worker_check"]))


class JobSchema(Schema):
    id = Integer(dump_only=True)
    kind = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda job: status_label(job.status), dump_only=True)
    progress = fields.Float()
    message = fields.String(allow_none=True)
    result = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
