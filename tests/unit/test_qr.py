"""QR codes carry no fixed size, so a phone's narrow screen scales them instead of cropping."""

from __future__ import annotations

import re

import segno

from webapp.qr import qr_svg


def test_a_qr_code_has_a_view_box_and_no_fixed_size():
    svg = qr_svg("https://tierlight.example/invite/abc", scale=8)
    tag = re.match(r"<svg[^>]*>", svg).group(0)
    assert "viewBox" in tag and " width=" not in tag and " height=" not in tag
    decoded = segno.make("https://tierlight.example/invite/abc", error="m")
    assert decoded.symbol_size(scale=8) == tuple(
        int(float(n)) for n in re.search(r'viewBox="0 0 (\S+) (\S+)"', tag).groups()
    )
