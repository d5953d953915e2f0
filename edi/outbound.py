"""Write outbound purchase orders: X12 850 and EDIFACT ORDERS from a ``purchase_order`` record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edi.model import Separators
from edi.numbers import decimal_string
from edi.writer import (
    EDIFACT_SEPARATORS,
    X12_SEPARATORS,
    ControlNumbers,
    Party,
    edifact_interchange,
    segment,
    x12_envelope,
)


def _compact(iso: str | None) -> str | None:
    """YYYY-MM-DD as CCYYMMDD (ValueError when it is not a date)."""
    if iso is None:
        return None
    return dt.date.fromisoformat(iso).strftime("%Y%m%d")


def _number(value: Any) -> str | None:
    return None if value is None else decimal_string(str(value))


def _now(when: dt.datetime | None) -> dt.datetime:
    return when or dt.datetime.now(dt.UTC)


def write_850(
    record: dict[str, Any],
    *,
    sender: Party,
    receiver: Party,
    control: ControlNumbers,
    separators: Separators = X12_SEPARATORS,
    when: dt.datetime | None = None,
    version: str = "00401",
    release: str = "004010",
    test: bool = False,
) -> bytes:
    """An X12 850 interchange (ISA/GS/ST..SE/GE/IEA) for a ``purchase_order`` record.

    BEG*00*SA (number in BEG03, order date in BEG05), CUR*BY when a currency is given, per
    line PO1 (line, quantity, unit, unit price, BP part number, VP supplier part number) and
    DTM*002 for its due date, then CTT. Reading the result gives back the same record when its
    values are canonical (decimal strings, ISO dates). ValueError for a record that cannot be
    written (no number or lines, a bad date or number, a value holding a separator).
    """
    if not record.get("number") or not record.get("lines"):
        raise ValueError("a purchase order needs a number and at least one line")
    body = [
        _x12(
            separators,
            "BEG",
            "00",
            "SA",
            record["number"],
            None,
            _compact(record.get("order_date")),
        )
    ]
    if record.get("currency"):
        body.append(_x12(separators, "CUR", "BY", record["currency"]))
    for index, line in enumerate(record["lines"], 1):
        ids: list[str | None] = ["BP", line["part_number"]]
        if line.get("supplier_part_number"):
            ids += ["VP", line["supplier_part_number"]]
        body.append(
            _x12(
                separators,
                "PO1",
                line.get("line") or str(index),
                _number(line["quantity"]),
                line.get("unit"),
                _number(line.get("unit_price")),
                None,
                *ids,
            )
        )
        if line.get("due_date"):
            body.append(_x12(separators, "DTM", "002", _compact(line["due_date"])))
    body.append(_x12(separators, "CTT", str(len(record["lines"]))))
    text = x12_envelope(
        [("PO", release, [("850", body)])],
        sender=sender,
        receiver=receiver,
        control=control,
        separators=separators,
        when=_now(when),
        version=version,
        test=test,
    )
    return text.encode("utf-8")


def _x12(separators: Separators, tag: str, *elements: str | None) -> str:
    return segment(tag, list(elements), separators, escape=False)


def write_orders(
    record: dict[str, Any],
    *,
    sender: Party,
    receiver: Party,
    control: ControlNumbers,
    separators: Separators = EDIFACT_SEPARATORS,
    when: dt.datetime | None = None,
    syntax: str = "UNOC:3",
    directory: tuple[str, str] = ("D", "96A"),
    test: bool = False,
) -> bytes:
    """An EDIFACT ORDERS interchange (UNA/UNB/UNH..UNT/UNZ) for a ``purchase_order`` record.

    BGM+220 (number), DTM+137 (order date, format 102), CUX+2 when a currency is given; per
    line LIN (line, part number typed BP), PIA+1 (supplier part number typed SA), QTY+21,
    DTM+2 (due date) and PRI+AAA (unit price); then UNS+S and CNT+2. Values are escaped with
    the release character. Reading the result gives back the same record when its values are
    canonical. ValueError for a record that cannot be written.
    """
    if not record.get("number") or not record.get("lines"):
        raise ValueError("a purchase order needs a number and at least one line")
    s = separators
    body = [
        segment("BGM", ["220", record["number"], "9"], s, escape=True),
        segment("DTM", [["137", _compact(record.get("order_date")) or "", "102"]], s, escape=True),
    ]
    if not record.get("order_date"):
        body.pop()
    if record.get("currency"):
        body.append(segment("CUX", [["2", record["currency"], "9"]], s, escape=True))
    for index, line in enumerate(record["lines"], 1):
        body.append(
            segment(
                "LIN",
                [line.get("line") or str(index), None, [line["part_number"], "BP"]],
                s,
                escape=True,
            )
        )
        if line.get("supplier_part_number"):
            body.append(segment("PIA", ["1", [line["supplier_part_number"], "SA"]], s, escape=True))
        quantity = ["21", _number(line["quantity"]) or "", line.get("unit") or ""]
        body.append(segment("QTY", [quantity], s, escape=True))
        if line.get("due_date"):
            body.append(
                segment("DTM", [["2", _compact(line["due_date"]) or "", "102"]], s, escape=True)
            )
        if line.get("unit_price") is not None:
            price = ["AAA", _number(line["unit_price"]) or ""]
            body.append(segment("PRI", [price], s, escape=True))
    body.append(segment("UNS", ["S"], s, escape=True))
    body.append(segment("CNT", [["2", str(len(record["lines"]))]], s, escape=True))
    identifier = ["ORDERS", directory[0], directory[1], "UN"]
    text = edifact_interchange(
        [(identifier, body)],
        sender=sender,
        receiver=receiver,
        control=control,
        separators=s,
        when=_now(when),
        syntax=syntax,
        test=test,
    )
    return text.encode("utf-8")
