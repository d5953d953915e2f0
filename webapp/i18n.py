"""Language choice (user setting, then the switcher, then the browser) and message translation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from models.i18n import Msg, localize_params
from models.validation_messages import match
from webapp.security import safe_redirect_target

LOCALES = {"zh_Hans_CN": "中文", "en": "English"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The person's chosen language; for a machine client (a bearer token) the language its
    request asks for comes first, since a script's ``Accept-Language`` is deliberate where a
    browser's is only a default."""
    asked = _asked_locale()
    if asked is not None and getattr(current_user, "via_token", False):
        return asked
    user_locale = getattr(current_user, "locale", None)
    if user_locale in LOCALES:
        return user_locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return asked or current_app.config["BABEL_DEFAULT_LOCALE"]


def _asked_locale() -> str | None:
    best = request.accept_languages.best_match(["zh", "en"])
    return "zh_Hans_CN" if best == "zh" else best


def current_locale() -> str:
    locale = get_locale()
    return "en" if locale is None or locale.language == "en" else "zh_Hans_CN"


def name_in_sentence(org: Any) -> str:
    """An organisation's name in the reader's language, ready to end a sentence: a name that
    ends with a full stop ("Co., Ltd.") lends it to the sentence instead of doubling it."""
    return org.local_name_in_sentence().in_locale(current_locale())


def translate(message: Any) -> str:
    """Translate a domain message (a :class:`Msg` or a plain English string) for this request."""
    if isinstance(message, Msg) and message.params:
        translated = gettext(message.template)
        return translated % localize_params(message.params, current_locale(), translate)
    if isinstance(message, dict) and "template" in message:
        return translate(Msg.from_dict(message))
    if not message:
        return ""
    # A Msg without parameters may carry marshmallow's own text ("Longer than maximum
    # length 120."), which is matched like a plain string (see models.errors.InputFault.of).
    text = message.template if isinstance(message, Msg) else str(message)
    translated = gettext(text)
    if translated == text and (found := match(text)):
        template, values = found
        return gettext(template).format(**values)
    return translated


def translate_errors(errors: Any) -> Any:
    """Translate every message in a (possibly nested) marshmallow-style error structure."""
    if isinstance(errors, dict):
        return {str(key): translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [translate_errors(item) for item in errors]
    return translate(errors)


@bp.get("/lang/<locale>")
def switch(locale: str) -> Response:
    """Remember the chosen language for this browser (and for the user, once logged in)."""
    if locale in LOCALES:
        session["locale"] = locale
        if getattr(current_user, "is_authenticated", False) and hasattr(current_user, "locale"):
            from webapp.auth.session import remember_locale

            remember_locale(locale)
    return redirect(safe_redirect_target(request.args.get("next")))
