"""Signals located for many series at once equal the signals of each series alone."""

from __future__ import annotations

import numpy as np
import pytest

from models.quality.batch import capability_many
from models.quality.report import capability_report


@pytest.mark.parametrize("rules", ["nelson", "western_electric"])
@pytest.mark.parametrize("size", [1, 4])
def test_located_signals_equal_single_reports(rules: str, size: int) -> None:
    rng = np.random.default_rng(size)
    series = []
    for _ in range(40):
        count = int(rng.integers(size * 3, 120))
        drift = np.linspace(0, rng.choice([0.0, 1.5, -2.5]), count)
        series.append(np.round(rng.normal(10, 1, count) + drift, 3))
    offsets = np.concatenate(([0], np.cumsum([s.size for s in series])))
    batch = capability_many(
        np.concatenate(series), offsets, 6.0, 14.0, None, size, rules, locate=True
    )
    located: dict[int, list] = {}
    for group, signal in batch.located:
        located.setdefault(group, []).append(signal)
    compared = 0
    for group, values in enumerate(series):
        report = capability_report(values, 6.0, 14.0, None, size, rules)
        assert located.get(group, []) == report["signals"], group
        compared += bool(report["signals"])
    assert compared >= 5
