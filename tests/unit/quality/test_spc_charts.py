"""X̄-R, X̄-S and I-MR charts against published worked examples, and their input rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.errors import ValidationFailed
from models.i18n import render
from models.quality.charts import (
    chart_kind_for,
    control_chart,
    split_subgroups,
    stack_subgroups,
    subgroup_chart,
)


def only_message(error: ValidationFailed) -> tuple[str, str]:
    [(field, [message])] = error.errors.items()
    return field, message


def test_piston_rings_data_is_the_published_table(piston_rings: list[list[float]]) -> None:
    data = np.array(piston_rings)
    assert data.shape == (25, 5)
    assert data.mean() == pytest.approx(74.00118, abs=5e-6)
    assert np.ptp(data, axis=1).mean() == pytest.approx(0.02276, abs=5e-7)


def test_piston_rings_xbar_r_chart_matches_montgomery(piston_ring_values: list[float]) -> None:
    chart = control_chart(piston_ring_values, 5)

    assert chart.kind == "xbar_r"
    assert chart.points.size == 25
    assert chart.points[0] == pytest.approx(74.0102)
    assert chart.center == pytest.approx(74.00118, abs=5e-6)
    assert chart.lcl == pytest.approx(73.98805, abs=2e-5)
    assert chart.ucl == pytest.approx(74.01431, abs=2e-5)
    assert chart.dispersion_center == pytest.approx(0.02276, abs=5e-7)
    assert chart.dispersion_ucl == pytest.approx(0.048125, abs=2e-6)
    assert chart.dispersion_lcl == 0.0
    # qcc prints 0.009785039 from the tabled d2 = 2.326; R̄/d2 with d2 = 2.32593 is 0.0097853.
    assert chart.sigma_within == pytest.approx(0.009785039, rel=1e-4)
    assert chart.sigma_points == pytest.approx(chart.sigma_within / math.sqrt(5))


def test_piston_rings_xbar_s_chart_matches_qcc(piston_rings: list[list[float]]) -> None:
    chart = subgroup_chart(piston_rings, kind="xbar_s")

    assert chart.kind == "xbar_s"
    # qcc(diameter[1:25,], type = "S"): centre 0.009240037, StdDev 0.009829977, UCL 0.019302416.
    assert chart.dispersion_center == pytest.approx(0.009240037, abs=1e-9)
    assert chart.sigma_within == pytest.approx(0.009829977, abs=1e-9)
    assert chart.dispersion_ucl == pytest.approx(0.019302416, abs=1e-9)
    assert chart.dispersion_lcl == 0.0
    # Montgomery Example 6.3 prints the X̄ limits from S̄ as 73.988 and 74.014.
    assert round(chart.lcl, 3) == 73.988
    assert round(chart.ucl, 3) == 74.014
    assert chart.ucl - chart.center == pytest.approx(3 * chart.sigma_within / math.sqrt(5))


def test_viscosity_individuals_chart_matches_montgomery_and_qcc(viscosity: list[float]) -> None:
    chart = control_chart(viscosity)

    assert chart.kind == "i_mr"
    assert chart.points.tolist() == viscosity
    assert chart.dispersion.size == 14
    assert chart.center == pytest.approx(33.52333, abs=5e-6)
    # qcc(x, type = "xbar.one"): StdDev 0.4261651 = MR̄/1.128, limits 32.24484 and 34.80183;
    # this library divides by d2(2) = 1.12838, so sigma and limits differ in the fourth digit.
    assert chart.dispersion_center == pytest.approx(0.4261651 * 1.128, abs=1e-6)
    assert chart.sigma_within == pytest.approx(0.4261651, rel=5e-4)
    assert chart.lcl == pytest.approx(32.24484, abs=1e-3)
    assert chart.ucl == pytest.approx(34.80183, abs=1e-3)
    assert chart.dispersion_ucl == pytest.approx(3.267 * chart.dispersion_center, rel=1e-3)
    assert chart.dispersion_lcl == 0.0


@pytest.mark.parametrize(
    ("size", "kind"), [(1, "i_mr"), (2, "xbar_r"), (10, "xbar_r"), (11, "xbar_s"), (25, "xbar_s")]
)
def test_chart_kind_follows_subgroup_size(size: int, kind: str) -> None:
    assert chart_kind_for(size) == kind
    values = np.random.default_rng(size).normal(10, 1, size * 4)
    assert control_chart(values, size).kind == kind


def test_xbar_s_chart_for_large_subgroups_uses_c4() -> None:
    values = np.random.default_rng(7).normal(5, 0.2, 12 * 20)
    chart = control_chart(values, 12)
    deviations = values.reshape(20, 12).std(axis=1, ddof=1)

    assert chart.dispersion.tolist() == pytest.approx(deviations.tolist())
    assert chart.sigma_within == pytest.approx(deviations.mean() / 0.9776, rel=1e-4)


def test_incomplete_last_subgroup_is_ignored_and_counted(piston_ring_values: list[float]) -> None:
    full = control_chart(piston_ring_values, 5)
    extended = control_chart([*piston_ring_values, 74.5, 73.5], 5)

    assert extended.ignored == 2
    assert full.ignored == 0
    assert extended.center == full.center
    assert extended.ucl == full.ucl
    assert extended.points.size == 25


def test_exact_sizes_refuse_an_incomplete_last_subgroup(piston_ring_values: list[float]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        control_chart([*piston_ring_values, 74.0, 74.0], 5, exact=True)
    assert only_message(caught.value) == (
        "values",
        "The last subgroup has 2 of 5 values; every subgroup must be full.",
    )


def test_split_subgroups_keeps_time_order() -> None:
    matrix, ignored = split_subgroups([1, 2, 3, 4, 5, 6, 7], 3)
    assert matrix.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert ignored == 1


def test_a_subgroup_of_the_wrong_size_is_named() -> None:
    with pytest.raises(ValidationFailed) as caught:
        stack_subgroups([[1, 2, 3], [4, 5, 6], [7, 8], [9, 10, 11]])
    assert only_message(caught.value) == (
        "subgroups",
        "Subgroup 3: values given: 2; every subgroup needs 3.",
    )


def test_a_subgroup_of_one_value_reads_right_in_both_languages() -> None:
    """Not "Subgroup 2 has 1 values"."""
    with pytest.raises(ValidationFailed) as caught:
        stack_subgroups([[1, 2, 3], [4]])
    (message,) = caught.value.errors["subgroups"]
    assert str(message) == "Subgroup 2: values given: 1; every subgroup needs 3."
    assert render(message, "zh_Hans_CN") == "第 2 个子组：给出 1 个值；每个子组需要 3 个。"


def test_a_demanded_size_applies_to_the_first_subgroup_too() -> None:
    with pytest.raises(ValidationFailed) as caught:
        stack_subgroups([[1, 2], [3, 4]], subgroup_size=3)
    expected = "Subgroup 1: values given: 2; every subgroup needs 3."
    assert expected in caught.value.errors["subgroups"]


def test_subgroup_chart_refuses_unequal_subgroups() -> None:
    with pytest.raises(ValidationFailed, match="not valid") as caught:
        subgroup_chart([[1.0, 2.0], [3.0, 4.0, 5.0]])
    assert "Subgroup 2: values given: 3;" in caught.value.errors["subgroups"][0]


@pytest.mark.parametrize(
    ("values", "size", "field", "message"),
    [
        ([], 1, "values", "Give at least 2 measurements; got 0."),
        ([1.0], 1, "values", "Give at least 2 measurements; got 1."),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 5, "values", "Give at least 2 complete subgroups; got 1."),
        ([1.0, float("nan"), 2.0], 1, "values", "Measurement 2 is not a finite number (nan)."),
        ([1.0, "a", 2.0], 1, "values", "The measurements must be numbers."),
        (
            [1.0, 2.0],
            0,
            "subgroup_size",
            "The subgroup size must be a whole number of at least 1, not 0.",
        ),
        (
            [1.0, 2.0],
            2.5,
            "subgroup_size",
            "The subgroup size must be a whole number of at least 1, not 2.5.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(
    values: list[object], size: object, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        control_chart(values, size)  # type: ignore[arg-type]
    assert only_message(caught.value) == (field, message)


def test_an_individuals_kind_cannot_be_forced_on_subgroups() -> None:
    with pytest.raises(ValidationFailed) as caught:
        control_chart(list(range(10)), 5, kind="i_mr")
    assert only_message(caught.value) == ("chart", "The i_mr chart does not fit subgroups of 5.")


def test_subgroups_without_variation_give_zero_width_limits() -> None:
    chart = control_chart([1.0, 1.0, 2.0, 2.0], 2)
    assert chart.sigma_within == 0.0
    assert chart.ucl == chart.lcl == chart.center == 1.5
