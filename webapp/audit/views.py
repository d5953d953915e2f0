"""Page: the audit trail of my organisation, for its admins."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from models.errors import ValidationFailed
from webapp.audit.labels import KINDS, channel_label
from webapp.audit.trail import check_kind, trail_count, trail_rows
from webapp.auth.session import require_permission
from webapp.database import db_session
from webapp.paging import page_for

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.context_processor(lambda: {"channel_label": channel_label})


@bp.get("/")
@require_permission("manage_people")
def index() -> str | tuple[str, int]:
    """Every write made in my organisation's name, newest first, one kind of record at a time
    if asked."""
    wanted = request.args.get("kind", "").strip()
    try:
        kind = check_kind(wanted)
    except ValidationFailed as error:
        return render_template("audit/index.html", rows=[], page=None, kinds=KINDS, kind=wanted,
                               errors=error.errors), 422  # fmt: skip
    session = db_session()
    page = page_for(trail_count(session, current_user.org_id, kind))
    rows = trail_rows(session, current_user.org_id, kind, page.offset, page.size)
    return render_template(
        "audit/index.html", rows=rows, page=page, kinds=KINDS, kind=kind or "", errors={}
    )
