"""Published data sets shared by the quality tests."""

from __future__ import annotations

import pytest

# Montgomery, Introduction to Statistical Quality Control, Table 6.3: inside diameter (mm) of
# forged piston rings, the 25 trial samples of 5 (also the R package qcc's `pistonrings`, trial
# rows), typed in from that data set.
PISTON_RINGS = (
    (74.030, 74.002, 74.019, 73.992, 74.008),
    (73.995, 73.992, 74.001, 74.011, 74.004),
    (73.988, 74.024, 74.021, 74.005, 74.002),
    (74.002, 73.996, 73.993, 74.015, 74.009),
    (73.992, 74.007, 74.015, 73.989, 74.014),
    (74.009, 73.994, 73.997, 73.985, 73.993),
    (73.995, 74.006, 73.994, 74.000, 74.005),
    (73.985, 74.003, 73.993, 74.015, 73.988),
    (74.008, 73.995, 74.009, 74.005, 74.004),
    (73.998, 74.000, 73.990, 74.007, 73.995),
    (73.994, 73.998, 73.994, 73.995, 73.990),
    (74.004, 74.000, 74.007, 74.000, 73.996),
    (73.983, 74.002, 73.998, 73.997, 74.012),
    (74.006, 73.967, 73.994, 74.000, 73.984),
    (74.012, 74.014, 73.998, 73.999, 74.007),
    (74.000, 73.984, 74.005, 73.998, 73.996),
    (73.994, 74.012, 73.986, 74.005, 74.007),
    (74.006, 74.010, 74.018, 74.003, 74.000),
    (73.984, 74.002, 74.003, 74.005, 73.997),
    (74.000, 74.010, 74.013, 74.020, 74.003),
    (73.988, 74.001, 74.009, 74.005, 73.996),
    (74.004, 73.999, 73.990, 74.006, 74.009),
    (74.010, 73.989, 73.990, 74.009, 74.014),
    (74.015, 74.008, 73.993, 74.000, 74.010),
    (73.982, 73.984, 73.995, 74.017, 74.013),
)

# Montgomery (p. 242 of the edition qcc cites): aircraft primer paint viscosity, individual
# measurements, as used by qcc's `xbar.one` example.
VISCOSITY = (
    33.75, 33.05, 34.00, 33.81, 33.46, 34.02, 33.68, 33.27,
    33.49, 33.20, 33.62, 33.00, 33.54, 33.12, 33.84,
)  # fmt: skip


@pytest.fixture
def piston_rings() -> list[list[float]]:
    """The 25 subgroups of 5, as lists."""
    return [list(subgroup) for subgroup in PISTON_RINGS]


@pytest.fixture
def piston_ring_values(piston_rings: list[list[float]]) -> list[float]:
    """The 125 diameters in time order."""
    return [value for subgroup in piston_rings for value in subgroup]


@pytest.fixture
def viscosity() -> list[float]:
    return list(VISCOSITY)
