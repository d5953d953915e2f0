"""Schemas of the jobs API."""

from __future__ import annotations

from flask_babel import gettext
from marshmallow import Schema, fields, validate

from models.jobs import JobRun, filled
from models.validation import Integer
from webapp.templating import current_locale, job_kind_label, status_label


def message_label(job: JobRun) -> str | None:
    """A job's progress message in the user's language; none when it has no translation (a
    stage named by its period, say), so that a page shows the status instead."""
    message = job.message
    if not message:
        return None
    translated = gettext(message)
    if translated == message and current_locale() != "en":
        return None
    return filled(translated, job)


class JobCreateSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["worker_check"]))


class JobSchema(Schema):
    id = Integer(dump_only=True)
    kind = fields.String()
    kind_label = fields.Function(lambda job: job_kind_label(job.kind), dump_only=True)
    status = fields.String()
    status_label = fields.Function(lambda job: status_label(job.status), dump_only=True)
    progress = fields.Float()
    message = fields.Function(lambda job: job.message and filled(job.message, job))
    message_label = fields.Function(message_label, dump_only=True)
    result = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
