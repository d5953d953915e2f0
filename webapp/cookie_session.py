"""The signed session cookie, with its signing serializer built once per set of keys.

Flask builds a new ``URLSafeTimedSerializer`` to read the cookie on every request, and another
to write one; building one serialises a probe value to learn whether the serializer speaks
text. On the phone report, the busiest request of the product, that was a twentieth of its CPU.
The serializer holds no per-request state, so one per set of keys serves every request and
thread; a change of ``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` builds a new one.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._built: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:
            built = self._built = (keys, super().get_signing_serializer(app))
        return built[1]
