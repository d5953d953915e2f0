"""Pages of the buyer's side: the order list, an order, a new order, the spreadsheet upload."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import LazyString, force_locale, gettext, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from models.errors import Conflict, Forbidden, ValidationFailed
from models.orders import imports, overview, purchasing
from models.orders.columns import ORDER_COLUMNS
from models.orders.confirmations import open_proposals, record_confirmation
from models.orders.lines import party_line
from models.orders.overview import MAX_DUE_WITHIN_DAYS
from models.orders.parts import parts_query
from models.orgs.entities import Organisation, SupplierLink
from models.sheets import template_csv, template_xlsx
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.i18n import translate
from webapp.orders.forms import fields, remap, rows, upload_errors, uploaded_file
from webapp.orders.labels import labels_context
from webapp.orders.listing import lines_page
from webapp.query_args import up_to, whole_number
from webapp.templating import current_locale

bp = Blueprint("orders", __name__, url_prefix="/orders")
bp.context_processor(labels_context)

FORM_ROWS = 8
LINE_FIELDS = ("line", "part_number", "quantity", "unit", "due_date", "unit_price")


def filters_from_args() -> overview.LineFilters:
    args = request.args
    default_scope = "buying" if current_user.can("buy") else "selling"
    scope = args.get("scope") if args.get("scope") in overview.SCOPES else default_scope
    status = args.get("status", "open")
    return overview.LineFilters(
        scope=scope,
        supplier_id=args.get("supplier", type=whole_number),
        status=status if status in ("open", "closed") else None,
        due_within=args.get("due_within", type=up_to(MAX_DUE_WITHIN_DAYS)),
        late=bool(args.get("late")),
        stalled=bool(args.get("stalled")),
        search=args.get("q") or None,
    )


@bp.get("/")
@login_required
def index() -> str:
    filters = filters_from_args()
    page = lines_page(filters)
    return render_template(
        "orders/index.html",
        rows=page.rows,
        filters=filters,
        total=page.total,
        page=page.page,
        pages=page.pages,
        suppliers=overview.suppliers_in_scope(db_session(), current_user.org_id, filters.scope),
        args=request.args,
    )


@bp.get("/<id:order_id>")
@login_required
def order(order_id: int) -> str:
    session = db_session()
    found = purchasing.get_order(session, current_user.org_id, order_id)
    line_rows = overview.line_rows(
        session,
        current_user.org_id,
        overview.LineFilters(scope="chain", status=None, order_id=found.id),
    )
    proposals = open_proposals(session, [row.line for row in line_rows])
    return render_template("orders/order.html", order=found, rows=line_rows, proposals=proposals)


@bp.post("/lines/<id:line_id>/confirmation")
@login_required
def confirm(line_id: int) -> Response:
    """Confirm, propose, accept or reject; problems are shown on the order page."""
    data = fields("action", "quantity", "promised_date", "note")
    try:
        with unit_of_work() as session:
            record_confirmation(session, current_actor(), line_id, data)
    except ValidationFailed as error:
        shown = (translate(m) for messages in error.errors.values() for m in messages)
        for text in dict.fromkeys(shown):
            flash(text, "error")
    except (Conflict, Forbidden) as error:
        flash(translate(error.message), "error")
    else:
        flash(gettext("Saved."), "success")
    line = party_line(db_session(), current_user.org_id, line_id)
    return redirect(url_for("orders.order", order_id=line.order_id, _anchor=f"line-{line.id}"))


def _supplier_options() -> list[tuple[int, str]]:
    locale = current_locale()
    found = db_session().scalars(
        select(Organisation)
        .join(SupplierLink, SupplierLink.supplier_id == Organisation.id)
        .where(SupplierLink.buyer_id == current_user.org_id, SupplierLink.status == "active")
        .order_by(Organisation.name_zh)
    )
    return [(org.id, org.display_name(locale)) for org in found]


@bp.route("/new", methods=["GET", "POST"])
@require_permission("buy")
def new() -> str | Response | tuple[str, int]:
    parts = list(db_session().scalars(parts_query(current_user.org_id)))
    context = {"suppliers": _supplier_options(), "parts": parts, "form_rows": FORM_ROWS}
    if request.method == "GET":
        return render_template("orders/new.html", values={}, errors={}, **context)
    data: dict[str, Any] = fields("number", "supplier_org_id", "order_date", "currency", "note")
    data["lines"], origin = rows("lines", LINE_FIELDS, FORM_ROWS)
    try:
        with unit_of_work() as session:
            created = purchasing.create_purchase_order(session, current_actor(), data)
    except ValidationFailed as error:
        errors = remap(error.errors, "lines", origin)
        return render_template(
            "orders/new.html", values=request.form, errors=errors, **context
        ), 422
    flash(gettext("Order %(number)s was sent to the supplier.", number=created.number), "success")
    return redirect(url_for("orders.order", order_id=created.id))


@bp.route("/upload", methods=["GET", "POST"])
@require_permission("buy")
def upload() -> str | tuple[str, int]:
    if request.method == "GET":
        return render_template("orders/upload.html", result=None, errors=[], kind="orders")
    file = uploaded_file()
    if file is None:
        flash(gettext("Choose a file first."), "error")
        return render_template("orders/upload.html", result=None, errors=[], kind="orders"), 422
    with unit_of_work() as session:
        result = imports.import_purchase_orders(
            session, current_actor(), file.filename or "upload", file.read()
        )
    status = 200 if result.accepted else 422
    return render_template(
        "orders/upload.html", result=result, errors=upload_errors(result.upload), kind="orders"
    ), status


@bp.get("/template.<fmt>")
@login_required
def template(fmt: str) -> Response:
    return sheet_template(ORDER_COLUMNS, fmt, "purchase-orders", lazy_gettext("Purchase orders"))


def sheet_template(columns: Any, fmt: str, name: str, title: LazyString) -> Response:
    """Download a spreadsheet template with headers in ``?lang=zh|en`` (default: the user's)."""
    locale = {"zh": "zh_Hans_CN", "en": "en"}.get(request.args.get("lang", ""), current_locale())
    suffix = "en" if locale == "en" else "zh"
    if fmt == "csv":
        body, mimetype = template_csv(columns, locale), "text/csv"
    elif fmt == "xlsx":
        # The sheet is named in the language of its headers, whatever the page's language.
        with force_locale(locale):
            body = template_xlsx(columns, locale, str(title))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return Response(status=404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={name}-{suffix}.{fmt}"},
    )
