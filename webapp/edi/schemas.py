"""Output and query schemas of the EDI API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models.edi_docs.entities import DOCUMENT_STATES, OUTBOUND_KINDS
from models.validation import Integer


class ProblemSchema(Schema):
    """One error: where (interchange, group, message control numbers, segment position and
    tag, element, or the record field a domain rule refused) and what, in your language.

    ``segment_position`` counts from the message header (ST/UNH = 1) of ``message``;
    ``interchange_position`` counts from the interchange header (ISA/UNB = 1) of
    ``interchange``, for envelope segments outside any message. For a missing segment they
    name the segment after which it was expected."""

    code = fields.String()
    text = fields.String()
    interchange = fields.String(allow_none=True)
    group = fields.String(allow_none=True)
    message = fields.String(allow_none=True)
    segment_position = Integer(allow_none=True)
    segment_tag = fields.String(allow_none=True)
    element = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    interchange_position = Integer(allow_none=True)


class MessageSchema(Schema):
    seq = Integer()
    type = fields.String()
    standard = fields.String()
    control_number = fields.String(allow_none=True)
    interchange_control = fields.String(allow_none=True)
    group_control = fields.String(allow_none=True)
    status = fields.String()
    record_kind = fields.String(allow_none=True)
    entity = fields.String(allow_none=True)
    entity_id = Integer(allow_none=True)
    reference = fields.String(allow_none=True)
    errors = fields.List(fields.Nested(ProblemSchema))


class OutboundSchema(Schema):
    id = Integer()
    kind = fields.String(metadata={"enum": list(OUTBOUND_KINDS)})
    standard = fields.String()
    filename = fields.String()
    size = Integer()
    sha256 = fields.String()
    status = fields.String()
    interchange_control = Integer()
    sender_org_id = Integer(allow_none=True)
    receiver_org_id = Integer(allow_none=True)
    document_id = Integer(allow_none=True)
    purchase_order_id = Integer(allow_none=True)
    ack_document_id = Integer(allow_none=True)
    ack_detail = fields.Dict(allow_none=True)
    created_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)


class SummarySchema(Schema):
    messages = Integer()
    accepted = Integer()
    rejected = Integer()


class DocumentSchema(Schema):
    id = Integer()
    filename = fields.String()
    size = Integer()
    sha256 = fields.String()
    standard = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(DOCUMENT_STATES)})
    sender_org_id = Integer()
    receiver_org_id = Integer(allow_none=True)
    channel = fields.String()
    summary = fields.Nested(SummarySchema)
    created_at = fields.DateTime()
    processed_at = fields.DateTime(allow_none=True)
    job_id = Integer(allow_none=True)


class DocumentDetailSchema(DocumentSchema):
    errors = fields.List(fields.Nested(ProblemSchema))
    messages = fields.List(fields.Nested(MessageSchema))
    acks = fields.List(fields.Nested(OutboundSchema))
    can_process_again = fields.Boolean(
        attribute="can_reprocess",
        metadata={
            "description": "Whether you may process it again now and that could change "
            "something (a refusal data can clear; you sent it or receive all of it)."
        },
    )


class DocumentQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(DOCUMENT_STATES))
    role = fields.String(validate=validate.OneOf(["sent", "received"]))


class OutboundQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf(OUTBOUND_KINDS))
    document_id = Integer(validate=validate.Range(min=1, max=2**63 - 1))


class UploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class IdentityViewSchema(Schema):
    id = Integer()
    org_id = Integer()
    standard = fields.String()
    qualifier = fields.String()
    identifier = fields.String()
    application_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
