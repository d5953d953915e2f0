"""The containment list as a spreadsheet (CSV or XLSX), in the reader's language.

One row per lot the reader may see, then one row per group of withheld lots with their count;
the same rows in both formats. CSV is written with a byte-order mark so Excel opens Chinese
text correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from models.i18n import N_, Msg, render
from models.trace.results import number
from models.trace.scope import Lens, scope_lots

HEADERS = (
    N_("Relation"),
    N_("Lot number"),
    N_("Part number"),
    N_("Part"),
    N_("Maker"),
    N_("Maker credit code"),
    N_("Tier"),
    N_("Steps from the incident"),
    N_("Finished lot"),
    N_("Quantity"),
    N_("Unit"),
    N_("Made on"),
    N_("Shipped (notice → receiver)"),
    N_("Received"),
    N_("Rejected"),
)
RELATION_LABELS = {
    "incident": N_("incident lot"),
    "downstream": N_("downstream"),
    "suspect": N_("suspect (upstream)"),
    "sibling": N_("sibling exposure"),
}
WITHHELD_TIER = N_("withheld by a tier-%(tier)s supplier (lots: %(count)s; finished: %(finished)s)")
WITHHELD_OTHER = N_(
    "withheld by an organisation outside your supply tree (lots: %(count)s; finished: %(finished)s)"
)
COLUMN_WIDTHS = (16, 22, 16, 22, 28, 20, 6, 8, 8, 10, 6, 12, 40, 10, 10)


def containment_rows(
    session: Session, lens: Lens, snapshot_id: int, locale: str
) -> Iterator[list[Any]]:
    """The header row, then the rows of the containment list as ``lens`` may see it."""
    yes, no = render(N_("yes"), locale), render(N_("no"), locale)
    yield [render(header, locale) for header in HEADERS]
    shown, withheld = scope_lots(session, lens, snapshot_id)
    for item in shown:
        maker = item.maker.name_en if locale == "en" and item.maker.name_en else item.maker.name_zh
        yield [
            render(RELATION_LABELS[item.relation], locale),
            item.lot.lot_number,
            item.part.part_number,
            item.part.display_name(locale),
            maker,
            item.maker.credit_code,
            item.tier,
            item.depth,
            yes if item.finished else no,
            number(item.lot.quantity),
            item.part.unit,
            item.lot.made_at,
            "; ".join(item.receivers(locale)),
            number(item.received),
            number(item.rejected),
        ]
    for group in withheld:
        counts = {"count": group.lots, "finished": group.finished}
        label = (
            Msg(WITHHELD_TIER, tier=group.tier, **counts)
            if group.tier is not None
            else Msg(WITHHELD_OTHER, **counts)
        )
        yield [
            render(RELATION_LABELS[group.relation], locale),
            render(label, locale),
            *[None] * 4,
            group.tier,
            *[None] * 8,
        ]


def to_csv(rows: Iterator[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterator[list[Any]], title: str) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    for n, row in enumerate(rows):
        sheet.append([_cell(value) for value in row])
        if n == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNO", COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return number(value) if isinstance(value, Decimal) else value
