"""API: trace lots up and down, search, and look up hundreds of lot numbers at once."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from models.trace.queries import trace
from models.trace.search import bulk_lookup, get_visible_lot, search_lots
from models.validation import load
from webapp.api_base import json_body, json_object
from webapp.database import db_session
from webapp.templating import current_locale
from webapp.trace.schemas import (
    BulkBodySchema,
    BulkResultSchema,
    LotHitSchema,
    SearchQuerySchema,
    TraceQuerySchema,
    TraceSchema,
)

bp = Blueprint(
    "trace_api",
    __name__,
    url_prefix="/api/v1/trace",
    description="Lot genealogy across tiers: search, trace up and down, bulk look-up",
)


@bp.route("/lots")
class Lots(MethodView):
    decorators = [login_required]

    @bp.arguments(SearchQuerySchema, location="query")
    @bp.response(200, LotHitSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[Any]:
        """Lots matching a lot/serial number (or its beginning), part, order or ship notice.

        Only your own lots and those your suppliers share with you, made for your supply chain;
        at most 50.
        """
        hits = search_lots(db_session(), current_user.org_id, query["q"])
        return [_hit(hit) for hit in hits]


def _hit(hit: Any) -> Any:
    hit.lot.matched = "serial" if hit.is_serial and hit.matched == "lot" else hit.matched
    return hit.lot


def _trace(lot_id: int, direction: str, max_depth: int) -> dict[str, Any]:
    session = db_session()
    get_visible_lot(session, current_user.org_id, lot_id)
    result = trace(session, [lot_id], direction, current_user.org_id, max_depth)  # type: ignore[arg-type]
    return result.to_dict(current_locale())


@bp.route("/lots/<id:lot_id>/upstream")
class Upstream(MethodView):
    decorators = [login_required]

    @bp.arguments(TraceQuerySchema, location="query")
    @bp.response(200, TraceSchema)
    def get(self, query: dict[str, Any], lot_id: int) -> dict[str, Any]:
        """Every lot that went into this one, to raw material (withheld lots without identity)."""
        return _trace(lot_id, "up", query["max_depth"])


@bp.route("/lots/<id:lot_id>/downstream")
class Downstream(MethodView):
    decorators = [login_required]

    @bp.arguments(TraceQuerySchema, location="query")
    @bp.response(200, TraceSchema)
    def get(self, query: dict[str, Any], lot_id: int) -> dict[str, Any]:
        """Every lot made from this one, to finished lots, with the shipments that carried them."""
        return _trace(lot_id, "down", query["max_depth"])


@bp.route("/bulk")
class Bulk(MethodView):
    decorators = [login_required]

    @json_body(BulkBodySchema, "Lot numbers (up to 1000); optionally trace all found lots.")
    @bp.response(200, BulkResultSchema)
    def post(self) -> dict[str, Any]:
        """Look up many lot numbers in one query; with ``direction``, trace every lot found."""
        data = load(BulkBodySchema(), json_object())
        session, viewer = db_session(), current_user.org_id
        found = bulk_lookup(session, viewer, data["lot_numbers"])
        lot_ids = [lot.id for lots in found.values() for lot in lots]
        traced = None
        if data["direction"] and lot_ids:
            traced = trace(session, lot_ids, data["direction"], viewer, data["max_depth"])
        return {
            "results": [{"lot_number": n, "lots": lots} for n, lots in found.items()],
            "not_found": [n for n, lots in found.items() if not lots],
            "trace": traced.to_dict(current_locale()) if traced else None,
        }
