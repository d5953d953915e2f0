"""PACT Action Events: CloudEvents (structured JSON mode) of v2 and v3, parsed and built."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from marshmallow import fields, validate

from models.carbon.pact.api_errors import PactError, error_response, parse_error_body
from models.carbon.pact.convert import parse_v2, parse_v3, to_v2, to_v3
from models.carbon.pact.fields import (
    DateTimeString,
    PactSchema,
    TupleList,
    UuidString,
    datetime_text,
    load_or_raise,
    non_empty_string,
)
from models.carbon.pact.filters import FootprintFilter, criteria_json, parse_criteria
from models.carbon.pact.footprint import Footprint
from models.carbon.pact.vocabulary import STATUSES, cpc_urn
from models.errors import ValidationFailed
from models.i18n import N_

PUBLISHED, REQUEST_CREATED = "published", "request_created"
REQUEST_FULFILLED, REQUEST_REJECTED = "request_fulfilled", "request_rejected"

# CloudEvents `type` -> (PACT major version, kind of event).
EVENT_TYPES = {
    "org.wbcsd.pathfinder.ProductFootprint.Published.v1": (2, PUBLISHED),
    "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1": (2, REQUEST_CREATED),
    "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1": (2, REQUEST_FULFILLED),
    "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1": (2, REQUEST_REJECTED),
    "org.wbcsd.pact.ProductFootprint.PublishedEvent.3": (3, PUBLISHED),
    "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3": (3, REQUEST_CREATED),
    "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3": (3, REQUEST_FULFILLED),
    "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3": (3, REQUEST_REJECTED),
}
EVENT_TYPE = {kind: name for name, kind in EVENT_TYPES.items()}
# The media type to POST an event body with (CloudEvents structured content mode).
CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"


@dataclass(frozen=True, kw_only=True)
class PactEvent:
    """One event; the payload fields used depend on ``kind``.

    published: ``pf_ids``. request_created: ``criteria`` (v3; for v2 derived from the fragment's
    productIds, companyIds, productCategoryCpc, geography and status), ``fragment`` (v2, the
    ProductFootprintFragment as sent) and ``comment``. request_fulfilled: ``request_event_id`` and
    ``footprints``. request_rejected: ``request_event_id`` and ``error``.
    """

    version: int
    kind: str
    id: str
    source: str
    time: datetime | None = None
    pf_ids: tuple[UUID, ...] = ()
    criteria: FootprintFilter | None = None
    fragment: Mapping[str, Any] | None = None
    comment: str | None = None
    request_event_id: str | None = None
    footprints: tuple[Footprint, ...] = ()
    error: PactError | None = None

    @property
    def type(self) -> str:
        return EVENT_TYPE[(self.version, self.kind)]


def new_event(version: int, kind: str, *, source: str, **payload: Any) -> PactEvent:
    """An event to send, with a fresh UUID as its id and the current time."""
    return PactEvent(
        version=version,
        kind=kind,
        id=str(uuid.uuid4()),
        source=source,
        time=datetime.now(UTC),
        **payload,
    )


class _EnvelopeSchema(PactSchema):
    type = fields.Str(required=True, validate=validate.OneOf(tuple(EVENT_TYPES)))
    specversion = fields.Str(required=True, validate=validate.Equal("1.0"))
    id = non_empty_string(required=True)
    source = non_empty_string(required=True)
    time = DateTimeString(allow_none=True)
    data = fields.Dict(required=True)


class _PublishedSchema(PactSchema):
    pf_ids = TupleList(
        UuidString(), validate=validate.Length(min=1), required=True, data_key="pfIds"
    )


class _RequestCreatedV2Schema(PactSchema):
    fragment = fields.Dict(required=True, data_key="pf")
    comment = fields.Str(allow_none=True)


class _AnsweringSchema(PactSchema):
    request_event_id = non_empty_string(required=True, data_key="requestEventId")
    pfs = fields.List(fields.Raw(), data_key="pfs")
    error = fields.Raw(allow_none=True)


def parse_event(body: Any) -> PactEvent:
    """Validate a received event and read it; ValidationFailed maps JSON paths to messages.

    Guarantee: footprints inside a fulfilled request are validated as the event's version's
    ProductFootprints (errors under ``data.pfs.<i>``).
    """
    envelope = load_or_raise(_EnvelopeSchema(), body, N_("This is not a valid PACT event."))
    version, kind = EVENT_TYPES[envelope["type"]]
    if envelope.get("time") is None and (version == 3 or kind in (PUBLISHED, REQUEST_CREATED)):
        raise ValidationFailed.on("time", N_("Missing data for required field."))
    event = {k: envelope.get(k) for k in ("id", "source", "time")}
    try:
        payload = _payload(version, kind, envelope["data"])
    except ValidationFailed as failed:
        errors = {f"data.{path}": messages for path, messages in failed.errors.items()}
        raise ValidationFailed(errors, N_("This is not a valid PACT event.")) from None
    return PactEvent(version=version, kind=kind, **event, **payload)


def _payload(version: int, kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    message = N_("The event data is not valid.")
    if kind == PUBLISHED:
        return load_or_raise(_PublishedSchema(), data, message)
    if kind == REQUEST_CREATED:
        if version == 3:
            comment = data.get("comment")
            if comment is not None and not isinstance(comment, str):
                raise ValidationFailed.on("comment", N_("Not a valid string."))
            return {"criteria": parse_criteria(data), "comment": comment}
        loaded = load_or_raise(_RequestCreatedV2Schema(), data, message)
        return {**loaded, "criteria": _criteria_from_fragment(loaded["fragment"])}
    loaded = load_or_raise(_AnsweringSchema(), data, message)
    if kind == REQUEST_REJECTED:
        if loaded.get("error") is None:
            raise ValidationFailed.on("error", N_("Missing data for required field."))
        return {"request_event_id": loaded["request_event_id"], "error": _error(loaded["error"])}
    pfs = loaded.get("pfs")
    if pfs is None or (version == 3 and not pfs):
        raise ValidationFailed.on("pfs", N_("At least one footprint is required."))
    return {"request_event_id": loaded["request_event_id"], "footprints": _footprints(version, pfs)}


def _error(body: Any) -> PactError:
    try:
        return parse_error_body(body)
    except ValidationFailed as failed:
        errors = {f"error.{path}": messages for path, messages in failed.errors.items()}
        raise ValidationFailed(errors) from None


def _footprints(version: int, documents: list[Any]) -> tuple[Footprint, ...]:
    parse = parse_v2 if version == 2 else parse_v3
    footprints, errors = [], {}
    for index, document in enumerate(documents):
        try:
            footprints.append(parse(document))
        except ValidationFailed as failed:
            errors |= {f"pfs.{index}.{path}": msgs for path, msgs in failed.errors.items()}
    if errors:
        raise ValidationFailed(errors)
    return tuple(footprints)


def _criteria_from_fragment(fragment: Mapping[str, Any]) -> FootprintFilter:
    """What a v2 ProductFootprintFragment asks for, as far as the v3 criteria can say it."""

    def strings(value: Any) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        return tuple(item for item in items if isinstance(item, str) and item)

    pcf = fragment.get("pcf") if isinstance(fragment.get("pcf"), Mapping) else {}
    geography_keys = (
        "geographyCountry",
        "geographyCountrySubdivision",
        "geographyRegionOrSubregion",
    )
    status = fragment.get("status")
    return FootprintFilter(
        product_ids=strings(fragment.get("productIds")),
        company_ids=strings(fragment.get("companyIds")),
        classifications=tuple(cpc_urn(c) for c in strings(fragment.get("productCategoryCpc"))),
        geographies=tuple(g for key in geography_keys for g in strings(pcf.get(key))),
        status=status if status in STATUSES else None,
    )


def event_body(event: PactEvent) -> dict[str, Any]:
    """The event as a CloudEvents JSON object, ready to POST to another host's /2|3/events.

    Guarantee: ``parse_event(event_body(e))`` reads back the same event, except that a v2 request
    comes back with the criteria its fragment implies. Footprints are exported in the event's
    version; ValidationFailed is raised when one cannot be expressed in it.
    """
    body: dict[str, Any] = {"type": event.type, "specversion": "1.0", "id": event.id}
    body["source"] = event.source
    if event.time is not None:
        body["time"] = datetime_text(event.time)
    body["data"] = _data(event)
    return body


def _data(event: PactEvent) -> dict[str, Any]:
    if event.kind == PUBLISHED:
        return {"pfIds": [str(pf_id) for pf_id in event.pf_ids]}
    if event.kind == REQUEST_CREATED:
        if event.version == 2:
            data = {"pf": dict(event.fragment or {})}
        else:
            data = criteria_json(event.criteria or FootprintFilter())
        return data | ({"comment": event.comment} if event.comment is not None else {})
    answer: dict[str, Any] = {"requestEventId": event.request_event_id}
    if event.kind == REQUEST_REJECTED:
        error = event.error or PactError("InternalError", 500, "")
        answer["error"] = error_response(error.code, event.version, error.message or None)[1]
        return answer
    export = to_v2 if event.version == 2 else to_v3
    answer["pfs"] = [export(footprint) for footprint in event.footprints]
    return answer
