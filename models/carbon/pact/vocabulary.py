"""Closed value lists of the PACT data model (v2.0–2.3 and v3.0) and the maps between them."""

from __future__ import annotations

import re

STATUSES = ("Active", "Deprecated")

DECLARED_UNITS_V2 = (
    "liter",
    "kilogram",
    "cubic meter",
    "kilowatt hour",
    "megajoule",
    "ton kilometer",
    "square meter",
)
DECLARED_UNITS_V3 = (*DECLARED_UNITS_V2, "piece", "hour", "megabit second")

# Declared units whose product mass is fixed by definition (v2.3 and v3 productMassPerDeclaredUnit:
# 1 for kilogram; 0 where mass is not relevant: energy and logistics).
MASS_BY_DEFINITION = {"kilogram": 1, "kilowatt hour": 0, "megajoule": 0, "ton kilometer": 0}

# UN M49 regions and the sub-regions PACT lists under each.
SUBREGIONS_BY_REGION = {
    "Africa": ("Northern Africa", "Sub-Saharan Africa"),
    "Americas": ("Latin America and the Caribbean", "Northern America"),
    "Asia": ("Central Asia", "Eastern Asia", "South-eastern Asia", "Southern Asia", "Western Asia"),
    "Europe": ("Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"),
    "Oceania": ("Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"),
}
REGION_OF_SUBREGION = {sub: region for region, subs in SUBREGIONS_BY_REGION.items() for sub in subs}
REGIONS_OR_SUBREGIONS = (*SUBREGIONS_BY_REGION, *REGION_OF_SUBREGION)

CHARACTERIZATION_FACTORS_V2 = ("AR5", "AR6")
BIOGENIC_ACCOUNTING_METHODOLOGIES = ("PEF", "ISO", "GHGP", "Quantis")
RULE_OPERATORS = ("PEF", "EPD International", "Other")

# v2 crossSectoralStandardsUsed values and their v2.3/v3 crossSectoralStandards names (ADR 0032).
CROSS_SECTORAL_STANDARDS_USED = {
    "GHG Protocol Product standard": "GHGP-Product",
    "ISO Standard 14067": "ISO14067",
    "ISO Standard 14044": "ISO14040-44",
}

ASSURANCE_COVERAGES_V2 = ("corporate level", "product line", "PCF system", "product level")
ASSURANCE_LEVELS_V2 = ("limited", "reasonable")
ASSURANCE_BOUNDARIES_V2 = ("Gate-to-Gate", "Cradle-to-Gate")
VERIFICATION_COVERAGES_V3 = ("PCF calculation model", "PCF program", "product level")
CCU_CALCULATION_APPROACHES = ("Cut-off", "Credit")

# v2 productCategoryCpc <-> v3 productClassifications (ADR 0037). Written in the form used by the
# specification's v3 examples; `urn:cpc:<code>` (the form in the v3 prose) is recognised on input.
CPC_URN_PREFIX = "urn:pact:productclassification:un-cpc:"
_CPC_URN = re.compile(r"^urn:(?:pact:productclassification:un-cpc|cpc):(\S+)$", re.IGNORECASE)


def cpc_urn(code: str) -> str:
    """The product classification URN standing for UN CPC code ``code``."""
    return CPC_URN_PREFIX + code


def cpc_code(classification: str) -> str | None:
    """The UN CPC code a classification URN names, or None when it is another classification."""
    match = _CPC_URN.match(classification)
    return match.group(1) if match else None
