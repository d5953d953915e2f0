"""Translating HTML forms and uploads into the plain dicts the domain operations take, and
their errors back onto the form's fields."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, request
from werkzeug.datastructures import FileStorage

from models.files import Upload
from models.i18n import Msg
from models.orders.progress import Photo
from models.sheets import GROUPED_NUMBER
from webapp.i18n import translate

LOT_ITEM = re.compile(r"^\s*(?P<lot>[^=:：]+?)\s*(?:[=:：]\s*(?P<qty>\S+))?\s*$")
#: A lot's quantity with its thousands grouped (``L-1=1,000``): that comma does not end the lot.
GROUPED_QUANTITY = re.compile(rf"([=:：]\s*)({GROUPED_NUMBER.pattern})(?![0-9])")


def fields(*names: str) -> dict[str, str]:
    """The named form fields that were filled in (blank ones are left out)."""
    return {n: request.form[n].strip() for n in names if request.form.get(n, "").strip()}


def rows(prefix: str, names: tuple[str, ...], count: int) -> tuple[list[dict[str, str]], list[int]]:
    """Filled-in rows ``prefix.<i>.<name>`` of a form, and the form row each came from."""
    found, origin = [], []
    for index in range(count):
        row = {n: request.form.get(f"{prefix}.{index}.{n}", "").strip() for n in names}
        row = {k: v for k, v in row.items() if v}
        if row:
            found.append(row)
            origin.append(index)
    return found, origin


def row_count(prefix: str, limit: int) -> int:
    """How many rows ``prefix.<i>.<name>`` the form posted: one past the highest index, and
    at most ``limit``, so a forged index cannot make a view loop for long."""
    pattern = re.compile(rf"^{re.escape(prefix)}\.(\d{{1,6}})\.")
    indexes = [int(found[1]) for key in request.form if (found := pattern.match(key))]
    return min(max(indexes, default=-1) + 1, limit)


def remap(errors: dict[str, list[str]], prefix: str, origin: list[int]) -> dict[str, list[str]]:
    """Point ``lines.<k>.x`` errors at the form row ``k`` came from (nested paths collapse to
    their first field, so ``lines.0.lots.1.quantity`` shows at ``lines.<row>.lots``)."""
    result: dict[str, list[str]] = {}
    for key, messages in errors.items():
        parts = key.split(".")
        if parts[0] == prefix and len(parts) >= 2 and parts[1].isdecimal():
            index = int(parts[1])
            row = origin[index] if index < len(origin) else index
            key = ".".join([prefix, str(row), *parts[2:3]]) if len(parts) > 2 else f"{prefix}.{row}"
        result.setdefault(key, []).extend(messages)
    return result


def lots_from_text(text: str) -> list[dict[str, str]]:
    """``"L-1=60; L-2=40"`` (or one lot number alone) as lot dicts; ``=``, ``:`` or ``：``.
    Lots are separated by ``;``, ``,`` or a new line, and a quantity may be ``1,000``."""
    text = GROUPED_QUANTITY.sub(lambda found: found[1] + found[2].replace(",", ""), text)
    lots = []
    for item in re.split(r"[;,，；\n]+", text):
        found = LOT_ITEM.match(item)
        if found and found["lot"].strip():
            lot = {"lot_number": found["lot"].strip()}
            if found["qty"]:
                lot["quantity"] = found["qty"]
            lots.append(lot)
    return lots


def uploaded_file(name: str = "file") -> FileStorage | None:
    file = request.files.get(name)
    return file if file is not None and file.filename else None


def photo_from_request() -> Photo | None:
    """The report's photo, read up to one byte past the limit (the operation refuses it)."""
    file = uploaded_file("photo")
    if file is None:
        return None
    limit = current_app.extensions["tierlight.settings"].max_photo_bytes
    content = file.stream.read(limit + 1)
    return Photo(file.filename or "photo", file.mimetype or "", content)


def upload_errors(upload: Upload) -> list[dict[str, Any]]:
    """The stored errors of an upload, translated, each with its row and column."""
    result = []
    for error in upload.errors or []:
        message = Msg.from_dict(error["message"])
        text = translate(message if message.params else str(message))
        result.append({**error, "message": text})
    return result
