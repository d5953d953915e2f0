"""The capability report behind `tierlight quality capability`: figures, JSON shape and errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models.errors import ValidationFailed
from models.quality.capability import CapabilityThresholds
from models.quality.report import capability_report


def test_piston_rings_report(piston_ring_values: list[float]) -> None:
    report = capability_report(piston_ring_values, 73.95, 74.05, subgroup_size=5)

    assert report["n"] == 125
    assert report["ignored"] == 0
    assert report["subgroup_size"] == 5
    assert report["chart"] == "xbar_r"
    assert report["mean"] == pytest.approx(74.00118, abs=5e-6)
    assert report["center"] == pytest.approx(74.00118, abs=5e-6)
    assert report["lcl"] == pytest.approx(73.98805, abs=2e-5)
    assert report["ucl"] == pytest.approx(74.01431, abs=2e-5)
    assert report["range_center"] == pytest.approx(0.02276, abs=5e-7)
    assert report["range_ucl"] == pytest.approx(0.048125, abs=2e-6)
    assert report["range_lcl"] == 0.0
    assert report["cp"] == pytest.approx(1.703, abs=1e-3)
    assert report["cpk"] == pytest.approx(1.663, abs=1e-3)
    assert report["sigma_overall"] == pytest.approx(np.std(piston_ring_values, ddof=1))
    assert report["cpm"] is None
    assert report["status"] == "watch"
    assert report["signals"] == []
    assert len(report["points"]) == 25


def test_report_is_json_safe(piston_ring_values: list[float]) -> None:
    report = capability_report(piston_ring_values, 73.95, None, target=74.0, subgroup_size=5)
    decoded = json.loads(json.dumps(report, allow_nan=False))

    assert decoded == report
    assert report["cp"] is None
    assert report["pp"] is None
    assert report["cpk"] == pytest.approx((report["mean"] - 73.95) / (3 * report["sigma_within"]))
    assert report["cpm"] is None


def test_cpm_is_reported_with_a_target(piston_ring_values: list[float]) -> None:
    report = capability_report(piston_ring_values, 73.95, 74.05, target=74.0, subgroup_size=5)
    tau = np.sqrt(report["sigma_overall"] ** 2 + (report["mean"] - 74.0) ** 2)
    assert report["cpm"] == pytest.approx(0.1 / (6 * tau))


def test_individuals_report_has_moving_range_keys(viscosity: list[float]) -> None:
    report = capability_report(viscosity, 32.0, 35.0)

    assert report["chart"] == "i_mr"
    assert report["n"] == 15
    assert report["mr_center"] == pytest.approx(0.4261651 * 1.128, abs=1e-6)
    assert {"mr_ucl", "mr_lcl"} <= report.keys()
    assert "range_center" not in report


def test_large_subgroups_report_s_chart_keys() -> None:
    values = np.random.default_rng(11).normal(20, 0.5, 12 * 10 + 5)
    report = capability_report(values.tolist(), 18.0, 22.0, subgroup_size=12)

    assert report["chart"] == "xbar_s"
    assert report["n"] == 120
    assert report["ignored"] == 5
    assert report["mean"] == pytest.approx(values[:120].mean())
    assert {"s_center", "s_ucl", "s_lcl"} <= report.keys()


def test_signals_use_the_sigma_of_subgroup_means() -> None:
    # Within-subgroup σ is about 1, so the X̄ limits are about ±3/√4 = ±1.5 from the centre:
    # a subgroup whose mean is 2 above the others signals although each value lies within 3σ.
    base = [-1.0, 1.0, -1.0, 1.0]
    values = base * 10 + [1.0, 3.0, 1.0, 3.0] + base * 9
    report = capability_report(values, -10.0, 10.0, subgroup_size=4)

    assert {"rule": 1, "points": [10]} in report["signals"]
    assert report["points"][10] == pytest.approx(2.0)


def test_western_electric_rules_can_be_chosen() -> None:
    values = [0.1, -0.1] * 5 + [0.6] * 8
    report = capability_report(values, -5.0, 5.0, rules="western_electric")
    assert report["rules"] == "western_electric"
    assert {"rule": 4, "points": list(range(10, 18))} in report["signals"]


def test_status_uses_the_thresholds_passed_in(piston_ring_values: list[float]) -> None:
    lenient = CapabilityThresholds(capable=1.5, watch=1.0)
    report = capability_report(
        piston_ring_values, 73.95, 74.05, subgroup_size=5, thresholds=lenient
    )
    assert report["status"] == "capable"
    assert report["thresholds"] == {"capable": 1.5, "watch": 1.0}


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        (([1.0, 2.0, 3.0], 5.0, 1.0), "lsl", "LSL (5.0) must be below USL (1.0)."),
        (([], 0.0, 1.0), "values", "Give at least 2 measurements; got 0."),
        (
            ([1.0, 2.0, 3.0], 0.0, 5.0, None, 2),
            "values",
            "Give at least 2 complete subgroups; got 1.",
        ),
        (
            ([1.0, 2.0, 3.0], 0.0, 5.0, None, 0),
            "subgroup_size",
            "The subgroup size must be a whole number of at least 1, not 0.",
        ),
        (
            ([1.0, 2.0, 3.0], 0.0, 5.0, None, 1, "nelsen"),
            "rules",
            "Unknown rule set nelsen; use nelson or western_electric.",
        ),
        (
            ([2.0, 2.0, 2.0], 0.0, 5.0),
            "values",
            "All 3 measurements equal 2.0; capability needs some variation.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(arguments: tuple, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        capability_report(*arguments)
    assert caught.value.errors == {field: [message]}
