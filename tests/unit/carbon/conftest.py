"""Fixtures of the PACT tests: fresh copies of our own sample footprints."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from .samples import V2_SAMPLE, V3_SAMPLE


@pytest.fixture
def v2_document() -> dict[str, Any]:
    """A valid v2.3 ProductFootprint of ours (2.5 kg housing, 9.8 kgCO2e per kg)."""
    return copy.deepcopy(V2_SAMPLE)


@pytest.fixture
def v3_document() -> dict[str, Any]:
    """A valid v3.0 ProductFootprint of ours (the same housing: 24.5 kgCO2e per 2.5 kg)."""
    return copy.deepcopy(V3_SAMPLE)
