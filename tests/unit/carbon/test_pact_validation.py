"""Bad ProductFootprints are refused with the JSON path of each problem and an English message."""

from __future__ import annotations

from typing import Any

import pytest

from models.carbon.pact import parse_footprint, parse_v2, parse_v3
from models.errors import ValidationFailed

from .samples import example_footprints

_DELETE = object()
V2_UNITS = "liter, kilogram, cubic meter, kilowatt hour, megajoule, ton kilometer, square meter"
DATE = "Not a valid date-time (expected e.g. 2024-01-31T00:00:00Z)."
URN = "Not a valid URN (expected e.g. urn:gtin:4712345060507)."
REQUIRED = "Missing data for required field."


def mutate(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set (or with _DELETE remove) the property at dotted ``path``; list indexes are numbers."""
    *parents, last = path.split(".")
    target: Any = document
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is _DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return document


def refusal(parse: Any, document: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as refused:
        parse(document)
    return refused.value.errors


GE0, LE0 = "Must be greater than or equal to 0.", "Must be less than or equal to 0."
DECIMAL = 'Not a valid decimal string (expected e.g. "12.5").'


def between(low: int, high: int) -> str:
    return f"Must be greater than or equal to {low} and less than or equal to {high}."


V2_CASES = [
    ("pcf.declaredUnit", _DELETE, REQUIRED),
    ("pcf.declaredUnit", "piece", f"Must be one of: {V2_UNITS}."),
    ("pcf.pCfExcludingBiogenic", "-1.2", GE0),
    ("pcf.pCfExcludingBiogenic", 1.2, DECIMAL),
    ("pcf.biogenicCarbonWithdrawal", "0.5", LE0),
    ("companyIds.0", "company-42", URN),
    ("productIds.0", "urn:x:1", URN),
    ("pcf.primaryDataShare", 120, between(0, 100)),
    ("pcf.primaryDataShare", "40", "Not a valid number."),
    ("pcf.exemptedEmissionsPercent", 6, between(0, 5)),
    ("pcf.dqi.technologicalDQR", 4, between(1, 3)),
    ("created", "2024-02-01 08:00:00", DATE),
    ("created", "2024-02-01T16:00:00+08:00", "The time zone must be UTC."),
    ("updated", "2024-01-01T00:00:00Z", "Must be later than created."),
    ("id", "3f0b5e2a8c1d4f6e9a7b2c4d6e8f0a1b", "Not a valid UUID."),
    ("specVersion", "3.0.0", "Must be a version 2.x.y (e.g. 2.0.0)."),
    # Past the 4,300 digits int() reads.
    ("specVersion", f"2.{'9' * 5000}.0", "Must be a version 2.x.y (e.g. 2.0.0)."),
    ("specVersion", f"{'0' * 4999}2.3.0", "Must be a version 2.x.y (e.g. 2.0.0)."),
    ("version", True, "Not a valid integer."),
    ("status", "active", "Must be one of: Active, Deprecated."),
    ("companyName", "", "Shorter than minimum length 1."),
    ("pcf.packagingEmissionsIncluded", "false", "Not a valid boolean (expected true or false)."),
    ("pcf.geographyCountry", "China", "Must be an ISO 3166-1 alpha-2 code."),
    ("pcf.characterizationFactors", "AR4", "Must be one of: AR5, AR6."),
    ("pcf.referencePeriodEnd", "2022-12-31T00:00:00Z", "Must be later than referencePeriodStart."),
]


@pytest.mark.parametrize(("path", "value", "message"), V2_CASES)
def test_a_bad_v2_property_is_refused_at_its_path(
    v2_document: dict[str, Any], path: str, value: Any, message: str
) -> None:
    errors = refusal(parse_v2, mutate(v2_document, path, value))

    assert errors == {path: [message]}


V3_UNITS = f"{V2_UNITS}, piece, hour, megabit second"
V3_CASES = [
    ("pcf.pcfIncludingBiogenicUptake", _DELETE, REQUIRED),
    ("pcf.pcfIncludingBiogenicUptake", None, "Field may not be null."),
    ("pcf.declaredUnitOfMeasurement", "pieces", f"Must be one of: {V3_UNITS}."),
    ("pcf.declaredUnitAmount", "0", "Must be greater than 0."),
    ("pcf.fossilGhgEmissions", "-1", GE0),
    ("pcf.biogenicCO2Uptake", "1.61", LE0),
    ("pcf.pcfExcludingBiogenicUptake", "1.2e3", DECIMAL),
    ("productIds.0", "gtin:5695872369587", URN),
    ("productClassifications", [], "Shorter than minimum length 1."),
    ("pcf.primaryDataShare", "120", between(0, 100)),
    ("pcf.primaryDataShare", 40, DECIMAL),
    ("pcf.dqi.temporalDQR", "6", between(1, 5)),
    ("pcf.dqi.geographicalDQR", _DELETE, REQUIRED),
    ("created", "2025-1-08T00:00:00Z", DATE),
    ("created", "2025-02-30T00:00:00Z", "Not a valid date-time (no such date or time)."),
    ("validityPeriodEnd", "2024-01-01T00:00:00Z", "Must be later than validityPeriodStart."),
    ("pcf.ipccCharacterizationFactors", ["AR6", "AR6"], "Must not contain duplicates."),
    ("pcf.ipccCharacterizationFactors.0", "IPCC6", "Must look like AR6."),
    ("pcf.ipccCharacterizationFactors.0", f"AR{'6' * 5000}", "Must look like AR6."),
    (
        "pcf.packagingGhgEmissions",
        "0.1",
        "Must be undefined when packagingEmissionsIncluded is false.",
    ),
    ("specVersion", "2.3.0", "Must be a version 3.x.y (e.g. 3.0.0)."),
    ("specVersion", f"{'9' * 5000}.0.0", "Must be a version 3.x.y (e.g. 3.0.0)."),
]


@pytest.mark.parametrize(("path", "value", "message"), V3_CASES)
def test_a_bad_v3_property_is_refused_at_its_path(
    v3_document: dict[str, Any], path: str, value: Any, message: str
) -> None:
    v3_document["validityPeriodStart"] = "2025-01-01T00:00:00Z"

    errors = refusal(parse_v3, mutate(v3_document, path, value))

    assert errors == {path: [message]}


def test_every_problem_is_reported_at_once(v3_document: dict[str, Any]) -> None:
    mutate(v3_document, "pcf.declaredUnitOfMeasurement", "gallon")
    mutate(v3_document, "companyIds", ["ACME"])
    mutate(v3_document, "created", "yesterday")
    mutate(v3_document, "pcf.geographyRegionOrSubregion", "Eastern Asia")

    errors = refusal(parse_v3, v3_document)

    assert set(errors) == {
        "pcf.declaredUnitOfMeasurement",
        "companyIds.0",
        "created",
        "pcf.geographyRegionOrSubregion",
        "pcf.geographyCountry",
    }
    assert errors["pcf.geographyCountry"] == [
        "Only one of the geography properties may be defined."
    ]


def test_v3_reads_null_as_undefined_and_lifts_the_five_percent_ceiling(
    v3_document: dict[str, Any],
) -> None:
    v3_document["pcf"]["aircraftGhgEmissions"] = None
    v3_document["comment"] = None
    v3_document["pcf"]["exemptedEmissionsPercent"] = "7.5"

    footprint = parse_v3(v3_document)

    assert footprint.pcf.aircraft_ghg_emissions is None
    assert footprint.comment is None
    assert str(footprint.pcf.exempted_emissions_percent) == "7.5"


def test_v3_refuses_ccs_details_when_ccs_is_declared_absent(v3_document: dict[str, Any]) -> None:
    v3_document["pcf"]["ccsTechnologicalCO2CaptureIncluded"] = False
    v3_document["pcf"]["ccsTechnologicalCO2Capture"] = "-1"

    assert refusal(parse_v3, v3_document) == {
        "pcf.ccsTechnologicalCO2Capture": [
            "Must be undefined when ccsTechnologicalCO2CaptureIncluded is false."
        ]
    }


def test_v2_other_operator_needs_its_name(v2_document: dict[str, Any]) -> None:
    v2_document["pcf"]["productOrSectorSpecificRules"] = [
        {"operator": "Other", "ruleNames": ["TfS PCF Guideline v2"]},
        {"operator": "PEF", "ruleNames": ["PEFCR"], "otherOperatorName": "TfS"},
    ]

    assert refusal(parse_v2, v2_document) == {
        "pcf.productOrSectorSpecificRules.0.otherOperatorName": [
            "Required when operator is Other."
        ],
        "pcf.productOrSectorSpecificRules.1.otherOperatorName": [
            "Must be undefined unless operator is Other."
        ],
    }


def test_v2_reference_periods_reaching_2025_need_primary_data_share_and_full_dqi(
    v2_document: dict[str, Any],
) -> None:
    v2_document["pcf"]["referencePeriodEnd"] = "2025-03-01T00:00:00Z"
    del v2_document["pcf"]["primaryDataShare"]

    errors = refusal(parse_v2, v2_document)

    needed = ["Required for reference periods that include 2025 or later."]
    assert errors == {
        "pcf.primaryDataShare": needed,
        "pcf.dqi.coveragePercent": needed,
        "pcf.dqi.completenessDQR": needed,
        "pcf.dqi.reliabilityDQR": needed,
    }


def test_v2_before_2025_needs_primary_data_share_or_dqi(v2_document: dict[str, Any]) -> None:
    del v2_document["pcf"]["primaryDataShare"]
    parse_v2(v2_document)
    del v2_document["pcf"]["dqi"]

    assert refusal(parse_v2, v2_document) == {
        "pcf.primaryDataShare": ["primaryDataShare or dqi must be defined."]
    }


def test_v2_2_onwards_requires_the_ipcc_characterization_factor_sources(
    v2_document: dict[str, Any],
) -> None:
    del v2_document["pcf"]["ipccCharacterizationFactorsSources"]
    v2_document["specVersion"] = "2.1.0"
    parse_v2(v2_document)
    v2_document["specVersion"] = "2.2.0"

    assert refusal(parse_v2, v2_document) == {
        "pcf.ipccCharacterizationFactorsSources": ["Required from specVersion 2.2."]
    }


def test_a_document_that_is_not_an_object_or_has_no_known_version_is_refused() -> None:
    assert refusal(parse_v3, ["not", "an", "object"]) == {"_schema": ["Expected a JSON object."]}
    assert refusal(parse_footprint, {"specVersion": "1.0.0"}) == {
        "specVersion": ["Must be a PACT version 2.x.y or 3.x.y."]
    }


MUTATED_EXAMPLE_CASES = [
    ("v2", "pcf.declaredUnit", _DELETE, "pcf.declaredUnit"),
    ("v2", "pcf.pCfExcludingBiogenic", "-1.63", "pcf.pCfExcludingBiogenic"),
    ("v2", "companyIds.1", "epc:id:sgln:562958.00000.4", "companyIds.1"),
    ("v2", "pcf.primaryDataShare", 120, "pcf.primaryDataShare"),
    ("v2", "pcf.referencePeriodStart", "2021-01-01", "pcf.referencePeriodStart"),
    ("v3", "pcf.declaredUnitOfMeasurement", "litre", "pcf.declaredUnitOfMeasurement"),
    ("v3", "pcf.fossilGhgEmissions", "-1.5", "pcf.fossilGhgEmissions"),
    ("v3", "productClassifications.0", "un-cpc:1234", "productClassifications.0"),
    ("v3", "pcf.primaryDataShare", "120", "pcf.primaryDataShare"),
    ("v3", "validityPeriodStart", "2024-03-01", "validityPeriodStart"),
]


@pytest.mark.parametrize(("version", "path", "value", "where"), MUTATED_EXAMPLE_CASES)
def test_a_mutated_specification_example_is_refused_at_the_mutation(
    version: str, path: str, value: Any, where: str
) -> None:
    (document,) = example_footprints(version, "get-footprint-response.json")

    errors = refusal(parse_footprint, mutate(document, path, value))

    assert list(errors) == [where]
