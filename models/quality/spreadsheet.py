"""Inspection results from a CSV or XLSX file: one row per measurement or defect count.

Columns (English or Chinese headers, any order): ``part_number`` 零件号, ``lot_number``
批次号, ``characteristic`` 特性, ``unit`` 单位, ``subgroup`` 子组, ``value`` 测量值,
``measured_at`` 测量时间, and for attribute results ``inspected_quantity`` 检验数,
``defect_code`` 缺陷代码, ``defective`` 不良数. Rows of one part and lot make one inspection;
rows of one characteristic and subgroup label make one subgroup (without labels, the rows of a
characteristic are cut into subgroups in file order). An inspection is dated by the earliest
``measured_at`` of its rows (else by the upload), so its counts fall in the month inspected.

The file is all or nothing: every inspection is checked by the same operation as the form and
the API before any is written, and each problem is named by row and column, e.g.
``row 7 / value``. The raw file is kept (:func:`models.files.store_upload`) with its outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.clock import local_day
from models.errors import NotFound, ValidationFailed
from models.files import Upload
from models.i18n import N_, Msg
from models.quality.measurements import (
    PreparedInspection,
    prepare_inspection,
    unknown_lot_numbers,
    write_inspection,
)
from models.quality.schemas import Moment
from models.quality.units import normalise_unit
from models.sheets import (
    UNREADABLE,
    UnreadableFile,
    cell_text,
    find_header,
    moment_text,
    number_text,
    read_rows,
)

UPLOAD_KIND = "quality_measurements"
#: Rows of one file: a day of a busy inspection station (a file is checked and written in
#: the request that uploads it).
MAX_ROWS = 20_000
HEADERS = {
    "part_number": ("part_number", "part", "零件号", "零件编号"),
    "lot_number": ("lot_number", "lot", "批次号", "批号"),
    "characteristic": ("characteristic", "code", "特性", "特性代码"),
    "unit": ("unit", "单位"),
    "subgroup": ("subgroup", "子组"),
    "value": ("value", "measurement", "测量值"),
    "measured_at": ("measured_at", "date", "测量时间", "日期"),
    "inspected_quantity": ("inspected_quantity", "inspected", "检验数"),
    "defect_code": ("defect_code", "缺陷代码"),
    "defective": ("defective", "不良数"),
}
_ALIASES = {alias.lower(): name for name, aliases in HEADERS.items() for alias in aliases}


@dataclass
class _Entry:
    code: str
    unit: str
    subgroup: str | None
    date: str | None = None
    date_row: int | None = None
    day: date | None = None
    rows: list[int] = field(default_factory=list)
    values: list[str | None] = field(default_factory=list)


@dataclass
class _Group:
    """One inspection being assembled from rows, with the row behind each of its places."""

    part_number: str
    lot_number: str
    first_row: int
    entries: dict[tuple[str, str | None], _Entry] = field(default_factory=dict)
    inspected: tuple[int, str] | None = None
    defects: list[tuple[int, str, str]] = field(default_factory=list)
    conflicts: dict[str, list[Msg]] = field(default_factory=dict)
    #: The earliest time its rows give (moment, text, row): when the lot was inspected.
    earliest: tuple[datetime, str, int] | None = None

    def data(self) -> dict[str, Any]:
        return {
            "part_number": self.part_number,
            "lot_number": self.lot_number,
            "inspected_at": self.earliest[1] if self.earliest else None,
            "inspected_quantity": self.inspected[1] if self.inspected else None,
            "defects": [{"code": code, "count": count} for _row, code, count in self.defects],
            "characteristics": [
                {"code": e.code, "unit": e.unit, "subgroup": e.subgroup, "date": e.date,
                 "measurements": e.values}
                for e in self.entries.values()
            ],
        }  # fmt: skip

    def place(self, path: str) -> tuple[int, str]:
        """The (row, column) behind an error path of :func:`prepare_inspection`."""
        parts = path.split(".")
        entries = list(self.entries.values())
        if parts[0] == "characteristics" and len(parts) > 1 and parts[1].isdecimal():
            entry = entries[int(parts[1])]
            if len(parts) > 3 and parts[2] == "measurements" and parts[3].isdecimal():
                return entry.rows[int(parts[3])], "value"
            if len(parts) > 2 and parts[2] == "date":
                return entry.date_row or entry.rows[0], "measured_at"
            column = {"unit": "unit", "code": "characteristic"}
            return entry.rows[0], column.get(parts[2] if len(parts) > 2 else "", "subgroup")
        if parts[0] == "defects" and self.defects:
            index = int(parts[1]) if len(parts) > 1 and parts[1].isdecimal() else 0
            column = "defect_code" if parts[-1] == "code" else "defective"
            return self.defects[index][0], column
        if parts[0] == "inspected_quantity" and self.inspected:
            return self.inspected[0], "inspected_quantity"
        if parts[0] == "inspected_at" and self.earliest:
            return self.earliest[2], "measured_at"
        return self.first_row, parts[0] if parts[0] in HEADERS else "part_number"


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) of each non-blank data row; the first row is the header.

    At most :data:`MAX_ROWS` rows: reading stops at the first row past it, so a file of a
    million rows is refused after reading the limit, not all of it."""
    rows = read_rows(filename, content)
    try:
        found = find_header(rows, lambda text: text.lower() in _ALIASES)
        if found is None:
            raise ValidationFailed.on("file", N_("The file is empty."))
        number, header, data = found
        return _data_rows(_header_columns(header, number), data, number + 1)
    except UnreadableFile:
        raise ValidationFailed.on("file", UNREADABLE) from None
    finally:
        rows.close()


def _header_columns(header: list[Any], number: int) -> list[str | None]:
    """The column each header cell names (None: not one of :data:`HEADERS`)."""
    columns = [_ALIASES.get(cell_text(cell).lower()) for cell in header]
    missing = [name for name in ("part_number", "lot_number") if name not in columns]
    if missing or not ({"value", "inspected_quantity"} & set(columns)):
        raise ValidationFailed.on(
            f"row {number}",
            N_("The header row needs part_number, lot_number and value or inspected_quantity."),
        )
    return columns


def _data_rows(
    columns: list[str | None], rows: Iterator[list[Any]], first: int
) -> list[tuple[int, dict[str, str]]]:
    table = []
    for number, cells in enumerate(rows, start=first):
        record = {
            name: _typed(name, text)
            for name, cell in zip(columns, cells, strict=False)
            if name and (text := cell_text(cell))
        }
        if record:
            table.append((number, record))
        if len(table) > MAX_ROWS:
            raise ValidationFailed.on(
                f"row {number}", N_("At most %(count)s rows."), count=MAX_ROWS
            )
    return table


#: Piece counts: Excel writes one formatted as 12,000 with its comma. Not the measured value,
#: where 1,234 may as well be a decimal comma (refused, with a message saying so).
_COUNTS = ("inspected_quantity", "defective")


def _typed(name: str, text: str) -> str:
    """A cell as the schema reads it: a date-time as ISO, a count without thousands commas."""
    if name == "measured_at":
        return moment_text(text)
    return number_text(text) if name in _COUNTS else text


def group_rows(table: list[tuple[int, dict[str, str]]]) -> list[_Group]:
    groups: dict[tuple[str, str], _Group] = {}
    for number, row in table:
        key = (row.get("part_number", ""), row.get("lot_number", ""))
        group = groups.setdefault(key, _Group(key[0], key[1], number))
        moment = _moment(group, number, row.get("measured_at"))
        if row.get("characteristic") or row.get("value"):
            label = row.get("subgroup")
            entry = group.entries.setdefault(
                (row.get("characteristic", ""), label),
                _Entry(row.get("characteristic", ""), row.get("unit", ""), label),
            )
            if entry.rows:
                _check_same_unit(group, entry, number, row)
            if moment is not None:
                _check_same_day(group, entry, number, row["measured_at"], moment)
            entry.rows.append(number)
            entry.values.append(row.get("value"))
        if row.get("inspected_quantity"):
            group.inspected = (number, row["inspected_quantity"])
        if row.get("defect_code") or _counts_pieces(row.get("defective")):
            # A count without its code is kept for the schema to ask for the code, not dropped.
            group.defects.append((number, row.get("defect_code", ""), row.get("defective", "")))
    return list(groups.values())


def _counts_pieces(text: str | None) -> bool:
    """Whether a defective cell counts pieces (a template's 0 on a row without a code does not)."""
    return bool(text) and text.strip() not in ("0", "0.0")


def _moment(group: _Group, number: int, text: str | None) -> datetime | None:
    """The row's measurement time; a cell that is no date is named at its own row."""
    if not text:
        return None
    try:
        moment = Moment().deserialize(text)
    except ValidationError as error:
        group.conflicts[f"row {number} / measured_at"] = list(error.messages)
        return None
    if group.earliest is None or moment < group.earliest[0]:
        group.earliest = (moment, text, number)
    return moment


def _check_same_unit(group: _Group, entry: _Entry, number: int, row: dict[str, str]) -> None:
    """A subgroup has one unit: a row saying otherwise is a conflict, not folded in."""
    unit = row.get("unit", "")
    if unit and entry.unit and _unit_key(unit) != _unit_key(entry.unit):
        group.conflicts[f"row {number} / unit"] = [
            Msg(
                N_("Row %(row)s gives this subgroup in %(unit)s; one subgroup has one unit."),
                row=entry.rows[0],
                unit=entry.unit,
            )
        ]


def _check_same_day(group: _Group, entry: _Entry, number: int, text: str, moment: datetime) -> None:
    """A subgroup is measured on one (local) day; the first row with a date sets it.

    Times within a day may differ (the parts of a subgroup are measured one after another).
    Only dates that were read are compared: a bad cell has its own error.
    """
    day = local_day(moment)
    if entry.day is None:
        entry.date, entry.date_row, entry.day = text, number, day
    elif day != entry.day:
        group.conflicts[f"row {number} / measured_at"] = [
            Msg(
                N_("Row %(row)s puts this subgroup on %(day)s; a subgroup is measured on one day."),
                row=entry.date_row,
                day=entry.day.isoformat(),
            )
        ]


def _unit_key(text: str) -> str:
    return normalise_unit(text) or text.strip().lower()


def import_measurements(session: Session, actor: Actor, upload_id: int) -> dict[str, Any]:
    """Check every inspection of a stored upload, then write them all; or write none.

    The summary names the lot numbers no lot has yet (``unknown_lots``): they are saved (see
    :data:`models.quality.measurements.UNKNOWN_LOTS`), and the user is told.

    Raises ValidationFailed keyed ``row N / column``; the caller then records the rejection
    with :func:`reject_upload` in a transaction of its own.
    """
    upload = session.get(Upload, upload_id)
    if upload is None or upload.org_id != actor.org_id or upload.kind != UPLOAD_KIND:
        raise NotFound()
    groups = group_rows(read_table(upload.filename, upload.content))
    if not groups:
        raise ValidationFailed.on("file", N_("The file holds no measurements."))
    prepared: list[PreparedInspection] = []
    errors: dict[str, list[str]] = {}
    for group in groups:
        errors.update(group.conflicts)
        try:
            prepared.append(prepare_inspection(session, actor, group.data()))
        except ValidationFailed as failed:
            for path, messages in failed.errors.items():
                row, column = group.place(path)
                errors.setdefault(f"row {row} / {column}", []).extend(messages)
    if errors:
        raise ValidationFailed(dict(sorted(errors.items(), key=_row_order)))
    written = [write_inspection(session, actor, item, upload.id) for item in prepared]
    characteristic_ids = sorted({cid for item in prepared for cid in item.characteristic_ids})
    summary = {
        "inspections": len(written),
        "measurements": sum(
            len(values) for item in prepared for entry in item.entries for values in entry.subgroups
        ),
        "characteristic_ids": characteristic_ids,
        "unknown_lots": unknown_lot_numbers(written),
    }
    upload.status, upload.summary, upload.errors = "accepted", summary, None
    upload.processed_at = utcnow()
    record_audit(session, actor, "upload.accept", "upload", upload.id, summary)
    return summary


def reject_upload(
    session: Session, actor: Actor, upload_id: int, errors: dict[str, list[str]]
) -> None:
    """Keep the upload with its errors, so it can be looked at and processed again."""
    upload = session.get(Upload, upload_id)
    if upload is None or upload.org_id != actor.org_id:
        raise NotFound()
    upload.status, upload.processed_at = "rejected", utcnow()
    upload.errors = [
        {
            "place": place,
            "messages": [m.to_dict() if isinstance(m, Msg) else {"template": str(m)}
                         for m in messages],
        }
        for place, messages in errors.items()
    ]  # fmt: skip
    record_audit(session, actor, "upload.reject", "upload", upload.id, {"errors": len(errors)})


def _row_order(item: tuple[str, list[str]]) -> tuple[int, str]:
    place = item[0]
    head = place.split(" / ")[0]
    number = head.removeprefix("row ")
    return (int(number) if number.isdecimal() else 0, place)
