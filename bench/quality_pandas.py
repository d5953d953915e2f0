"""The pandas baseline of ``bench.quality``: the same limits, capability and Nelson signal counts
from a DataFrame read with ``pandas.read_sql``.

Written the way a pandas user would write it well: grouped aggregates for subgroups and
limits, and the run rules as rolling sums over the whole ordered column, masked where a window
would cross from one characteristic into the next (a grouped rolling would be far slower).
Only the control-chart constants are taken from the product (they are a table).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from models.quality.constants import chart_constants

SERIES_SQL = (
    "SELECT characteristic_id, value FROM quality_measurements "
    "ORDER BY characteristic_id, measured_at, id"
)
SPECS_SQL = "SELECT id, subgroup_size, lsl, usl, target FROM quality_characteristics ORDER BY id"


def load(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    start = time.perf_counter()
    with engine.connect() as connection:
        values = pd.read_sql_query(text(SERIES_SQL), connection)
        specs = pd.read_sql_query(text(SPECS_SQL), connection).set_index("id")
    specs = specs.astype({"lsl": float, "usl": float, "target": float})
    return values, specs, time.perf_counter() - start


def compute(values: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    """Per characteristic: center, ucl, lcl, sigma_within, sigma_overall, cp, cpk, pp, ppk,
    cpm and the Nelson signal count of each rule (columns rule1 … rule8)."""
    owner = values["characteristic_id"]
    size = owner.map(specs["subgroup_size"])
    position = values.groupby("characteristic_id").cumcount()
    whole = owner.map(values.groupby("characteristic_id").size() // specs["subgroup_size"])
    used = values[position < whole * size].assign(subgroup=(position // size))
    single = used[size.loc[used.index] == 1]
    grouped = used[size.loc[used.index] > 1]
    points, spread = _subgroups(grouped)
    moving = single.groupby("characteristic_id")["value"].diff().abs()
    points = pd.concat([points, single[["characteristic_id", "value"]]], ignore_index=True)
    spread = pd.concat(
        [spread, pd.DataFrame({"characteristic_id": single["characteristic_id"], "spread": moving})]
    )
    result = pd.DataFrame(index=specs.index)
    result["n"] = used.groupby("characteristic_id").size()
    result["mean"] = used.groupby("characteristic_id")["value"].mean()
    result["sigma_overall"] = used.groupby("characteristic_id")["value"].std()
    result["center"] = points.groupby("characteristic_id")["value"].mean()
    bar = spread.groupby("characteristic_id")["spread"].mean()
    factor, unbias = _factors(specs["subgroup_size"])
    result["ucl"] = result["center"] + factor * bar
    result["lcl"] = result["center"] - factor * bar
    result["sigma_within"] = bar / unbias
    _capability(result, specs)
    counts = _nelson(points.sort_values(["characteristic_id"], kind="stable"), result, specs)
    return result.join(counts)


def _subgroups(used: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    groups = used.groupby(["characteristic_id", "subgroup"], sort=False)["value"]
    stats = groups.agg(["mean", "max", "min", "std", "size"]).reset_index()
    by_range = stats["size"] <= 10
    spread = np.where(by_range, stats["max"] - stats["min"], stats["std"])
    return (
        pd.DataFrame({"characteristic_id": stats["characteristic_id"], "value": stats["mean"]}),
        pd.DataFrame({"characteristic_id": stats["characteristic_id"], "spread": spread}),
    )


def _factors(sizes: pd.Series) -> tuple[pd.Series, pd.Series]:
    table: dict[int, tuple[float, float]] = {}
    for size in sizes.unique().tolist():
        constants = chart_constants(max(size, 2))
        if size == 1:
            table[size] = (constants.E2, constants.d2)
        elif size <= 10:
            table[size] = (constants.A2, constants.d2)
        else:
            table[size] = (constants.A3, constants.c4)
    return sizes.map(lambda s: table[s][0]), sizes.map(lambda s: table[s][1])


def _capability(result: pd.DataFrame, specs: pd.DataFrame) -> None:
    low, high, aim = specs["lsl"], specs["usl"], specs["target"]
    mean, within, overall = result["mean"], result["sigma_within"], result["sigma_overall"]
    result["cp"] = (high - low) / (6 * within)
    result["cpk"] = np.minimum(high - mean, mean - low) / (3 * within)
    result["pp"] = (high - low) / (6 * overall)
    result["ppk"] = np.minimum(high - mean, mean - low) / (3 * overall)
    result["cpm"] = (high - low) / (6 * np.sqrt(overall**2 + (mean - aim) ** 2))


def _nelson(points: pd.DataFrame, result: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    owner = points["characteristic_id"].to_numpy()
    x = points["value"].reset_index(drop=True)
    sigma = (result["sigma_within"] / np.sqrt(specs["subgroup_size"])).reindex(owner).to_numpy()
    offset = x - result["center"].reindex(owner).to_numpy()
    position = pd.Series(owner).groupby(owner).cumcount().to_numpy()
    step = x.diff()
    rises, falls = (step > 0), (step < 0)
    flips = (step * step.shift(1)) < 0
    patterns: list[tuple[int, int, int, int, pd.Series]] = [
        (1, 1, 1, 1, offset.abs() > 3 * sigma),
        (2, 9, 9, 9, offset > 0), (2, 9, 9, 9, offset < 0),
        (3, 6, 5, 5, rises), (3, 6, 5, 5, falls),
        (4, 14, 12, 12, flips),
        (5, 3, 3, 2, offset > 2 * sigma), (5, 3, 3, 2, offset < -2 * sigma),
        (6, 5, 5, 4, offset > sigma), (6, 5, 5, 4, offset < -sigma),
        (7, 15, 15, 15, offset.abs() < sigma),
        (8, 8, 8, 8, offset.abs() > sigma),
    ]  # fmt: skip
    counts: dict[str, Any] = {}
    for rule, window, span, needed, condition in patterns:
        held = condition.astype(float).rolling(span).sum() >= needed
        ends = np.flatnonzero(held.to_numpy() & (position >= window - 1))
        opens = np.ones(ends.size, dtype=bool)
        opens[1:] = ends[1:] - window + 1 > ends[:-1]
        found = pd.Series(owner[ends[np.roll(opens, -1)]]).value_counts()
        name = f"rule{rule}"
        counts[name] = counts[name].add(found, fill_value=0) if name in counts else found
    frame = pd.DataFrame(counts).reindex(result.index).fillna(0).astype(int)
    return frame[[f"rule{rule}" for rule in range(1, 9)]]


def run(engine: Engine) -> dict[str, Any]:
    values, specs, load_s = load(engine)
    start = time.perf_counter()
    result = compute(values, specs)
    compute_s = time.perf_counter() - start
    return {"load_s": load_s, "compute_s": compute_s, "result": result}


def finite(value: float) -> bool:
    return value is not None and not math.isnan(value)
