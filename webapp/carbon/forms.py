"""Form posts translated into the input of the carbon operations (and their errors back).

Form fields are named by the operation's error paths (``energy.electricity.quantity``,
``outputs.0.part_id``), so an error lands next to the field it is about.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from models.carbon.constants import FUELS

OUTPUT_ROWS = 4
_OUTPUT_KEY = re.compile(r"^outputs\.(\d+)\.")


def _text(form: MultiDict[str, str], key: str) -> str:
    return (form.get(key) or "").strip()


def activity_data(form: MultiDict[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The record a phone form describes, and for each output the form row it came from."""
    data: dict[str, Any] = {
        "site_id": _text(form, "site_id"),
        "month": _text(form, "month"),
        "energy": {},
        "outputs": [],
    }
    for fuel in FUELS:
        quantity = _text(form, f"energy.{fuel}.quantity")
        if quantity:
            data["energy"][fuel] = {
                "quantity": quantity,
                "unit": _text(form, f"energy.{fuel}.unit") or None,
            }
            if data["energy"][fuel]["unit"] is None:
                del data["energy"][fuel]["unit"]
    rows = []
    for index in range(OUTPUT_ROWS):
        values = {
            k: _text(form, f"outputs.{index}.{k}") for k in ("part_id", "quantity", "mass_kg")
        }
        if not any(values.values()):
            continue
        data["outputs"].append({k: v for k, v in values.items() if v})
        rows.append(index)
    if form.get("no_output"):
        data["no_output"] = True
    for key in ("supersedes_id", "note"):
        if _text(form, key):
            data[key] = _text(form, key)
    return data, rows


def form_errors(errors: dict[str, list[str]], rows: list[int]) -> dict[str, list[str]]:
    """Errors keyed by form field: output indexes mapped back to the rows of the form."""
    placed: dict[str, list[str]] = {}
    for key, messages in errors.items():
        found = _OUTPUT_KEY.match(key)
        if found and int(found[1]) < len(rows):
            key = f"outputs.{rows[int(found[1])]}." + key[found.end() :]
        placed.setdefault(key, []).extend(messages)
    return placed


def declared_data(form: MultiDict[str, str]) -> dict[str, Any]:
    keys = (
        "part_id",
        "year",
        "pcf_kg",
        "primary_data_share",
        "dqr_technological",
        "dqr_temporal",
        "dqr_geographical",
        "note",
    )
    return {key: _text(form, key) for key in keys if _text(form, key)}


def factor_data(form: MultiDict[str, str]) -> dict[str, Any]:
    keys = ("fuel", "region", "year", "value", "scope", "source", "note")
    return {key: _text(form, key) for key in keys if _text(form, key)}
