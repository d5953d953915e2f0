"""One characteristic's capability report: chart, limits, indices, status and run-rule signals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from models.quality.capability import (
    DEFAULT_THRESHOLDS,
    CapabilityThresholds,
    capability_status,
    check_spec,
    process_capability,
)
from models.quality.charts import as_measurements, check_subgroup_size, control_chart
from models.quality.rules import check_rules, find_signals

#: Prefix of the dispersion chart's keys, by chart kind.
DISPERSION_KEYS = {"xbar_r": "range", "xbar_s": "s", "i_mr": "mr"}


def capability_report(
    values: Sequence[float],
    lsl: float | None,
    usl: float | None,
    target: float | None = None,
    subgroup_size: int = 1,
    rules: str = "nelson",
    *,
    thresholds: CapabilityThresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    """The report behind ``tierlight quality capability``, as a JSON-safe dict (no NaN).

    Values are measurements in time order, cut into subgroups of ``subgroup_size``; a trailing
    incomplete subgroup is left out of every figure and counted in ``ignored``, and ``n`` is the
    number of values used. Keys: ``n``, ``ignored``, ``subgroup_size``, ``chart`` (xbar_r,
    xbar_s or i_mr), ``mean``, ``center``/``ucl``/``lcl`` of the X̄ or I chart, the dispersion
    chart's ``range_*``, ``s_*`` or ``mr_*`` (``center``, ``ucl``, ``lcl``), ``sigma_within``,
    ``sigma_overall``, ``lsl``, ``usl``, ``target``, ``cp``, ``cpk``, ``pp``, ``ppk``, ``cpm``
    (null where undefined, see :mod:`models.quality.capability`), ``status`` (capable, watch,
    action; null when Cpk is), ``thresholds``, ``rules``, ``signals`` (``{"rule", "points"}``
    on the X̄ / I chart, see :mod:`models.quality.rules`) and ``points``, the plotted values
    the signal indexes refer to.

    Raises ValidationFailed for bad limits, subgroup size or rule set, too few values or
    subgroups, non-finite values, or values without any variation.
    """
    check_spec(lsl, usl, target)
    size = check_subgroup_size(subgroup_size)
    rule_set = check_rules(rules)
    x = as_measurements(values)
    chart = control_chart(x, size)
    used = x[: x.size - chart.ignored]
    capability = process_capability(used, lsl, usl, sigma_within=chart.sigma_within, target=target)
    prefix = DISPERSION_KEYS[chart.kind]
    return {
        "n": int(used.size),
        "ignored": chart.ignored,
        "subgroup_size": size,
        "chart": chart.kind,
        "mean": capability.mean,
        "center": chart.center,
        "ucl": chart.ucl,
        "lcl": chart.lcl,
        f"{prefix}_center": chart.dispersion_center,
        f"{prefix}_ucl": chart.dispersion_ucl,
        f"{prefix}_lcl": chart.dispersion_lcl,
        "sigma_within": chart.sigma_within,
        "sigma_overall": capability.sigma_overall,
        "lsl": _number(lsl),
        "usl": _number(usl),
        "target": _number(target),
        "cp": capability.cp,
        "cpk": capability.cpk,
        "pp": capability.pp,
        "ppk": capability.ppk,
        "cpm": capability.cpm,
        "status": capability_status(capability.cpk, thresholds),
        "thresholds": {"capable": thresholds.capable, "watch": thresholds.watch},
        "rules": rule_set,
        "signals": find_signals(chart.points, chart.center, chart.sigma_points, rule_set),
        "points": chart.points.tolist(),
    }


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)
