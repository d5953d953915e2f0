"""Units of measured characteristics: their symbols, UN/ECE Rec 20 codes and physical bounds.

A measurement is checked against its unit's physical bounds: a length, a mass or a roughness
cannot be negative, a percentage lies within 0–100, a temperature not below absolute zero.
Units are stored by symbol; EDI senders may give the Rec 20 code (``MMT`` for millimetre) and
Chinese sheets the Chinese name (毫米), which :func:`normalise_unit` turns into the symbol.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.i18n import N_


@dataclass(frozen=True)
class Unit:
    """A unit symbol, what it measures (for the label) and the physically possible range."""

    symbol: str
    quantity: str
    rec20: str
    minimum: float | None = None
    maximum: float | None = None


UNITS: tuple[Unit, ...] = (
    Unit("mm", N_("length"), "MMT", 0.0),
    Unit("µm", N_("length"), "4H", 0.0),
    Unit("m", N_("length"), "MTR", 0.0),
    Unit("°", N_("angle"), "DD"),
    Unit("g", N_("mass"), "GRM", 0.0),
    Unit("kg", N_("mass"), "KGM", 0.0),
    Unit("N", N_("force"), "NEW", 0.0),
    Unit("N·m", N_("torque"), "NU"),
    Unit("MPa", N_("pressure or strength"), "MPA", 0.0),
    Unit("HRC", N_("hardness"), "HRC", 0.0, 100.0),
    Unit("HV", N_("hardness"), "HV", 0.0),
    Unit("HB", N_("hardness"), "HB", 0.0),
    Unit("°C", N_("temperature"), "CEL", -273.15),
    Unit("%", N_("share"), "P1", 0.0, 100.0),
    Unit("V", N_("voltage"), "VLT"),
    Unit("A", N_("current"), "AMP"),
    Unit("Ω", N_("resistance"), "OHM", 0.0),
    Unit("s", N_("time"), "SEC", 0.0),
    Unit("dB", N_("sound level"), "2N"),
)

BY_SYMBOL = {unit.symbol: unit for unit in UNITS}
#: How a Chinese inspection sheet writes the units (an input method offers ℃ and Ω as signs of
#: their own), so a supplier's file is read as written. Not 度: it says degrees of angle and,
#: colloquially, of temperature.
CHINESE_NAMES: dict[str, tuple[str, ...]] = {
    "mm": ("毫米",),
    "µm": ("微米",),
    "m": ("米",),
    "g": ("克",),
    "kg": ("千克", "公斤"),
    "N": ("牛", "牛顿"),
    "N·m": ("牛·米", "牛米", "牛顿·米", "牛顿米"),
    "MPa": ("兆帕",),
    "°C": ("℃", "摄氏度"),
    "%": ("％", "百分比"),
    "V": ("伏", "伏特"),
    "A": ("安", "安培"),
    "Ω": ("Ω", "欧", "欧姆"),
    "s": ("秒",),
    "dB": ("分贝",),
}
#: Units of sizes, masses, strengths and hardnesses: a true zero, and a part five times out is
#: not a part of the specification at all. Not resistances or times (an open circuit or a stuck
#: process reads huge for real), nor temperatures, angles, shares or bounded scales.
RATIO_SCALE = frozenset({"mm", "µm", "m", "g", "kg", "MPa", "HV", "HB"})
_ALIASES = {
    **{unit.rec20.upper(): unit.symbol for unit in UNITS},
    **{unit.symbol.upper(): unit.symbol for unit in UNITS},
    "UM": "µm",
    "ΜM": "µm",
    "NM": "N·m",
    "N.M": "N·m",
    "N*M": "N·m",
    "DEG": "°",
    "OHM": "Ω",
    "C": "°C",
    "PCT": "%",
    **{name: symbol for symbol, names in CHINESE_NAMES.items() for name in names},
}


def normalise_unit(text: str | None) -> str | None:
    """The catalogue symbol for a symbol or Rec 20 code (any case); None when unknown or empty."""
    if not text or not text.strip():
        return None
    return _ALIASES.get(text.strip().upper())


def physical_problem(unit: str, value: float) -> tuple[str, dict[str, object]] | None:
    """A message (template, params) when ``value`` is physically impossible in ``unit``."""
    spec = BY_SYMBOL.get(unit)
    if spec is None:
        return None
    if spec.minimum is not None and value < spec.minimum:
        return (
            N_("%(value)s %(unit)s is physically impossible: the lowest possible is %(limit)s."),
            {"value": value, "unit": unit, "limit": spec.minimum},
        )
    if spec.maximum is not None and value > spec.maximum:
        return (
            N_("%(value)s %(unit)s is physically impossible: the highest possible is %(limit)s."),
            {"value": value, "unit": unit, "limit": spec.maximum},
        )
    return None
