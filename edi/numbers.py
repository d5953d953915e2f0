"""Read EDI numbers into canonical decimal strings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def decimal_string(value: str) -> str:
    """``value`` as a canonical decimal string: '.' as the decimal mark, no exponent, no
    leading zeros, no trailing fractional zeros ("010,50" -> "10.5", "-0" -> "0").

    Both '.' and ',' are read as the decimal mark (EDIFACT allows either whatever UNA says);
    there are no thousands separators in EDI. ValueError when it is not a finite number.
    """
    text = value.strip().replace(",", ".")
    if not text or text.count(".") > 1:
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
