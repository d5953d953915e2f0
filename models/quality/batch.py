"""Charts, capability and signal counts of many characteristics in one numpy pass, no point loop.

The measurements of all characteristics lie end to end in one array, each characteristic's in
time order, with ``offsets`` marking where each starts (``offsets[g]:offsets[g + 1]``). Every
figure equals what :func:`models.quality.report.capability_report` gives for that
characteristic alone, but where the report raises ValidationFailed a batch cannot stop for one
bad characteristic, so the figure is NaN (status None) instead:

- fewer than 2 plotted points (values for I-MR, complete subgroups otherwise): every chart and
  capability figure;
- no variation, no limit at all, LSL not below USL or a target outside the limits: the
  capability figures (cp, cpk, pp, ppk, cpm, status), the chart figures stay;
- and, as in the report, a figure that is undefined (one-sided Cp, Pp and Cpm, no target).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from models.quality.capability import DEFAULT_THRESHOLDS, CapabilityThresholds
from models.quality.charts import ChartKind, as_measurements, chart_kind_for, check_subgroup_size
from models.quality.constants import chart_constants
from models.quality.report import DISPERSION_KEYS
from models.quality.rules import check_rules, count_signals, locate_signals

K = TypeVar("K", bound=Hashable)
Spec = float | ArrayLike | None
FIGURES = (
    "mean", "center", "ucl", "lcl", "dispersion_center", "dispersion_ucl", "dispersion_lcl",
    "sigma_within", "sigma_overall", "cp", "cpk", "pp", "ppk", "cpm",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class BatchCapability:
    """One array per figure, entry g for characteristic g; NaN where undefined (see module doc).

    ``signals`` has one row per characteristic and one column per rule (column k − 1 counts
    the signals of rule k), or is None when no rule set was asked for. ``located`` holds, when
    asked for, every signal as ``(characteristic, {"rule", "points"})`` (see
    :func:`models.quality.rules.locate_signals`).
    """

    chart: ChartKind
    n: np.ndarray
    ignored: np.ndarray
    mean: np.ndarray
    center: np.ndarray
    ucl: np.ndarray
    lcl: np.ndarray
    dispersion_center: np.ndarray
    dispersion_ucl: np.ndarray
    dispersion_lcl: np.ndarray
    sigma_within: np.ndarray
    sigma_overall: np.ndarray
    cp: np.ndarray
    cpk: np.ndarray
    pp: np.ndarray
    ppk: np.ndarray
    cpm: np.ndarray
    status: np.ndarray
    signals: np.ndarray | None
    located: list[tuple[int, dict[str, Any]]] | None = None


def capability_many(
    values: ArrayLike,
    offsets: ArrayLike,
    lsl: Spec,
    usl: Spec,
    target: Spec = None,
    subgroup_size: int = 1,
    rules: str | None = "nelson",
    thresholds: CapabilityThresholds = DEFAULT_THRESHOLDS,
    *,
    locate: bool = False,
) -> BatchCapability:
    """Every characteristic's figures; limits and target are one value for all or one per group.

    With ``locate`` the signals are also located (their points listed), not only counted.

    A limit or target of None (NaN in an array) is absent. Raises ValidationFailed for a
    non-finite value, a bad subgroup size or rule set, ValueError for malformed offsets.
    """
    x = as_measurements(values)
    starts = _check_offsets(offsets, x.size)
    size = check_subgroup_size(subgroup_size)
    kind = chart_kind_for(size)
    rule_set = None if rules is None else check_rules(rules)
    groups = starts.size - 1
    layout = _Layout.of(x, starts, size, kind)
    factor, low, high, unbias = _factors(kind, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread_bar = layout.sum(layout.spread, layout.spread_owner) / layout.spread_counts
        mean = layout.sum(layout.used, layout.used_owner) / layout.used_counts
        center = layout.sum(layout.points, layout.point_owner) / layout.point_counts
        deviations = layout.used - mean[layout.used_owner]
        squares = layout.sum(deviations**2, layout.used_owner)
        sigma_overall = np.sqrt(squares / (layout.used_counts - 1))
    charted = layout.point_counts >= 2
    figures: dict[str, np.ndarray] = {
        "mean": mean,
        "center": center,
        "ucl": center + factor * spread_bar,
        "lcl": center - factor * spread_bar,
        "dispersion_center": spread_bar,
        "dispersion_ucl": high * spread_bar,
        "dispersion_lcl": low * spread_bar,
        "sigma_within": spread_bar / unbias,
        "sigma_overall": sigma_overall,
    }
    figures = {name: np.where(charted, value, np.nan) for name, value in figures.items()}
    figures.update(_capability(figures, lsl, usl, target, groups))
    signals = located = None
    if rule_set is not None:
        owner = layout.point_owner
        point_starts = np.concatenate(([0], np.cumsum(layout.point_counts)))
        series = (
            layout.points,
            figures["center"][owner],
            figures["sigma_within"][owner] / math.sqrt(size),
            point_starts[:-1][owner],
            owner,
        )
        signals = count_signals(*series, groups, rule_set)
        if locate:
            located = locate_signals(*series, rule_set)
    return BatchCapability(
        chart=kind,
        n=layout.used_counts,
        ignored=np.diff(starts) - layout.used_counts,
        status=_status(figures["cpk"], thresholds),
        signals=signals,
        located=located,
        **figures,
    )


def compute_many(
    groups: Mapping[K, ArrayLike],
    lsl: float | Mapping[K, float | None] | None,
    usl: float | Mapping[K, float | None] | None,
    target: float | Mapping[K, float | None] | None = None,
    subgroup_size: int = 1,
    rules: str | None = "nelson",
    thresholds: CapabilityThresholds = DEFAULT_THRESHOLDS,
) -> dict[K, dict[str, Any]]:
    """:func:`capability_many` keyed by characteristic, each result a JSON-safe dict.

    Limits and target are one value for all or a mapping by key (a missing key is no limit).
    Each dict holds ``n``, ``ignored``, ``chart``, the report's figure keys (dispersion chart
    keys prefixed ``range_``, ``s_`` or ``mr_``) with None for NaN, ``status`` and
    ``signal_counts`` ({rule: count}, empty when ``rules`` is None).
    """
    keys = list(groups)
    arrays = [as_measurements(groups[key], field=str(key)) for key in keys]
    sizes = [array.size for array in arrays]
    batch = capability_many(
        np.concatenate(arrays) if arrays else np.empty(0),
        np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))),
        _by_key(lsl, keys),
        _by_key(usl, keys),
        _by_key(target, keys),
        subgroup_size,
        rules,
        thresholds,
    )
    prefix = DISPERSION_KEYS[batch.chart]
    names = [name.replace("dispersion", prefix) for name in FIGURES]
    columns = [getattr(batch, name).tolist() for name in FIGURES]
    counts = batch.signals.tolist() if batch.signals is not None else [[] for _ in keys]
    result: dict[K, dict[str, Any]] = {}
    for index, key in enumerate(keys):
        entry: dict[str, Any] = {
            "n": int(batch.n[index]),
            "ignored": int(batch.ignored[index]),
            "chart": batch.chart,
        }
        for name, column in zip(names, columns, strict=True):
            entry[name] = None if math.isnan(column[index]) else column[index]
        entry["status"] = batch.status[index]
        entry["signal_counts"] = dict(enumerate(counts[index], start=1))
        result[key] = entry
    return result


def _check_offsets(offsets: ArrayLike, size: int) -> np.ndarray:
    starts = np.asarray(offsets, dtype=np.int64)
    if starts.ndim != 1 or starts.size < 1 or starts[0] != 0 or starts[-1] != size:
        raise ValueError("offsets must run from 0 to the number of values")
    if np.any(np.diff(starts) < 0):
        raise ValueError("offsets must not decrease")
    return starts


@dataclass(frozen=True, eq=False)
class _Layout:
    """Which group owns each used value, plotted point and dispersion value, and how many."""

    groups: int
    used: np.ndarray
    used_owner: np.ndarray
    used_counts: np.ndarray
    points: np.ndarray
    point_owner: np.ndarray
    point_counts: np.ndarray
    spread: np.ndarray
    spread_owner: np.ndarray
    spread_counts: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, starts: np.ndarray, size: int, kind: ChartKind) -> _Layout:
        groups = starts.size - 1
        counts = np.diff(starts)
        owner = np.repeat(np.arange(groups), counts)
        if kind == "i_mr":
            inside = owner[1:] == owner[:-1]  # a moving range never spans two groups
            return cls(
                groups,
                *(x, owner, counts),
                *(x, owner, counts),
                np.abs(np.diff(x))[inside],
                owner[1:][inside],
                np.maximum(counts - 1, 0),
            )
        point_counts = counts // size
        used_counts = point_counts * size
        keep = np.arange(x.size) - starts[:-1][owner] < used_counts[owner]
        matrix = x[keep].reshape(-1, size)
        point_owner = np.repeat(np.arange(groups), point_counts)
        if kind == "xbar_r":
            spread = matrix.max(axis=1) - matrix.min(axis=1)
        else:
            spread = matrix.std(axis=1, ddof=1)
        return cls(
            groups,
            *(x[keep], owner[keep], used_counts),
            *(matrix.mean(axis=1), point_owner, point_counts),
            *(spread, point_owner, point_counts),
        )

    def sum(self, values: np.ndarray, owner: np.ndarray) -> np.ndarray:
        """Per-group sums of values owned as given."""
        return np.bincount(owner, weights=values, minlength=self.groups)


def _factors(kind: ChartKind, size: int) -> tuple[float, float, float, float]:
    """(X̄ limit factor, dispersion LCL factor, dispersion UCL factor, sigma unbiasing constant)."""
    if kind == "i_mr":
        moving = chart_constants(2)
        return moving.E2, moving.D3, moving.D4, moving.d2
    constants = chart_constants(size)
    if kind == "xbar_r":
        return constants.A2, constants.D3, constants.D4, constants.d2
    return constants.A3, constants.B3, constants.B4, constants.c4


def _spec(value: Spec, groups: int) -> np.ndarray:
    if value is None:
        return np.full(groups, np.nan)
    return np.broadcast_to(np.asarray(value, dtype=float), (groups,))


def _by_key(value: float | Mapping[Any, float | None] | None, keys: list[Any]) -> Spec:
    if isinstance(value, Mapping):
        return [value.get(key) for key in keys]
    return value


def _capability(
    figures: dict[str, np.ndarray], lsl: Spec, usl: Spec, target: Spec, groups: int
) -> dict[str, np.ndarray]:
    low, high, aim = _spec(lsl, groups), _spec(usl, groups), _spec(target, groups)
    mean, within, overall = figures["mean"], figures["sigma_within"], figures["sigma_overall"]
    valid = (
        (overall > 0)
        & ~(np.isnan(low) & np.isnan(high))
        & ~(low >= high)
        & ~(aim < low)
        & ~(aim > high)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        cp, cpk = _indices(mean, within, low, high)
        pp, ppk = _indices(mean, overall, low, high)
        tau = np.sqrt(overall**2 + (mean - aim) ** 2)
        cpm = np.where(tau > 0, (high - low) / (6.0 * tau), np.nan)
    found = {"cp": cp, "cpk": cpk, "pp": pp, "ppk": ppk, "cpm": cpm}
    return {name: np.where(valid, value, np.nan) for name, value in found.items()}


def _indices(
    mean: np.ndarray, sigma: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    positive = sigma > 0
    spread = np.where(positive, (high - low) / (6.0 * sigma), np.nan)
    nearest = np.fmin((high - mean) / (3.0 * sigma), (mean - low) / (3.0 * sigma))
    return spread, np.where(positive, nearest, np.nan)


def _status(cpk: np.ndarray, thresholds: CapabilityThresholds) -> np.ndarray:
    status = np.full(cpk.shape, None, dtype=object)
    known = ~np.isnan(cpk)
    status[known] = "action"
    status[known & (cpk >= thresholds.watch)] = "watch"
    status[known & (cpk >= thresholds.capable)] = "capable"
    return status
