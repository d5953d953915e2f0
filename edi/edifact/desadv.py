"""Map an EDIFACT DESADV despatch advice to a ``ship_notice`` record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edi import parts
from edi.model import Segment
from edi.view import MessageView

# QTY qualifiers (6063) in order of preference for the despatched quantity of a line.
_DESPATCHED = ("12", "46", "1")
# Keys a lot carries while reading (where its number and its quantity were read), not kept.
_AT = "_at"
_QTY_AT = "_quantity_at"


@dataclass(slots=True)
class _Line:
    """A LIN and what follows it. Its segments are kept bare (:meth:`Segment.bare`): what
    its record reads of them is read as they come, so that a DESADV of 50,000 lines does not
    hold all its segments until the end."""

    segment: Segment
    number: str | None
    #: Whether LIN C212 carries an item number at all: one of a type that is no part number
    #: (a lot, say) leaves the part number unknown but not missing.
    names_item: bool
    ids: list[tuple[str, str]] = field(default_factory=list)
    po_number: str | None = None
    po_line: str | None = None
    quantities: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    lots: list[dict[str, Any]] = field(default_factory=list)
    awaiting: list[dict[str, Any]] = field(default_factory=list)
    parent: _Line | None = None
    #: Where things were read: each product id with its segment and element, the QTY of
    #: each qualifier, the RFF naming the order line (and whether it is an RFF+ON).
    id_places: list[parts.IdPlace] = field(default_factory=list)
    quantity_segments: dict[str, Segment] = field(default_factory=dict)
    reference: Segment | None = None
    reference_is_order: bool = False

    def quantity(self) -> tuple[str | None, str | None]:
        return self.quantities.get(self._quantity_qualifier() or "", (None, None))

    def quantity_segment(self) -> Segment | None:
        return self.quantity_segments.get(self._quantity_qualifier() or "")

    def _quantity_qualifier(self) -> str | None:
        found = next((q for q in _DESPATCHED if q in self.quantities), None)
        return found or next(iter(self.quantities), None)


def map_desadv(view: MessageView) -> list[dict[str, Any]]:
    """The DESADV as one ``ship_notice`` record (the same shape as for an X12 856).

    ``number`` BGM document number; ``ship_date`` DTM+11 (despatch), else DTM+137; ``carrier``
    TDT C040 carrier id; ``tracking`` RFF+CN (None when absent). Each LIN is a line: ids from
    LIN C212 and PIA+1/+5 (:func:`edi.parts.choose`), quantity and unit from QTY+12 (else
    QTY+46, QTY+1, else the first QTY), ``po_number``/``po_line`` from RFF+ON (reference,
    line in component 3) or RFF+LI, falling back to a RFF+ON before the first LIN. Lots are
    GIN+BX ids and PIA ids typed NB; a QTY right after a GIN with one id is that lot's
    quantity. A LIN marked as sub-line of another (C829 "1:<line>") adds its lots, with its
    quantity, to that line. A lot without quantity gets the line quantity when it is alone.
    """
    header: dict[str, Any] = {"number": None, "ship_date": None, "carrier": None, "tracking": None}
    document_date: tuple[str | None, Segment | None] = (None, None)
    default_order: tuple[str | None, str | None] = (None, None)
    default_reference: Segment | None = None
    lines: list[_Line] = []
    by_number: dict[str, _Line] = {}
    current: _Line | None = None
    seen_bgm = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BGM":
            seen_bgm = True
            header["number"] = view.text(segment, 2, required=True, ident="1004")
            view.place("number", segment, 2, ident="1004")
        elif tag == "DTM" and current is None:
            qualifier = segment.value(1).strip()
            if qualifier == "11" and header["ship_date"] is None:
                header["ship_date"] = view.dtm(segment)
                view.place("ship_date", segment, 1, 2, ident="2380")
            elif qualifier == "137" and document_date[1] is None:
                document_date = (view.dtm(segment), segment)
        elif tag == "TDT" and header["carrier"] is None:
            header["carrier"] = view.text(segment, 5)
        elif tag == "LIN":
            current = _open_line(view, segment, lines, by_number)
        elif tag == "RFF":
            qualifier = segment.value(1).strip()
            if qualifier == "CN" and current is None and header["tracking"] is None:
                header["tracking"] = view.text(segment, 1, 2)
            elif qualifier == "ON" and current is None:
                default_order = (view.text(segment, 1, 2), view.text(segment, 1, 3))
                default_reference = segment
            elif current is not None:
                _line_reference(view, segment, current)
        elif current is not None:
            _line_detail(view, segment, current)
    if not seen_bgm:
        view.missing_segment("BGM", first=True)
    if header["ship_date"] is None:
        header["ship_date"] = document_date[0]
        view.place("ship_date", document_date[1], 1, 2, ident="2380")
    if not lines:
        view.missing_segment("LIN")
    for line in lines:
        if line.parent is not None:
            if len(line.lots) == 1 and line.lots[0]["quantity"] is None:
                line.lots[0]["quantity"] = line.quantity()[0]
            line.parent.lots.extend(line.lots)
    records = [
        _record(view, f"lines.{index}", line, default_order, default_reference)
        for index, line in enumerate(line for line in lines if line.parent is None)
    ]
    return [{"kind": "ship_notice", **header, "lines": records}]


def _open_line(
    view: MessageView, lin: Segment, lines: list[_Line], by_number: dict[str, _Line]
) -> _Line:
    """A new line; one marked as a sub-line finds its parent among the lines before it by
    number (``by_number``: the first line of each number that is no sub-line)."""
    bare = lin.bare()
    line = _Line(bare, view.text(lin, 1), bool(lin.value(3).strip()), parts.edifact_ids(lin, 3))
    line.id_places = parts.id_places(lin, 3, bare)
    if lin.value(4).strip() == "1" and lin.value(4, 2).strip():
        line.parent = by_number.get(lin.value(4, 2).strip())
    if line.parent is None and line.number is not None:
        by_number.setdefault(line.number, line)
    lines.append(line)
    return line


def _line_reference(view: MessageView, rff: Segment, line: _Line) -> None:
    qualifier = rff.value(1).strip()
    if qualifier == "ON" and line.po_number is None:
        line.po_number = view.text(rff, 1, 2)
        line.po_line = line.po_line or view.text(rff, 1, 3)
        line.reference, line.reference_is_order = rff.bare(), True
    elif qualifier == "LI" and line.po_line is None:
        line.po_line = view.text(rff, 1, 2)
        if line.reference is None:
            line.reference = rff.bare()


def _add_lots(line: _Line, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add lots to the line and return them as kept. A lot named in a PIA (NB) and again in
    a GIN (BX), as some systems write both, is one lot; one repeated in the same kind of
    segment is kept twice, for the ship notice to refuse."""
    kept = []
    for lot in found:
        tag = lot[_AT][0].tag
        known = next(
            (k for k in line.lots if k["lot_number"] == lot["lot_number"] and k[_AT][0].tag != tag),
            None,
        )
        if known is None:
            line.lots.append(lot)
        kept.append(known or lot)
    return kept


def _line_detail(view: MessageView, segment: Segment, line: _Line) -> None:
    tag = segment.tag
    if tag == "PIA":
        bare = segment.bare()
        line.id_places.extend(parts.id_places(segment, 2, bare))
        for kind, value in parts.edifact_ids(segment, 2):
            if kind in parts.LOT:
                _add_lots(line, [{"lot_number": value, "quantity": None, _AT: (bare, 2)}])
            else:
                line.ids.append((kind, value))
    elif tag == "GIN" and segment.value(1).strip() == "BX":
        bare = segment.bare()
        found = [
            {"lot_number": value, "quantity": None, _AT: (bare, n)}
            for n in range(2, len(segment.elements) + 1)
            for value in (segment.value(n).strip(), segment.value(n, 2).strip())
            if value
        ]
        found = _add_lots(line, found)
        line.awaiting = found if len(found) == 1 else []
    elif tag == "QTY":
        qualifier = segment.value(1).strip()
        quantity = view.number(segment, 1, 2, required=True, ident="6060")
        unit = view.text(segment, 1, 3)
        if line.awaiting:
            line.awaiting[0]["quantity"] = quantity
            line.awaiting[0][_QTY_AT] = segment.bare()
            line.awaiting = []
        elif qualifier not in line.quantities:
            line.quantities[qualifier] = (quantity, unit)
            line.quantity_segments[qualifier] = segment.bare()
    elif tag == "CPS":
        line.awaiting = []


def _record(
    view: MessageView,
    path: str,
    line: _Line,
    default_order: tuple[str | None, str | None],
    default_reference: Segment | None,
) -> dict[str, Any]:
    """The record line of a LIN; ``path`` (``lines.N``) names where its fields sit."""
    part_number, supplier_part = parts.choose(line.ids)
    if part_number is None and not line.names_item:
        view.text(line.segment, 3, required=True, ident="7140")
    quantity, unit = line.quantity()
    if not line.quantities:
        view.missing_segment("QTY", line.segment)
    lots = line.lots
    if len(lots) == 1 and lots[0]["quantity"] is None:
        lots[0]["quantity"] = quantity
        lots[0][_QTY_AT] = line.quantity_segment()
    _place_lots(view, path, lots)
    has_order = line.po_number is not None
    view.place_found(f"{path}.part_number", parts.placed(line.id_places, part_number))
    view.place_found(f"{path}.supplier_part_number", parts.placed(line.id_places, supplier_part))
    view.place(f"{path}.quantity", line.quantity_segment(), 1, 2, ident="6060")
    view.place(f"{path}.unit", line.quantity_segment(), 1, 3, ident="6411")
    reference = line.reference or (default_reference if line.po_line is None else None)
    # The default reference is an RFF+ON before the first LIN.
    names_order = line.reference_is_order if line.reference is not None else reference is not None
    if names_order and not line.po_line:
        # The order is named without its line: the line number belongs in C506 component 3.
        view.place(f"{path}.po_line", reference, 1, 3, ident="1156")
    for key in ("po_number", "po_line"):
        view.place(f"{path}.{key}", reference or line.segment, 1 if reference else None, 2)
    view.place(path, line.segment)
    return {
        "po_number": line.po_number if has_order else default_order[0],
        "po_line": line.po_line if has_order or line.po_line else default_order[1],
        "part_number": part_number,
        "supplier_part_number": supplier_part,
        "quantity": quantity,
        "unit": unit,
        "lots": lots,
    }


def _place_lots(view: MessageView, path: str, lots: list[dict[str, Any]]) -> None:
    """Place each lot's number and quantity, and drop the keys that held where they were."""
    for index, lot in enumerate(lots):
        segment, element = lot.pop(_AT, (None, None))
        quantity_segment = lot.pop(_QTY_AT, None)
        view.place(f"{path}.lots.{index}.lot_number", segment, element)
        view.place(f"{path}.lots.{index}.quantity", quantity_segment, 1, 2, ident="6060")
        view.place(f"{path}.lots.{index}", segment, element)
