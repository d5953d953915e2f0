"""The Chinese texts of the published emission factors use Chinese punctuation."""

from __future__ import annotations

import re

from models.carbon.published_factors import PUBLISHED_FACTOR_TEXTS
from models.i18n import render

#: ASCII punctuation a Chinese sentence writes full width; a comma or colon between digits
#: (56,100) and the parentheses of a formula, (2778 − 83.74), stay as they are.
_ASCII = re.compile(r"[;]|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)|\((?![\d.]+ − )|(?<!\d)\)")


def test_every_published_factor_text_reads_with_chinese_punctuation():
    found = {}
    for text in PUBLISHED_FACTOR_TEXTS:
        chinese = render(text, "zh_Hans_CN")
        assert chinese != text, text
        if _ASCII.search(chinese):
            found[text] = chinese
    assert found == {}
