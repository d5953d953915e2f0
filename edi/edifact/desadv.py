"""Map an EDIFACT DESADV despatch advice to a ``ship_notice`` record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edi import parts
from edi.model import Segment
from edi.view import MessageView

# QTY qualifiers (6063) in order of preference for the despatched quantity of a line.
_DESPATCHED = ("12", "46", "1")


@dataclass(slots=True)
class _Line:
    segment: Segment
    number: str | None
    ids: list[tuple[str, str]] = field(default_factory=list)
    po_number: str | None = None
    po_line: str | None = None
    quantities: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    lots: list[dict[str, Any]] = field(default_factory=list)
    awaiting: list[dict[str, Any]] = field(default_factory=list)
    parent: _Line | None = None

    def quantity(self) -> tuple[str | None, str | None]:
        for qualifier in _DESPATCHED:
            if qualifier in self.quantities:
                return self.quantities[qualifier]
        return next(iter(self.quantities.values()), (None, None))


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
    document_date: str | None = None
    default_order: tuple[str | None, str | None] = (None, None)
    lines: list[_Line] = []
    current: _Line | None = None
    seen_bgm = False
    for segment in view.segments():
        tag = segment.tag
        if tag == "BGM":
            seen_bgm = True
            header["number"] = view.text(segment, 2, required=True, ident="1004")
        elif tag == "DTM" and current is None:
            qualifier = segment.value(1).strip()
            if qualifier == "11" and header["ship_date"] is None:
                header["ship_date"] = view.dtm(segment)
            elif qualifier == "137" and document_date is None:
                document_date = view.dtm(segment)
        elif tag == "TDT" and header["carrier"] is None:
            header["carrier"] = view.text(segment, 5)
        elif tag == "LIN":
            current = _open_line(view, segment, lines)
        elif tag == "RFF":
            qualifier = segment.value(1).strip()
            if qualifier == "CN" and current is None and header["tracking"] is None:
                header["tracking"] = view.text(segment, 1, 2)
            elif qualifier == "ON" and current is None:
                default_order = (view.text(segment, 1, 2), view.text(segment, 1, 3))
            elif current is not None:
                _line_reference(view, segment, current)
        elif current is not None:
            _line_detail(view, segment, current)
    if not seen_bgm:
        view.missing_segment("BGM")
    header["ship_date"] = header["ship_date"] or document_date
    if not lines:
        view.missing_segment("LIN")
    for line in lines:
        if line.parent is not None:
            if len(line.lots) == 1 and line.lots[0]["quantity"] is None:
                line.lots[0]["quantity"] = line.quantity()[0]
            line.parent.lots.extend(line.lots)
    records = [_record(view, line, default_order) for line in lines if line.parent is None]
    return [{"kind": "ship_notice", **header, "lines": records}]


def _open_line(view: MessageView, lin: Segment, lines: list[_Line]) -> _Line:
    line = _Line(lin, view.text(lin, 1), parts.edifact_ids(lin, 3))
    if lin.value(4).strip() == "1" and lin.value(4, 2).strip():
        parent_number = lin.value(4, 2).strip()
        line.parent = next(
            (other for other in lines if other.parent is None and other.number == parent_number),
            None,
        )
    lines.append(line)
    return line


def _line_reference(view: MessageView, rff: Segment, line: _Line) -> None:
    qualifier = rff.value(1).strip()
    if qualifier == "ON" and line.po_number is None:
        line.po_number = view.text(rff, 1, 2)
        line.po_line = line.po_line or view.text(rff, 1, 3)
    elif qualifier == "LI" and line.po_line is None:
        line.po_line = view.text(rff, 1, 2)


def _line_detail(view: MessageView, segment: Segment, line: _Line) -> None:
    tag = segment.tag
    if tag == "PIA":
        for kind, value in parts.edifact_ids(segment, 2):
            if kind in parts.LOT:
                line.lots.append({"lot_number": value, "quantity": None})
            else:
                line.ids.append((kind, value))
    elif tag == "GIN" and segment.value(1).strip() == "BX":
        found = [
            {"lot_number": value, "quantity": None}
            for n in range(2, len(segment.elements) + 1)
            for value in (segment.value(n).strip(), segment.value(n, 2).strip())
            if value
        ]
        line.lots.extend(found)
        line.awaiting = found if len(found) == 1 else []
    elif tag == "QTY":
        qualifier = segment.value(1).strip()
        quantity = view.number(segment, 1, 2, required=True, ident="6060")
        unit = view.text(segment, 1, 3)
        if line.awaiting:
            line.awaiting[0]["quantity"] = quantity
            line.awaiting = []
        else:
            line.quantities.setdefault(qualifier, (quantity, unit))
    elif tag == "CPS":
        line.awaiting = []


def _record(
    view: MessageView, line: _Line, default_order: tuple[str | None, str | None]
) -> dict[str, Any]:
    part_number, supplier_part = parts.choose(line.ids)
    if part_number is None:
        view.text(line.segment, 3, required=True, ident="7140")
    quantity, unit = line.quantity()
    if not line.quantities:
        view.missing_segment("QTY", line.segment)
    lots = line.lots
    if len(lots) == 1 and lots[0]["quantity"] is None:
        lots[0]["quantity"] = quantity
    has_order = line.po_number is not None
    return {
        "po_number": line.po_number if has_order else default_order[0],
        "po_line": line.po_line if has_order or line.po_line else default_order[1],
        "part_number": part_number,
        "supplier_part_number": supplier_part,
        "quantity": quantity,
        "unit": unit,
        "lots": lots,
    }
