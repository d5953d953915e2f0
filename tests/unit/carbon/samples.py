"""PACT documents for the tests: our own samples, and the specification's examples if present."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PACT_EXAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "pact"

V2_SAMPLE: dict[str, Any] = {
    "id": "3f0b5e2a-8c1d-4f6e-9a7b-2c4d6e8f0a1b",
    "specVersion": "2.3.0",
    "version": 2,
    "created": "2024-02-01T08:00:00Z",
    "updated": "2024-03-01T08:00:00Z",
    "status": "Active",
    "companyName": "Suzhou Precision Castings Co.",
    "companyIds": ["urn:pact:tierlight.example:supplier-id:91320500MA1XYZ1234"],
    "productDescription": "Aluminium die-cast housing, unpainted",
    "productIds": ["urn:pact:tierlight.example:supplier-id:HSG-7710"],
    "productCategoryCpc": "41532",
    "productNameCompany": "Housing HSG-7710",
    "comment": "Primary data for melting and casting; ingot from supplier PCF.",
    "pcf": {
        "declaredUnit": "kilogram",
        "unitaryProductAmount": "2.5",
        "pCfExcludingBiogenic": "9.8",
        "pCfIncludingBiogenic": "9.6",
        "fossilGhgEmissions": "9.7",
        "fossilCarbonContent": "0",
        "biogenicCarbonContent": "0",
        "biogenicCarbonWithdrawal": "-0.2",
        "characterizationFactors": "AR6",
        "ipccCharacterizationFactorsSources": ["AR6"],
        "crossSectoralStandardsUsed": ["GHG Protocol Product standard", "ISO Standard 14067"],
        "boundaryProcessesDescription": "Cradle to gate: ingot, melting, die casting, trimming",
        "referencePeriodStart": "2023-01-01T00:00:00Z",
        "referencePeriodEnd": "2024-01-01T00:00:00Z",
        "geographyCountry": "CN",
        "exemptedEmissionsPercent": 1.5,
        "exemptedEmissionsDescription": "Office energy",
        "packagingEmissionsIncluded": True,
        "packagingGhgEmissions": "0.05",
        "primaryDataShare": 40,
        "dqi": {"technologicalDQR": 2, "temporalDQR": 1.5, "geographicalDQR": 2.2},
    },
}

V3_SAMPLE: dict[str, Any] = {
    "id": "6d1c9e44-0b7a-4c3e-8f21-5a9b3d7e1c02",
    "specVersion": "3.0.0",
    "created": "2025-02-01T08:00:00Z",
    "status": "Active",
    "companyName": "Suzhou Precision Castings Co.",
    "companyIds": ["urn:pact:tierlight.example:supplier-id:91320500MA1XYZ1234"],
    "productDescription": "Aluminium die-cast housing, unpainted",
    "productIds": ["urn:pact:tierlight.example:supplier-id:HSG-7710"],
    "productClassifications": ["urn:pact:productclassification:un-cpc:41532"],
    "productNameCompany": "Housing HSG-7710",
    "pcf": {
        "declaredUnitOfMeasurement": "kilogram",
        "declaredUnitAmount": "2.5",
        "productMassPerDeclaredUnit": "2.5",
        "referencePeriodStart": "2024-01-01T00:00:00Z",
        "referencePeriodEnd": "2025-01-01T00:00:00Z",
        "geographyCountry": "CN",
        "pcfExcludingBiogenicUptake": "24.5",
        "pcfIncludingBiogenicUptake": "24",
        "fossilGhgEmissions": "24.25",
        "fossilCarbonContent": "0",
        "biogenicCarbonContent": "0",
        "biogenicCO2Uptake": "-0.5",
        "packagingEmissionsIncluded": False,
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": ["GHGP-Product", "ISO14067"],
        "exemptedEmissionsPercent": "1.5",
        "boundaryProcessesDescription": "Cradle to gate: ingot, melting, die casting, trimming",
        "primaryDataShare": "40",
        "dqi": {"technologicalDQR": "2", "geographicalDQR": "1.5", "temporalDQR": "2"},
    },
}


def example(version: str, name: str) -> Any:
    """One JSON file of the specification's examples; skips the test when they are absent."""
    path = PACT_EXAMPLES / version / name
    if not path.is_file():
        pytest.skip(f"PACT specification examples not found at {PACT_EXAMPLES}")
    return json.loads(path.read_text(encoding="utf-8"))


def example_footprints(version: str, name: str) -> Iterator[dict[str, Any]]:
    """The ProductFootprint objects an example file holds, wherever it keeps them."""
    document = example(version, name)
    data = document.get("data", document)
    if isinstance(data, dict) and "pfs" in data:
        data = data["pfs"]
    yield from data if isinstance(data, list) else [data]


VALID_EXAMPLES = [
    ("v2", "get-footprint-response.json"),
    ("v2", "list-footprints-response.json"),
    ("v2", "pf-response-event.json"),
    ("v3", "get-footprint-response.json"),
    ("v3", "list-footprints-response.json"),
    ("v3", "pf-response-event.json"),
    ("v3", "example-1.json"),
    ("v3", "example-2.json"),
    ("v3", "example-3.json"),
    ("v3", "example-4.json"),
]
