"""Request-level protections: CSRF on every browser write, no NUL characters in what is sent,
security headers on every response, redirects only to our own pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from flask import Response, request, url_for
from flask_login import current_user

from models.errors import ValidationFailed
from models.i18n import N_, Msg
from webapp.extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def protect_forms() -> None:
    """Require a CSRF token on every write made with the session cookie.

    Machine clients authenticate with ``Authorization: Bearer``; a browser cannot be tricked into
    sending that header cross-site, so those requests need no CSRF token. An API call with no
    signed-in session acts for nobody, so it is left to the API to answer 401. Everything else,
    pages and API calls made from our own pages (``X-CSRFToken`` header) alike, is checked.
    """
    if request.method not in UNSAFE_METHODS or request.routing_exception is not None:
        return
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return
    if request.path.startswith(("/2/", "/3/")) or request.path == "/auth/token":
        return
    if request.path.startswith("/api/") and not current_user.is_authenticated:
        return
    csrf.protect()


def refuse_nul_characters() -> None:
    """Refuse a query or form value, or a JSON string, that holds a NUL character, naming it.

    PostgreSQL can neither store nor compare one, so it would end in a server error wherever it
    reached a statement. The PACT API answers in its own error format and is left to itself.
    """
    if request.path.startswith(("/2/", "/3/")) or request.path == "/auth/token":
        return
    sent = (*request.args.items(multi=True), *request.form.items(multi=True))
    # A multipart part may come with no name at all (None): it is no field, and has no NUL.
    places = [name for name, value in sent if name and ("\x00" in name or "\x00" in value)]
    if request.is_json:
        places += list(_nul_places(request.get_json(silent=True), ""))
    if places:
        message = Msg(N_("Remove the NUL character from this value."))
        raise ValidationFailed({place.replace("\x00", "\\0"): [message] for place in places})


def _nul_places(value: Any, path: str) -> Iterator[str]:
    """The dotted paths of the JSON strings (keys included) that hold a NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "_schema"
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield from ([inner] if "\x00" in str(key) else _nul_places(item, inner))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_places(item, f"{path}.{index}" if path else str(index))


def set_security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def safe_redirect_target(target: str | None, fallback: str | None = None) -> str:
    """Return ``target`` when it is a path on this site, else ``fallback`` (the home page).

    Browsers and Werkzeug drop tabs and newlines and read a backslash as a slash, so "/", a tab,
    "/evil.example" would become "//evil.example", another site; a newline would also break the
    ``Location`` header. A target holding any such character is refused outright.
    """
    default = fallback or url_for("home.index")
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
