"""Read EDI numbers into canonical decimal strings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def decimal_string(value: str, comma_is_decimal: bool = True) -> str:
    """``value`` as a canonical decimal string: '.' as the decimal mark, no exponent, no
    leading zeros, no trailing fractional zeros ("010,50" -> "10.5", "-0" -> "0").

    EDIFACT reads both '.' and ',' as the decimal mark (it allows either whatever UNA says);
    X12 (``comma_is_decimal=False``) only '.', so its "1,000" is an error rather than 1.
    There are no thousands separators in EDI, and digits are ASCII. ValueError when it is not
    a finite number.
    """
    text = value.strip()
    if comma_is_decimal:
        text = text.replace(",", ".")
    if not text or not text.isascii() or text.count(".") > 1:
        raise ValueError(value)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite() or any(ch in text for ch in "eEnN_ "):
        raise ValueError(value)
    if number == 0:
        return "0"
    return format(number.normalize(), "f")
