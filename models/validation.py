"""Loading input through a marshmallow schema: the first step of every domain operation."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields
from marshmallow import ValidationError as MarshmallowError

from models.errors import InputFault, ValidationFailed
from models.i18n import N_, Msg

#: The days a date field accepts: a slip such as 0001-01-01 or 9999-12-31 (both seen in EDI
#: files) is refused on its field, not stored or carried into date arithmetic that overflows.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
#: The largest integer a column holds (a BIGINT; SQLite's INTEGER is as wide).
MAX_DB_INT = 2**63 - 1
#: The largest value of an ``Integer`` (INTEGER, four bytes) column on PostgreSQL.
MAX_DB_INT4 = 2**31 - 1


def whole_number_up_to(text: str, highest: int) -> int | None:
    """``text`` as a whole number from 0 to ``highest``, else None. A number past what its
    column holds names no row, and looking it up would fail in the database; a digit that
    ``int`` cannot read ("²" is one to ``str.isdigit``) is no number."""
    text = text.strip()
    if not text.isdecimal() or len(text) > len(str(highest)):
        return None
    number = int(text)
    return number if number <= highest else None


def _whole(value: Any) -> bool:
    """Whether a number sent as a float or Decimal is a whole one: marshmallow would cut 1.5
    to 1 and fail on infinity. A string or an int is left to marshmallow."""
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer()
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return True


class Integer(fields.Integer):
    """marshmallow's Integer within what the database holds: a larger id, page or count is
    "Number too large." on its field, not an overflow deep in the database driver."""

    def _validated(self, value: Any) -> int | None:
        if not _whole(value):
            raise self.make_error("invalid", input=value)
        number = super()._validated(value)
        if number is not None and not -MAX_DB_INT <= number <= MAX_DB_INT:
            raise self.make_error("too_large", input=value)
        return number


class Day(fields.Date):
    """A date from :data:`FIRST_DAY` to :data:`LAST_DAY`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise MarshmallowError(
                Msg(N_("Give a date from %(first)s to %(last)s."), first=FIRST_DAY, last=LAST_DAY)
            )
        return day


#: A number written with a comma: a decimal comma (12,5 or 0，75), as much of Europe writes
#: it, or grouped thousands (1,000) where the input is not a spreadsheet cell.
COMMA_NUMBER = re.compile(r"[+-]?[0-9]*(?:[,，][0-9]+)+(?:\.[0-9]+)?")
COMMA_HINT = N_(
    "Not a valid number. Write it without commas, with a point for decimals: 1000 or 12.5."
)


class _CommaHint(fields.Number):
    """A number field telling a number written with a comma how to write it."""

    def _validated(self, value: Any) -> Any:
        try:
            return super()._validated(value)
        except MarshmallowError:
            if isinstance(value, str) and COMMA_NUMBER.fullmatch(value.strip()):
                raise MarshmallowError(Msg(COMMA_HINT)) from None
            raise


class _Decimal(_CommaHint, fields.Decimal):
    """marshmallow's Decimal, telling a number written with a comma how to write it."""


class Float(_CommaHint, fields.Float):
    """marshmallow's Float (no NaN or infinity), telling a number written with a comma how to
    write it: a specification limit typed as 12,5 says more than "Not a valid number."."""


def numeric_limit(precision: int, scale: int) -> Decimal:
    """The smallest number a ``Numeric(precision, scale)`` column cannot hold."""
    return Decimal(10) ** (precision - scale)


class ExactDecimal(_Decimal):
    """A decimal kept with ``places`` decimals: one given with more is refused on its field
    rather than rounded without a word (a quantity of 1.23456 is not silently 1.2346). With
    ``precision``, one its ``Numeric(precision, places)`` column cannot hold is "Number too
    large." (as :class:`Numeric` says it)."""

    def __init__(self, places: int, precision: int | None = None, **kwargs: Any) -> None:
        super().__init__(places=places, **kwargs)
        self.decimals = places
        self.limit = numeric_limit(precision, places) if precision is not None else None

    def _format_num(self, value: Any) -> Decimal:
        number = super()._format_num(value)
        if number.is_finite() and number != _exact(value):
            raise MarshmallowError(
                Msg(N_("Give at most %(places)s decimal places."), places=self.decimals)
            )
        if self.limit is not None and number.is_finite() and abs(number) >= self.limit:
            raise self.make_error("too_large", input=value)
        return number


def _exact(value: Any) -> Decimal:
    """``value`` as the decimal it was written as (a float by its shortest repr)."""
    return value if isinstance(value, Decimal) else Decimal(str(value).strip())


class Numeric(_Decimal):
    """marshmallow's Decimal within a ``Numeric(precision, scale)`` column: a larger number is
    "Number too large." on its field, not a value silently changed (SQLite) or a "numeric
    field overflow" (PostgreSQL)."""

    def __init__(self, precision: int, scale: int, **kwargs: Any) -> None:
        super().__init__(places=scale, **kwargs)
        self.limit = numeric_limit(precision, scale)

    def _format_num(self, value: Any) -> Decimal:
        # Checked before rounding too: rounding a huge number to ``scale`` places fails.
        self._within_limit(Decimal(str(value)), value)
        return self._within_limit(super()._format_num(value), value)

    def _within_limit(self, number: Decimal, value: Any) -> Decimal:
        if number.is_finite() and abs(number) >= self.limit:
            raise self.make_error("too_large", input=value)
        return number


class Text(fields.String):
    """A string with surrounding whitespace removed before it is checked, so a length counts
    what a reader sees; an empty string counts as missing (``None`` when optional)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required:
            raise MarshmallowError(Msg(N_("Missing data for required field.")))
        return text or None

    def _validate(self, value: Any) -> None:
        if value is not None:
            super()._validate(value)


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested errors into ``{"lines.2.quantity": ["..."]}``, each message
    an :class:`InputFault`: a schema looks at the input alone."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, path))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": [InputFault.of(m) for m in messages]}
    return {prefix or "_schema": [InputFault.of(str(messages))]}


def load_collecting(
    schema: Schema, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate ``data`` without raising: what loaded, and every error (``{}`` when none).

    A field that failed is absent from what loaded (an entry of a nested list keeps its
    place), so an operation can still check the rest and report every problem at once.
    """
    try:
        return schema.load(data), {}
    except MarshmallowError as error:
        valid = error.valid_data if isinstance(error.valid_data, Mapping) else {}
        errors: dict[str, list[str]] = {}
        for path, messages in flatten_errors(error.messages).items():
            # A rule on a list whose items also failed lands under "defects._schema".
            errors.setdefault(path.removesuffix("._schema"), []).extend(messages)
        return dict(valid), errors


def load(schema: Schema, data: Mapping[str, Any], partial: bool = False) -> dict[str, Any]:
    """Validate ``data``; raise :class:`ValidationFailed` naming every bad field."""
    try:
        return schema.load(data, partial=partial)
    except MarshmallowError as error:
        raise ValidationFailed(flatten_errors(error.messages)) from None
