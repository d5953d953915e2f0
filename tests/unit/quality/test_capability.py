"""Capability indices, their undefined cases, validation and the capable / watch / action status."""

from __future__ import annotations

import numpy as np
import pytest

from models.errors import ValidationFailed
from models.quality.capability import (
    CapabilityThresholds,
    capability_indices,
    capability_status,
    check_spec,
    process_capability,
)
from models.quality.charts import control_chart


def only_message(error: ValidationFailed) -> tuple[str, str]:
    [(field, [message])] = error.errors.items()
    return field, message


def test_piston_rings_capability_matches_montgomery(piston_ring_values: list[float]) -> None:
    chart = control_chart(piston_ring_values, 5)
    result = process_capability(piston_ring_values, 73.95, 74.05, sigma_within=chart.sigma_within)

    assert result.cp == pytest.approx(1.703, abs=1e-3)
    assert result.cpk == pytest.approx(1.663, abs=1e-3)
    assert result.sigma_overall == pytest.approx(np.std(piston_ring_values, ddof=1))
    assert result.pp == pytest.approx(0.1 / (6 * result.sigma_overall))
    assert result.ppk == pytest.approx((74.05 - result.mean) / (3 * result.sigma_overall))
    assert result.cpm is None


def test_montgomery_rounding_gives_his_printed_figures() -> None:
    # Montgomery rounds σ̂ = R̄/d2 to 0.0098 and prints Cp = 1.70, Cpk = 1.66.
    result = capability_indices(74.00118, 0.0098, 0.0098, 73.95, 74.05)
    assert round(result.cp, 2) == 1.70
    assert round(result.cpk, 2) == 1.66


def test_cpm_penalises_distance_from_target() -> None:
    centred = capability_indices(10.0, 1.0, 1.0, 4.0, 16.0, target=10.0)
    off_target = capability_indices(11.0, 1.0, 1.0, 4.0, 16.0, target=10.0)

    assert centred.cpm == pytest.approx(2.0)
    assert off_target.cpm == pytest.approx(12 / (6 * np.sqrt(2.0)))
    assert off_target.pp == pytest.approx(2.0)


def test_lower_limit_only_gives_cpk_and_ppk_from_that_side() -> None:
    result = capability_indices(10.0, 1.0, 2.0, 4.0, None, target=10.0)
    assert result.cp is None
    assert result.pp is None
    assert result.cpm is None
    assert result.cpk == pytest.approx(2.0)
    assert result.ppk == pytest.approx(1.0)


def test_upper_limit_only_gives_cpk_and_ppk_from_that_side() -> None:
    result = capability_indices(10.0, 1.0, 2.0, None, 13.0)
    assert (result.cp, result.pp, result.cpm) == (None, None, None)
    assert result.cpk == pytest.approx(1.0)
    assert result.ppk == pytest.approx(0.5)


def test_zero_within_sigma_leaves_cp_and_cpk_undefined() -> None:
    result = capability_indices(10.0, 0.0, 1.0, 7.0, 13.0)
    assert (result.cp, result.cpk) == (None, None)
    assert result.pp == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("lsl", "usl", "target", "field", "message"),
    [
        (74.05, 73.95, None, "lsl", "LSL (74.05) must be below USL (73.95)."),
        (5.0, 5.0, None, "lsl", "LSL (5.0) must be below USL (5.0)."),
        (None, None, None, "usl", "Give a lower or an upper specification limit."),
        (1.0, 2.0, 3.0, "target", "The target (3.0) must lie within the specification limits."),
        (1.0, None, 0.5, "target", "The target (0.5) must lie within the specification limits."),
        (float("nan"), 2.0, None, "lsl", "LSL must be a finite number."),
        (1.0, float("inf"), None, "usl", "USL must be a finite number."),
    ],
)
def test_bad_specification_gets_a_clear_message(
    lsl: float | None, usl: float | None, target: float | None, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_spec(lsl, usl, target)
    assert only_message(caught.value) == (field, message)


def test_fewer_than_two_values_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        process_capability([1.0], 0.0, 2.0, sigma_within=0.1)
    assert only_message(caught.value) == ("values", "Give at least 2 measurements; got 1.")


def test_values_without_variation_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        process_capability([3.0, 3.0, 3.0], 0.0, 5.0, sigma_within=0.0)
    assert only_message(caught.value) == (
        "values",
        "All 3 measurements equal 3.0; capability needs some variation.",
    )


@pytest.mark.parametrize(
    ("cpk", "status"),
    [(2.5, "capable"), (1.67, "capable"), (1.669, "watch"), (1.33, "watch"), (1.329, "action")],
)
def test_default_status_thresholds(cpk: float, status: str) -> None:
    assert capability_status(cpk) == status


def test_status_follows_thresholds_given_per_anchor() -> None:
    strict = CapabilityThresholds(capable=2.0, watch=1.67)
    assert capability_status(1.8, strict) == "watch"
    assert capability_status(1.5, strict) == "action"
    assert capability_status(None, strict) is None


def test_thresholds_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        CapabilityThresholds(capable=1.33, watch=1.67)
    assert only_message(caught.value) == (
        "thresholds",
        "The watch threshold (1.67) must not exceed capable (1.33).",
    )
