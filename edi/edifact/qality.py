"""Map an EDIFACT QALITY quality data message to a ``quality_report`` record."""

from __future__ import annotations

from typing import Any

from edi import parts
from edi.model import Segment
from edi.view import MessageView

# Keys used while reading that are not part of the record.
_INTERNAL = ("opened_by", "attribute")


def _characteristic(code: str | None, name: str | None) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "unit": None,
        "lower_limit": None,
        "upper_limit": None,
        "test_method": None,
        "subgroup": None,
        "date": None,
        "measurements": [],
        "statistics": {},
    }


def map_qality(view: MessageView) -> list[dict[str, Any]]:
    """The QALITY as one ``quality_report`` record::

        {"kind": "quality_report", "number": BGM document number, "date": DTM+137,
         "items": [{"line": LIN 1082, "part_number", "supplier_part_number" (LIN C212 and PIA,
                    see edi.parts.choose), "lot_number": GIN+BX, PIA typed NB or RFF+BT,
                    "quantity", "unit": the first QTY of the item,
                    "characteristics": [{"code", "name", "unit", "lower_limit",
                        "upper_limit", "test_method", "subgroup", "date",
                        "measurements": [decimal strings in received order],
                        "statistics": {STA 6331 code: decimal string}}]}]}

    A characteristic starts at CCI (code: C240 7037, else C502 6313, else 7059; name: C240
    7036) or, without CCI, at a MEA whose attribute (C502 6313) differs from the current one
    (code 6313, name 6154). In it, a MEA with a value (C174 6314) adds a measurement, a MEA
    with a range (6162/6152) and no value gives the limits; TEM gives ``test_method`` (C244
    4415), DTM its ``date``, STA its statistics, and the first MEA unit its ``unit``. SPS or
    PSD starts a new subgroup: the characteristic is repeated with ``subgroup`` "1", "2" ...
    and the measurements that follow; without them ``subgroup`` is None.
    """
    record: dict[str, Any] = {"kind": "quality_report", "number": None, "date": None}
    items: list[dict[str, Any]] = []
    item_ids: list[list[tuple[str, str]]] = []
    item_segments: list[Segment] = []
    current: dict[str, Any] | None = None
    seen_bgm = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BGM":
            seen_bgm = True
            record["number"] = view.text(segment, 2, required=True, ident="1004")
        elif tag == "DTM" and not items:
            if segment.value(1).strip() == "137" and record["date"] is None:
                record["date"] = view.dtm(segment)
        elif tag == "LIN":
            items.append(_item(view, segment))
            item_ids.append(parts.edifact_ids(segment, 3))
            item_segments.append(segment)
            current = None
        elif items:
            current = _detail(view, segment, items[-1], item_ids[-1], current)
    if not seen_bgm:
        view.missing_segment("BGM")
    if not items:
        view.missing_segment("LIN")
    for item, ids, lin in zip(items, item_ids, item_segments, strict=True):
        item["part_number"], item["supplier_part_number"] = parts.choose(ids)
        if item["part_number"] is None:
            view.text(lin, 3, required=True, ident="7140")
        for characteristic in item["characteristics"]:
            for internal in _INTERNAL:
                characteristic.pop(internal, None)
    return [{**record, "items": items}]


def _item(view: MessageView, lin: Segment) -> dict[str, Any]:
    return {
        "line": view.text(lin, 1),
        "part_number": None,
        "supplier_part_number": None,
        "lot_number": None,
        "quantity": None,
        "unit": None,
        "characteristics": [],
    }


def _detail(
    view: MessageView,
    segment: Segment,
    item: dict[str, Any],
    ids: list[tuple[str, str]],
    current: dict[str, Any] | None,
) -> dict[str, Any] | None:
    tag = segment.tag
    qualifier = segment.value(1).strip()
    if tag == "PIA":
        for kind, value in parts.edifact_ids(segment, 2):
            if kind in parts.LOT:
                item["lot_number"] = item["lot_number"] or value
            else:
                ids.append((kind, value))
    elif tag == "GIN" and qualifier == "BX":
        item["lot_number"] = item["lot_number"] or view.text(segment, 2)
    elif tag == "RFF" and qualifier == "BT":
        item["lot_number"] = item["lot_number"] or view.text(segment, 1, 2)
    elif tag == "QTY" and item["quantity"] is None and current is None:
        item["quantity"] = view.number(segment, 1, 2, required=True, ident="6060")
        item["unit"] = view.text(segment, 1, 3)
    elif tag == "CCI":
        code = segment.value(3).strip() or segment.value(2).strip() or qualifier or None
        current = _characteristic(code, segment.value(3, 4).strip() or None)
        current["opened_by"] = "CCI"
        item["characteristics"].append(current)
    elif tag == "MEA":
        current = _measurement(view, segment, item, current)
    elif tag in ("SPS", "PSD") and current is not None:
        current = _next_subgroup(item, current)
    elif current is not None:
        _characteristic_detail(view, segment, current)
    return current


def _measurement(
    view: MessageView, mea: Segment, item: dict[str, Any], current: dict[str, Any] | None
) -> dict[str, Any]:
    attribute = mea.value(2).strip() or None
    implicit = current is None or current.get("opened_by") != "CCI"
    if current is None or (implicit and attribute and current.get("attribute") != attribute):
        current = _characteristic(attribute, mea.value(2, 4).strip() or None)
        current["attribute"] = attribute
        item["characteristics"].append(current)
    current["unit"] = current["unit"] or view.text(mea, 3, 1)
    value = view.number(mea, 3, 2, ident="6314")
    if value is not None:
        current["measurements"].append(value)
    elif mea.value(3, 3).strip() or mea.value(3, 4).strip():
        current["lower_limit"] = view.number(mea, 3, 3, ident="6162")
        current["upper_limit"] = view.number(mea, 3, 4, ident="6152")
    return current


def _next_subgroup(item: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    if current["subgroup"] is None and not current["measurements"]:
        current["subgroup"] = "1"
        return current
    following = {**current, "measurements": [], "statistics": {}}
    following["subgroup"] = str(int(current["subgroup"] or "1") + 1)
    if current["subgroup"] is None:
        current["subgroup"] = "1"
    item["characteristics"].append(following)
    return following


def _characteristic_detail(view: MessageView, segment: Segment, current: dict[str, Any]) -> None:
    tag = segment.tag
    if tag == "TEM":
        current["test_method"] = current["test_method"] or view.text(segment, 1)
    elif tag == "DTM" and current["date"] is None:
        current["date"] = view.dtm(segment)
    elif tag == "STA":
        code = view.text(segment, 1, required=True, ident="6331")
        value = view.number(segment, 2, required=True, ident="6314")
        if code is not None:
            current["statistics"][code] = value
