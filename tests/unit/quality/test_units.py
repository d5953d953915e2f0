"""Unit names as suppliers write them: symbols, UN/ECE Rec 20 codes and Chinese names."""

from __future__ import annotations

import pytest

from models.quality.units import normalise_unit


@pytest.mark.parametrize(
    ("written", "symbol"),
    [("毫米", "mm"), ("微米", "µm"), ("μm", "µm"), ("公斤", "kg"), ("千克", "kg"), ("牛", "N"),
     ("牛·米", "N·m"), ("牛米", "N·m"), ("兆帕", "MPa"), ("℃", "°C"), ("摄氏度", "°C"),
     ("欧姆", "Ω"), ("Ω", "Ω"), ("秒", "s"), ("分贝", "dB")],
)  # fmt: skip
def test_chinese_unit_names_and_signs(written, symbol):
    assert normalise_unit(written) == symbol


def test_du_is_no_unit_of_its_own():
    """度 is an angle on a drawing and a temperature in speech: the user is asked."""
    assert normalise_unit("度") is None
