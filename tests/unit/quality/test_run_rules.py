"""Nelson and Western Electric rules: each at exactly its window, one point short, and merging."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import ValidationFailed
from models.quality.rules import count_signals, find_signals

# Centre 0 and σ 1 throughout, so a value is its distance from the centre in σ.
WITHIN = [0.5, 0.5, -0.5, -0.5]  # inside 1σ, no run, no trend, no alternation


def signals(points: list[float], rules: str = "nelson") -> list[dict[str, object]]:
    return find_signals(points, 0.0, 1.0, rules)


def rule(number: int, points: list[int]) -> dict[str, object]:
    return {"rule": number, "points": points}


NELSON = [
    # (rule, pattern at exactly its window, the pattern one point short)
    (1, [0.5, 3.5], [0.5, 3.0]),
    (2, [0.5] * 9, [0.5] * 8),
    (3, [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5], [-0.5, -0.3, -0.1, 0.1, 0.3]),
    (4, [0.5, -0.5] * 7, [0.5, -0.5] * 6 + [0.5]),
    (5, [2.5, 0.0, 2.5], [2.5, 0.0, 0.0, 2.5]),
    (6, [1.5, 1.5, 0.0, 1.5, 1.5], [1.5, 1.5, 0.0, 0.0, 1.5, 1.5]),
    (7, (WITHIN * 4)[:15], (WITHIN * 4)[:14]),
    (8, [1.5, -1.5] * 4, [1.5, -1.5] * 3 + [1.5]),
]
EXPECTED_POINTS = {
    1: [1],
    2: list(range(9)),
    3: list(range(6)),
    4: list(range(14)),
    5: [0, 2],
    6: [0, 1, 3, 4],
    7: list(range(15)),
    8: list(range(8)),
}


@pytest.mark.parametrize(("number", "pattern", "short"), NELSON)
def test_nelson_rule_signals_at_exactly_its_window(
    number: int, pattern: list[float], short: list[float]
) -> None:
    assert signals(pattern) == [rule(number, EXPECTED_POINTS[number])]


@pytest.mark.parametrize(("number", "pattern", "short"), NELSON)
def test_nelson_rule_is_silent_one_point_short(
    number: int, pattern: list[float], short: list[float]
) -> None:
    assert signals(short) == []


WESTERN_ELECTRIC = [
    (1, [0.5, -3.5], [0.5, -3.0], [1]),
    (2, [-2.5, 0.0, -2.5], [-2.5, 0.0, 0.0, -2.5], [0, 2]),
    (3, [1.5, 1.5, 0.0, 1.5, 1.5], [1.5, 1.5, 0.0, 0.0, 1.5, 1.5], [0, 1, 3, 4]),
    (4, [-0.5] * 8, [-0.5] * 7, list(range(8))),
]


@pytest.mark.parametrize(("number", "pattern", "short", "points"), WESTERN_ELECTRIC)
def test_western_electric_rules_at_their_window_and_one_short(
    number: int, pattern: list[float], short: list[float], points: list[int]
) -> None:
    assert signals(pattern, "western_electric") == [rule(number, points)]
    assert signals(short, "western_electric") == []


def test_zone_rules_need_the_same_side() -> None:
    assert signals([2.5, 0.0, -2.5]) == []
    assert signals([1.5, -1.5, 1.5, -1.5, 0.0]) == []


def test_a_point_on_the_centre_line_breaks_a_run() -> None:
    assert signals([0.5] * 4 + [0.0] + [0.5] * 4) == []


def test_a_longer_run_is_one_signal_over_all_its_points() -> None:
    assert signals([0.5] * 10) == [rule(2, list(range(10)))]


def test_runs_on_opposite_sides_are_separate_signals() -> None:
    runs = [found for found in signals([0.5] * 9 + [-0.5] * 9) if found["rule"] == 2]
    assert runs == [rule(2, list(range(9))), rule(2, list(range(9, 18)))]


def test_successive_points_beyond_the_limits_are_separate_signals() -> None:
    assert signals([3.5, -3.5]) == [rule(1, [0]), rule(1, [1])]


def test_overlapping_zone_windows_merge_into_one_signal() -> None:
    assert signals([2.5, 0.0, 2.5, 0.0, 2.5]) == [rule(5, [0, 2, 4])]


def test_signals_are_ordered_by_first_point_then_rule() -> None:
    found = signals([0.5] * 8 + [3.5])
    assert found == [rule(2, list(range(9))), rule(1, [8])]


def test_sigma_and_centre_scale_the_zones() -> None:
    assert find_signals([10.0, 16.5], 10.0, 2.0) == [rule(1, [1])]
    assert find_signals([10.0, 15.5], 10.0, 2.0) == []


def test_an_unknown_rule_set_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        find_signals([1.0], 0.0, 1.0, "westgard")
    assert caught.value.errors == {
        "rules": ["Unknown rule set westgard; use nelson or western_electric."]
    }


def test_count_signals_never_lets_a_pattern_span_two_series() -> None:
    first = [-0.1, -0.2] + [0.5] * 5
    second = [0.5] * 5 + [-0.2, 3.5]
    points = np.array(first + second)
    group = np.repeat([0, 1], [7, 7])
    starts = np.repeat([0, 7], [7, 7])

    counts = count_signals(points, np.zeros(14), np.ones(14), starts, group, 2)

    assert signals(first + second)[0] == rule(2, list(range(2, 12)))
    assert counts[:, 1].tolist() == [0, 0]
    assert counts[:, 0].tolist() == [0, 1]


def test_count_signals_agrees_with_find_signals_for_each_series() -> None:
    rng = np.random.default_rng(3)
    series = [
        rng.normal(0, 1, size) + np.linspace(0, rng.uniform(-3, 3), size)
        for size in (40, 0, 3, 90, 25)
    ]
    points = np.concatenate(series)
    sizes = [s.size for s in series]
    group = np.repeat(np.arange(len(series)), sizes)
    starts = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes)

    for rules, width in (("nelson", 8), ("western_electric", 4)):
        counts = count_signals(
            points, np.zeros(points.size), np.ones(points.size), starts, group, len(series), rules
        )
        for index, one in enumerate(series):
            expected = np.zeros(width, dtype=int)
            for found in find_signals(one, 0.0, 1.0, rules):
                expected[found["rule"] - 1] += 1
            assert counts[index].tolist() == expected.tolist()


def naive_nelson(points: list[float]) -> list[dict[str, object]]:
    """The Nelson rules window by window, in plain Python, merged as the module doc says."""

    def rising(w: list[float]) -> bool:
        return all(b > a for a, b in itertools.pairwise(w))

    def falling(w: list[float]) -> bool:
        return all(b < a for a, b in itertools.pairwise(w))

    def alternating(w: list[float]) -> bool:
        steps = [b - a for a, b in itertools.pairwise(w)]
        return all(s * t < 0 for s, t in itertools.pairwise(steps))

    tests = [
        (1, 1, lambda w: abs(w[0]) > 3, None),
        (2, 9, lambda w: all(v > 0 for v in w), None),
        (2, 9, lambda w: all(v < 0 for v in w), None),
        (3, 6, rising, None),
        (3, 6, falling, None),
        (4, 14, alternating, None),
        (5, 3, lambda w: sum(v > 2 for v in w) >= 2, lambda v: v > 2),
        (5, 3, lambda w: sum(v < -2 for v in w) >= 2, lambda v: v < -2),
        (6, 5, lambda w: sum(v > 1 for v in w) >= 4, lambda v: v > 1),
        (6, 5, lambda w: sum(v < -1 for v in w) >= 4, lambda v: v < -1),
        (7, 15, lambda w: all(abs(v) < 1 for v in w), None),
        (8, 8, lambda w: all(abs(v) > 1 for v in w), None),
    ]
    found = []
    for number, width, holds, member in tests:
        spans: list[list[int]] = []
        for end in range(width - 1, len(points)):
            start = end - width + 1
            if not holds(points[start : end + 1]):
                continue
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
        for start, end in spans:
            members = [i for i in range(start, end + 1) if member is None or member(points[i])]
            found.append({"rule": number, "points": members})
    return sorted(found, key=lambda signal: (signal["points"][0], signal["rule"]))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([-3.5, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.5, 3.5]),
        max_size=60,
    )
)
def test_vectorised_rules_agree_with_a_plain_window_by_window_reading(points: list[float]) -> None:
    assert signals(points) == naive_nelson(points)
