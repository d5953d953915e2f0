"""Chinese organisation codes: the unified social credit code and the enterprise size class."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

#: GB 32100-2015 character set (no I, O, S, V, Z) and the weights 3^i mod 31 of positions 1-17.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18

SIZE_CLASSES = ("micro", "small", "medium", "large")

#: Industry (工业) thresholds of the 2017 statistical classification (统计上大中小微型企业划分办法):
#: (size class, minimum employees, minimum annual revenue in 10,000 CNY). Both minimums must be
#: met, otherwise the firm falls into the next class down.
INDUSTRY_THRESHOLDS = (
    ("large", 1000, Decimal(40000)),
    ("medium", 300, Decimal(2000)),
    ("small", 20, Decimal(300)),
)


def uscc_check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(
        USCC_CHARSET.index(ch) * weight for ch, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or ``None`` when it is."""
    if len(code) != USCC_LENGTH:
        return "length"
    if any(ch not in USCC_CHARSET for ch in code):
        return "charset"
    if uscc_check_character(code[:17]) != code[17]:
        return "check"
    return None


def normalise_uscc(code: str) -> str:
    """The code as printed on a business licence: full-width characters (typed with a Chinese
    input method) become their ASCII forms, spaces go and letters are upper case."""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def size_class(employees: int, annual_revenue_wan: Decimal) -> str:
    """Size class of an industrial enterprise from its headcount and revenue (10,000 CNY)."""
    for name, min_employees, min_revenue in INDUSTRY_THRESHOLDS:
        if employees >= min_employees and annual_revenue_wan >= min_revenue:
            return name
    return "micro"
