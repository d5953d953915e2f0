"""Run rules on the X̄ / I chart: the eight Nelson rules, or the four Western Electric rules.

σ is the standard deviation of a plotted point (sigma_within/√n on an X̄ chart). "Beyond kσ"
is strictly beyond; a point exactly on the centre line is on neither side, so it ends a run,
and a repeated value ends a trend or an alternation. A pattern counts only in a complete window,
so a series shorter than a rule's window never triggers that rule.

Nelson (window in points): 1 one point beyond 3σ (1); 2 nine in a row on one side (9); 3 six in
a row steadily increasing or decreasing (6); 4 fourteen in a row alternating up and down (14);
5 two of three beyond 2σ on one side (3); 6 four of five beyond 1σ on one side (5); 7 fifteen in
a row within 1σ (15); 8 eight in a row beyond 1σ, either side (8).
Western Electric: 1 one point beyond 3σ; 2 two of three beyond 2σ on one side; 3 four of five
beyond 1σ on one side; 4 eight in a row on one side.

Each signal is ``{"rule": k, "points": [indexes]}``. Occurrences of one rule that share points
(and, for the one-sided and trend rules, the same side or direction) are merged into one signal,
so a run of 10 points on one side is one rule-2 signal listing all 10 points: an engineer sees
one pattern to investigate, not two overlapping windows. Windows that merely touch without
sharing a point stay separate, so two successive points beyond 3σ are two rule-1 signals. For
the "k of m" rules (Nelson 5 and 6, Western Electric 2 and 3) a signal lists only the points
beyond the zone; for every other rule it lists every point of the pattern. Signals are ordered
by their first point, then by rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import ArrayLike

from models.errors import ValidationFailed
from models.i18n import N_

RuleSet = Literal["nelson", "western_electric"]
RULE_SETS: tuple[RuleSet, ...] = ("nelson", "western_electric")
#: Rule number -> window length in points, per rule set.
RULE_WINDOWS: dict[str, dict[int, int]] = {
    "nelson": {1: 1, 2: 9, 3: 6, 4: 14, 5: 3, 6: 5, 7: 15, 8: 8},
    "western_electric": {1: 1, 2: 3, 3: 5, 4: 8},
}


@dataclass(frozen=True, eq=False)
class _Pattern:
    """``needed`` of the last ``span`` conditions hold, over a window of ``window`` points."""

    rule: int
    window: int
    span: int
    needed: int
    condition: np.ndarray
    only_matching: bool = False


def check_rules(rules: str) -> RuleSet:
    """The rule set name, or ValidationFailed naming the known ones."""
    if rules not in RULE_SETS:
        raise ValidationFailed.on(
            "rules",
            N_("Unknown rule set %(rules)s; use nelson or western_electric."),
            rules=rules,
        )
    return cast(RuleSet, rules)


def find_signals(
    points: ArrayLike, center: float, sigma: float, rules: str = "nelson"
) -> list[dict[str, Any]]:
    """The signals of one chart's points, as described in the module doc (JSON-safe)."""
    x = np.asarray(points, dtype=float)
    occurrences = _occurrences(x, center, sigma, check_rules(rules), None)
    found = [signal for _start, signal in _signals(occurrences)]
    found.sort(key=lambda signal: (signal["points"][0], signal["rule"]))
    return found


def locate_signals(
    points: np.ndarray,
    center: np.ndarray,
    sigma: np.ndarray,
    first: np.ndarray,
    group: np.ndarray,
    rules: str = "nelson",
) -> list[tuple[int, dict[str, Any]]]:
    """Every signal of many series laid end to end (as in :func:`count_signals`), located.

    Returns ``(series, signal)`` pairs, the signal as :func:`find_signals` gives it for that
    series alone (point indexes counted from the series' first point), ordered by series,
    then first point, then rule. The loop runs over signals, never over points.
    """
    found = []
    for start, signal in _signals(_occurrences(points, center, sigma, check_rules(rules), first)):
        offset = int(first[start])
        owner = int(group[start])
        signal["points"] = [index - offset for index in signal["points"]]
        found.append((owner, signal))
    found.sort(key=lambda item: (item[0], item[1]["points"][0], item[1]["rule"]))
    return found


def _signals(
    occurrences: list[tuple[_Pattern, np.ndarray, np.ndarray]],
) -> list[tuple[int, dict[str, Any]]]:
    """(start, {"rule", "points"}) of each merged occurrence, points as absolute indexes."""
    found: list[tuple[int, dict[str, Any]]] = []
    for pattern, starts, ends in occurrences:
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            if pattern.only_matching:
                members = (start + np.flatnonzero(pattern.condition[start : end + 1])).tolist()
            else:
                members = list(range(start, end + 1))
            found.append((start, {"rule": pattern.rule, "points": members}))
    return found


def count_signals(
    points: np.ndarray,
    center: np.ndarray,
    sigma: np.ndarray,
    first: np.ndarray,
    group: np.ndarray,
    group_count: int,
    rules: str = "nelson",
) -> np.ndarray:
    """Signals per series and rule for many series laid end to end, without a per-point loop.

    Point i belongs to series ``group[i]``, whose first point is at ``first[i]``; ``center``
    and ``sigma`` are per point. A pattern never spans two series. Returns an int array of
    shape (group_count, number of rules); column k − 1 counts rule k as :func:`find_signals`
    would for each series alone.
    """
    chosen = check_rules(rules)
    counts = np.zeros((group_count, len(RULE_WINDOWS[chosen])), dtype=np.int64)
    for pattern, _starts, ends in _occurrences(points, center, sigma, chosen, first):
        counts[:, pattern.rule - 1] += np.bincount(group[ends], minlength=group_count)
    return counts


def _occurrences(
    x: np.ndarray,
    center: float | np.ndarray,
    sigma: float | np.ndarray,
    rules: RuleSet,
    first: np.ndarray | None,
) -> list[tuple[_Pattern, np.ndarray, np.ndarray]]:
    """Each pattern with the (start, end) indexes of its merged occurrences."""
    size = x.size
    # Points before each one in its own series: a window of w points fits if that is >= w - 1.
    history = np.arange(size, dtype=np.int32)
    if first is not None:
        history -= first.astype(np.int32)
    result = []
    for pattern in _patterns(x, center, sigma, rules):
        span = pattern.span
        cumulative = np.zeros(size + 1, dtype=np.int32)
        np.cumsum(pattern.condition, dtype=np.int32, out=cumulative[1:])
        held = np.zeros(size, dtype=bool)
        if size >= span:
            held[span - 1 :] = cumulative[span:] - cumulative[: size + 1 - span] >= pattern.needed
        ends = np.flatnonzero(held & (history >= pattern.window - 1))
        starts = ends - pattern.window + 1
        opens = np.ones(ends.size, dtype=bool)
        opens[1:] = starts[1:] > ends[:-1]
        closes = np.roll(opens, -1)  # an occurrence closes a signal when the next one opens
        result.append((pattern, starts[opens], ends[closes]))
    return result


def _patterns(
    x: np.ndarray, center: float | np.ndarray, sigma: float | np.ndarray, rules: RuleSet
) -> list[_Pattern]:
    offset = x - center
    distance = np.abs(offset)
    step = np.diff(x)
    rises = np.concatenate(([False], step > 0))[: x.size]
    falls = np.concatenate(([False], step < 0))[: x.size]
    flips = np.concatenate(([False, False], step[1:] * step[:-1] < 0))[: x.size]
    beyond_3 = _Pattern(1, 1, 1, 1, distance > 3 * sigma)
    beyond_2 = (offset > 2 * sigma, offset < -2 * sigma)
    beyond_1 = (offset > sigma, offset < -sigma)
    sides = (offset > 0, offset < 0)
    if rules == "western_electric":
        return [
            beyond_3,
            *_each_side(2, 3, 2, beyond_2, only_matching=True),
            *_each_side(3, 5, 4, beyond_1, only_matching=True),
            *_each_side(4, 8, 8, sides),
        ]
    return [
        beyond_3,
        *_each_side(2, 9, 9, sides),
        *_each_side(3, 6, 5, (rises, falls), span=5),
        _Pattern(4, 14, 12, 12, flips),
        *_each_side(5, 3, 2, beyond_2, only_matching=True),
        *_each_side(6, 5, 4, beyond_1, only_matching=True),
        _Pattern(7, 15, 15, 15, distance < sigma),
        _Pattern(8, 8, 8, 8, distance > sigma),
    ]


def _each_side(
    rule: int,
    window: int,
    needed: int,
    conditions: tuple[np.ndarray, np.ndarray],
    *,
    span: int | None = None,
    only_matching: bool = False,
) -> list[_Pattern]:
    """One pattern per side (or direction): occurrences on opposite sides are never merged."""
    return [
        _Pattern(rule, window, span or window, needed, condition, only_matching)
        for condition in conditions
    ]
