"""Pages of the shop floor and the line: the three-tap report form behind each line's QR code
and short link, the supplier's open lines, the printable QR sheet and the live line timeline."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from models.errors import Conflict, NotFound, ValidationFailed
from models.files import Attachment
from models.orders import overview
from models.orders.entities import OrderLine, ProgressReport
from models.orders.lines import plain, supplier_line, visible_line
from models.orders.progress import record_progress
from models.orders.purchasing import get_order
from models.orders.stages import stages_for_buyer
from models.orders.timeline import line_timeline, timeline_version
from models.scorecards.updates import request_update
from webapp.auth.session import current_actor, require_permission
from webapp.database import db_session, unit_of_work
from webapp.files import stored_file_response
from webapp.i18n import translate
from webapp.orders.forms import fields, photo_from_request
from webapp.orders.labels import labels_context
from webapp.orders.listing import lines_page
from webapp.paging import pager_args
from webapp.qr import qr_svg
from webapp.query_args import whole_number
from worker.tasks.scorecards import enqueue_scorecard_refresh

bp = Blueprint("reporting", __name__)
bp.context_processor(labels_context)

POLL_SECONDS = 5


def short_link(code: str) -> str:
    base_url = current_app.extensions["tierlight.settings"].public_base_url
    return f"{base_url}/r/{code}"


@bp.get("/r/<code>")
@login_required
def short(code: str) -> Response:
    """The short link on the work-order sheet: the supplier's shop floor goes straight to the
    line's report form; anyone else (the buyer's goods receiving, say) to the line's timeline,
    which shows it to those who may see it."""
    found = (
        db_session()
        .execute(
            select(OrderLine.id, OrderLine.supplier_org_id).where(
                OrderLine.short_code == code.upper()
            )
        )
        .first()
    )
    if found is None:
        raise NotFound()
    line_id, supplier_org_id = found
    if supplier_org_id == current_user.org_id and current_user.can("report"):
        return redirect(url_for("reporting.report", line_id=line_id))
    return redirect(url_for("reporting.line", line_id=line_id))


def _report_page(line: OrderLine, errors: dict, values: dict, status: int = 200) -> tuple[str, int]:
    session = db_session()
    correcting = _report_of_line(line, values.get("supersedes_id"))
    row = overview.line_rows(
        session,
        current_user.org_id,
        overview.LineFilters(scope="selling", status=None, order_id=line.order_id),
    )
    current = next(r for r in row if r.line.id == line.id)
    done_id = request.args.get("done", type=whole_number)
    done = session.get(ProgressReport, done_id) if done_id else None
    done = done if done is not None and done.line_id == line.id else None
    return render_template(
        "orders/report.html",
        row=current,
        stages=stages_for_buyer(session, line.buyer_org_id),
        errors=errors,
        values=values,
        key=uuid.uuid4().hex,
        done=done,
        correcting=correcting,
    ), status


def _report_of_line(line: OrderLine, report_id: object) -> ProgressReport | None:
    """The report of this line a form corrects (by its id as sent), if it is one."""
    try:
        found = whole_number(str(report_id)) if report_id else None
    except ValueError:
        return None
    report = db_session().get(ProgressReport, found) if found is not None else None
    return report if report is not None and report.line_id == line.id else None


def _correction_values(line: OrderLine, report_id: int | None) -> dict[str, str]:
    """The form filled in as the report it corrects said, so only the wrong part is changed."""
    report = _report_of_line(line, report_id)
    if report is None:
        return {}
    return {
        "stage": report.stage,
        "quantity_done": plain(report.quantity_done),
        "expected_finish": report.expected_finish.isoformat() if report.expected_finish else "",
        "note": report.note or "",
        "supersedes_id": str(report.id),
    }


@bp.route("/orders/lines/<id:line_id>/report", methods=["GET", "POST"])
@require_permission("report")
def report(line_id: int) -> Response | tuple[str, int]:
    """At most three taps and one number: a stage button, the quantity, submit. With
    ``?corrects=<report id>`` the form corrects that report (it is kept, marked corrected)."""
    if request.method == "GET":
        line = supplier_line(db_session(), current_user.org_id, line_id)
        corrects = request.args.get("corrects", type=whole_number)
        return _report_page(line, {}, _correction_values(line, corrects))
    data = fields(
        "stage", "quantity_done", "expected_finish", "note", "idempotency_key", "supersedes_id"
    )
    try:
        with unit_of_work() as session:
            saved, created = record_progress(
                session,
                current_actor(),
                line_id,
                data,
                photo_from_request(),
                current_app.extensions["tierlight.settings"].max_photo_bytes,
            )
            refresh = created and request_update(session, saved.supplier_org_id)
    except ValidationFailed as error:
        line = supplier_line(db_session(), current_user.org_id, line_id)
        return _report_page(line, error.errors, request.form, 422)
    except Conflict as error:
        # Nothing was written: the form comes back with the values sent and a new key, so
        # sending it again records them as a new report (the old key stays refused).
        line = supplier_line(db_session(), current_user.org_id, line_id)
        values = {k: v for k, v in request.form.items() if k != "idempotency_key"}
        return _report_page(line, {"_schema": [translate(error.message)]}, values, 409)
    if refresh:
        enqueue_scorecard_refresh()
    return redirect(url_for("reporting.report", line_id=line_id, done=saved.id), code=303)


@bp.get("/orders/report")
@require_permission("report")
def open_lines() -> str:
    """The supplier's open lines, nearest promise first, each one tap from its report form."""
    page = lines_page(overview.LineFilters(scope="selling", status="open"))
    return render_template("orders/open_lines.html", paged=page, pager_args=pager_args())


@bp.get("/orders/sheet")
@require_permission("report")
def sheet() -> str:
    """A printable work-order sheet: each open line with its QR code and short link."""
    order_id = request.args.get("order", type=whole_number)
    if order_id is not None:
        get_order(db_session(), current_user.org_id, order_id)
    page = lines_page(overview.LineFilters(scope="selling", status="open", order_id=order_id))
    codes = {row.line.id: short_link(row.line.short_code) for row in page.rows}
    return render_template(
        "orders/sheet.html",
        paged=page,
        pager_args=pager_args(),
        links=codes,
        svgs={line_id: qr_svg(link) for line_id, link in codes.items()},
    )


@bp.get("/orders/lines/<id:line_id>")
@login_required
def line(line_id: int) -> str:
    timeline = line_timeline(db_session(), current_user.org_id, line_id)
    link = short_link(timeline.row.line.short_code)
    return render_template(
        "orders/line.html", t=timeline, poll=POLL_SECONDS, link=link, svg=qr_svg(link, 3)
    )


@bp.get("/orders/lines/<id:line_id>/timeline")
@login_required
def timeline_fragment(line_id: int) -> Response | str:
    """The timeline alone, for htmx polling: 204 (nothing to swap) while nothing changed."""
    session = db_session()
    found = visible_line(session, current_user.org_id, line_id)
    if request.args.get("v") == timeline_version(session, found):
        return Response(status=204)
    timeline = line_timeline(session, current_user.org_id, line_id)
    return render_template("orders/_timeline.html", t=timeline, poll=POLL_SECONDS)


@bp.get("/orders/photos/<id:photo_id>")
@login_required
def photo(photo_id: int) -> Response:
    """A report's photo, for whoever may see the report's line."""
    session = db_session()
    report_line = session.scalar(
        select(ProgressReport.line_id).where(ProgressReport.photo_id == photo_id)
    )
    if report_line is None:
        raise NotFound()
    visible_line(session, current_user.org_id, report_line)
    attachment = session.get(Attachment, photo_id)
    assert attachment is not None
    return stored_file_response(
        attachment.content, attachment.filename, attachment.content_type, max_age=86400
    )
