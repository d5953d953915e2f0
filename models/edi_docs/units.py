"""Counting units as EDI partners write them (X12 355, UN/ECE Rec 20) and as parts name them.

A partner's file says ``EA`` or ``PCE`` where the part is counted in ``pcs`` or 件; such a unit
is the part's own unit, written another way. Units of different families are left alone, so
the domain operation still refuses a real mismatch.
"""

from __future__ import annotations

FAMILIES: dict[str, tuple[str, ...]] = {
    "piece": ("EA", "PCE", "PC", "PCS", "C62", "H87", "NAR", "UN", "UNIT", "件", "个", "只", "支"),
    "kilogram": ("KG", "KGM", "KGS", "公斤", "千克"),
    "gram": ("G", "GRM", "克"),
    "tonne": ("T", "TNE", "MT", "吨"),
    "metre": ("M", "MTR", "LM", "米"),
    "square_metre": ("M2", "MTK", "SQM", "平方米"),
    "litre": ("L", "LTR", "LT", "升"),
    "set": ("SET", "SE", "ST", "套"),
    "pair": ("PR", "PAIR", "双", "对"),
    "box": ("BX", "BOX", "箱", "盒"),
    "roll": ("RL", "RO", "ROLL", "卷"),
    "sheet": ("SH", "SHT", "张"),
}
#: The code each family is written with: X12 element 355 and UN/ECE Recommendation 20 (21 for
#: packages), the lists the partners' translators check.
CODES: dict[str, dict[str, str]] = {
    "x12": {
        "piece": "EA", "kilogram": "KG", "gram": "GR", "tonne": "MT", "metre": "MR",
        "square_metre": "SM", "litre": "LT", "set": "ST", "pair": "PR", "box": "BX",
        "roll": "RL", "sheet": "SH",
    },
    "edifact": {
        "piece": "PCE", "kilogram": "KGM", "gram": "GRM", "tonne": "TNE", "metre": "MTR",
        "square_metre": "MTK", "litre": "LTR", "set": "SET", "pair": "PR", "box": "XBX",
        "roll": "XRO", "sheet": "XST",
    },
}  # fmt: skip
_FAMILY_OF = {alias.upper(): family for family, aliases in FAMILIES.items() for alias in aliases}


def family(unit: str | None) -> str | None:
    return _FAMILY_OF.get((unit or "").strip().upper())


def as_local_unit(received: str | None, local: str | None) -> str | None:
    """``local`` when ``received`` is the same unit written as a code; else ``received``."""
    if received and local and received != local:
        found = family(received)
        if found is not None and found == family(local):
            return local
    return received


def edi_unit(unit: str | None, standard: str) -> str | None:
    """``unit`` as ``standard`` codes it (``pcs`` and 件 are ``EA`` in X12, ``PCE`` in EDIFACT);
    a unit of no known family is written as it is, as the partners agreed it."""
    found = family(unit)
    return CODES[standard][found] if found is not None else unit
