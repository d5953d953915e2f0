"""API: 8D cases and their steps (save, submit, accept or return, attach files)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select

from models.errors import ValidationFailed
from models.i18n import N_
from models.quality import eightd, queries
from models.quality.entities import EightDAttachment, EightDCase, EightDStep
from models.quality.schemas import EightDOpenSchema, EightDReviewSchema, EightDStepSchema
from models.quality.scope import get_case
from webapp.api_base import SelectPage, json_body, json_object
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.quality.schemas import (
    CaseDetailSchema,
    CaseOutSchema,
    CaseQuerySchema,
    StepAttachmentOutSchema,
    StepOutSchema,
)

bp = Blueprint(
    "eightd_api",
    __name__,
    url_prefix="/api/v1/quality/8d",
    description="8D problem solving: cases opened by buyers, answered step by step by suppliers",
)


@bp.route("")
class Cases(MethodView):
    decorators = [login_required]

    @bp.arguments(CaseQuerySchema, location="query")
    @bp.response(200, CaseOutSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """8D cases I opened, or of suppliers whose quality data I may see."""
        return queries.cases_query(current_user.org_id, query.get("status"))

    @json_body(EightDOpenSchema, "Give alert_id, incident_id or characteristic_id to link it.")
    @bp.response(201, CaseDetailSchema)
    def post(self) -> EightDCase:
        """Open an 8D for a direct supplier (the buyer's quality engineer)."""
        with unit_of_work() as session:
            return eightd.open_eightd(session, current_actor(), json_object())


@bp.route("/<id:case_id>")
class OneCase(MethodView):
    decorators = [login_required]

    @bp.response(200, CaseDetailSchema)
    def get(self, case_id: int) -> EightDCase:
        return get_case(db_session(), current_user.org_id, case_id)


@bp.route("/<id:case_id>/steps/<step:step>")
class Step(MethodView):
    decorators = [login_required]

    @json_body(EightDStepSchema, "Set submit to true to submit the step for review.")
    @bp.response(200, StepOutSchema)
    def put(self, case_id: int, step: str) -> EightDStep:
        """Save (and with submit, submit) the supplier's answer to a step (D0–D8)."""
        with unit_of_work() as session:
            return eightd.save_step(session, current_actor(), case_id, step, json_object())


@bp.route("/<id:case_id>/steps/<step:step>/review")
class Review(MethodView):
    decorators = [login_required]

    @json_body(EightDReviewSchema)
    @bp.response(200, StepOutSchema)
    def post(self, case_id: int, step: str) -> EightDStep:
        """Accept or return a submitted step (a return needs a comment)."""
        with unit_of_work() as session:
            return eightd.review_step(session, current_actor(), case_id, step, json_object())


@bp.route("/<id:case_id>/steps/<step:step>/attachments")
class Attachments(MethodView):
    decorators = [login_required]

    @bp.doc(
        requestBody={
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    )
    @bp.response(201, StepAttachmentOutSchema)
    def post(self, case_id: int, step: str) -> EightDAttachment:
        """Attach a file to a step (multipart field ``file``)."""
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ValidationFailed.on("file", N_("Choose a file."))
        with unit_of_work() as session:
            return eightd.attach_to_step(
                session,
                current_actor(),
                case_id,
                step,
                upload.filename,
                upload.mimetype or "application/octet-stream",
                upload.read(),
            )
