"""API: parts and BOMs, purchase orders, order lines with their progress, confirmations and
progress reports. Writes pass the JSON body to the one domain operation of each record."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint, Page
from sqlalchemy import Select, or_, select

from models.orders import imports, overview, parts, purchasing
from models.orders.confirmations import record_confirmation
from models.orders.entities import BomLine, LineConfirmation, PurchaseOrder
from models.orders.lines import visible_line
from models.orders.progress import record_progress, reports_of_line
from models.orders.schemas import (
    BomLineSchema,
    ConfirmationSchema,
    PartSchema,
    ProgressReportSchema,
    PurchaseOrderSchema,
)
from models.orders.timeline import line_timeline
from models.scorecards.updates import request_update
from webapp.api_base import SelectPage, first_item, json_body, json_object, or_error
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.orders.forms import upload_errors
from webapp.orders.schemas import (
    BomLineViewSchema,
    ConfirmationViewSchema,
    FileSchema,
    LineQuerySchema,
    LineViewSchema,
    OrderViewSchema,
    PartViewSchema,
    ReportViewSchema,
    SearchQuerySchema,
    TimelineViewSchema,
    UploadViewSchema,
)
from worker.tasks.scorecards import enqueue_scorecard_refresh

bp = Blueprint(
    "orders_api",
    __name__,
    url_prefix="/api/v1",
    description="Parts, purchase orders, order lines, confirmations and progress reports",
)


class LineRowPage(Page):
    """Pages through the order-line overview (its collection is the list's filters), keeping
    prices for the two parties only."""

    @property
    def items(self) -> list[overview.LineRow]:
        params = self.page_params
        return overview.line_rows(
            db_session(), current_user.org_id, self.collection, params.page_size,
            first_item(params),
        )  # fmt: skip

    @property
    def item_count(self) -> int:
        return overview.count_lines(db_session(), current_user.org_id, self.collection)


def jsonable(value: Any) -> Any:
    """Decimals as strings and dates in ISO form, inside nested event data."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def upload_result(result: imports.ImportResult) -> tuple[dict[str, Any], int]:
    body = {
        "upload": result.upload,
        "repeated": result.repeated,
        "written": result.written,
        "errors": upload_errors(result.upload),
    }
    return body, 201 if result.accepted else 422


@bp.route("/parts")
class Parts(MethodView):
    decorators = [login_required]

    @bp.arguments(SearchQuerySchema, location="query")
    @bp.response(200, PartViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """My organisation's parts, by number."""
        return parts.parts_query(current_user.org_id, query.get("q"))

    @json_body(PartSchema, "A part of my organisation; an existing number is updated.")
    @bp.response(201, PartViewSchema)
    def post(self) -> Any:
        """Create or update one of my parts."""
        with unit_of_work() as session:
            return parts.define_part(session, current_actor(), json_object())


@bp.route("/parts/<id:part_id>")
class PartOne(MethodView):
    decorators = [login_required]

    @bp.response(200, PartViewSchema)
    def get(self, part_id: int) -> Any:
        """One of my parts, or a buyer's part that I make (without the supplier the buyer named
        for it and that supplier's part number, unless that supplier is me)."""
        found = parts.get_part(db_session(), current_user.org_id, part_id)
        return parts.seen_by(found, current_user.org_id)


@bp.route("/parts/<id:part_id>/bom")
class PartBom(MethodView):
    decorators = [login_required]

    @bp.response(200, BomLineViewSchema(many=True))
    def get(self, part_id: int) -> list[BomLine]:
        """The bill of materials my organisation declared for a part."""
        found = parts.get_part(db_session(), current_user.org_id, part_id)
        return [line for line, _ in parts.bom_of(db_session(), found.id, current_user.org_id)]


@bp.route("/bom-lines")
class BomLines(MethodView):
    decorators = [login_required]

    @json_body(BomLineSchema, "A part I make consumes a quantity of one of my parts.")
    @bp.response(201, BomLineViewSchema)
    def post(self) -> Any:
        """Declare or change one line of a bill of materials."""
        with unit_of_work() as session:
            return parts.set_bom_line(session, current_actor(), json_object())


@bp.route("/purchase-orders")
class Orders(MethodView):
    decorators = [login_required]

    @bp.response(200, OrderViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self) -> Select[Any]:
        """Orders my organisation placed or received, newest first."""
        org_id = current_user.org_id
        return (
            select(PurchaseOrder)
            .where(
                or_(PurchaseOrder.buyer_org_id == org_id, PurchaseOrder.supplier_org_id == org_id)
            )
            .order_by(PurchaseOrder.id.desc())
        )

    @json_body(PurchaseOrderSchema, "The order and its lines (same shape as an EDI 850 record).")
    @bp.response(201, OrderViewSchema)
    def post(self) -> Any:
        """Issue a purchase order to one of my active suppliers."""
        with unit_of_work() as session:
            order = purchasing.create_purchase_order(session, current_actor(), json_object())
        return order


@bp.route("/purchase-orders/upload")
class OrdersUpload(MethodView):
    decorators = [login_required]

    @bp.arguments(FileSchema, location="files")
    @bp.response(201, UploadViewSchema)
    @bp.alt_response(
        422,
        schema=or_error(UploadViewSchema),
        description="Rejected: the upload kept with its errors, nothing written; or no file.",
    )
    def post(self, files: dict[str, Any]) -> Any:
        """Import orders from a CSV/XLSX file (template at /orders/template.xlsx?lang=zh|en).

        All rows or none: a rejected file is kept with its errors (row and column) and a 422.
        """
        file = files["file"]
        with unit_of_work() as session:
            result = imports.import_purchase_orders(
                session, current_actor(), file.filename or "upload", file.read()
            )
        return upload_result(result)


@bp.route("/purchase-orders/<id:order_id>")
class OrderOne(MethodView):
    decorators = [login_required]

    @bp.response(200, OrderViewSchema)
    def get(self, order_id: int) -> Any:
        """An order my organisation placed or received."""
        return purchasing.get_order(db_session(), current_user.org_id, order_id)


@bp.route("/order-lines")
class Lines(MethodView):
    decorators = [login_required]

    @bp.arguments(LineQuerySchema, location="query")
    @bp.response(200, LineViewSchema(many=True))
    @bp.paginate(LineRowPage)
    def get(self, query: dict[str, Any]) -> overview.LineFilters:
        """Order lines with progress: ``buying``, ``selling`` or the whole ``chain`` I may see."""
        return overview.LineFilters(
            scope=query["scope"],
            supplier_id=query["supplier_id"],
            buyer_id=query["buyer_id"],
            status=None if query["status"] == "all" else query["status"],
            due_within=query["due_within"],
            late=query["late"],
            stalled=query["stalled"],
            search=query["q"],
        )


@bp.route("/order-lines/<id:line_id>")
class LineOne(MethodView):
    decorators = [login_required]

    @bp.response(200, TimelineViewSchema)
    def get(self, line_id: int) -> Any:
        """A line I may see with its timeline (confirmations, reports, shipments, receipts)."""
        timeline = line_timeline(db_session(), current_user.org_id, line_id)
        for event in timeline.events:
            event.data = jsonable(event.data)
        return timeline


@bp.route("/order-lines/<id:line_id>/confirmations")
class Confirmations(MethodView):
    decorators = [login_required]

    @bp.response(200, ConfirmationViewSchema(many=True))
    def get(self, line_id: int) -> list[LineConfirmation]:
        """The confirmation history of a line, oldest first."""
        visible_line(db_session(), current_user.org_id, line_id)
        return list(
            db_session().scalars(
                select(LineConfirmation)
                .where(LineConfirmation.line_id == line_id)
                .order_by(LineConfirmation.id)
            )
        )

    @json_body(
        ConfirmationSchema,
        "confirm / propose (supplier), accept / reject (buyer). A proposal's omitted quantity "
        "or date stays as currently agreed (else as ordered); the agreement stays in force "
        "until the buyer accepts the proposal.",
    )
    @bp.response(201, ConfirmationViewSchema)
    def post(self, line_id: int) -> Any:
        """Confirm or propose (as the supplier), accept or reject a proposal (as the buyer)."""
        with unit_of_work() as session:
            return record_confirmation(session, current_actor(), line_id, json_object())


@bp.route("/order-lines/<id:line_id>/progress")
class Progress(MethodView):
    decorators = [login_required]

    @bp.response(200, ReportViewSchema(many=True))
    def get(self, line_id: int) -> Any:
        """Every progress report of a line I may see, newest first (corrections included)."""
        visible_line(db_session(), current_user.org_id, line_id)
        return reports_of_line(db_session(), line_id)

    @json_body(ProgressReportSchema, "A report; the idempotency key makes retries harmless.")
    @bp.response(201, ReportViewSchema)
    @bp.alt_response(200, schema=ReportViewSchema, description="Already recorded (same key).")
    def post(self, line_id: int) -> Any:
        """Report progress on one of my lines; a repeated key with the same report returns the
        first report (200), with another stage, quantity, note or photo it is a 409."""
        settings = current_app.extensions["tierlight.settings"]
        with unit_of_work() as session:
            report, created = record_progress(
                session, current_actor(), line_id, json_object(), None, settings.max_photo_bytes
            )
            refresh = created and request_update(session, report.supplier_org_id)
        if refresh:
            enqueue_scorecard_refresh()
        return report, 201 if created else 200
