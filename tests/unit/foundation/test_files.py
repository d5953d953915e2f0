"""The name a stored file is shown and saved under."""

from __future__ import annotations

import pytest

from models.files import display_name


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("检测报告 D3.pdf", "检测报告 D3.pdf"),
        ('../../etc/发货"通知.edi', '发货"通知.edi'),
        ("C:\\Users\\质量部\\报告.xlsx", "报告.xlsx"),
        ("line\r\nbreak.txt", "linebreak.txt"),
    ],
)
def test_display_name_keeps_the_last_part_only(sent, shown):
    assert display_name(sent) == shown
