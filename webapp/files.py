"""Serving files users stored (attachments, photos, EDI files): the one place that decides how."""

from __future__ import annotations

from io import BytesIO

from flask import send_file
from werkzeug.wrappers import Response

from models.files import display_name

INLINE_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/heic",
        "image/heif",
        "application/pdf",
    }
)
DOWNLOAD_TYPE = "application/octet-stream"
# A stored file must never run script on our origin. Chromium refuses to start its PDF viewer in
# a sandboxed document, so a PDF goes without the sandbox keyword (its viewer runs apart from us).
BASE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
SANDBOXED_POLICY = f"{BASE_POLICY}; sandbox"


def stored_file_response(
    content: bytes,
    filename: str,
    content_type: str | None,
    *,
    max_age: int | None = None,
) -> Response:
    """The stored bytes: shown in the browser only for an image or PDF type, otherwise saved as
    a download; never sniffed into something else. The name keeps its Chinese characters
    (RFC 5987 ``filename*``) with an ASCII fallback, and loses any folder part."""
    mimetype = (content_type or "").split(";")[0].strip().lower()
    inline = mimetype in INLINE_TYPES
    response = send_file(
        BytesIO(content),
        mimetype=mimetype if inline else DOWNLOAD_TYPE,
        as_attachment=not inline,
        download_name=display_name(filename) or "file",
        max_age=max_age,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        BASE_POLICY if mimetype == "application/pdf" else SANDBOXED_POLICY
    )
    if max_age is not None:
        response.cache_control.public = False
        response.cache_control.private = True
    return response
