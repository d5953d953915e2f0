"""Map an X12 856 ship notice to a ``ship_notice`` record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edi import errors, parts
from edi.model import Segment
from edi.view import MessageView
from models.i18n import N_, Msg

# HL03 level codes by depth, to give an HL without a known parent the nearest plausible one.
_RANK = {"S": 0, "O": 1, "T": 2, "P": 2, "I": 3}


@dataclass(slots=True)
class _Level:
    """An HL level. Its HL and REF*LT segments are kept bare (:meth:`Segment.bare`): only
    their places are read once the level is read."""

    segment: Segment
    code: str
    parent: _Level | None
    order_number: str | None = None
    lin: Segment | None = None
    ids: list[tuple[str, str]] = field(default_factory=list)
    sn1: Segment | None = None
    po1: Segment | None = None
    #: Each lot number with the segment and element it was read from.
    lots: list[tuple[str, Segment, int]] = field(default_factory=list)
    #: An item's: its line's index, the levels below it, and whether its line is built.
    index: int = -1
    nested: list[_Level] = field(default_factory=list)
    done: bool = False

    def add_lot(self, lot: str, segment: Segment, element: int) -> None:
        """Keep a lot number of this level. One in the LIN and again in a REF*LT of the same
        level (some systems write both) is the same lot, kept once; a lot repeated in the
        same kind of segment stays twice, for the ship notice to refuse."""
        if not any(known == lot and at.tag != segment.tag for known, at, _ in self.lots):
            self.lots.append((lot, segment, element))

    def item(self) -> _Level | None:
        """The nearest item (I) level at or above this one."""
        level: _Level | None = self
        while level is not None and level.code != "I":
            level = level.parent
        return level

    def inherited_order(self) -> str | None:
        level: _Level | None = self
        while level is not None:
            if level.order_number:
                return level.order_number
            level = level.parent
        return None

    def lots_above(self) -> _Level | None:
        """The nearest level above this one, other than an item, that names lots (a pack or
        tare level naming the lot of what it holds), if any."""
        level = self.parent
        while level is not None and (level.code == "I" or not level.lots):
            level = level.parent
        return level

    def under(self, other: _Level) -> bool:
        """Whether this level is ``other`` or one of its descendants."""
        level: _Level | None = self
        while level is not None and level is not other:
            level = level.parent
        return level is other

    def forget_segments(self) -> None:
        """Let go of what only building its item's line read."""
        self.lin = self.sn1 = self.po1 = None
        self.ids, self.lots, self.nested = [], [], []


@dataclass
class _Lines:
    """The notice's lines, each built as soon as its item's levels end (at the next HL not
    below it, or at the end of the set): a notice of 50,000 lines never holds all its
    segments at once. Lines keep the order of their items."""

    view: MessageView
    built: list[dict[str, Any]] = field(default_factory=list)
    open: list[_Level] = field(default_factory=list)

    def opened(self, level: _Level, hl: Segment) -> None:
        """Build the lines of the open items ``level`` is not below, then take it in (``hl``
        is its segment)."""
        self.close(level)
        if level.code == "I":
            level.index = len(self.built)
            self.built.append({})
            self.open.append(level)
            return
        item = level.item()
        if item is None:
            return
        if item.done:
            self.view.error(
                errors.UNEXPECTED_SEGMENT,
                Msg(
                    N_(
                        "HL %(level)s comes after the levels of its item ended: an HL level "
                        "follows its parent's."
                    ),
                    level=hl.value(1).strip(),
                ),
                hl,
                2,
            )
        item.nested.append(level)

    def close(self, level: _Level | None = None) -> None:
        """Build the lines of the open items ``level`` is not below (all when None). Their
        segments are let go of once all of them are built: an item inside another's pack
        level ships that pack's lot."""
        still, ended = [], []
        for item in self.open:
            if level is not None and level.under(item):
                still.append(item)
                continue
            nested = [lv for lv in item.nested if lv.lots]
            self.built[item.index] = _line(self.view, f"lines.{item.index}", item, nested)
            item.done = True
            ended.append(item)
        for item in ended:
            for below in (*item.nested, item):
                below.forget_segments()
        self.open = still


def map_ship_notice(view: MessageView) -> list[dict[str, Any]]:
    """The 856 as one ``ship_notice`` record.

    ``number`` is BSN02; ``ship_date`` DTM*011 (shipped), else BSN03. Each HL item level (I)
    is a line: ``part_number``/``supplier_part_number`` from LIN (see :func:`edi.parts.choose`),
    quantity and unit from SN102/SN103, ``po_number`` from PRF01 of the nearest level above
    (or a LIN PO/ON id), ``po_line`` from a LIN PL id, LIN01 or PO101. Lots are LIN LT ids,
    REF*LT under the item and REF*LT in levels nested under it (with their SN1 quantity);
    an item with none has those of the nearest level above it that names some (a pack level
    naming the lot of what it holds). A lot without its own quantity gets the line quantity
    when it is the line's only lot.
    HL levels S/O/I, S/O/P/I, S/I and others are read through HL02; an HL without a known
    parent hangs under the last level of a higher rank; a level that names as its parent a
    level whose item has ended (HL levels come in tree order) is refused. ``carrier`` is
    TD503 (else TD505), ``tracking`` REF*CN; both None when absent.
    """
    header: dict[str, Any] = {"number": None, "ship_date": None, "carrier": None, "tracking": None}
    bsn: tuple[str | None, Segment | None] = (None, None)
    levels: list[_Level] = []
    by_id: dict[str, _Level] = {}
    lines = _Lines(view)
    current: _Level | None = None
    for segment in view.segments():
        tag = segment.tag
        if tag == "HL":
            current = _open_level(segment, levels, by_id)
            lines.opened(current, segment)
        elif tag == "BSN":
            header["number"] = view.text(segment, 2, required=True)
            view.place("number", segment, 2)
            bsn = (view.date(segment, 3), segment)
        elif tag == "DTM" and segment.value(1) == "011" and header["ship_date"] is None:
            header["ship_date"] = view.date(segment, 2, required=True)
            view.place("ship_date", segment, 2)
        elif tag == "TD5" and header["carrier"] is None:
            header["carrier"] = view.text(segment, 3) or view.text(segment, 5)
        elif tag == "REF":
            _reference(view, segment, current, header)
        elif current is not None and tag in ("LIN", "SN1", "PO1", "PRF"):
            _item_detail(view, segment, current)
    lines.close()
    if header["number"] is None and not any(e.segment_tag == "BSN" for e in view.errors):
        view.missing_segment("BSN", first=True)
    if header["ship_date"] is None:
        header["ship_date"] = bsn[0]
        view.place("ship_date", bsn[1], 3)
    if not lines.built:
        view.missing_segment("HL")
    return [{"kind": "ship_notice", **header, "lines": lines.built}]


def _open_level(segment: Segment, levels: list[_Level], by_id: dict[str, _Level]) -> _Level:
    code = segment.value(3).strip()
    parent = by_id.get(segment.value(2).strip())
    if parent is None and segment.value(2).strip() == "" and levels:
        rank = _RANK.get(code, 4)
        parent = next((lv for lv in reversed(levels) if _RANK.get(lv.code, 4) < rank), None)
    level = _Level(segment.bare(), code, parent)
    levels.append(level)
    by_id[segment.value(1).strip()] = level
    return level


def _reference(
    view: MessageView, segment: Segment, current: _Level | None, header: dict[str, Any]
) -> None:
    qualifier = segment.value(1).strip()
    if qualifier == "LT" and current is not None:
        lot = view.text(segment, 2, required=True)
        if lot:
            current.add_lot(lot, segment.bare(), 2)
    elif qualifier == "CN" and header["tracking"] is None:
        header["tracking"] = view.text(segment, 2)


def _item_detail(view: MessageView, segment: Segment, current: _Level) -> None:
    tag = segment.tag
    if tag == "PRF":
        current.order_number = view.text(segment, 1, required=True)
    elif tag == "LIN" and current.lin is None:
        current.lin = segment
        current.ids = parts.x12_ids(segment, 2)
        for n, (qualifier, value) in enumerate(current.ids, 1):
            if qualifier == "LT" and value:
                current.add_lot(value, segment, n + 1)
    elif tag == "SN1" and current.sn1 is None:
        current.sn1 = segment
    elif tag == "PO1" and current.po1 is None:
        current.po1 = segment


def _line(view: MessageView, path: str, item: _Level, nested: list[_Level]) -> dict[str, Any]:
    """The record line of an item level; ``path`` (``lines.N``) names where its fields sit."""
    ids = item.ids
    if item.lin is None:
        view.missing_segment("LIN", item.segment)
    part_number, supplier_part = parts.choose(ids)
    if item.lin is not None and part_number is None:
        view.text(item.lin, 3, required=True)
    quantity = unit = None
    if item.sn1 is None:
        view.missing_segment("SN1", item.segment)
    else:
        quantity = view.number(item.sn1, 2, required=True)
        unit = view.text(item.sn1, 3)
    by_qualifier = dict(reversed(ids))
    lin_line = view.text(item.lin, 1) if item.lin is not None else None
    po1_line = view.text(item.po1, 1) if item.po1 is not None else None
    lots = [{"lot_number": lot, "quantity": None} for lot, _, _ in item.lots]
    lot_places = [(segment, n, item.sn1) for _, segment, n in item.lots]
    for level in nested:
        lot_quantity = view.number(level.sn1, 2) if level.sn1 is not None else None
        lots.extend({"lot_number": lot, "quantity": lot_quantity} for lot, _, _ in level.lots)
        lot_places.extend((segment, n, level.sn1) for _, segment, n in level.lots)
    holder = item.lots_above() if not lots else None
    if holder is not None:
        lots = [{"lot_number": lot, "quantity": None} for lot, _, _ in holder.lots]
        lot_places = [(segment, n, item.sn1) for _, segment, n in holder.lots]
    if len(lots) == 1 and lots[0]["quantity"] is None:
        lots[0]["quantity"] = quantity
    po_line = by_qualifier.get("PL") or lin_line or po1_line
    _place_line(view, path, item, po_line, (part_number, supplier_part))
    for index, (segment, n, sn1) in enumerate(lot_places):
        view.place(f"{path}.lots.{index}.lot_number", segment, n)
        view.place(f"{path}.lots.{index}.quantity", sn1, 2)
        view.place(f"{path}.lots.{index}", segment, n)
    return {
        "po_number": item.inherited_order() or by_qualifier.get("PO") or by_qualifier.get("ON"),
        "po_line": po_line,
        "part_number": part_number,
        "supplier_part_number": supplier_part,
        "quantity": quantity,
        "unit": unit,
        "lots": lots,
    }


def _place_line(
    view: MessageView,
    path: str,
    item: _Level,
    po_line: str | None,
    part_ids: tuple[str | None, str | None],
) -> None:
    """Where the line's fields sit. The order line it names (``po_number``) is placed at its
    LIN, on the element giving the line number: the order number is usually shared by the
    lines above them, so the LIN is where a line that does not exist can be found."""
    lin = item.lin
    line_at = parts.id_place([(lin, 1)], po_line) if lin is not None else None
    if line_at is None and item.po1 is not None and item.po1.value(1).strip() == po_line:
        line_at = (item.po1, 1)
    segment, element = line_at or (lin or item.segment, None)
    for key in ("po_number", "po_line"):
        view.place(f"{path}.{key}", segment, element)
    for key, value in zip(("part_number", "supplier_part_number"), part_ids, strict=True):
        view.place_id(f"{path}.{key}", value, [(lin, 3)] if lin else [])
    view.place(f"{path}.quantity", item.sn1, 2)
    view.place(f"{path}.unit", item.sn1, 3)
    view.place(path, lin or item.segment)
