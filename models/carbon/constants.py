"""Fixed vocabulary of carbon accounting: fuels, their units, allocation methods, bounds."""

from __future__ import annotations

from decimal import Decimal

from models.i18n import N_

#: The energy carriers a site reports, in reporting order.
FUELS = ("electricity", "natural_gas", "diesel", "gasoline", "steam")

#: The unit every quantity of a fuel is stored in.
CANONICAL_UNIT = {
    "electricity": "kWh",
    "natural_gas": "m3",
    "diesel": "L",
    "gasoline": "L",
    "steam": "t",
}

#: Units accepted per fuel, with the factor that turns one of them into the canonical unit.
#: Anything else (natural gas in kWh, electricity in litres) is refused as not fitting the fuel.
FUEL_UNITS: dict[str, dict[str, Decimal]] = {
    "electricity": {"kWh": Decimal(1), "MWh": Decimal(1000)},
    "natural_gas": {"m3": Decimal(1), "Nm3": Decimal(1)},
    "diesel": {"L": Decimal(1), "kL": Decimal(1000)},
    "gasoline": {"L": Decimal(1), "kL": Decimal(1000)},
    "steam": {"t": Decimal(1)},
}

#: Other ways people write a unit (besides its symbol in any case), by the unit's symbol:
#: a small firm's spreadsheet says 度 for kWh and 立方米 or m³ for m3.
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "kWh": ("度", "千瓦时", "千瓦·时"),
    "MWh": ("兆瓦时",),
    "m3": ("m³", "立方米", "方"),
    "Nm3": ("Nm³", "标方", "标准立方米"),
    "L": ("升", "公升"),
    "kL": ("千升",),
    "t": ("吨",),
}

FUEL_LABELS = {
    "electricity": N_("Electricity"),
    "natural_gas": N_("Natural gas"),
    "diesel": N_("Diesel"),
    "gasoline": N_("Gasoline"),
    "steam": N_("Purchased steam"),
}

#: Largest believable monthly use of a site with no history (a large plant stays far below).
MONTHLY_CEILING = {
    "electricity": Decimal(100_000_000),
    "natural_gas": Decimal(10_000_000),
    "diesel": Decimal(1_000_000),
    "gasoline": Decimal(1_000_000),
    "steam": Decimal(1_000_000),
}

#: A month's use above this multiple of the site's median month is refused as implausible.
HISTORY_MULTIPLE = Decimal(10)
#: Months of history needed before the relative bound applies.
HISTORY_MIN_MONTHS = 3

ALLOCATION_METHODS = ("mass", "quantity", "value")
ALLOCATION_LABELS = {
    "mass": N_("By mass (default)"),
    "quantity": N_("By quantity"),
    "value": N_("By economic value"),
}
#: The same methods inside a sentence of a footprint's breakdown (the key read as a word in
#: English, and untranslated in Chinese: "分配方式 value").
ALLOCATION_NAMES = {
    "mass": N_("by mass"),
    "quantity": N_("by quantity"),
    "value": N_("by economic value"),
}

FOOTPRINT_KINDS = ("declared", "computed")
ACTIVE, DEPRECATED = "Active", "Deprecated"

#: A region code that a factor applies to whatever the site's grid region (fuel defaults).
ANY_REGION = "*"
#: The grid region used when a site names none, or its own region has no factor.
NATIONAL = "national"

#: Grid regions of China's regional power grids, as Site.region holds them.
GRID_REGIONS = {
    "north_china": N_("North China grid"),
    "northeast_china": N_("Northeast China grid"),
    "east_china": N_("East China grid"),
    "central_china": N_("Central China grid"),
    "northwest_china": N_("Northwest China grid"),
    "south_china": N_("China Southern grid"),
    "southwest_china": N_("Southwest China grid"),
    NATIONAL: N_("National average"),
    "national_ets": N_("National carbon market grid factor"),
    ANY_REGION: N_("Any region"),
}

#: Part units (as parts declare them) mapped to PACT declared units.
PACT_UNITS = {
    "pcs": "piece",
    "pc": "piece",
    "piece": "piece",
    "ea": "piece",
    "个": "piece",
    "件": "piece",
    "套": "piece",
    "kg": "kilogram",
    "l": "liter",
    "m3": "cubic meter",
    "m2": "square meter",
    "kwh": "kilowatt hour",
    "mj": "megajoule",
}
