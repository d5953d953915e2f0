"""Exact Decimal conversion between "per one declared unit" and "per declared unit amount".

PACT v2 gives footprint values per ONE declared unit (e.g. kgCO2e per liter) and
`unitaryProductAmount` says how many units the product holds; PACT v3 gives them per
`declaredUnitAmount` units, the ISO 14067 "declared unit" (decision log 0036: a 12 l bottle is
1.5 kgCO2e/l with unitaryProductAmount 12 in v2, and 18 kgCO2e with declaredUnitAmount 12 in v3).

Guarantee: for values and amounts of up to 28 significant digits (Python's default Decimal
precision), ``per_declared_amount(per_one_unit(x, n), n) == x`` and
``per_one_unit(per_declared_amount(u, n), n) == u`` exactly. A quotient that does not terminate
(5.14 / 12) is kept to 60 significant digits, and multiplying back rounds to 56, which recovers the
original value because the quotient's error is far below the last of those 56 digits.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal

_QUOTIENT = Context(prec=60, rounding=ROUND_HALF_EVEN)
_PRODUCT = Context(prec=56, rounding=ROUND_HALF_EVEN)


def per_one_unit(value: Decimal, amount: Decimal) -> Decimal:
    """``value`` given for ``amount`` declared units, expressed for one unit."""
    return _QUOTIENT.divide(value, amount)


def per_declared_amount(value: Decimal, amount: Decimal) -> Decimal:
    """``value`` given for one declared unit, expressed for ``amount`` units."""
    return _PRODUCT.multiply(value, amount)


def decimal_text(value: Decimal) -> str:
    """A PACT decimal string: plain notation, no exponent, no trailing zeros, no negative zero."""
    if value.is_zero():
        return "0"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
