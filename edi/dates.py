"""Read X12 and EDIFACT dates into ISO YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

# EDIFACT date/time format codes (2379) whose value starts with a date we can read, and how.
_EDIFACT_FORMATS = {
    "2": "DDMMYY",
    "3": "MMDDYY",
    "4": "DDMMCCYY",
    "5": "DDMMCCYY",
    "101": "YYMMDD",
    "102": "CCYYMMDD",
    "201": "YYMMDD",
    "203": "CCYYMMDD",
    "204": "CCYYMMDD",
    "205": "CCYYMMDD",
    "718": "CCYYMMDD",
    "719": "CCYYMMDD",
    "720": "CCYYMMDD",
    "616": "CCYYWW",
}
_LAYOUTS = {
    "CCYYMMDD": ((0, 4), (4, 6), (6, 8)),
    "YYMMDD": ((0, 2), (2, 4), (4, 6)),
    "DDMMYY": ((4, 6), (2, 4), (0, 2)),
    "MMDDYY": ((4, 6), (0, 2), (2, 4)),
    "DDMMCCYY": ((4, 8), (2, 4), (0, 2)),
}


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: 00-49 are 2000-2049, 50-99 are 1950-1999 (the usual EDI window).
        year += 2000 if year < 50 else 1900
    return year


def _parse(value: str, layout: str) -> str:
    if layout == "CCYYWW":
        if len(value) < 6 or not value[:6].isdecimal():
            raise ValueError(value)
        return dt.date.fromisocalendar(int(value[:4]), int(value[4:6]), 1).isoformat()
    (y0, y1), (m0, m1), (d0, d1) = _LAYOUTS[layout]
    size = max(y1, m1, d1)
    digits = value[:size]
    if len(digits) < size or not digits.isdecimal():
        raise ValueError(value)
    return dt.date(_year(digits[y0:y1]), int(digits[m0:m1]), int(digits[d0:d1])).isoformat()


def x12_date(value: str) -> str:
    """CCYYMMDD or YYMMDD as YYYY-MM-DD; ValueError for anything else or an impossible date."""
    value = value.strip()
    if len(value) == 8:
        return _parse(value, "CCYYMMDD")
    if len(value) == 6:
        return _parse(value, "YYMMDD")
    raise ValueError(value)


def edifact_date(value: str, format_code: str = "") -> str:
    """An EDIFACT DTM date in format ``format_code`` (2379) as YYYY-MM-DD.

    Without a format code the length decides (8 or 12/14 digits: CCYYMMDD..., 6: YYMMDD).
    Times and the end of ranges (203, 718 ...) are dropped: the date is the first date given.
    ValueError for an unknown format, wrong digits or an impossible date.
    """
    value = value.strip()
    code = format_code.strip()
    if code:
        layout = _EDIFACT_FORMATS.get(code)
        if layout is None:
            raise ValueError(f"{code}:{value}")
        return _parse(value, layout)
    if len(value) in (8, 12, 14):
        return _parse(value, "CCYYMMDD")
    if len(value) in (6, 10):
        return _parse(value, "YYMMDD")
    raise ValueError(value)
