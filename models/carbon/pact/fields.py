"""Marshmallow field types for PACT JSON: decimal strings, numbers, URNs, UUIDs and date-times."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from marshmallow import Schema, ValidationError, fields, validate

from models.carbon.pact.units import decimal_text
from models.errors import ValidationFailed
from models.i18n import N_
from models.validation import flatten_errors

_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# RFC 8141: "urn:" NID ":" NSS; NID is 2-32 letters, digits or hyphens, starting and ending
# alphanumeric; the NSS is a non-empty run of URI path characters (no spaces, no "?" or "#").
_URN = re.compile(
    r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:"
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$",
    re.IGNORECASE,
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
# ISO 8601 / RFC 3339 date and time with a time zone; seconds and their fraction are optional.
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


class PactSchema(Schema):
    """Base schema: unknown properties are ignored (PACT objects are open); dump drops nulls."""

    class Meta:
        unknown = "exclude"

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        # Nested schemas dump through here too, so each object level drops its own nulls, while
        # free-form JSON inside (an extension's `data`) is left as it is.
        result = super().dump(obj, many=many)
        if isinstance(result, list):
            return [_without_nulls(item) for item in result]
        return _without_nulls(result)


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def load_or_raise(schema: Schema, data: Any, message: str) -> Any:
    """Load ``data``; on failure raise ValidationFailed mapping JSON paths to English messages."""
    if not isinstance(data, Mapping):
        raise ValidationFailed({"_schema": [N_("Expected a JSON object.")]}, message)
    try:
        return schema.load(data)
    except ValidationError as error:
        raise ValidationFailed(flatten_errors(error.messages), message) from None


def parse_datetime(value: Any, *, utc_only: bool = False) -> datetime:
    """An aware UTC datetime from an ISO 8601 date-time string; ValidationError otherwise."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise ValidationError(N_("Not a valid date-time (expected e.g. 2024-01-31T00:00:00Z)."))
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(N_("Not a valid date-time (no such date or time).")) from None
    if utc_only and parsed.utcoffset():
        raise ValidationError(N_("The time zone must be UTC."))
    return parsed.astimezone(UTC)


def datetime_text(value: datetime) -> str:
    """UTC ISO 8601 text ending in Z, with fractional seconds only when there are some."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class DecimalString(fields.Field):
    """A decimal number encoded as a JSON string ("12.5"); loads as Decimal."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if not isinstance(value, str) or not _DECIMAL.match(value):
            raise ValidationError(N_('Not a valid decimal string (expected e.g. "12.5").'))
        return Decimal(value)

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else decimal_text(value)


class JsonNumber(fields.Field):
    """A JSON number (v2 percentages and DQRs); loads as Decimal, dumps as int or float."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValidationError(N_("Not a valid number."))
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(N_("Not a valid number."))
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)


class StrictBool(fields.Field):
    """A JSON true or false, nothing else (no "yes", no 1)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(N_("Not a valid boolean (expected true or false)."))
        return value


class JsonInteger(fields.Field):
    """A JSON integer (not a boolean, not a fraction)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(N_("Not a valid integer."))
        return value


class Urn(fields.Str):
    """A Uniform Resource Name (RFC 8141), e.g. urn:gtin:4712345060507."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _URN.match(text):
            raise ValidationError(N_("Not a valid URN (expected e.g. urn:gtin:4712345060507)."))
        return text


class Uri(fields.Str):
    """An absolute URI (scheme ":" ...)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _URI.match(text):
            raise ValidationError(N_("Not a valid absolute URI."))
        return text


class UuidString(fields.Field):
    """A UUID in its canonical 8-4-4-4-12 hexadecimal form; loads as UUID."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> UUID:
        if not isinstance(value, str) or not _UUID.match(value):
            raise ValidationError(N_("Not a valid UUID."))
        return UUID(value)

    def _serialize(self, value: UUID | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else str(value)


class DateTimeString(fields.Field):
    """An ISO 8601 date-time with time zone; loads as aware UTC datetime, dumps ending in Z."""

    def __init__(self, *, utc_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.utc_only = utc_only

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        return parse_datetime(value, utc_only=self.utc_only)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else datetime_text(value)


class TupleList(fields.List):
    """A JSON array; loads as a tuple, optionally refusing duplicates (the spec's "set")."""

    def __init__(self, inner: fields.Field, *, unique: bool = False, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.unique = unique

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple:
        items = tuple(super()._deserialize(value, attr, data, **kwargs))
        if self.unique and len(set(items)) != len(items):
            raise ValidationError(N_("Must not contain duplicates."))
        return items


def non_empty_string(**kwargs: Any) -> fields.Str:
    return fields.Str(validate=validate.Length(min=1), **kwargs)


def decimal_in(
    minimum: int | None = None, maximum: int | None = None, *, above: bool = False, **kwargs: Any
) -> DecimalString:
    """A decimal string within [minimum, maximum] (``above``: strictly greater than minimum)."""
    rule = validate.Range(min=minimum, max=maximum, min_inclusive=not above)
    return DecimalString(validate=rule, **kwargs)


def number_in(minimum: int, maximum: int, **kwargs: Any) -> JsonNumber:
    return JsonNumber(validate=validate.Range(min=minimum, max=maximum), **kwargs)


def one_of(choices: tuple[str, ...], **kwargs: Any) -> fields.Str:
    return fields.Str(validate=validate.OneOf(choices), **kwargs)


def urn_set(**kwargs: Any) -> TupleList:
    """A non-empty set of URNs (companyIds, productIds, productClassifications)."""
    return TupleList(Urn(), unique=True, validate=validate.Length(min=1), **kwargs)
