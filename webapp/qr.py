"""QR codes drawn as inline SVG, for work-order sheets and invitation links."""

from __future__ import annotations

import segno


def qr_svg(url: str, scale: int = 4) -> str:
    """An SVG of ``url`` without a fixed size (only its viewBox), so the page's CSS sizes it and
    it never overflows a phone screen; ``scale`` only sets the drawing's own units."""
    return segno.make(url, error="m").svg_inline(
        scale=scale, dark="#111", light="#fff", omitsize=True
    )
