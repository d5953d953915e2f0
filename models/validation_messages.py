"""marshmallow's built-in error messages, marked for translation and matched after formatting.

marshmallow formats messages such as "Length must be between 2 and 200." before we see them;
:func:`match` finds the template and its values so the message can be shown in Chinese too.
"""

from __future__ import annotations

import re

from models.i18n import N_

TEMPLATES = [
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid datetime."),
    N_("Not a valid date."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid UUID."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Invalid input type."),
    N_("Unknown field."),
    N_("String does not match expected pattern."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Must be one of: {choices}."),
]


def _pattern(template: str) -> re.Pattern[str]:
    escaped = re.escape(template)
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", escaped) + "$")


_COMPILED = [(template, _pattern(template)) for template in TEMPLATES if "{" in template]


def match(message: str) -> tuple[str, dict[str, str]] | None:
    """The template a formatted marshmallow message came from, with its values."""
    for template, pattern in _COMPILED:
        found = pattern.match(message)
        if found:
            return template, found.groupdict()
    return None
