"""Pages: lot search, a lot's genealogy (graph and table), bulk look-up of pasted lot numbers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from models.errors import NotFound, ValidationFailed
from models.trace.graph import DIRECTIONS
from models.trace.queries import trace
from models.trace.search import bulk_lookup, get_visible_lot, search_lots, split_numbers
from webapp.database import db_session
from webapp.query_args import whole_numbers
from webapp.templating import current_locale
from webapp.trace.labels import labels_context
from webapp.trace.presenters import TABLE_ROWS, trace_chart

bp = Blueprint(
    "trace", __name__, url_prefix="/trace", static_folder="static", static_url_path="/static"
)
bp.context_processor(labels_context)


def _direction() -> str:
    direction = request.args.get("direction", "up")
    return direction if direction in DIRECTIONS else "up"


@bp.get("/")
@login_required
def search() -> str:
    term = request.args.get("q", "").strip()
    hits, errors = [], {}
    if "q" in request.args:
        try:
            hits = search_lots(db_session(), current_user.org_id, term)
        except ValidationFailed as error:
            errors = error.errors
    return render_template("trace/search.html", q=term, hits=hits, errors=errors)


@bp.get("/lots/<id:lot_id>")
@login_required
def lot(lot_id: int) -> str:
    """One lot's genealogy; a lot that does not exist or may not be seen is a 404."""
    return _genealogy([lot_id])


@bp.get("/genealogy")
@login_required
def genealogy() -> str:
    """The genealogy of several lots at once (from the bulk look-up)."""
    ids = [lot_id for lot_id in whole_numbers(request.args.getlist("lot")) if lot_id][:500]
    if not ids:
        abort(404)
    return _genealogy(ids)


def _genealogy(lot_ids: list[int]) -> str:
    session, viewer = db_session(), current_user.org_id
    direction = _direction()
    roots = [get_visible_lot(session, viewer, lot_id) for lot_id in lot_ids]
    result = trace(session, lot_ids, direction, viewer)
    return render_template(
        "trace/lot.html",
        roots=roots,
        trace=result,
        direction=direction,
        chart=trace_chart(result, current_locale()),
        table_rows=TABLE_ROWS,
        lot_query="&".join(f"lot={lot_id}" for lot_id in lot_ids),
    )


@bp.route("/bulk", methods=["GET", "POST"])
@login_required
def bulk() -> str | tuple[str, int]:
    """Hundreds of lot numbers pasted at once, looked up in one query."""
    if request.method == "GET":
        return render_template("trace/bulk.html", text="", results=None, errors={})
    text = request.form.get("lot_numbers", "")
    try:
        results = bulk_lookup(db_session(), current_user.org_id, split_numbers(text))
    except ValidationFailed as error:
        return render_template("trace/bulk.html", text=text, results=None, errors=error.errors), 422
    missing = [number for number, lots in results.items() if not lots]
    return render_template(
        "trace/bulk.html", text=text, results=results, missing=missing, errors={}
    )


@bp.errorhandler(NotFound)
def _not_found(error: NotFound) -> tuple[str, int]:
    return render_template("trace/not_found.html", message=error.message), 404
