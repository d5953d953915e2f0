"""Monthly energy and output from a CSV/XLSX file: every row checked, all written or none.

One row is one item of one site's month: a fuel (electricity, natural_gas, diesel, gasoline,
steam, or their Chinese names), a part the site made (its part number), or ``none`` (无产出)
to confirm that the site made nothing that month. Rows of the same site
and month form one activity record, checked by the same operation as the phone form. The file
is kept as received, with its errors on rows and columns when it is rejected.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.activity import prepare_activity, write_activity
from models.carbon.activity_checks import parts_made_by
from models.carbon.constants import FUELS
from models.errors import ValidationFailed
from models.files import store_upload
from models.i18n import N_, Msg
from models.orders.entities import Part
from models.orders.imports import ImportResult
from models.orgs.entities import Site
from models.roles import require_permission
from models.sheets import Column, Sheet, read_sheet, template_xlsx

KIND = "carbon_activity"

COLUMNS = (
    Column("site", "Site", "工厂", True, "Site name as on record", "工厂(站点)名称"),
    Column(
        "month", "Month", "月份", True, "YYYY-MM, e.g. 2026-10", "年-月,如 2026-10", kind="month"
    ),
    Column(
        "item",
        "Item",
        "项目",
        True,
        "electricity, natural_gas, diesel, gasoline, steam, a part number, "
        "or none (nothing made that month; quantity 0)",
        "电力、天然气、柴油、汽油、蒸汽、零件号,或“无产出”(当月未生产,数量填 0)",
    ),
    Column(
        "quantity",
        "Quantity",
        "数量",
        True,
        "Energy used, or quantity made",
        "用量或产量",
        kind="number",
    ),
    Column(
        "unit", "Unit", "单位", False, "kWh/MWh, m3, L, t; empty for parts", "kWh/MWh、m3、L、t"
    ),
    Column(
        "mass_kg",
        "Mass (kg)",
        "质量(kg)",
        False,
        "Total mass made (parts)",
        "产出总质量",
        kind="number",
    ),
    Column(
        "value",
        "Value (CNY)",
        "产值(元)",
        False,
        "Value made (parts), optional",
        "产值,可不填",
        kind="number",
    ),
)

FUEL_NAMES = {fuel: fuel for fuel in FUELS} | {
    "电": "electricity",
    "电力": "electricity",
    "用电": "electricity",
    "天然气": "natural_gas",
    "natural gas": "natural_gas",
    "gas": "natural_gas",
    "柴油": "diesel",
    "汽油": "gasoline",
    "petrol": "gasoline",
    "蒸汽": "steam",
    "外购蒸汽": "steam",
}
#: An item saying the site made nothing that month (its quantity is not read).
NOTHING_MADE = {"none", "nothing", "no output", "无", "无产出", "停产"}
_OUTPUT = re.compile(r"^outputs\.(\d+)(?:\.(\w+))?$")
_ENERGY = re.compile(r"^energy\.(\w+?)(?:\.(\w+))?$")


class _Group:
    def __init__(self, site_id: int, month: str, row: int) -> None:
        self.data: dict[str, Any] = {
            "site_id": site_id,
            "month": month,
            "energy": {},
            "outputs": [],
        }
        self.first_row = row
        self.fuel_rows: dict[str, int] = {}
        self.output_rows: list[int] = []
        self.nothing_made_row: int | None = None


def import_activity(session: Session, actor: Actor, filename: str, content: bytes) -> ImportResult:
    """Record the activity data of a file. Nothing is written unless every row is right; the
    upload keeps its status, errors and summary either way. The caller propagates footprints
    of the written records."""
    require_permission(actor.role, "report")
    actor = actor.via("file")
    upload, created = store_upload(session, actor, KIND, filename, content)
    if not created and upload.status == "accepted":
        return ImportResult(upload, repeated=True)
    sheet = read_sheet(filename, content, COLUMNS)
    groups = [] if sheet.errors else _groups(session, actor, sheet)
    written = _write_in_order(session, actor, sheet, groups, upload.id)
    upload.status = "rejected" if sheet.errors else "accepted"
    upload.errors = sheet.error_dicts() or None
    upload.summary = {"rows": len(sheet.rows), "records": len(groups), "written": len(written)}
    upload.processed_at = utcnow()
    record_audit(
        session,
        actor,
        "upload.process",
        "upload",
        upload.id,
        {"status": upload.status, "errors": len(sheet.errors)},
    )
    return ImportResult(upload, repeated=not created, written=written)


def _write_in_order(
    session: Session, actor: Actor, sheet: Sheet, groups: list[_Group], upload_id: int
) -> list[int]:
    """Check and write the records month by month in a savepoint, undone when any row is wrong.

    Each record is written before the next is checked, so a month is judged against the
    site's earlier months of the same file (the plausibility bound, overlaps) exactly as if
    they had been entered one by one on the form.
    """
    savepoint = session.begin_nested()
    written = []
    for group in sorted(groups, key=lambda g: str(g.data["month"])):
        try:
            prepared = prepare_activity(session, actor, group.data)
        except ValidationFailed as error:
            _place(sheet, group, error.errors)
            continue
        written.append(write_activity(session, actor, prepared, "file", upload_id).id)
    if sheet.errors:
        savepoint.rollback()
        return []
    savepoint.commit()
    return written


def _groups(session: Session, actor: Actor, sheet: Sheet) -> list[_Group]:
    sites = {
        name.strip().lower(): site_id
        for site_id, name in session.execute(
            select(Site.id, Site.name).where(Site.org_id == actor.org_id)
        )
    }
    made = session.execute(
        select(Part.id, Part.part_number, Part.supplier_part_number).where(
            parts_made_by(actor.org_id)
        )
    ).all()
    groups: OrderedDict[tuple[int, str], _Group] = OrderedDict()
    for row, cells in sheet.rows:
        site_id = sites.get(cells.get("site", "").strip().lower())
        if site_id is None:
            sheet.error(row, "site", Msg(N_("No site of your organisation has this name.")))
            continue
        month = cells.get("month", "")
        group = groups.setdefault((site_id, month), _Group(site_id, month, row))
        item = cells.get("item", "").strip()
        fuel = FUEL_NAMES.get(item.lower())
        if fuel is not None:
            if fuel in group.data["energy"]:
                sheet.error(row, "item", Msg(N_("This fuel is already given for this month.")))
                continue
            energy = {"quantity": cells.get("quantity")}
            if cells.get("unit"):
                energy["unit"] = cells["unit"]
            group.data["energy"][fuel] = energy
            group.fuel_rows[fuel] = row
            continue
        if item.lower() in NOTHING_MADE:
            group.data["no_output"] = True
            group.nothing_made_row = row
            continue
        part_id = _part(made, item)
        if part_id is None:
            sheet.error(
                row,
                "item",
                Msg(N_("Neither a fuel nor a part number of yours: %(item)s"), item=item),
            )
            continue
        output = {"part_id": part_id, "quantity": cells.get("quantity")}
        for key in ("mass_kg", "value"):
            if cells.get(key):
                output[key] = cells[key]
        group.data["outputs"].append(output)
        group.output_rows.append(row)
    return list(groups.values())


def _part(made: list[Any], item: str) -> int | None:
    wanted = item.lower()
    for part_id, number, supplier_number in made:
        if wanted in (number.lower(), (supplier_number or "").lower()):
            return part_id
    return None


def _place(sheet: Sheet, group: _Group, errors: dict[str, list[str]]) -> None:
    """Put a record's field errors on the rows and columns they came from."""
    for path, messages in errors.items():
        row, key = group.first_row, "month"
        if found := _OUTPUT.match(path):
            index = int(found[1])
            row = group.output_rows[index] if index < len(group.output_rows) else row
            key = {"part_id": "item"}.get(found[2] or "", found[2] or "item")
        elif (found := _ENERGY.match(path)) and found[1] in group.fuel_rows:
            row, key = group.fuel_rows[found[1]], found[2] or "quantity"
        elif path == "site_id":
            key = "site"
        elif path == "no_output":
            row, key = group.nothing_made_row or group.first_row, "item"
        for message in messages:
            sheet.error(row, key, message if isinstance(message, Msg) else Msg(message))


def template(locale: str) -> bytes:
    """An empty workbook with the columns in ``locale`` and a sheet explaining them."""
    return template_xlsx(COLUMNS, locale, "energy" if locale == "en" else "能源与产量")
