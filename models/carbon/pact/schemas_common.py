"""Schema parts PACT v2 and v3 share: nested objects, value sets and cross-field rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate

from models.carbon.pact.fields import (
    PactSchema,
    TupleList,
    Uri,
    non_empty_string,
    one_of,
)
from models.carbon.pact.footprint import (
    EmissionFactorSource,
    Extension,
    ProductOrSectorSpecificRule,
)
from models.carbon.pact.vocabulary import REGIONS_OR_SUBREGIONS, RULE_OPERATORS
from models.i18n import N_, Msg

#: major.minor.patch, each at most 9 ASCII digits: a longer part is no version, and past 4,300
#: digits int() refuses to read it.
_SPEC_VERSION = re.compile(r"^(\d{1,9})\.\d{1,9}\.\d{1,9}(-\d{8})?$", re.ASCII)
#: An IPCC assessment report (AR6): its number is read as one when footprints are converted.
_IPCC_REPORT = re.compile(r"^AR\d{1,3}$", re.ASCII)
GEOGRAPHY_KEYS = ("geographyRegionOrSubregion", "geographyCountry", "geographyCountrySubdivision")
_GEOGRAPHY_ATTRS = (
    "geography_region_or_subregion",
    "geography_country",
    "geography_country_subdivision",
)


def spec_version_of(major: int) -> Callable[[Any], None]:
    """Validator: a "major.minor.patch" specVersion whose major version is ``major``."""

    def check(value: Any) -> None:
        match = _SPEC_VERSION.match(value)
        if not match or int(match.group(1)) != major:
            raise ValidationError(
                Msg(N_("Must be a version %(major)s.x.y (e.g. %(major)s.0.0)."), major=major)
            )

    return check


def major_version(spec_version: Any) -> int | None:
    """The major version of a specVersion string, or None when it is not one."""
    match = _SPEC_VERSION.match(spec_version) if isinstance(spec_version, str) else None
    return int(match.group(1)) if match else None


def ipcc_factors(**kwargs: Any) -> TupleList:
    """A non-empty set of IPCC assessment report names: AR5, AR6, ..."""
    ar = fields.Str(validate=validate.Regexp(_IPCC_REPORT, error=N_("Must look like AR6.")))
    return TupleList(ar, unique=True, validate=validate.Length(min=1), **kwargs)


def standards(**kwargs: Any) -> TupleList:
    """crossSectoralStandards: open list (later revisions add names hosts MUST accept)."""
    return TupleList(non_empty_string(), unique=True, validate=validate.Length(min=1), **kwargs)


_COUNTRY = validate.Regexp(r"^[A-Z]{2}$", error=N_("Must be an ISO 3166-1 alpha-2 code."))
_SUBDIVISION = validate.Regexp(
    r"^[A-Z]{2}-[A-Z0-9]{1,3}$", error=N_("Must be an ISO 3166-2 code (e.g. DE-BW).")
)


class GeographySchema(PactSchema):
    """The three geography properties of a CarbonFootprint (v2 and v3 alike)."""

    geography_region_or_subregion = one_of(
        REGIONS_OR_SUBREGIONS, data_key="geographyRegionOrSubregion", allow_none=True
    )
    geography_country = fields.Str(validate=_COUNTRY, data_key="geographyCountry", allow_none=True)
    geography_country_subdivision = fields.Str(
        validate=_SUBDIVISION, data_key="geographyCountrySubdivision", allow_none=True
    )


class EmissionFactorSourceSchema(PactSchema):
    name = non_empty_string(required=True)
    version = non_empty_string(required=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> EmissionFactorSource:
        return EmissionFactorSource(**data)


class ProductOrSectorSpecificRuleSchema(PactSchema):
    operator = one_of(RULE_OPERATORS, required=True)
    rule_names = TupleList(
        non_empty_string(),
        unique=True,
        validate=validate.Length(min=1),
        required=True,
        data_key="ruleNames",
    )
    other_operator_name = non_empty_string(data_key="otherOperatorName", allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> ProductOrSectorSpecificRule:
        return ProductOrSectorSpecificRule(**_defined(data))


class ExtensionSchema(PactSchema):
    spec_version = fields.Str(required=True, data_key="specVersion")
    data_schema = Uri(required=True, data_key="dataSchema")
    documentation = Uri(allow_none=True)
    data = fields.Dict(required=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Extension:
        return Extension(**_defined(data))


def _defined(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def carbon_footprint_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Rules both versions state for a CarbonFootprint: one geography at most, a reference period
    that ends after it starts, and no packaging emissions when packaging is excluded."""
    errors: dict[str, list[str]] = {}
    defined = [
        key for attr, key in zip(_GEOGRAPHY_ATTRS, GEOGRAPHY_KEYS, strict=True) if data.get(attr)
    ]
    for key in defined if len(defined) > 1 else ():
        errors[key] = [N_("Only one of the geography properties may be defined.")]
    start, end = data.get("reference_period_start"), data.get("reference_period_end")
    if start and end and end <= start:
        errors["referencePeriodEnd"] = [N_("Must be later than referencePeriodStart.")]
    if data.get("packaging_emissions_included") is False and (
        data.get("packaging_ghg_emissions") is not None
    ):
        errors["packagingGhgEmissions"] = [
            N_("Must be undefined when packagingEmissionsIncluded is false.")
        ]
    return errors


def product_footprint_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Rule both versions state for a ProductFootprint: the validity period ends after it starts."""
    start, end = data.get("validity_period_start"), data.get("validity_period_end")
    if start and end and end <= start:
        return {"validityPeriodEnd": [N_("Must be later than validityPeriodStart.")]}
    return {}
