"""Why a warning was raised, as translatable messages (pages, notifications and e-mails)."""

from __future__ import annotations

from typing import Any

from models.i18n import N_, Msg

KIND_LABELS = {
    "expected_late": N_("Expected late"),
    "stalled": N_("Stalled"),
    "projected_late": N_("Projected late"),
    "overdue": N_("Overdue"),
    "subtier_incident": N_("Sub-tier incident"),
}


#: Reasons worded otherwise before, kept in the catalogue: notifications store their template
#: and are translated when read, so those already sent still show in the reader's language.
EARLIER_WORDINGS = (N_("%(count)s open critical quality incidents at its sub-tier suppliers."),)


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else "?"


def reason(warning: Any) -> Msg:
    """The reason of one warning (anything with the warning's columns)."""
    kind = warning.kind
    if kind == "expected_late":
        return Msg(
            N_("The latest progress report expects to finish on %(expected)s, after the "
               "promised %(promised)s."),
            expected=_day(warning.expected_finish), promised=_day(warning.promised_date),
        )  # fmt: skip
    if kind == "stalled":
        if warning.last_report_at is None:
            return Msg(
                N_("No progress report yet, and the line is due on %(promised)s."),
                promised=_day(warning.promised_date),
            )
        return Msg(
            N_("No progress report since %(since)s, and the line is due on %(promised)s."),
            since=_day(warning.last_report_at.date()), promised=_day(warning.promised_date),
        )  # fmt: skip
    if kind == "projected_late":
        return Msg(
            N_("At the pace reported lately it would finish about %(days)s days after the "
               "promised %(promised)s."),
            days=max(1, round(warning.late_days or 0)), promised=_day(warning.promised_date),
        )  # fmt: skip
    if kind == "overdue":
        return Msg(
            N_("The promised date %(promised)s has passed and the line is still open."),
            promised=_day(warning.promised_date),
        )
    return Msg(
        N_("Open critical quality incidents at its sub-tier suppliers: %(count)s."),
        count=warning.incident_count or 0,
    )


def line_title(supplier: str, order: str, line_no: int) -> Msg:
    return Msg(
        N_("%(supplier)s: order %(order)s line %(line)s is at risk"),
        supplier=supplier, order=order, line=line_no,
    )  # fmt: skip


def lines_title(supplier: str, count: int) -> Msg:
    return Msg(
        N_("%(supplier)s: %(count)s order lines are at risk"), supplier=supplier, count=count
    )


def supplier_title(supplier: str) -> Msg:
    return Msg(N_("%(supplier)s is at risk"), supplier=supplier)
