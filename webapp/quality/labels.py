"""Labels of quality codes (statuses, rules, 8D steps) in the user's language, for templates."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, lazy_gettext

from models.quality.spreadsheet import HEADERS as SHEET_HEADERS
from models.quality.units import UNITS
from webapp.templating import current_locale

CLASSIFICATIONS = {
    "standard": lazy_gettext("Standard"),
    "special": lazy_gettext("Special (SC)"),
    "critical": lazy_gettext("Critical (CC)"),
}
CAPABILITY = {
    "capable": lazy_gettext("Capable"),
    "watch": lazy_gettext("Watch"),
    "action": lazy_gettext("Action needed"),
    None: lazy_gettext("Not yet computed"),
    #: Computed, but Cp/Cpk have no value: fewer than two values, or all values equal.
    "undefined": lazy_gettext("No index: too few values or no variation"),
}
CAPABILITY_CLASS = {
    "capable": "ok",
    "watch": "warn",
    "action": "bad",
    None: "none",
    "undefined": "none",
}
CHARTS = {"xbar_r": "X̄-R", "xbar_s": "X̄-S", "i_mr": "I-MR"}
RULE_SETS = {
    "nelson": lazy_gettext("Nelson (8 rules)"),
    "western_electric": lazy_gettext("Western Electric (4 rules)"),
}
RULES = {
    "nelson": {
        1: lazy_gettext("One point beyond 3σ"),
        2: lazy_gettext("Nine points in a row on one side of the centre line"),
        3: lazy_gettext("Six points in a row steadily increasing or decreasing"),
        4: lazy_gettext("Fourteen points in a row alternating up and down"),
        5: lazy_gettext("Two of three points beyond 2σ on the same side"),
        6: lazy_gettext("Four of five points beyond 1σ on the same side"),
        7: lazy_gettext("Fifteen points in a row within 1σ"),
        8: lazy_gettext("Eight points in a row beyond 1σ on either side"),
    },
    "western_electric": {
        1: lazy_gettext("One point beyond 3σ"),
        2: lazy_gettext("Two of three points beyond 2σ on the same side"),
        3: lazy_gettext("Four of five points beyond 1σ on the same side"),
        4: lazy_gettext("Eight points in a row on one side of the centre line"),
    },
}
STEPS = {
    "D0": lazy_gettext("D0 Prepare and react"),
    "D1": lazy_gettext("D1 Team"),
    "D2": lazy_gettext("D2 Describe the problem"),
    "D3": lazy_gettext("D3 Contain"),
    "D4": lazy_gettext("D4 Root cause"),
    "D5": lazy_gettext("D5 Corrective actions"),
    "D6": lazy_gettext("D6 Implement and validate"),
    "D7": lazy_gettext("D7 Prevent recurrence"),
    "D8": lazy_gettext("D8 Close and recognise"),
}
STEP_STATES = {
    "open": lazy_gettext("Open"),
    "submitted": lazy_gettext("Waiting for review"),
    "accepted": lazy_gettext("Accepted"),
    "returned": lazy_gettext("Returned"),
}
CASE_STATES = {"open": lazy_gettext("Open"), "closed": lazy_gettext("Closed")}
ALERT_STATES = {"open": lazy_gettext("Open"), "closed": lazy_gettext("Closed")}
EVENTS = {
    "opened": lazy_gettext("opened the case"),
    "saved": lazy_gettext("saved a draft"),
    "submitted": lazy_gettext("submitted"),
    "accepted": lazy_gettext("accepted"),
    "returned": lazy_gettext("returned"),
    "attached": lazy_gettext("attached a file"),
    "reminded": lazy_gettext("reminder sent: overdue"),
    "escalated": lazy_gettext("escalated to the buyer: overdue"),
    "closed": lazy_gettext("closed the case"),
}
STEP_FIELDS = {
    "contained_quantity": lazy_gettext("Suspect pieces contained (sorted, blocked or replaced)"),
    "escape_point": lazy_gettext("Why the problem was not detected (escape point)"),
    "implemented_on": lazy_gettext("Implemented on"),
}


def rule_label(rules: str, rule: int) -> str:
    return str(RULES.get(rules, {}).get(rule, rule))


def points_label(points: list[int]) -> str:
    """Chart point numbers as people count them (from 1): "3, 4, 5" or "3–17 (15)"."""
    shown = [index + 1 for index in points]
    if len(shown) <= 5:
        return ", ".join(str(number) for number in shown)
    return f"{shown[0]}–{shown[-1]} ({len(shown)})"


def upload_place(place: str) -> str:
    """Where in a measurement upload a problem is (``row 8 / measured_at``, ``file``), as
    people read it: "Row 8 · 测量时间" in Chinese (the column by its Chinese header)."""
    head, _, column = place.partition(" / ")
    if head == "file":
        return gettext("The file")
    if not head.startswith("row "):
        return place
    text = gettext("Row %(row)s", row=head.removeprefix("row "))
    if not column:
        return text
    names = SHEET_HEADERS.get(column, ())
    chinese = next((name for name in names if not name.isascii()), None)
    shown = chinese if chinese and current_locale() != "en" else column
    return f"{text} · {shown}"


def labels_context() -> dict[str, Any]:
    """Template globals of the quality pages."""
    return {
        "classification_label": lambda key: str(CLASSIFICATIONS.get(key, key)),
        "capability_label": lambda key: str(CAPABILITY.get(key, key)),
        "capability_class": lambda key: CAPABILITY_CLASS.get(key, "none"),
        "chart_label": lambda key: CHARTS.get(key, key or "—"),
        "rule_set_label": lambda key: str(RULE_SETS.get(key, key)),
        "rule_label": rule_label,
        "points_label": points_label,
        "step_label": lambda key: str(STEPS.get(key, key)),
        "step_state_label": lambda key: str(STEP_STATES.get(key, key)),
        "case_state_label": lambda key: str(CASE_STATES.get(key, key)),
        "alert_state_label": lambda key: str(ALERT_STATES.get(key, key)),
        "event_label": lambda key: str(EVENTS.get(key, key)),
        "step_field_label": lambda key: str(STEP_FIELDS.get(key, key)),
        "upload_place": upload_place,
        "quality_units": UNITS,
        "classifications": CLASSIFICATIONS,
        "rule_sets": RULE_SETS,
    }
