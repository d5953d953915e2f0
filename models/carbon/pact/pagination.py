"""ListFootprints pagination: the RFC 8288 `Link: <url>; rel="next"` header, built and read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# One link-value: <target> followed by ;-separated parameters (token or quoted-string values).
_LINK = re.compile(
    r"""\s*<(?P<target>[^>]*)>
        (?P<params>(?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)
        \s*(?:,|$)""",
    re.VERBOSE,
)
_PARAM = re.compile(r"""\s*;\s*([^;,=\s]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*))?""")


def page_url(request_url: str, **params: int | str | None) -> str:
    """``request_url`` with query parameters ``params`` set (None removes one), others kept.

    The pagination link keeps the scheme, host and path of the ListFootprints request, as the
    spec requires (same host, absolute target).
    """
    parts = urlsplit(request_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


def next_link(url: str) -> str:
    """The `Link` header value pointing at the next page: ``<url>; rel="next"``.

    Raises ValueError when ``url`` is not absolute (the spec requires an absolute target).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in url for c in "<> "):
        raise ValueError(f"a pagination link must be an absolute http(s) URL: {url!r}")
    return f'<{url}>; rel="next"'


def parse_links(header: str) -> Mapping[str, str]:
    """Link relation (lower case) to target URL, from a `Link` header; the first link per relation
    wins, and a link naming several relations ("next last") counts for each."""
    links: dict[str, str] = {}
    position = 0
    while position < len(header.rstrip()):
        match = _LINK.match(header, position)
        if not match:
            raise ValueError(f"not an RFC 8288 Link header: {header!r}")
        position = match.end()
        for name, value in _PARAM.findall(match.group("params")):
            if name.lower() == "rel":
                for rel in _unquote(value).lower().split():
                    links.setdefault(rel, match.group("target"))
    return links


def next_url(header: str | None) -> str | None:
    """The next page's URL from a response's `Link` header, or None on the last page."""
    return parse_links(header).get("next") if header else None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value
