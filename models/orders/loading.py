"""Loading a document with item lines so that every bad field, header or line, is reported.

marshmallow stops at the list when one item is bad; spreadsheets and forms need the errors of
the other items too, and the domain checks (unknown part, closed line) of the good items, so a
user can fix everything in one go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema
from marshmallow import ValidationError as MarshmallowError

from models.validation import flatten_errors


def load_with_items(
    schema: Schema, data: Mapping[str, Any], items: str
) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]], dict[str, list[str]]]:
    """``(header, [(index, item)], errors)``: what loaded, each item with its position, and
    the errors (``lines.2.quantity``). When there are errors, header and items hold only the
    fields that loaded, so callers read them with ``.get`` and never write."""
    try:
        loaded = schema.load(data)
    except MarshmallowError as error:
        errors = flatten_errors(error.messages)
        header = dict(error.valid_data or {}) if isinstance(error.valid_data, dict) else {}
    else:
        return loaded, list(enumerate(loaded[items])), {}
    raw = data.get(items) if isinstance(data, Mapping) else None
    good: list[tuple[int, dict[str, Any]]] = []
    if isinstance(raw, list) and not any(key == items for key in errors):
        item_schema = schema.fields[items].inner.schema  # type: ignore[attr-defined]
        for index, item in enumerate(raw):
            try:
                good.append((index, item_schema.load(item)))
            except MarshmallowError as error:
                partial = error.valid_data if isinstance(error.valid_data, dict) else {}
                good.append((index, dict(partial)))
    return header, good, errors
