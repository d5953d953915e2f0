"""Shewhart variables charts X̄-R, X̄-S and I-MR (individuals / moving range), by subgroup size.

Values are taken in time order and cut into consecutive subgroups of the requested size. A
trailing incomplete subgroup is left out of every figure; ``ControlChart.ignored`` says how
many values that was (``exact=True`` turns it into an error instead).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from models.errors import ValidationFailed
from models.i18n import N_
from models.quality.constants import chart_constants

ChartKind = Literal["xbar_r", "xbar_s", "i_mr"]
CHART_KINDS: tuple[ChartKind, ...] = ("xbar_r", "xbar_s", "i_mr")
#: Subgroups up to this size get an X̄-R chart by default; larger ones an X̄-S chart.
MAX_RANGE_SUBGROUP = 10


@dataclass(frozen=True, eq=False)
class ControlChart:
    """Centre line and 3σ limits of the X̄ (or I) chart and of its R, S or MR companion.

    ``points`` are the subgroup means (individual values for I-MR) in time order and
    ``dispersion`` the subgroup ranges, standard deviations or moving ranges (one fewer than
    the points for I-MR). ``sigma_within`` is R̄/d2, S̄/c4 or MR̄/d2(2).
    """

    kind: ChartKind
    subgroup_size: int
    center: float
    ucl: float
    lcl: float
    dispersion_center: float
    dispersion_ucl: float
    dispersion_lcl: float
    sigma_within: float
    points: np.ndarray
    dispersion: np.ndarray
    ignored: int = 0

    @property
    def sigma_points(self) -> float:
        """Standard deviation of a plotted point: sigma_within/√n (sigma_within for I-MR)."""
        return self.sigma_within / math.sqrt(self.subgroup_size)


def chart_kind_for(subgroup_size: int) -> ChartKind:
    """I-MR for single values, X̄-R for subgroups of 2 to 10, X̄-S above."""
    size = check_subgroup_size(subgroup_size)
    if size == 1:
        return "i_mr"
    return "xbar_r" if size <= MAX_RANGE_SUBGROUP else "xbar_s"


def check_subgroup_size(subgroup_size: object) -> int:
    """The subgroup size as an int; raises ValidationFailed unless it is a whole number ≥ 1."""
    try:
        size = operator.index(subgroup_size)  # type: ignore[call-overload]
    except TypeError:
        size = 0
    if isinstance(subgroup_size, bool) or size < 1:
        raise ValidationFailed.on(
            "subgroup_size",
            N_("The subgroup size must be a whole number of at least 1, not %(size)s."),
            size=subgroup_size,
        )
    return int(size)


def as_measurements(values: ArrayLike, field: str = "values") -> np.ndarray:
    """The values as a 1-D float array; raises ValidationFailed naming the first bad one."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValidationFailed.on(field, N_("The measurements must be numbers.")) from None
    if array.ndim != 1:
        raise ValidationFailed.on(field, N_("The measurements must be a flat list of numbers."))
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ValidationFailed.on(
            field,
            N_("Measurement %(position)d is not a finite number (%(value)s)."),
            position=int(bad[0]) + 1,
            value=str(array[bad[0]]),
        )
    return array


def split_subgroups(
    values: ArrayLike, subgroup_size: int, *, exact: bool = False
) -> tuple[np.ndarray, int]:
    """Consecutive values as rows of ``subgroup_size``, and how many trailing values were left over.

    With ``exact=True`` a leftover (an incomplete last subgroup) raises ValidationFailed.
    """
    size = check_subgroup_size(subgroup_size)
    array = as_measurements(values)
    count = array.size // size
    ignored = array.size - count * size
    if exact and ignored:
        raise ValidationFailed.on(
            "values",
            N_("The last subgroup has %(found)d of %(size)d values; every subgroup must be full."),
            found=ignored,
            size=size,
        )
    return array[: count * size].reshape(count, size), ignored


def stack_subgroups(
    subgroups: np.ndarray | Sequence[ArrayLike], subgroup_size: int | None = None
) -> np.ndarray:
    """Subgroups given one by one as a (count, size) array; every one must have the same size.

    The size is ``subgroup_size`` when given, else that of the first subgroup. A subgroup of
    another size raises ValidationFailed naming it (counting from 1) and both sizes.
    """
    rows = [np.ravel(row) for row in subgroups]
    sizes = [row.size for row in rows]
    expected = subgroup_size if subgroup_size is not None else (sizes[0] if sizes else 0)
    for number, found in enumerate(sizes, start=1):
        if found != expected:
            raise ValidationFailed.on(
                "subgroups",
                N_("Subgroup %(number)d: values given: %(found)d; every subgroup needs %(size)d."),
                number=number,
                found=found,
                size=expected,
            )
    flat = np.concatenate(rows) if rows else np.empty(0)
    return as_measurements(flat, field="subgroups").reshape(len(rows), expected)


def control_chart(
    values: ArrayLike, subgroup_size: int = 1, *, kind: ChartKind | None = None, exact: bool = False
) -> ControlChart:
    """The chart for values in time order: I-MR for size 1, else a subgroup chart (see module doc).

    ``kind`` overrides the choice between X̄-R and X̄-S; it cannot turn subgroups into I-MR.
    """
    size = check_subgroup_size(subgroup_size)
    if size == 1:
        _check_kind(kind, size)
        return individuals_chart(values)
    matrix, ignored = split_subgroups(values, size, exact=exact)
    return subgroup_chart(matrix, kind=kind, ignored=ignored)


def individuals_chart(values: ArrayLike) -> ControlChart:
    """I-MR chart: X̄ ± E2·MR̄ for the values, MR̄ with limits 0 and D4(2)·MR̄ for the ranges.

    Needs at least two values; raises ValidationFailed otherwise.
    """
    x = as_measurements(values)
    if x.size < 2:
        raise ValidationFailed.on(
            "values", N_("Give at least 2 measurements; got %(count)d."), count=x.size
        )
    constants = chart_constants(2)
    moving = np.abs(np.diff(x))
    mr_bar = float(moving.mean())
    center = float(x.mean())
    return ControlChart(
        kind="i_mr",
        subgroup_size=1,
        center=center,
        ucl=center + constants.E2 * mr_bar,
        lcl=center - constants.E2 * mr_bar,
        dispersion_center=mr_bar,
        dispersion_ucl=constants.D4 * mr_bar,
        dispersion_lcl=constants.D3 * mr_bar,
        sigma_within=mr_bar / constants.d2,
        points=x,
        dispersion=moving,
    )


def subgroup_chart(
    subgroups: np.ndarray | Sequence[ArrayLike],
    *,
    kind: ChartKind | None = None,
    ignored: int = 0,
) -> ControlChart:
    """X̄-R or X̄-S chart for subgroups of equal size (at least 2 subgroups of at least 2 values).

    Subgroups of unequal size raise ValidationFailed (see :func:`stack_subgroups`).
    ``ignored`` is only carried into the result, for callers that cut the subgroups themselves.
    """
    matrix = subgroups if _is_matrix(subgroups) else stack_subgroups(subgroups)
    count, size = matrix.shape
    if count < 2:
        raise ValidationFailed.on(
            "values", N_("Give at least 2 complete subgroups; got %(count)d."), count=count
        )
    if size < 2:
        raise ValidationFailed.on(
            "subgroup_size", N_("A subgroup chart needs subgroups of at least 2 values.")
        )
    chosen = kind or chart_kind_for(size)
    _check_kind(chosen, size)
    constants = chart_constants(size)
    means = matrix.mean(axis=1)
    center = float(means.mean())
    if chosen == "xbar_r":
        spread = matrix.max(axis=1) - matrix.min(axis=1)
        bar = float(spread.mean())
        half_width, low, high, sigma = (
            constants.A2 * bar,
            constants.D3 * bar,
            constants.D4 * bar,
            bar / constants.d2,
        )
    else:
        spread = matrix.std(axis=1, ddof=1)
        bar = float(spread.mean())
        half_width, low, high, sigma = (
            constants.A3 * bar,
            constants.B3 * bar,
            constants.B4 * bar,
            bar / constants.c4,
        )
    return ControlChart(
        kind=chosen,
        subgroup_size=size,
        center=center,
        ucl=center + half_width,
        lcl=center - half_width,
        dispersion_center=bar,
        dispersion_ucl=high,
        dispersion_lcl=low,
        sigma_within=sigma,
        points=means,
        dispersion=spread,
        ignored=ignored,
    )


def _is_matrix(subgroups: object) -> bool:
    """A finite 2-D float array, as :func:`split_subgroups` returns, needs no second check."""
    return (
        isinstance(subgroups, np.ndarray)
        and subgroups.ndim == 2
        and subgroups.dtype == np.float64
        and bool(np.isfinite(subgroups).all())
    )


def _check_kind(kind: str | None, size: int) -> None:
    if kind is None:
        return
    if kind not in CHART_KINDS or (kind == "i_mr") != (size == 1):
        raise ValidationFailed.on(
            "chart",
            N_("The %(kind)s chart does not fit subgroups of %(size)d."),
            kind=kind,
            size=size,
        )
