"""API: who am I (for machine clients checking their token)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from models.validation import Integer

bp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The signed-in user")


class MeSchema(Schema):
    user_id = Integer()
    name = fields.String()
    email = fields.String()
    org_id = Integer()
    org_kind = fields.String()
    role = fields.String()


@bp.route("")
class Me(MethodView):
    decorators = [login_required]

    @bp.response(200, MeSchema)
    def get(self) -> object:
        return current_user
