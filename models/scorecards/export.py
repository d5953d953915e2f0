"""The dashboard as a spreadsheet: scorecards of every supplier in view, lines at risk, trends.

Headers are given already translated by the caller (the web layer knows the language);
withheld KPIs are written as the given "withheld" text, no data as an empty cell.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from models.i18n import N_
from models.scorecards.dashboard import supplier_table, trends
from models.scorecards.kpis import KPIS, STATUS_LABELS
from models.scorecards.periods import Period
from models.scorecards.risks import at_risk_lines
from models.scorecards.viewer import View

MAX_ROWS = 100_000


def export_dashboard(
    session: Session,
    view: View,
    period: Period,
    today: date,
    text: Callable[[str], str],
    locale: str,
) -> bytes:
    """An XLSX workbook: "Scorecards", "At risk" and "Trends" sheets. ``text`` translates."""
    book = Workbook()
    sheet = book.active
    sheet.title = text(N_("Scorecards"))[:31]
    sheet.append(
        [
            text(N_("Supplier")),
            text(N_("Tier")),
            text(N_("Period")),
            text(N_("Transparency index")),
            text(N_("Status")),
            *[f"{text(k.label)} ({k.unit})" if k.unit else text(k.label) for k in KPIS],
        ]
    )
    rows, _ = supplier_table(session, view, period, limit=MAX_ROWS)
    for row in rows:
        values = [
            text(N_("withheld")) if k.code in row.withheld else _number(row.values.get(k.code))
            for k in KPIS
        ]
        sheet.append(
            [
                row.name(locale),
                row.tier,
                period.label,
                _number(row.index),
                text(STATUS_LABELS[row.status]),
                *values,
            ]
        )
    risky = book.create_sheet(text(N_("At risk"))[:31])
    risky.append(
        [
            text(N_("Order")),
            text(N_("Line")),
            text(N_("Part")),
            text(N_("Supplier")),
            text(N_("Tier")),
            text(N_("Promised")),
            text(N_("Why")),
        ]
    )
    lines, _ = at_risk_lines(session, view, limit=MAX_ROWS)
    for line in lines:
        risky.append(
            [
                line.order_number,
                line.line_no,
                line.part.part_number,
                line.supplier.display_name(locale),
                line.tier,
                line.promised,
                " ".join(text(reason) for reason in line.reasons),
            ]
        )
    trend = book.create_sheet(text(N_("Trends"))[:31])
    trend.append(
        [text(N_("Period")), text(N_("Transparency index")), *[text(k.label) for k in KPIS]]
    )
    for point in trends(session, view, period.kind, 12, today):
        trend.append(
            [
                point.period.label,
                _number(point.index),
                *[_number(point.totals[k.code]) for k in KPIS],
            ]
        )
    for each in book.worksheets:
        for cell in each[1]:
            cell.font = Font(bold=True)
        each.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)
