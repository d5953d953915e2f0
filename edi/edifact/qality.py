"""Map an EDIFACT QALITY quality data message to a ``quality_report`` record."""

from __future__ import annotations

from typing import Any

from edi import parts
from edi.model import Segment
from edi.view import MessageView

# Keys used while reading that are not part of the record.
_INTERNAL = ("opened_by", "attribute")
# Keys of where things were read (the segment that opened a characteristic, each value's MEA,
# the DTM of its date; an item's lot and quantity), turned into the view's places.
_OPENED_AT, _VALUES_AT, _DATE_AT = "_opened_at", "_values_at", "_date_at"
_ID_AT, _LOT_AT, _QTY_AT = "_ids_at", "_lot_at", "_quantity_at"


def _lot(item: dict[str, Any], value: str | None, at: tuple[Segment, int, int, str]) -> None:
    """The item's lot number is the first one given; ``at`` is where (segment, element,
    component, data element id)."""
    if item["lot_number"] is None and value:
        item["lot_number"] = value
        item[_LOT_AT] = at


def _characteristic(code: str | None, name: str | None, opened: Segment) -> dict[str, Any]:
    return {
        _OPENED_AT: opened,
        _VALUES_AT: [],
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
    date_at: Segment | None = None
    for segment in view.segments():
        tag = segment.tag
        if tag == "BGM":
            seen_bgm = True
            record["number"] = view.text(segment, 2, required=True, ident="1004")
            view.place("number", segment, 2, ident="1004")
        elif tag == "DTM" and not items:
            if segment.value(1).strip() == "137" and record["date"] is None:
                record["date"] = view.dtm(segment)
                date_at = segment
        elif tag == "LIN":
            items.append(_item(view, segment))
            item_ids.append(parts.edifact_ids(segment, 3))
            item_segments.append(segment)
            current = None
        elif items:
            current = _detail(view, segment, items[-1], item_ids[-1], current)
    if not seen_bgm:
        view.missing_segment("BGM", first=True)
    if not items:
        view.missing_segment("LIN")
    for index, (item, ids, lin) in enumerate(zip(items, item_ids, item_segments, strict=True)):
        item["part_number"], item["supplier_part_number"] = parts.choose(ids)
        if item["part_number"] is None:
            view.text(lin, 3, required=True, ident="7140")
        _place_item(view, f"items.{index}", item, lin, date_at)
        for characteristic in item["characteristics"]:
            for internal in _INTERNAL:
                characteristic.pop(internal, None)
    return [{**record, "items": items}]


def _place_item(
    view: MessageView, path: str, item: dict[str, Any], lin: Segment, date_at: Segment | None
) -> None:
    """Where the fields of item ``path`` (``items.N``) and of its characteristics sit; the
    keys that held it are dropped from the item."""
    ids = [(lin, 3), *item.pop(_ID_AT)]
    view.place_id(f"{path}.part_number", item["part_number"], ids)
    view.place_id(f"{path}.supplier_part_number", item["supplier_part_number"], ids)
    lot_at = item.pop(_LOT_AT, None)
    if lot_at is not None:
        view.place(f"{path}.lot_number", *lot_at)
    qty = item.pop(_QTY_AT, None)
    view.place(f"{path}.quantity", qty, 1, 2, ident="6060")
    view.place(f"{path}.unit", qty, 1, 3, ident="6411")
    view.place(f"{path}.inspected_at", date_at, 1, 2, ident="2380")
    for index, characteristic in enumerate(item["characteristics"]):
        where = f"{path}.characteristics.{index}"
        opened = characteristic.pop(_OPENED_AT)
        code_at = (3, 1, "7037") if opened.tag == "CCI" else (2, 1, "6313")
        view.place(f"{where}.code", opened, *code_at)
        for position, mea in enumerate(characteristic.pop(_VALUES_AT)):
            view.place(f"{where}.measurements.{position}", mea, 3, 2, ident="6314")
        view.place(f"{where}.measurements", opened)
        view.place(f"{where}.date", characteristic.pop(_DATE_AT, None), 1, 2, ident="2380")
        view.place(where, opened)
    view.place(path, lin)


def _item(view: MessageView, lin: Segment) -> dict[str, Any]:
    return {
        _ID_AT: [],
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
        item[_ID_AT].append((segment, 2))
        for n, (kind, value) in enumerate(parts.edifact_ids(segment, 2), 2):
            if kind in parts.LOT:
                _lot(item, value, (segment, n, 1, "7140"))
            else:
                ids.append((kind, value))
    elif tag == "GIN" and qualifier == "BX":
        _lot(item, view.text(segment, 2), (segment, 2, 1, "7402"))
    elif tag == "RFF" and qualifier == "BT":
        _lot(item, view.text(segment, 1, 2), (segment, 1, 2, "1154"))
    elif tag == "QTY" and item["quantity"] is None and current is None:
        item["quantity"] = view.number(segment, 1, 2, required=True, ident="6060")
        item["unit"] = view.text(segment, 1, 3)
        item[_QTY_AT] = segment
    elif tag == "CCI":
        code = segment.value(3).strip() or segment.value(2).strip() or qualifier or None
        current = _characteristic(code, segment.value(3, 4).strip() or None, segment)
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
        current = _characteristic(attribute, mea.value(2, 4).strip() or None, mea)
        current["attribute"] = attribute
        item["characteristics"].append(current)
    current["unit"] = current["unit"] or view.text(mea, 3, 1)
    value = view.number(mea, 3, 2, ident="6314")
    if value is not None:
        current["measurements"].append(value)
        current[_VALUES_AT].append(mea)
    elif mea.value(3, 3).strip() or mea.value(3, 4).strip():
        current["lower_limit"] = view.number(mea, 3, 3, ident="6162")
        current["upper_limit"] = view.number(mea, 3, 4, ident="6152")
    return current


def _next_subgroup(item: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    if current["subgroup"] is None and not current["measurements"]:
        current["subgroup"] = "1"
        return current
    following = {**current, "measurements": [], "statistics": {}, _VALUES_AT: []}
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
        current[_DATE_AT] = segment
    elif tag == "STA":
        code = view.text(segment, 1, required=True, ident="6331")
        value = view.number(segment, 2, required=True, ident="6314")
        if code is not None:
            current["statistics"][code] = value
