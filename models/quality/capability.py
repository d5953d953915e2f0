"""Process capability indices (Cp, Cpk, Pp, Ppk, Cpm) and the capable / watch / action status.

Within-subgroup sigma (from the control chart) gives Cp and Cpk; the overall sample standard
deviation (ddof=1) gives Pp and Ppk. A figure that cannot be defined is None, never NaN:

- one-sided specification (only LSL or only USL): Cpk and Ppk come from the given side, Cp, Pp
  and Cpm are None;
- Cpm needs a target and both limits, and is None otherwise; it is (USL − LSL)/(6τ) with
  τ² = s² + (mean − target)² (Chan, Cheng and Spiring; Montgomery);
- a sigma of zero leaves the figures that divide by it None (within sigma can be zero while
  the overall one is not, when every subgroup is internally constant).

Input that makes no figure meaningful raises ValidationFailed: no limit at all, LSL not below
USL, a target outside the limits, fewer than 2 values, or values that are all equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from models.errors import ValidationFailed
from models.i18n import N_
from models.quality.charts import as_measurements

Status = Literal["capable", "watch", "action"]


@dataclass(frozen=True)
class CapabilityThresholds:
    """Cpk at or above ``capable`` is capable, at or above ``watch`` is watch, below is action."""

    capable: float = 1.67
    watch: float = 1.33

    def __post_init__(self) -> None:
        if not (math.isfinite(self.capable) and math.isfinite(self.watch)):
            raise ValidationFailed.on("thresholds", N_("Thresholds must be finite numbers."))
        if self.watch > self.capable:
            raise ValidationFailed.on(
                "thresholds",
                N_("The watch threshold (%(watch)s) must not exceed capable (%(capable)s)."),
                watch=self.watch,
                capable=self.capable,
            )


DEFAULT_THRESHOLDS = CapabilityThresholds()


@dataclass(frozen=True)
class Capability:
    """The indices of one characteristic; None marks a figure that is undefined (see module doc)."""

    mean: float
    sigma_within: float
    sigma_overall: float
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None
    cpm: float | None


def check_spec(lsl: float | None, usl: float | None, target: float | None = None) -> None:
    """Raise ValidationFailed unless the limits and target can define capability indices."""
    for field, name, value in (
        ("lsl", "LSL", lsl),
        ("usl", "USL", usl),
        ("target", "Target", target),
    ):
        if value is not None and not math.isfinite(value):
            raise ValidationFailed.on(field, N_("%(name)s must be a finite number."), name=name)
    if lsl is None and usl is None:
        raise ValidationFailed.on("usl", N_("Give a lower or an upper specification limit."))
    if lsl is not None and usl is not None and lsl >= usl:
        raise ValidationFailed.on(
            "lsl", N_("LSL (%(lsl)s) must be below USL (%(usl)s)."), lsl=lsl, usl=usl
        )
    if target is not None and (
        (lsl is not None and target < lsl) or (usl is not None and target > usl)
    ):
        raise ValidationFailed.on(
            "target",
            N_("The target (%(target)s) must lie within the specification limits."),
            target=target,
        )


def capability_indices(
    mean: float,
    sigma_within: float,
    sigma_overall: float,
    lsl: float | None,
    usl: float | None,
    target: float | None = None,
) -> Capability:
    """The indices from summary figures; the limits are checked with :func:`check_spec`."""
    check_spec(lsl, usl, target)
    cp, cpk = _indices(mean, sigma_within, lsl, usl)
    pp, ppk = _indices(mean, sigma_overall, lsl, usl)
    cpm = None
    if target is not None and lsl is not None and usl is not None:
        tau = math.sqrt(sigma_overall**2 + (mean - target) ** 2)
        cpm = (usl - lsl) / (6.0 * tau) if tau > 0 else None
    return Capability(
        mean=mean,
        sigma_within=sigma_within,
        sigma_overall=sigma_overall,
        cp=cp,
        cpk=cpk,
        pp=pp,
        ppk=ppk,
        cpm=cpm,
    )


def process_capability(
    values: ArrayLike,
    lsl: float | None,
    usl: float | None,
    *,
    sigma_within: float,
    target: float | None = None,
) -> Capability:
    """The indices of measured values, given the within sigma of their control chart.

    Raises ValidationFailed for bad limits, fewer than 2 values or values that are all equal.
    """
    check_spec(lsl, usl, target)
    x = as_measurements(values)
    if x.size < 2:
        raise ValidationFailed.on(
            "values", N_("Give at least 2 measurements; got %(count)d."), count=x.size
        )
    if x.min() == x.max():
        raise ValidationFailed.on(
            "values",
            N_("All %(count)d measurements equal %(value)s; capability needs some variation."),
            count=x.size,
            value=float(x[0]),
        )
    return capability_indices(
        float(x.mean()), sigma_within, float(np.std(x, ddof=1)), lsl, usl, target
    )


def capability_status(
    cpk: float | None, thresholds: CapabilityThresholds = DEFAULT_THRESHOLDS
) -> Status | None:
    """capable / watch / action for a Cpk (thresholds inclusive at the lower end); None for None."""
    if cpk is None:
        return None
    if cpk >= thresholds.capable:
        return "capable"
    return "watch" if cpk >= thresholds.watch else "action"


def _indices(
    mean: float, sigma: float, lsl: float | None, usl: float | None
) -> tuple[float | None, float | None]:
    """(Cp-like, Cpk-like) for one sigma: None where the sigma is zero or a limit is missing."""
    if not sigma > 0:
        return None, None
    upper = (usl - mean) / (3.0 * sigma) if usl is not None else None
    lower = (mean - lsl) / (3.0 * sigma) if lsl is not None else None
    sides = [side for side in (upper, lower) if side is not None]
    spread = (usl - lsl) / (6.0 * sigma) if usl is not None and lsl is not None else None
    return spread, min(sides)
