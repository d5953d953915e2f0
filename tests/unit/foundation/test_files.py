"""The name a stored file is shown and saved under."""

from __future__ import annotations

import pytest

from models.files import display_name, image_type, photo_type


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


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
        (b"GIF89a\x01\0\x01\0", "image/gif"),
        (b"RIFF\x24\0\0\0WEBPVP8 ", "image/webp"),
        (b"\0\0\0\x18ftypheic\0\0\0\0", "image/heic"),
        (b"\0\0\0\x18ftypmif1\0\0\0\0", "image/heif"),
        (b"just some text, named x.jpg", None),
        (b"%PDF-1.7", None),
        (b"\0\0\0\x18ftypisom\0\0\0\0", None),  # an MP4 video
        (b"", None),
    ],
)
def test_image_type_reads_the_content_not_the_name(content, kind):
    assert image_type(content) == kind


def test_a_photo_is_stored_under_what_its_content_is_when_both_are_allowed():
    allowed = ("image/jpeg", "image/png")
    png = b"\x89PNG\r\n\x1a\n\0"
    assert photo_type("image/jpeg", png, allowed) == "image/png"
    assert photo_type("image/jpeg", b"hello", allowed) is None
    assert photo_type("text/plain", png, allowed) is None
    assert photo_type("image/png", b"GIF89a", allowed) is None
