"""Shewhart control-chart constants (d2, d3, c4 and the limit factors) for any subgroup size.

d2 and d3 (mean and standard deviation of the range of n standard normal values) are computed by
numerical integration and c4 in closed form, so every factor carries full precision instead of
the three decimals of the printed tables (ASTM E2587, Montgomery Appendix VI), which they match
to 1e-3. The individuals chart (n = 1) uses the n = 2 row: a moving range of two consecutive
values is a subgroup of two, so sigma = MR̄/d2(2), the I limits are X̄ ± E2·MR̄ with
E2 = 3/d2(2) = 2.659 (tables print 2.660, i.e. 3/1.128 from an already rounded d2) and the MR
chart's upper limit is D4(2)·MR̄ = 3.267·MR̄.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

_STEP = 0.02  # grid step for both integrals; the error is far below 1e-6 at this step
_X_LIMIT = 10.0  # the normal density is below 1e-21 beyond ±10
_W_LIMIT = 12.0  # P(range > 12σ) is negligible for any practical subgroup size


@dataclass(frozen=True)
class ChartConstants:
    """The factors for subgroup size ``n`` (n ≥ 2), named as in the published tables."""

    n: int
    d2: float
    d3: float
    c4: float

    @property
    def A2(self) -> float:
        """X̄ limits from R̄: X̿ ± A2·R̄."""
        return 3.0 / (self.d2 * math.sqrt(self.n))

    @property
    def A3(self) -> float:
        """X̄ limits from S̄: X̿ ± A3·S̄."""
        return 3.0 / (self.c4 * math.sqrt(self.n))

    @property
    def D3(self) -> float:
        """R chart lower limit D3·R̄ (never negative)."""
        return max(0.0, 1.0 - 3.0 * self.d3 / self.d2)

    @property
    def D4(self) -> float:
        """R chart upper limit D4·R̄."""
        return 1.0 + 3.0 * self.d3 / self.d2

    @property
    def B3(self) -> float:
        """S chart lower limit B3·S̄ (never negative)."""
        return max(0.0, 1.0 - 3.0 * math.sqrt(1.0 - self.c4**2) / self.c4)

    @property
    def B4(self) -> float:
        """S chart upper limit B4·S̄."""
        return 1.0 + 3.0 * math.sqrt(1.0 - self.c4**2) / self.c4

    @property
    def E2(self) -> float:
        """Individuals limits from the mean moving range of span n: X̄ ± E2·MR̄ (n=2: 2.659)."""
        return 3.0 / self.d2


@cache
def chart_constants(n: int) -> ChartConstants:
    """The constants for subgroup size ``n`` ≥ 2 (use n = 2 for an individuals chart)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"subgroup size must be an integer of at least 2, got {n!r}")
    d2, d3 = _range_moments(n)
    return ChartConstants(n=n, d2=d2, d3=d3, c4=_c4(n))


def _c4(n: int) -> float:
    """E[s]/σ for samples of n normal values: √(2/(n−1))·Γ(n/2)/Γ((n−1)/2)."""
    return math.sqrt(2.0 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def _range_moments(n: int) -> tuple[float, float]:
    """(E[W], SD[W]) of the range W of n standard normal values.

    P(W ≤ w) = n∫φ(x)[Φ(x+w) − Φ(x)]^(n−1)dx (trapezoid in x, exact to rounding for this
    smooth, fast-decaying integrand); then E[W] = ∫P(W > w)dw and E[W²] = 2∫w·P(W > w)dw
    (Simpson in w).
    """
    density, gaps, w = _grid()
    survival = 1.0 - n * _STEP * ((gaps ** (n - 1)) @ density)
    mean = _simpson(survival)
    second = 2.0 * _simpson(w * survival)
    return mean, math.sqrt(second - mean * mean)


@cache
def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """φ(x) on the x grid, the matrix Φ(x + w) − Φ(x) (rows: w) and the w grid, built once."""
    x_count = round(2 * _X_LIMIT / _STEP) + 1
    w_count = round(_W_LIMIT / _STEP) + 1  # odd, as Simpson's rule needs
    grid = -_X_LIMIT + _STEP * np.arange(x_count + w_count - 1)
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in grid])
    x = grid[:x_count]
    density = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    shifts = np.arange(w_count)[:, None] + np.arange(x_count)[None, :]
    gaps = cdf[shifts] - cdf[:x_count][None, :]
    return density, gaps, _STEP * np.arange(w_count)


def _simpson(f: np.ndarray) -> float:
    return float(_STEP / 3.0 * (f[0] + f[-1] + 4.0 * f[1:-1:2].sum() + 2.0 * f[2:-1:2].sum()))
