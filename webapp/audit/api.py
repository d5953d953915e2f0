"""API: the audit trail of my organisation, for its admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from models.roles import require_permission
from models.validation import Integer
from webapp.api_base import first_item
from webapp.audit.labels import channel_label
from webapp.audit.trail import AuditRow, check_kind, trail_count, trail_rows
from webapp.database import db_session

bp = Blueprint(
    "audit_api", __name__, url_prefix="/api/v1/audit", description="The audit trail of writes"
)


class AuditQuerySchema(Schema):
    kind = fields.String(
        load_default=None,
        metadata={"description": "One kind of record: the part of the action before its dot."},
    )


class AuditRowSchema(Schema):
    id = Integer()
    at = fields.DateTime()
    user_id = Integer(allow_none=True)
    user_name = fields.String(allow_none=True)
    user_email = fields.String(allow_none=True)
    channel = fields.String()
    channel_label = fields.Function(lambda row: channel_label(row.channel))
    action = fields.String()
    kind_label = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    detail = fields.Dict(allow_none=True)


@bp.route("")
class Trail(MethodView):
    decorators = [login_required]

    @bp.arguments(AuditQuerySchema, location="query")
    @bp.response(200, AuditRowSchema(many=True))
    @bp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[AuditRow]:
        """Every write made in my organisation's name, newest first (admins only)."""
        require_permission(current_user.role, "manage_people")
        kind = check_kind(query["kind"])
        session = db_session()
        pagination_parameters.item_count = trail_count(session, current_user.org_id, kind)
        return trail_rows(
            session,
            current_user.org_id,
            kind,
            first_item(pagination_parameters),
            pagination_parameters.page_size,
        )
