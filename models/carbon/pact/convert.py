"""Parse PACT v2 / v3 ProductFootprint JSON into a Footprint, and export a Footprint to either.

Declared unit (decision log 0036): v2 `unitaryProductAmount` and v3 `declaredUnitAmount` are the
same number, the amount of declared units in the product, but v2 states the footprint per ONE unit
and v3 per that amount. A Footprint holds values per one unit, so a v3 document with
declaredUnitAmount 12 and pcfExcludingBiogenicUptake 18 (a 12 l bottle) becomes 1.5 per liter, and
exports to v2 as unitaryProductAmount 12 with pCfExcludingBiogenic 1.5 (see ``units``).

Properties one version lacks are derived where the spec defines the link (CPC code <->
classification URN, characterizationFactors <-> ipccCharacterizationFactors, the v2 and v2.3/v3
cross-sectoral standard names, v3's "version MUST be 1", mass by definition for kilogram and energy
units) and otherwise left out. Data quality ratings are held on v2's 1-3 scale (see ``ratings``).
Every exported document is validated with our schema for the target version: a footprint the
target cannot express raises ValidationFailed naming the JSON paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

from models.carbon.pact.fields import load_or_raise
from models.carbon.pact.footprint import PER_UNIT_FIELDS, CarbonFootprint, Footprint
from models.carbon.pact.ratings import common_to_v3, v3_to_common
from models.carbon.pact.schemas_common import major_version
from models.carbon.pact.schemas_v2 import ProductFootprintV2Schema
from models.carbon.pact.schemas_v3 import ProductFootprintV3Schema
from models.carbon.pact.units import per_declared_amount, per_one_unit
from models.carbon.pact.vocabulary import (
    CROSS_SECTORAL_STANDARDS_USED,
    MASS_BY_DEFINITION,
    cpc_code,
    cpc_urn,
)
from models.errors import ValidationFailed
from models.i18n import N_

DEFAULT_V2 = "2.3.0"
DEFAULT_V3 = "3.0.0"
_STANDARD_NAMES_V2 = {new: old for old, new in CROSS_SECTORAL_STANDARDS_USED.items()}


def parse_v2(document: Mapping[str, Any]) -> Footprint:
    """A Footprint from a v2.x ProductFootprint object; ValidationFailed names every bad path."""
    data = load_or_raise(
        ProductFootprintV2Schema(), document, N_("This is not a valid PACT v2 ProductFootprint.")
    )
    return _footprint(data)


def parse_v3(document: Mapping[str, Any]) -> Footprint:
    """A Footprint from a v3.x ProductFootprint object, its values divided down to one unit."""
    data = load_or_raise(
        ProductFootprintV3Schema(), document, N_("This is not a valid PACT v3 ProductFootprint.")
    )
    pcf = data["pcf"]
    amount = pcf["declared_unit_amount"]
    for name in PER_UNIT_FIELDS:
        if pcf.get(name) is not None:
            pcf[name] = per_one_unit(pcf[name], amount)
    pcf["dqi"] = v3_to_common(pcf.get("dqi"))
    return _footprint(data)


def parse_footprint(document: Mapping[str, Any]) -> Footprint:
    """A Footprint from a v2 or v3 ProductFootprint object, chosen by its specVersion."""
    major = major_version(document.get("specVersion")) if isinstance(document, Mapping) else None
    if major == 2:
        return parse_v2(document)
    if major == 3:
        return parse_v3(document)
    raise ValidationFailed.on("specVersion", N_("Must be a PACT version 2.x.y or 3.x.y."))


def to_v2(footprint: Footprint, *, spec_version: str | None = None) -> dict[str, Any]:
    """The footprint as a v2 ProductFootprint JSON object (values per one declared unit).

    ``spec_version`` defaults to the footprint's own when it is 2.x, else 2.3.0. Guarantee: the
    result passes ``parse_v2``; otherwise ValidationFailed says what v2 cannot express.
    """
    top, pcf = _attributes(footprint), _attributes(footprint.pcf)
    top["spec_version"] = spec_version or _same_major(footprint.spec_version, DEFAULT_V2)
    top["version"] = 1 if footprint.version is None else footprint.version
    top["comment"] = footprint.comment or ""
    if footprint.product_category_cpc is None:
        codes = [cpc_code(c) for c in footprint.product_classifications]
        top["product_category_cpc"] = next((code for code in codes if code), None)
    factors = pcf["ipcc_characterization_factors"]
    reports = [name for name in factors or () if name[2:].isdigit()]
    if pcf["characterization_factors"] is None and reports:
        # v2: "indicate the earliest version used"
        pcf["characterization_factors"] = min(reports, key=lambda name: int(name[2:]))
    if factors is None and pcf["characterization_factors"]:
        pcf["ipcc_characterization_factors"] = (pcf["characterization_factors"],)
    if pcf["cross_sectoral_standards_used"] is None and pcf["cross_sectoral_standards"]:
        old = [_STANDARD_NAMES_V2.get(name) for name in pcf["cross_sectoral_standards"]]
        pcf["cross_sectoral_standards_used"] = tuple(dict.fromkeys(n for n in old if n)) or None
    for name in ("boundary_processes_description", "exempted_emissions_description"):
        pcf[name] = pcf[name] or ""
    verification = footprint.pcf.verification
    if verification is not None:
        pcf["verification"] = replace(
            verification,
            assured=True if verification.assured is None else verification.assured,
            provider_name=verification.provider_name or "",
        )
    top["pcf"] = pcf
    return _dump(
        ProductFootprintV2Schema(), top, N_("This footprint cannot be expressed in PACT v2.")
    )


def to_v3(footprint: Footprint, *, spec_version: str | None = None) -> dict[str, Any]:
    """The footprint as a v3 ProductFootprint JSON object (values per declaredUnitAmount units).

    ``spec_version`` defaults to the footprint's own when it is 3.x, else 3.0.0. Guarantee: the
    result passes ``parse_v3``, which gives back the same per-unit values (see ``units``);
    otherwise ValidationFailed says what v3 cannot express.
    """
    top, pcf = _attributes(footprint), _attributes(footprint.pcf)
    top["spec_version"] = spec_version or _same_major(footprint.spec_version, DEFAULT_V3)
    if not footprint.product_classifications and footprint.product_category_cpc:
        top["product_classifications"] = (cpc_urn(footprint.product_category_cpc),)
    if pcf["ipcc_characterization_factors"] is None and pcf["characterization_factors"]:
        pcf["ipcc_characterization_factors"] = (pcf["characterization_factors"],)
    if pcf["cross_sectoral_standards"] is None and pcf["cross_sectoral_standards_used"]:
        new = [CROSS_SECTORAL_STANDARDS_USED.get(n) for n in pcf["cross_sectoral_standards_used"]]
        pcf["cross_sectoral_standards"] = tuple(dict.fromkeys(n for n in new if n)) or None
    if pcf["product_mass_per_declared_unit"] is None and pcf["declared_unit"] in MASS_BY_DEFINITION:
        pcf["product_mass_per_declared_unit"] = Decimal(MASS_BY_DEFINITION[pcf["declared_unit"]])
    amount = footprint.pcf.declared_unit_amount
    for name in PER_UNIT_FIELDS:
        if pcf[name] is not None:
            pcf[name] = per_declared_amount(pcf[name], amount)
    pcf["dqi"] = common_to_v3(pcf["dqi"])
    if not pcf["product_or_sector_specific_rules"]:
        pcf["product_or_sector_specific_rules"] = None
    verification = footprint.pcf.verification
    if verification is not None and verification.assured is False:
        # In v3 the presence of `verification` states that the footprint was verified.
        pcf["verification"] = None
    top["pcf"] = pcf
    return _dump(
        ProductFootprintV3Schema(), top, N_("This footprint cannot be expressed in PACT v3.")
    )


def _footprint(data: dict[str, Any]) -> Footprint:
    pcf = CarbonFootprint(**_defined(data.pop("pcf")))
    return Footprint(pcf=pcf, **_defined(data))


def _defined(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def _attributes(obj: Footprint | CarbonFootprint) -> dict[str, Any]:
    """The dataclass's fields as a dict, an empty set (``()``) standing for "undefined"."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    return {
        name: None if value == () and name != "product_or_sector_specific_rules" else value
        for name, value in values.items()
    }


def _same_major(spec_version: str, default: str) -> str:
    return spec_version if major_version(spec_version) == major_version(default) else default


def _dump(schema: Any, attributes: dict[str, Any], message: str) -> dict[str, Any]:
    document = schema.dump(attributes)
    load_or_raise(schema, document, message)
    return document
