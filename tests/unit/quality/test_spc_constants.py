"""Control-chart constants against the published table (ASTM E2587 / Montgomery Appendix VI)."""

from __future__ import annotations

import math

import pytest

from models.quality.constants import chart_constants

# n: (d2, d3, c4, A2, A3, D3, D4, B3, B4), typed in from Montgomery Appendix VI.
PUBLISHED = {
    2: (1.128, 0.853, 0.7979, 1.880, 2.659, 0.000, 3.267, 0.000, 3.267),
    5: (2.326, 0.864, 0.9400, 0.577, 1.427, 0.000, 2.114, 0.000, 2.089),
    10: (3.078, 0.797, 0.9727, 0.308, 0.975, 0.223, 1.777, 0.284, 1.716),
    15: (3.472, 0.756, 0.9823, 0.223, 0.789, 0.347, 1.653, 0.428, 1.572),
    25: (3.931, 0.708, 0.9896, 0.153, 0.606, 0.459, 1.541, 0.565, 1.435),
}
NAMES = ("d2", "d3", "c4", "A2", "A3", "D3", "D4", "B3", "B4")


@pytest.mark.parametrize("n", sorted(PUBLISHED))
def test_constants_match_the_published_table_to_1e3(n: int) -> None:
    constants = chart_constants(n)
    for name, published in zip(NAMES, PUBLISHED[n], strict=True):
        assert getattr(constants, name) == pytest.approx(published, abs=1e-3), name


def test_every_size_from_2_to_25_has_consistent_constants() -> None:
    previous = chart_constants(2)
    for n in range(3, 26):
        current = chart_constants(n)
        assert current.d2 > previous.d2
        assert current.c4 > previous.c4
        assert current.A2 < previous.A2
        assert 0 <= current.D3 < 1 < current.D4
        previous = current


def test_closed_forms_for_two_are_exact() -> None:
    constants = chart_constants(2)
    assert constants.d2 == pytest.approx(2 / math.sqrt(math.pi), abs=1e-9)
    assert constants.c4 == pytest.approx(math.sqrt(2 / math.pi), abs=1e-12)


def test_individuals_factor_is_three_over_d2_of_two() -> None:
    # Tables print E2 = 2.660, which is 3/1.128 computed from the already rounded d2.
    moving_range = chart_constants(2)
    e2, d4 = moving_range.E2, moving_range.D4
    assert e2 == pytest.approx(3 / 1.128, abs=2e-3)
    assert e2 == pytest.approx(3 / moving_range.d2)
    assert d4 == pytest.approx(3.267, abs=1e-3)


@pytest.mark.parametrize("n", [0, 1, -3, 2.0, True])
def test_sizes_below_two_are_refused(n: object) -> None:
    with pytest.raises(ValueError, match="at least 2"):
        chart_constants(n)  # type: ignore[arg-type]
