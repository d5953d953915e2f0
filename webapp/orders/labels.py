"""Words for the states, actions and codes of the order flow, in the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g
from flask_babel import lazy_gettext

from models.orders.lines import plain
from models.orders.overview import STALL_DAYS
from models.orders.stages import Stage, stages_for_buyer, stages_for_buyers
from webapp.database import db_session
from webapp.templating import current_locale

CONFIRMATION_LABELS = {
    "pending": lazy_gettext("Awaiting confirmation"),
    "confirmed": lazy_gettext("Confirmed"),
    "proposed": lazy_gettext("Change proposed"),
    "rejected": lazy_gettext("Proposal rejected"),
}
ACTION_LABELS = {
    "confirm": lazy_gettext("Confirmed as ordered"),
    "propose": lazy_gettext("Proposed a change"),
    "accept": lazy_gettext("Accepted the proposal"),
    "reject": lazy_gettext("Rejected the proposal"),
}
LINE_STATUS_LABELS = {
    "open": lazy_gettext("Open"),
    "closed": lazy_gettext("Closed"),
    "cancelled": lazy_gettext("Cancelled"),
}
REASON_LABELS = {
    "dimension": lazy_gettext("Dimension out of tolerance"),
    "surface": lazy_gettext("Surface defect"),
    "material": lazy_gettext("Wrong or faulty material"),
    "function": lazy_gettext("Function failure"),
    "packaging": lazy_gettext("Packaging damage"),
    "quantity": lazy_gettext("Quantity short"),
    "documents": lazy_gettext("Documents missing"),
    "other": lazy_gettext("Other"),
}


def label(table: dict[str, Any], key: str | None) -> str:
    return str(table.get(key or "", key or ""))


def stage_label(stages: tuple[Stage, ...], code: str | None) -> str:
    found = next((s for s in stages if s.code == code), None)
    return found.label(current_locale()) if found else (code or "")


def stages_of(buyer_org_id: int) -> tuple[Stage, ...]:
    """The stage list for a buyer's lines, looked up once per request."""
    cache = g.setdefault("order_stages", {})
    if buyer_org_id not in cache:
        cache[buyer_org_id] = stages_for_buyer(db_session(), buyer_org_id)
    return cache[buyer_org_id]


def know_stages(buyer_org_ids: Iterable[int]) -> None:
    """Look up the stage lists of these buyers at once, for a page listing their lines."""
    cache = g.setdefault("order_stages", {})
    missing = set(buyer_org_ids) - set(cache)
    if missing:
        cache.update(stages_for_buyers(db_session(), missing))


def row_stage(row: Any) -> str:
    """The label of a line row's current stage."""
    return stage_label(stages_of(row.line.buyer_org_id), row.stage) if row.stage else ""


def labels_context() -> dict[str, Any]:
    """Template helpers shared by the order pages."""
    return {
        "confirmation_label": lambda key: label(CONFIRMATION_LABELS, key),
        "action_label": lambda key: label(ACTION_LABELS, key),
        "line_status_label": lambda key: label(LINE_STATUS_LABELS, key),
        "reason_label": lambda key: label(REASON_LABELS, key),
        "reasons": [(code, str(text)) for code, text in REASON_LABELS.items()],
        "stage_label": stage_label,
        "row_stage": row_stage,
        "stall_days": STALL_DAYS,
        # A number field's value: 1200, not the grouped 1,200 it would show as empty.
        "plain": plain,
    }
