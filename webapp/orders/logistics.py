"""Pages of shipping and receiving: ship notices with lots, receipts, lot consumption."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required

from models.errors import Conflict, ValidationFailed
from models.orders import imports, overview
from models.orders.columns import CONSUMPTION_COLUMNS
from models.orders.consumption import declare_consumption
from models.orders.notices import (
    LOTS_SHOWN,
    NoticeView,
    declarations,
    line_lot_count,
    line_lots_view,
    notice_line_count,
    notice_view,
    notices_query,
)
from models.orders.receiving import record_receipt
from models.orders.shipping import create_ship_notice
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.orders.forms import (
    fields,
    lots_from_text,
    remap,
    row_count,
    rows,
    upload_errors,
    uploaded_file,
)
from webapp.orders.labels import labels_context
from webapp.orders.views import sheet_template
from webapp.paging import Paged, page_for, paged
from webapp.query_args import whole_number

bp = Blueprint("logistics", __name__, url_prefix="/orders")
bp.context_processor(labels_context)

INPUT_ROWS = 6
#: Open lines the ship-notice form offers at most.
NOTICE_ROWS = 500
#: Lines of a ship notice shown (and received) on one page.
NOTICE_PAGE = 50
#: Lot rows a receipt form may post: a page of lines, each with its first lots.
RECEIPT_ROWS = NOTICE_PAGE * LOTS_SHOWN


@bp.get("/notices/")
@login_required
def notices() -> str:
    listing = paged(notices_query(current_user.org_id))
    return render_template("orders/notices.html", notices=listing.rows, paged=listing)


def _shippable(buyer_id: int | None) -> list[overview.LineRow]:
    filters = overview.LineFilters(scope="selling", status="open", buyer_id=buyer_id)
    return overview.line_rows(db_session(), current_user.org_id, filters, limit=NOTICE_ROWS)


class NoticeRow(NamedTuple):
    """A row of the ship-notice form: the line it is for, and that line if still shippable."""

    line_id: int | None
    shippable: overview.LineRow | None


def _notice_rows(line_rows: list[overview.LineRow], posted: list[int | None]) -> list[NoticeRow]:
    """The rows in the order the supplier saw them, then the lines that opened since; a row's
    fields stay with its line however the open lines sort now."""
    by_id = {row.line.id: row for row in line_rows}
    shown = [NoticeRow(line_id, by_id.get(line_id) if line_id else None) for line_id in posted]
    return shown + [NoticeRow(row.line.id, row) for row in line_rows if row.line.id not in posted]


def _notice_lines(count: int) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled-in rows of the posted form, each for the line id it carries, and the form row
    each came from."""
    found, origin = rows("lines", ("order_line_id", "quantity", "lots"), count)
    lines, kept = [], []
    for row, index in zip(found, origin, strict=True):
        if row.keys() - {"order_line_id"}:
            lines.append(
                {
                    "order_line_id": row.get("order_line_id"),
                    "quantity": row.get("quantity", ""),
                    "lots": lots_from_text(row.get("lots", "")),
                }
            )
            kept.append(index)
    return lines, kept


@bp.route("/notices/new", methods=["GET", "POST"])
@require_permission("sell")
def new_notice() -> str | Response | tuple[str, int]:
    """A ship notice to one buyer: per open line, the quantity and its lots."""
    buyer_id = request.values.get("buyer", type=whole_number)
    line_rows = _shippable(buyer_id)
    buyers = {row.buyer.id: row.buyer for row in _shippable(None)}
    context = {"buyer_id": buyer_id, "buyers": list(buyers.values())}
    if request.method == "GET":
        return render_template(
            "orders/new_notice.html",
            values={},
            errors={},
            rows=_notice_rows(line_rows, []),
            **context,
        )
    count = row_count("lines", NOTICE_ROWS)
    posted = [request.form.get(f"lines.{i}.order_line_id", type=whole_number) for i in range(count)]
    data: dict[str, Any] = fields("number", "ship_date", "carrier", "tracking")
    data["buyer_org_id"] = buyer_id
    data["lines"], origin = _notice_lines(count)
    try:
        with unit_of_work() as session:
            notice = create_ship_notice(session, current_actor(), data)
    except ValidationFailed as error:
        errors = remap(error.errors, "lines", origin)
        return render_template(
            "orders/new_notice.html",
            values=request.form,
            errors=errors,
            rows=_notice_rows(line_rows, posted),
            **context,
        ), 422
    flash(gettext("Ship notice %(number)s was sent.", number=notice.number), "success")
    return redirect(url_for("logistics.notice", notice_id=notice.id))


@bp.get("/notices/<id:notice_id>")
@login_required
def notice(notice_id: int) -> str:
    """A notice, a page of its lines at a time, each with its first lots."""
    view, page = _notice_page(notice_id)
    return _notice_template("orders/notice.html", view, page, {}, {})


@bp.get("/notices/<id:notice_id>/lines/<id:line_id>/lots")
@login_required
def notice_lots(notice_id: int, line_id: int) -> str:
    """All lots of one line of a notice, a page at a time."""
    view, page = _lots_page(notice_id, line_id)
    return _notice_template("orders/notice_lots.html", view, page, {}, {})


def _notice_template(
    template: str, view: NoticeView, page: Paged, values: Any, errors: dict
) -> str:
    """A page of the notice; its receipt form carries a new idempotency key (a re-shown form
    keeps the one it was posted with), so a double tap or a retry records the receipt once."""
    return render_template(
        template,
        view=view,
        paged=page,
        values=values,
        errors=errors,
        receipt_key=uuid.uuid4().hex,
    )


def _notice_page(notice_id: int) -> tuple[NoticeView, Paged]:
    """The page of the notice's lines that the ``page`` argument names."""
    session, org_id = db_session(), current_user.org_id
    page = page_for(notice_line_count(session, org_id, notice_id), NOTICE_PAGE)
    return notice_view(session, org_id, notice_id, page.offset, NOTICE_PAGE), page


def _lots_page(notice_id: int, line_id: int) -> tuple[NoticeView, Paged]:
    """The page of one notice line's lots that the ``page`` argument names."""
    session, org_id = db_session(), current_user.org_id
    page = page_for(line_lot_count(session, org_id, notice_id, line_id), LOTS_SHOWN)
    view = line_lots_view(session, org_id, notice_id, line_id, page.offset, LOTS_SHOWN)
    return view, page


def _receipt_form_again(
    notice_id: int, line_id: int | None, errors: dict[str, Any], status: int
) -> tuple[str, int]:
    """The page the receipt was posted from, with what was typed and why it was refused."""
    if line_id is None:
        view, page = _notice_page(notice_id)
        return _notice_template("orders/notice.html", view, page, request.form, errors), status
    view, page = _lots_page(notice_id, line_id)
    return _notice_template("orders/notice_lots.html", view, page, request.form, errors), status


@bp.post("/notices/<id:notice_id>/receipt")
@require_permission("buy")
def receive(notice_id: int) -> Response | tuple[str, int]:
    """The buyer's receipt: per lot shown, what arrived and what was rejected; with
    ``all_as_shipped``, every other open lot of the notice arrived in full. Posted from a page
    of the notice's lines, or (``line``) from a page of one line's lots."""
    line_id = request.args.get("line", type=whole_number)
    lots, origin = rows(
        "lots",
        ("shipment_lot_id", "received_quantity", "rejected_quantity", "reason_code"),
        row_count("lots", RECEIPT_ROWS),
    )
    filled = [(lot, i) for lot, i in zip(lots, origin, strict=True) if _typed_in(lot)]
    data = {
        **fields("received_on", "idempotency_key"),
        "ship_notice_id": notice_id,
        "lots": [lot for lot, _ in filled],
        "all_as_shipped": request.form.get("all_as_shipped") == "1",
    }
    try:
        with unit_of_work() as session:
            record_receipt(session, current_actor(), data)
    except ValidationFailed as error:
        errors = remap(error.errors, "lots", [i for _, i in filled])
        return _receipt_form_again(notice_id, line_id, errors, 422)
    except Conflict as error:
        return _receipt_form_again(notice_id, line_id, {"idempotency_key": [error.message]}, 409)
    flash(gettext("Receipt recorded."), "success")
    page = request.args.get("page", type=whole_number)
    if line_id is None:
        return redirect(url_for("logistics.notice", notice_id=notice_id, page=page))
    return redirect(
        url_for("logistics.notice_lots", notice_id=notice_id, line_id=line_id, page=page)
    )


def _typed_in(lot: dict[str, str]) -> bool:
    """Whether the buyer typed anything into a lot's receipt fields: a received quantity, a
    reason, or a rejected quantity other than the form's 0. Such a lot is part of the receipt,
    so a rejection typed without its received quantity is refused with the field named
    instead of being left out."""
    rejected = lot.get("rejected_quantity", "0")
    try:
        rejected_typed = Decimal(rejected) != 0
    except InvalidOperation:
        rejected_typed = True
    return "received_quantity" in lot or "reason_code" in lot or rejected_typed


@bp.route("/consumption", methods=["GET", "POST"])
@require_permission("sell")
def consumption() -> str | Response | tuple[str, int]:
    """Declare which input lots went into an output lot: by form or by spreadsheet."""
    context = {"recent": declarations(db_session(), current_user.org_id), "input_rows": INPUT_ROWS}
    if request.method == "GET":
        return render_template("orders/consumption.html", values={}, errors={}, **context)
    data: dict[str, Any] = fields("output_lot_number", "part_number", "made_at")
    data["inputs"], origin = rows("inputs", ("lot_number", "quantity"), INPUT_ROWS)
    try:
        with unit_of_work() as session:
            declare_consumption(session, current_actor(), data)
    except ValidationFailed as error:
        errors = remap(error.errors, "inputs", origin)
        return render_template(
            "orders/consumption.html", values=request.form, errors=errors, **context
        ), 422
    flash(gettext("Consumption of lot %(lot)s declared.", lot=data["output_lot_number"]), "success")
    return redirect(url_for("logistics.consumption"))


@bp.route("/consumption/upload", methods=["GET", "POST"])
@require_permission("sell")
def consumption_upload() -> str | tuple[str, int]:
    if request.method == "GET":
        return render_template("orders/upload.html", result=None, errors=[], kind="consumption")
    file = uploaded_file()
    if file is None:
        flash(gettext("Choose a file first."), "error")
        return render_template(
            "orders/upload.html", result=None, errors=[], kind="consumption"
        ), 422
    with unit_of_work() as session:
        result = imports.import_consumption(
            session, current_actor(), file.filename or "upload", file.read()
        )
    return render_template(
        "orders/upload.html",
        result=result,
        errors=upload_errors(result.upload),
        kind="consumption",
    ), 200 if result.accepted else 422


@bp.get("/consumption/template.<fmt>")
@login_required
def consumption_template(fmt: str) -> Response:
    return sheet_template(
        CONSUMPTION_COLUMNS, fmt, "lot-consumption", lazy_gettext("Lot consumption")
    )
