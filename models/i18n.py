"""Translatable messages for layers that know no Flask-Babel.

Domain code writes English source strings marked with ``N_`` (``pybabel extract -k N_`` collects
them). A :class:`Msg` is such a string with its parameters: it reads as English text wherever it
goes (logs, JSON, the database) and keeps its template so the web layer can translate it when it
renders it in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import support


def N_(message: str) -> str:
    return message


class Msg(str):
    """An English message that remembers its template and parameters for later translation."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Msg:
        text = template % params if params else template
        obj = super().__new__(cls, text)
        obj.template = template
        obj.params = params
        return obj

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form, for messages stored with an upload, a job or a notification; a
        :class:`Localized` parameter keeps all its forms, so each reader sees theirs."""
        return {
            "template": self.template,
            "params": {key: _json_safe(value) for key, value in self.params.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Msg:
        params = {
            key: Localized(**value[_LOCALIZED])
            if isinstance(value, dict) and _LOCALIZED in value
            else value
            for key, value in (data.get("params") or {}).items()
        }
        return cls(data["template"], **params)


#: The key under which :meth:`Msg.to_dict` stores the forms of a :class:`Localized` parameter.
_LOCALIZED = "localized"


def _json_safe(value: Any) -> Any:
    """A parameter as JSON holds it: a :class:`Localized` one with all its forms, a day (the
    bounds of a date field) or a decimal as the text it reads as in the message."""
    if isinstance(value, Localized):
        return {_LOCALIZED: value.forms}
    if isinstance(value, date | Decimal):
        return str(value)
    return value


class Localized(str):
    """A message parameter with a form per language (an organisation's name); it reads as its
    English form wherever it is not rendered for a reader."""

    forms: dict[str, str]

    def __new__(cls, **forms: str) -> Localized:
        obj = super().__new__(cls, forms.get("en") or next(iter(forms.values()), ""))
        obj.forms = forms
        return obj

    def in_locale(self, locale: str) -> str:
        return self.forms.get(locale) or str(self)


def localize_params(
    params: dict[str, Any], locale: str, translate: Callable[[str], str]
) -> dict[str, Any]:
    """The parameters of a message for a reader: a :class:`Localized` value in their language,
    a :class:`Msg` value (a state label) translated."""
    return {
        key: value.in_locale(locale)
        if isinstance(value, Localized)
        else translate(value)
        if isinstance(value, Msg)
        else value
        for key, value in params.items()
    }


TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LOCALES = ("zh_Hans_CN", "en")


def in_each_locale(write: Callable[[str], str]) -> Localized:
    """A parameter written once per language by ``write(locale)`` (a list rendered line by
    line, say), so each reader of the message, or a reader of both languages, gets theirs."""
    return Localized(**{locale: write(locale) for locale in LOCALES})


@lru_cache(maxsize=4)
def translations(locale: str) -> support.Translations | support.NullTranslations:
    """The compiled catalogue for ``locale`` (English needs none: it is the source language)."""
    return support.Translations.load(str(TRANSLATIONS_DIR), [locale])


def render(message: str, locale: str) -> str:
    """Translate a message outside a web request (e-mails written by the worker)."""
    catalogue = translations(locale)
    if isinstance(message, Msg):
        text = catalogue.gettext(message.template)
        if not message.params:
            return text
        return text % localize_params(message.params, locale, lambda m: render(m, locale))
    return catalogue.gettext(message)
