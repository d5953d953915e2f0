"""API: ship notices with lots, receipts, lot consumption and the organisation's lots."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select

from models.orders import imports
from models.orders.consumption import declare_consumption
from models.orders.notices import lots_query, notice_lots_query, notice_views, notices_query
from models.orders.receiving import record_receipt
from models.orders.schemas import ConsumptionSchema, ReceiptSchema, ShipNoticeSchema
from models.orders.shipping import create_ship_notice, get_notice
from webapp.api_base import SelectPage, json_body, json_object, or_error
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.orders.api import upload_result
from webapp.orders.schemas import (
    ConsumptionViewSchema,
    FileSchema,
    LotViewSchema,
    NoticeLotsQuerySchema,
    NoticeQuerySchema,
    NoticeViewSchema,
    ReceiptViewSchema,
    SearchQuerySchema,
    ShipmentLotViewSchema,
    UploadViewSchema,
)

bp = Blueprint(
    "logistics_api",
    __name__,
    url_prefix="/api/v1",
    description="Ship notices with lots, receipts and lot consumption",
)


class NoticePage(SelectPage):
    """A page of notices, each as its resource (lines with their first lots)."""

    @property
    def items(self) -> list[Any]:
        return notice_views(db_session(), super().items)


@bp.route("/ship-notices")
class Notices(MethodView):
    decorators = [login_required]

    @bp.arguments(NoticeQuerySchema, location="query")
    @bp.response(200, NoticeViewSchema(many=True))
    @bp.paginate(NoticePage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Ship notices my organisation sent (``selling``) or receives (``buying``); each line
        lists its first lots (``lot_count`` in all; the rest at its ``lots_url``)."""
        return notices_query(current_user.org_id, query.get("role"))

    @json_body(ShipNoticeSchema, "Lines named by id or by PO number and line (EDI 856 shape).")
    @bp.response(201, NoticeViewSchema)
    def post(self) -> Any:
        """Send a ship notice: quantities per order line and the lots they travel in."""
        with unit_of_work() as session:
            notice = create_ship_notice(session, current_actor(), json_object())
            return notice_views(session, [notice])[0]


@bp.route("/ship-notices/<id:notice_id>")
class NoticeOne(MethodView):
    decorators = [login_required]

    @bp.response(200, NoticeViewSchema)
    def get(self, notice_id: int) -> Any:
        """A ship notice my organisation sent or receives; each line lists its first lots
        (``lot_count`` in all; the rest at its ``lots_url``)."""
        session = db_session()
        return notice_views(session, [get_notice(session, current_user.org_id, notice_id)])[0]


@bp.route("/ship-notices/<id:notice_id>/lots")
class NoticeLots(MethodView):
    decorators = [login_required]

    @bp.arguments(NoticeLotsQuerySchema, location="query")
    @bp.response(200, ShipmentLotViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any], notice_id: int) -> Select[Any]:
        """The lots of a ship notice my organisation sent or receives, in the order sent
        (``?line=`` for those of one notice line)."""
        return notice_lots_query(db_session(), current_user.org_id, notice_id, query["line"])


@bp.route("/ship-notices/<id:notice_id>/receipts")
class Receipts(MethodView):
    decorators = [login_required]

    @json_body(
        ReceiptSchema,
        "Per lot: received and rejected quantity, reason for rejects; with all_as_shipped, "
        "every lot not named arrived in full; the idempotency key makes retries harmless.",
    )
    @bp.response(201, ReceiptViewSchema(many=True))
    @bp.alt_response(200, schema=ReceiptViewSchema(many=True), description="Already recorded.")
    def post(self, notice_id: int) -> Any:
        """Record the receipt of lots of a ship notice addressed to my organisation; a repeated
        key returns the receipts it first recorded (200)."""
        data = {**json_object(), "ship_notice_id": notice_id}
        with unit_of_work() as session:
            receipts, created = record_receipt(session, current_actor(), data)
        return receipts, 201 if created else 200


@bp.route("/lot-consumptions")
class Consumption(MethodView):
    decorators = [login_required]

    @json_body(ConsumptionSchema, "One output lot of mine and the input lots it consumed.")
    @bp.response(201, ConsumptionViewSchema(many=True))
    def post(self) -> Any:
        """Declare which received lots went into one of my lots."""
        with unit_of_work() as session:
            return declare_consumption(session, current_actor(), json_object())


@bp.route("/lot-consumptions/upload")
class ConsumptionUpload(MethodView):
    decorators = [login_required]

    @bp.arguments(FileSchema, location="files")
    @bp.response(201, UploadViewSchema)
    @bp.alt_response(
        422,
        schema=or_error(UploadViewSchema),
        description="Rejected: the upload kept with its errors, nothing written; or no file.",
    )
    def post(self, files: dict[str, Any]) -> Any:
        """Import consumption from CSV/XLSX (template at /orders/consumption/template.xlsx)."""
        file = files["file"]
        with unit_of_work() as session:
            result = imports.import_consumption(
                session, current_actor(), file.filename or "upload", file.read()
            )
        return upload_result(result)


@bp.route("/lots")
class Lots(MethodView):
    decorators = [login_required]

    @bp.arguments(SearchQuerySchema, location="query")
    @bp.response(200, LotViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Lots my organisation made, newest first (``?number=`` for one)."""
        return lots_query(current_user.org_id, query.get("number"))
