"""What v2 <-> v3 conversion derives, keeps and refuses, property by property."""

from __future__ import annotations

from typing import Any

import pytest

from models.carbon.pact import parse_v2, parse_v3, to_v2, to_v3
from models.errors import ValidationFailed


def test_v3_to_v2_derives_the_v2_only_properties(v3_document: dict[str, Any]) -> None:
    v3_document["pcf"]["ipccCharacterizationFactors"] = ["AR6", "AR5"]

    v2 = to_v2(parse_v3(v3_document))

    assert v2["specVersion"] == "2.3.0"
    assert v2["version"] == 1  # v3: "The version number of this new PCF MUST always be 1"
    assert v2["productCategoryCpc"] == "41532"
    assert v2["comment"] == ""
    assert v2["pcf"]["characterizationFactors"] == "AR5"  # v2: the earliest one used
    assert v2["pcf"]["ipccCharacterizationFactorsSources"] == ["AR6", "AR5"]
    assert v2["pcf"]["crossSectoralStandardsUsed"] == [
        "GHG Protocol Product standard",
        "ISO Standard 14067",
    ]
    assert v2["pcf"]["crossSectoralStandards"] == ["GHGP-Product", "ISO14067"]
    assert v2["pcf"]["exemptedEmissionsDescription"] == ""


def test_v2_to_v3_derives_the_v3_only_properties(v2_document: dict[str, Any]) -> None:
    del v2_document["pcf"]["ipccCharacterizationFactorsSources"]
    v2_document["specVersion"] = "2.1.0"

    v3 = to_v3(parse_v2(v2_document))

    assert v3["specVersion"] == "3.0.0"
    assert v3["productClassifications"] == ["urn:pact:productclassification:un-cpc:41532"]
    assert v3["pcf"]["ipccCharacterizationFactors"] == ["AR6"]
    assert v3["pcf"]["crossSectoralStandards"] == ["GHGP-Product", "ISO14067"]
    assert "version" not in v3 and "updated" not in v3 and "productCategoryCpc" not in v3


def test_verification_means_verified_in_v3_and_says_so_in_v2(v3_document: dict[str, Any]) -> None:
    v3_document["pcf"]["verification"] = {"coverage": "product level", "providerName": "Auditor X"}

    assurance = to_v2(parse_v3(v3_document))["pcf"]["assurance"]

    assert assurance == {
        "assurance": True,
        "coverage": "product level",
        "providerName": "Auditor X",
    }


def test_a_v2_assurance_that_says_not_assured_is_no_v3_verification(
    v2_document: dict[str, Any],
) -> None:
    v2_document["pcf"]["assurance"] = {"assurance": False, "providerName": ""}
    footprint = parse_v2(v2_document)

    assert "verification" not in to_v3(footprint)["pcf"]
    assert to_v2(footprint)["pcf"]["assurance"] == {"assurance": False, "providerName": ""}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"declaredUnitOfMeasurement": "piece"}, {"pcf.declaredUnit"}),  # v2 names it so
        ({"exemptedEmissionsPercent": "7.5"}, {"pcf.exemptedEmissionsPercent"}),
        ({"crossSectoralStandards": ["PEF"]}, {"pcf.crossSectoralStandardsUsed"}),
        ({"ipccCharacterizationFactors": ["AR4"]}, {"pcf.characterizationFactors"}),
    ],
)
def test_what_v2_cannot_say_is_refused_not_dropped(
    v3_document: dict[str, Any], change: dict[str, Any], errors: set[str]
) -> None:
    v3_document["pcf"] |= change
    footprint = parse_v3(v3_document)

    with pytest.raises(ValidationFailed) as refused:
        to_v2(footprint)

    assert set(refused.value.errors) == errors
    assert refused.value.message == "This footprint cannot be expressed in PACT v2."


def test_an_extension_travels_unchanged(v2_document: dict[str, Any]) -> None:
    extension = {
        "specVersion": "2.0.0",
        "dataSchema": "https://catalog.tierlight.example/shipment/1.0.0/data-model.json",
        "data": {"shipmentId": "S-1", "weight": 10, "carrier": None},
    }
    v2_document["extensions"] = [extension]

    v3 = to_v3(parse_v2(v2_document))

    assert v3["extensions"] == [extension]


def test_v3_ratings_of_1_to_5_become_v2_ratings_of_1_to_3_and_back(
    v3_document: dict[str, Any],
) -> None:
    v3_document["pcf"]["dqi"] = {
        "technologicalDQR": "5",
        "temporalDQR": "1",
        "geographicalDQR": "2.2",
    }

    v2 = to_v2(parse_v3(v3_document))

    assert v2["pcf"]["dqi"]["technologicalDQR"] == 3  # the worst is the worst
    assert v2["pcf"]["dqi"]["temporalDQR"] == 1
    assert v2["pcf"]["dqi"]["geographicalDQR"] == 1.6
    back = to_v3(parse_v2(v2))["pcf"]["dqi"]
    assert back == {"technologicalDQR": "5", "temporalDQR": "1", "geographicalDQR": "2.2"}


def test_a_v2_rating_of_3_is_the_worst_v3_rating(v2_document: dict[str, Any]) -> None:
    v2_document["pcf"]["dqi"].update({"technologicalDQR": 3, "temporalDQR": 2})

    dqi = to_v3(parse_v2(v2_document))["pcf"]["dqi"]

    assert dqi["technologicalDQR"] == "5" and dqi["temporalDQR"] == "3"
