"""The batch computation equals the single-characteristic report, group by group."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from models.errors import ValidationFailed
from models.quality.batch import capability_many, compute_many
from models.quality.report import capability_report

SKIPPED_KEYS = {"signals", "points", "thresholds", "rules", "lsl", "usl", "target", "subgroup_size"}


def characteristics(seed: int, count: int = 60) -> dict[str, np.ndarray]:
    """Noisy series, some drifting or shifted so that rules fire, of assorted lengths."""
    rng = np.random.default_rng(seed)
    groups = {}
    for index in range(count):
        size = int(rng.integers(0, 80))
        drift = np.linspace(0, rng.choice([0.0, 0.0, 2.0, -3.0]), size)
        groups[f"c{index}"] = np.round(rng.normal(10, 1, size) + drift, 3)
    groups["flat"] = np.full(12, 10.0)
    return groups


def signal_counts(report: dict) -> dict[int, int]:
    counts = dict.fromkeys(range(1, 9), 0)
    for signal in report["signals"]:
        counts[signal["rule"]] += 1
    return counts


@pytest.mark.parametrize("subgroup_size", [1, 3, 5, 12])
def test_batch_equals_single_reports(subgroup_size: int) -> None:
    groups = characteristics(subgroup_size)
    batch = compute_many(groups, 6.0, 14.0, 10.5, subgroup_size=subgroup_size)

    checked = signalled = 0
    for key, values in groups.items():
        try:
            report = capability_report(values, 6.0, 14.0, 10.5, subgroup_size=subgroup_size)
        except ValidationFailed:
            assert batch[key]["cpk"] is None
            assert batch[key]["status"] is None
            continue
        checked += 1
        signalled += bool(report["signals"])
        for name, value in report.items():
            if name in SKIPPED_KEYS:
                continue
            if isinstance(value, float):
                assert batch[key][name] == pytest.approx(value, rel=1e-9, abs=1e-12), name
            else:
                assert batch[key][name] == value, name
        assert batch[key]["signal_counts"] == signal_counts(report)
    assert checked >= 20
    assert signalled >= 3


def test_batch_takes_limits_per_characteristic_and_one_sided_limits() -> None:
    groups = characteristics(21, count=6)
    lsl = {"c0": 7.0, "c1": None, "c2": 7.0, "c3": 9.0}
    usl = {"c0": 13.0, "c1": 12.0, "c2": None, "c3": 8.0}
    batch = compute_many(groups, lsl, usl)

    for key in ("c0", "c1", "c2"):
        if groups[key].size < 2:
            continue
        report = capability_report(groups[key], lsl[key], usl[key])
        for name in ("cp", "cpk", "pp", "ppk"):
            assert batch[key][name] == (
                None if report[name] is None else pytest.approx(report[name])
            )
    assert batch["c3"]["cpk"] is None  # LSL above USL
    assert batch["c4"]["cpk"] is None  # no limit at all
    assert batch["flat"]["cpk"] is None  # no variation
    assert batch["flat"]["center"] == 10.0


def test_batch_agrees_with_a_pandas_groupby() -> None:
    groups = characteristics(5, count=40)
    keys = [key for key, values in groups.items() if values.size >= 2]
    frame = pd.DataFrame(
        {
            "key": np.repeat(keys, [groups[key].size for key in keys]),
            "x": np.concatenate([groups[key] for key in keys]),
        }
    )
    by_key = frame.groupby("key", sort=False)["x"]
    moving = by_key.diff().abs().groupby(frame["key"], sort=False).mean()

    batch = compute_many({key: groups[key] for key in keys}, 6.0, 14.0)

    for key in keys:
        assert batch[key]["mean"] == pytest.approx(by_key.mean()[key])
        assert batch[key]["sigma_overall"] == pytest.approx(by_key.std()[key])
        assert batch[key]["mr_center"] == pytest.approx(moving[key])


def test_arrays_come_back_in_group_order_with_nan_for_undefined() -> None:
    values = np.array([1.0, 2.0, 4.0, 5.0, 3.0, 7.0, 6.0])
    result = capability_many(values, [0, 1, 1, 7], -50.0, 50.0, rules=None)

    assert result.chart == "i_mr"
    assert result.n.tolist() == [1, 0, 6]
    assert math.isnan(result.cpk[0]) and math.isnan(result.cpk[1])
    assert result.cpk[2] == pytest.approx(capability_report(values[1:], -50.0, 50.0)["cpk"])
    assert result.status.tolist() == [None, None, "capable"]
    assert result.signals is None


def test_malformed_offsets_are_refused() -> None:
    with pytest.raises(ValueError, match="offsets"):
        capability_many([1.0, 2.0], [0, 3], 0.0, 1.0)
    with pytest.raises(ValueError, match="decrease"):
        capability_many([1.0, 2.0], [0, 2, 1, 2], 0.0, 1.0)


def test_a_non_finite_measurement_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        capability_many([1.0, math.inf], [0, 2], 0.0, 1.0)
    assert caught.value.errors == {"values": ["Measurement 2 is not a finite number (inf)."]}
