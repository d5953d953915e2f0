"""v3 ListFootprints filters: query parsing with validation, and the match against a footprint."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from models.carbon.pact import (
    Footprint,
    FootprintFilter,
    criteria_json,
    matches,
    parse_criteria,
    parse_list_query,
    parse_v2,
    parse_v3,
    validity_period,
)
from models.errors import ValidationFailed

PRODUCT = "urn:pact:tierlight.example:supplier-id:HSG-7710"
COMPANY = "urn:pact:tierlight.example:supplier-id:91320500MA1XYZ1234"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def footprint(v3_document: dict[str, Any]) -> Footprint:
    """Valid from 2025-01-01 (end of its reference period) for 3 years; made in CN."""
    return parse_v3(v3_document)


def test_the_spec_example_query_parses_with_names_in_any_case() -> None:
    query = parse_list_query(
        [
            ("productId", "urn:gtin:1"),
            ("productid", "urn:gtin:2"),
            ("productid", "urn:gtin:3"),
            ("geography", "DE"),
            ("geography", "FR"),
            ("validon", "2025-04-01T00:00Z"),
            ("limit", "10"),
            ("x-atq-invoice-id", "12345"),
            ("offset", "20"),
        ],
        extra=["offset"],
    )

    assert query.filter == FootprintFilter(
        product_ids=("urn:gtin:1", "urn:gtin:2", "urn:gtin:3"),
        geographies=("DE", "FR"),
        valid_on=at("2025-04-01T00:00:00"),
    )
    assert query.limit == 10
    assert query.extensions == {"x-atq-invoice-id": ("12345",)}
    assert query.extra == {"offset": ("20",)}


def test_bad_query_parameters_are_all_named() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_list_query(
            {
                "productId": ["gtin-1"],
                "validAfter": ["2025-01-01", "2026-01-01T00:00:00Z"],
                "status": "Retired",
                "limit": "-1",
                "page": "2",
            }
        )

    assert refused.value.errors == {
        "page": ["Unknown parameter."],
        "validAfter": [
            "Give this parameter once.",
            "Not a valid date-time (expected e.g. 2024-01-31T00:00:00Z).",
        ],
        "limit": ["Must be a whole number, 1 or more."],
        "productId.0": ["Not a valid URN (expected e.g. urn:gtin:4712345060507)."],
        "status": ["Must be one of: Active, Deprecated."],
    }


def test_status_is_matched_ignoring_case() -> None:
    assert parse_list_query({"status": "deprecated"}).filter.status == "Deprecated"


def test_no_filter_matches_everything(footprint: Footprint) -> None:
    assert matches(parse_list_query({}).filter, footprint)


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"product_ids": ("urn:gtin:1", PRODUCT.upper())}, True),
        ({"product_ids": ("urn:gtin:1",)}, False),
        ({"company_ids": (COMPANY,)}, True),
        ({"company_ids": ("urn:pact:other.example:supplier-id:1",)}, False),
        ({"geographies": ("de", "cn")}, True),
        ({"geographies": ("DE",)}, False),
        ({"classifications": ("urn:pact:productclassification:un-cpc:41532",)}, True),
        ({"classifications": ("urn:cpc:41532",)}, True),
        ({"classifications": ("urn:cpc:41533",)}, False),
        ({"status": "Active"}, True),
        ({"status": "Deprecated"}, False),
        ({"valid_on": at("2025-01-01T00:00:00")}, True),
        ({"valid_on": at("2028-01-01T00:00:00")}, True),
        ({"valid_on": at("2028-01-01T00:00:01")}, False),
        ({"valid_after": at("2024-12-31T00:00:00")}, True),
        ({"valid_after": at("2025-01-01T00:00:00")}, False),
        ({"valid_before": at("2028-01-02T00:00:00")}, True),
        ({"valid_before": at("2028-01-01T00:00:00")}, False),
        ({"product_ids": (PRODUCT,), "geographies": ("DE",)}, False),
    ],
)
def test_criteria_are_or_within_and_and_between(
    footprint: Footprint, criteria: dict[str, Any], expected: bool
) -> None:
    assert matches(FootprintFilter(**criteria), footprint) is expected


def test_validity_defaults_to_three_years_after_the_reference_period(footprint: Footprint) -> None:
    assert validity_period(footprint) == (at("2025-01-01T00:00:00"), at("2028-01-01T00:00:00"))

    stated = replace(footprint, validity_period_start=at("2025-06-01T00:00:00"))

    assert validity_period(stated) == (at("2025-06-01T00:00:00"), at("2028-01-01T00:00:00"))


def test_a_geography_matches_the_region_or_country_it_lies_in(footprint: Footprint) -> None:
    in_bavaria = replace(
        footprint,
        pcf=replace(footprint.pcf, geography_country=None, geography_country_subdivision="DE-BY"),
    )
    in_western_europe = replace(
        footprint,
        pcf=replace(
            footprint.pcf, geography_country=None, geography_region_or_subregion="Western Europe"
        ),
    )

    assert matches(FootprintFilter(geographies=("DE",)), in_bavaria)
    assert matches(FootprintFilter(geographies=("europe",)), in_western_europe)
    assert not matches(FootprintFilter(geographies=("Asia",)), in_western_europe)


def test_a_v2_cpc_code_matches_a_cpc_classification(v2_document: dict[str, Any]) -> None:
    footprint = parse_v2(v2_document)

    assert matches(FootprintFilter(classifications=("urn:cpc:41532",)), footprint)


def test_json_criteria_parse_and_write_back() -> None:
    data = {
        "productId": ["urn:gtin:4712345060507"],
        "geography": ["DE"],
        "validAfter": "2025-01-01T00:00:00Z",
        "comment": "Please send the 2024 PCF.",
    }

    flt = parse_criteria(data)

    assert criteria_json(flt) == {k: v for k, v in data.items() if k != "comment"}
    with pytest.raises(ValidationFailed) as refused:
        parse_criteria({"productId": "urn:gtin:4712345060507"})
    assert refused.value.errors == {"productId": ["Not a valid list."]}
