"""Labels of trace codes (directions, severities, states, relations) in the user's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext, ngettext

DIRECTIONS = {
    "up": lazy_gettext("Upstream (inputs)"),
    "down": lazy_gettext("Downstream (where used)"),
}
SEVERITIES = {
    "minor": lazy_gettext("Minor"),
    "major": lazy_gettext("Major"),
    "critical": lazy_gettext("Critical"),
    "safety": lazy_gettext("Safety"),
}
#: In place of an incident's title, for those who do not read its words (see ``Lens.reads``).
WITHHELD_WORDS = lazy_gettext(
    "Lots of yours are in this incident's scope; its details stay with its opener."
)
SEVERITY_CLASS = {"minor": "none", "major": "warn", "critical": "bad", "safety": "bad"}
STATES = {
    "open": lazy_gettext("Open"),
    "sent": lazy_gettext("Sent to supplier"),
    "acknowledged": lazy_gettext("Acknowledged"),
    "accepted": lazy_gettext("Accepted"),
    "declined": lazy_gettext("Declined"),
    "closed": lazy_gettext("Closed"),
}
ACTIONS = {
    "send": lazy_gettext("Send to the supplier"),
    "acknowledge": lazy_gettext("Acknowledge"),
    "accept": lazy_gettext("Accept"),
    "decline": lazy_gettext("Decline"),
    "close": lazy_gettext("Close"),
}
RELATIONS = {
    "incident": lazy_gettext("Incident lot"),
    "downstream": lazy_gettext("Downstream"),
    "suspect": lazy_gettext("Suspect (upstream)"),
    "sibling": lazy_gettext("Sibling exposure"),
}
MATCHES = {
    "lot": lazy_gettext("lot number"),
    "serial": lazy_gettext("serial number"),
    "part": lazy_gettext("part"),
    "order": lazy_gettext("purchase order"),
    "notice": lazy_gettext("ship notice"),
}


def withheld_text(tier: int | None, count: int) -> str:
    """'withheld by a tier-n supplier' with the number of lots, as the trace pages say it."""
    if tier is None:
        return ngettext(
            "%(num)s lot withheld by an organisation outside your supply tree",
            "%(num)s lots withheld by an organisation outside your supply tree",
            count,
        )
    return ngettext(
        "%(num)s lot withheld by a tier-%(tier)s supplier",
        "%(num)s lots withheld by a tier-%(tier)s supplier",
        count,
        tier=tier,
    )


def labels_context() -> dict[str, Any]:
    return {
        "direction_labels": DIRECTIONS,
        "severity_labels": SEVERITIES,
        "severity_class": SEVERITY_CLASS,
        "state_labels": STATES,
        "action_labels": ACTIONS,
        "relation_labels": RELATIONS,
        "match_labels": MATCHES,
        "withheld_text": withheld_text,
    }
