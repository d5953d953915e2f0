"""Fixtures of the quality integration tests: a supply chain with a measured part."""

from __future__ import annotations

import pytest

from models.quality.characteristics import create_characteristic
from tests.integration.quality import builders


@pytest.fixture
def chain(session):
    made = builders.chain(session)
    made.parts["ring"] = builders.part(session, made.anchor, made.supplier, "RING-1")
    return made


@pytest.fixture
def ring(session, chain):
    """Piston-ring inside diameter, subgroups of 5, specification 73.95–74.05 mm."""
    return create_characteristic(
        session,
        chain.engineer,
        {
            "part_id": chain.parts["ring"].id,
            "code": "D1",
            "name": "Inside diameter",
            "unit": "mm",
            "nominal": 74.0,
            "lsl": 73.95,
            "usl": 74.05,
            "target": 74.0,
            "classification": "critical",
            "subgroup_size": 5,
        },
    )
