"""The specification's examples: every footprint parses and round-trips; invalid ones do not."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from models.carbon.pact import parse_footprint, parse_v2, parse_v3, to_v2, to_v3
from models.carbon.pact.fields import parse_datetime
from models.errors import ValidationFailed

from .samples import VALID_EXAMPLES, example_footprints

_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_UUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", re.IGNORECASE)

# Properties some v3 examples carry although the v3 data model does not define them (v2 names
# or misplaced ones); an open JSON object may carry them, and we do not keep them.
NOT_IN_V3 = {"pcf.biogenicAccountingMethodology", "pcf.biogenicCO2Withdrawal"}
NOT_IN_V3 |= {"pcf.otherOperatorName"}


def assert_same_json(sent: Any, exported: Any, ignore: set[str], path: str = "") -> None:
    """``exported`` says what ``sent`` says: same properties (bar ``ignore``), same values, where
    decimals, date-times and UUIDs compare by value rather than spelling."""
    if isinstance(sent, dict):
        assert isinstance(exported, dict), path
        keys = {k for k in sent if f"{path}{k}" not in ignore}
        assert keys == set(exported), path or "top level"
        for key in keys:
            assert_same_json(sent[key], exported[key], ignore, f"{path}{key}.")
    elif isinstance(sent, list):
        assert isinstance(exported, list) and len(sent) == len(exported), path
        for index, (a, b) in enumerate(zip(sent, exported, strict=True)):
            assert_same_json(a, b, ignore, f"{path}{index}.")
    elif isinstance(sent, str) and isinstance(exported, str) and sent != exported:
        if _DECIMAL.match(sent):
            assert Decimal(sent) == Decimal(exported), path
        elif _DATETIME.match(sent):
            assert parse_datetime(sent) == parse_datetime(exported), path
        else:
            assert _UUID.match(sent) and sent.lower() == exported.lower(), path
    elif isinstance(sent, int | float) and not isinstance(sent, bool):
        assert Decimal(str(sent)) == Decimal(str(exported)), path
    else:
        assert sent == exported, path


@pytest.mark.parametrize(("version", "name"), VALID_EXAMPLES)
def test_every_example_footprint_parses_and_exports_back_unchanged(version: str, name: str) -> None:
    for document in example_footprints(version, name):
        footprint = parse_footprint(document)
        exported = to_v2(footprint) if version == "v2" else to_v3(footprint)

        assert parse_footprint(exported) == footprint
        assert_same_json(document, exported, ignore=NOT_IN_V3 if version == "v3" else set())


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_invalid_example_is_refused_at_its_malformed_date(version: str) -> None:
    (document,) = example_footprints(version, "invalid-response-all-properties.json")

    with pytest.raises(ValidationFailed) as refused:
        parse_footprint(document)

    assert refused.value.errors == {
        "updated": ["Not a valid date-time (expected e.g. 2024-01-31T00:00:00Z)."]
    }
    document["updated"] = document["updated"].replace("-1-", "-01-")
    parse_footprint(document)


def test_a_v3_example_read_by_the_v2_parser_names_the_v2_properties_it_lacks() -> None:
    (document,) = example_footprints("v3", "example-3.json")

    with pytest.raises(ValidationFailed) as refused:
        parse_v2(document)

    errors = refused.value.errors
    assert errors["specVersion"] == ["Must be a version 2.x.y (e.g. 2.0.0)."]
    assert errors["pcf.declaredUnit"] == ["Missing data for required field."]
    assert errors["productCategoryCpc"] == ["Missing data for required field."]


def test_the_v2_example_cannot_go_to_v3_without_a_product_mass() -> None:
    """v3 requires productMassPerDeclaredUnit; a v2.0 footprint in liters has none to give."""
    (document,) = example_footprints("v2", "get-footprint-response.json")
    footprint = parse_v2(document)

    with pytest.raises(ValidationFailed) as refused:
        to_v3(footprint)

    assert refused.value.errors == {
        "pcf.productMassPerDeclaredUnit": ["Missing data for required field."]
    }
    assert refused.value.message == "This footprint cannot be expressed in PACT v3."


def test_the_v2_example_in_kilograms_converts_to_v3_and_back() -> None:
    (document,) = example_footprints("v2", "get-footprint-response.json")
    document["pcf"]["declaredUnit"] = "kilogram"
    footprint = parse_v2(document)

    v3 = to_v3(footprint)
    back = parse_v2(to_v2(parse_v3(v3), spec_version="2.0.0"))

    assert v3["pcf"]["productMassPerDeclaredUnit"] == "1"
    assert v3["productClassifications"] == ["urn:pact:productclassification:un-cpc:6398"]
    assert back.pcf.pcf_excluding_biogenic == footprint.pcf.pcf_excluding_biogenic
    assert back.product_category_cpc == "6398"
