"""Spreadsheet imports of purchase orders and lot consumption, all rows or none.

The file is stored first (by SHA-256, so a re-upload is recognised), every row is validated
through the same domain operation the form uses, and only when no row has an error is anything
written; a rejected upload is kept with its errors, each on a row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import DomainError, ValidationFailed
from models.files import Upload, store_upload
from models.i18n import N_, Msg
from models.orders.columns import CONSUMPTION_COLUMNS, ORDER_COLUMNS
from models.orders.consumption import declare_consumption
from models.orders.purchasing import create_purchase_order
from models.orgs.entities import Organisation, SupplierLink
from models.roles import require_permission
from models.sheets import Column, Sheet, read_sheet

ORDER_FIELDS = {
    "number": "po_number",
    "supplier_org_id": "supplier",
    "order_date": "order_date",
    "currency": "currency",
}
CONSUMPTION_FIELDS = {
    "output_lot_number": "output_lot",
    "part_number": "part_number",
    "made_at": "made_at",
}


@dataclass
class ImportResult:
    upload: Upload
    repeated: bool = False
    written: list[int] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.upload.status == "accepted"


@dataclass
class _Group:
    data: dict[str, Any]
    rows: list[int]


def import_purchase_orders(
    session: Session, actor: Actor, filename: str, content: bytes
) -> ImportResult:
    """Create the purchase orders of a CSV/XLSX file (rows grouped by order number)."""
    require_permission(actor.role, "buy")
    return _import(
        session,
        actor,
        "purchase_orders",
        filename,
        content,
        ORDER_COLUMNS,
        _order_groups,
        create_purchase_order,
        ORDER_FIELDS,
    )


def import_consumption(
    session: Session, actor: Actor, filename: str, content: bytes
) -> ImportResult:
    """Declare the lot consumption of a CSV/XLSX file (rows grouped by output lot)."""
    require_permission(actor.role, "sell")
    return _import(
        session,
        actor,
        "lot_consumption",
        filename,
        content,
        CONSUMPTION_COLUMNS,
        _consumption_groups,
        declare_consumption,
        CONSUMPTION_FIELDS,
    )


def _import(
    session: Session,
    actor: Actor,
    kind: str,
    filename: str,
    content: bytes,
    columns: tuple[Column, ...],
    grouper: Callable[[Session, Actor, Sheet], list[_Group]],
    operation: Callable[[Session, Actor, dict[str, Any]], Any],
    top_fields: dict[str, str],
) -> ImportResult:
    actor = actor.via("file")
    upload, created = store_upload(session, actor, kind, filename, content)
    if not created and upload.status == "accepted":
        return ImportResult(upload, repeated=True)
    sheet = read_sheet(filename, content, columns)
    groups = [] if sheet.errors else grouper(session, actor, sheet)
    written: list[int] = []
    outer = session.begin_nested()
    for group in groups:
        inner = session.begin_nested()
        try:
            result = operation(session, actor, group.data)
            inner.commit()
        except ValidationFailed as error:
            inner.rollback()
            _place(sheet, group, error.errors, top_fields)
            continue
        except DomainError as error:
            inner.rollback()
            sheet.error(group.rows[0], None, error.message)
            continue
        written.extend(item.id for item in (result if isinstance(result, list) else [result]))
    if sheet.errors:
        outer.rollback()
        written = []
    else:
        outer.commit()
    upload.status = "rejected" if sheet.errors else "accepted"
    upload.errors = sheet.error_dicts() or None
    upload.summary = {"rows": len(sheet.rows), "groups": len(groups), "written": len(written)}
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


_PATH = re.compile(r"^(?P<list>lines|inputs)\.(?P<index>\d+)(?:\.(?P<field>\w+))?")


def _place(
    sheet: Sheet, group: _Group, errors: dict[str, list[str]], top_fields: dict[str, str]
) -> None:
    """Put a domain operation's field errors on the rows and columns they came from."""
    item_fields = {
        "part_number": "part_number",
        "supplier_part_number": "part_number",
        "quantity": "quantity",
        "unit": "unit",
        "due_date": "due_date",
        "unit_price": "unit_price",
        "line": "line",
        "lot_number": "input_lot",
        "supplier_org_id": "input_supplier",
    }
    for path, messages in errors.items():
        found = _PATH.match(path)
        if found:
            index = int(found["index"])
            row = group.rows[index] if index < len(group.rows) else group.rows[0]
            key = item_fields.get(found["field"] or "")
        else:
            row, key = group.rows[0], top_fields.get(path)
        column = sheet.letters.get(key or "")
        if any(e.row == row and e.column == column for e in sheet.errors):
            continue
        for message in messages:
            sheet.error(row, key, message if isinstance(message, Msg) else Msg(message))


def _organisation(session: Session, actor: Actor, text: str) -> int | None:
    """An active supplier of the actor named by credit code or name."""
    return session.scalar(
        select(Organisation.id)
        .join(SupplierLink, SupplierLink.supplier_id == Organisation.id)
        .where(
            SupplierLink.buyer_id == actor.org_id,
            SupplierLink.status == "active",
            or_(
                Organisation.credit_code == text.upper(),
                Organisation.name_zh == text,
                Organisation.name_en == text,
            ),
        )
    )


def _order_groups(session: Session, actor: Actor, sheet: Sheet) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for row, values in sheet.rows:
        number = values.get("po_number", "")
        group = groups.get(number)
        if group is None:
            supplier = values.get("supplier", "")
            supplier_id = _organisation(session, actor, supplier) if supplier else None
            if supplier and supplier_id is None:
                sheet.error(
                    row, "supplier", Msg(N_("No active supplier “%(name)s”."), name=supplier)
                )
            group = _Group(
                {
                    "number": number,
                    "supplier_org_id": supplier_id,
                    "order_date": values.get("order_date"),
                    "currency": values.get("currency"),
                    "lines": [],
                },
                [],
            )
            groups[number] = group
        elif values.get("supplier") and values.get("supplier") != _first(sheet, group, "supplier"):
            sheet.error(row, "supplier", Msg(N_("One order number, one supplier.")))
        group.rows.append(row)
        group.data["lines"].append(
            {
                k: values.get(k)
                for k in ("line", "part_number", "quantity", "unit", "due_date", "unit_price")
            }
        )
    return list(groups.values())


def _first(sheet: Sheet, group: _Group, key: str) -> str | None:
    first = group.rows[0]
    return next((values.get(key) for row, values in sheet.rows if row == first), None)


def _consumption_groups(session: Session, actor: Actor, sheet: Sheet) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for row, values in sheet.rows:
        output = values.get("output_lot", "")
        group = groups.setdefault(
            output,
            _Group(
                {
                    "output_lot_number": output,
                    "part_number": values.get("part_number"),
                    "made_at": values.get("made_at"),
                    "inputs": [],
                },
                [],
            ),
        )
        supplier_id = None
        if values.get("input_supplier"):
            supplier_id = _organisation(session, actor, values["input_supplier"])
            if supplier_id is None:
                sheet.error(
                    row,
                    "input_supplier",
                    Msg(N_("No active supplier “%(name)s”."), name=values["input_supplier"]),
                )
        group.rows.append(row)
        group.data["inputs"].append(
            {
                "lot_number": values.get("input_lot"),
                "supplier_org_id": supplier_id,
                "quantity": values.get("quantity"),
            }
        )
    return list(groups.values())
