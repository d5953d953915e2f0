"""PACT CloudEvents: received events are validated and read; events we send read back the same."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from models.carbon.pact import (
    PUBLISHED,
    REQUEST_CREATED,
    REQUEST_FULFILLED,
    REQUEST_REJECTED,
    FootprintFilter,
    PactError,
    PactEvent,
    event_body,
    new_event,
    parse_event,
    parse_v2,
    parse_v3,
)
from models.errors import ValidationFailed

from .samples import example

SOURCE = "//api.tierlight.example/3/events"
NOW = datetime(2025, 3, 5, 17, 31, tzinfo=UTC)
PF_ID = UUID("079e425a-464f-528d-341d-4a944a1dfd70")


def envelope(type_: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": type_,
        "specversion": "1.0",
        "id": "1934405d-4f9b-4b3b-9c05",
        "source": SOURCE,
        "time": "2025-03-05T17:31:00Z",
        "data": data,
    }


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_specification_fulfilled_event_is_read(version: str) -> None:
    body = example(version, "pf-response-event.json")

    event = parse_event(body)

    assert (event.kind, event.version) == (REQUEST_FULFILLED, int(version[1]))
    assert event.request_event_id == "848dcf00-2c18-400d-bcb8-11e45bbf7ebd"
    assert [str(f.id) for f in event.footprints] == ["91715e5e-fd0b-4d1c-8fab-76290c46e6ed"]
    assert parse_event(event_body(event)) == event


def test_a_v3_published_event_is_read_and_built() -> None:
    body = envelope("org.wbcsd.pact.ProductFootprint.PublishedEvent.3", {"pfIds": [str(PF_ID)]})

    event = parse_event(body)

    assert event == PactEvent(
        version=3, kind=PUBLISHED, id=body["id"], source=SOURCE, time=NOW, pf_ids=(PF_ID,)
    )
    assert event_body(event) == body


def test_a_v2_published_event_has_the_pathfinder_type() -> None:
    event = PactEvent(version=2, kind=PUBLISHED, id="e-1", source=SOURCE, time=NOW, pf_ids=(PF_ID,))

    assert event_body(event)["type"] == "org.wbcsd.pathfinder.ProductFootprint.Published.v1"


def test_a_v3_request_carries_the_list_filters() -> None:
    data = {
        "productId": ["urn:pact:sample.com:product-id:44055-9c05bc35-68f8"],
        "geography": ["DE"],
        "validAfter": "2025-01-01T00:00:00Z",
        "comment": "Please send the current PCF.",
    }
    body = envelope("org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3", data)

    event = parse_event(body)

    assert event.kind == REQUEST_CREATED
    assert event.criteria == FootprintFilter(
        product_ids=tuple(data["productId"]),
        geographies=("DE",),
        valid_after=datetime(2025, 1, 1, tzinfo=UTC),
    )
    assert event.comment == "Please send the current PCF."
    assert event_body(event) == body


def test_a_v2_request_keeps_its_fragment_and_reads_criteria_from_it() -> None:
    fragment = {"productIds": ["urn:gtin:4712345060507"], "pcf": {"geographyCountry": "FR"}}
    body = envelope(
        "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
        {"pf": fragment, "comment": "Please provide current PCF value."},
    )

    event = parse_event(body)

    assert event.fragment == fragment
    assert event.criteria == FootprintFilter(
        product_ids=("urn:gtin:4712345060507",), geographies=("FR",)
    )
    assert event_body(event) == body


@pytest.mark.parametrize("version", [2, 3])
def test_a_rejection_carries_the_versions_error_code(version: int) -> None:
    event = PactEvent(
        version=version,
        kind=REQUEST_REJECTED,
        id="e-2",
        source=SOURCE,
        time=NOW,
        request_event_id="e-1",
        error=PactError("NotFound", 404, "No footprint for this product."),
    )

    body = event_body(event)

    code = "NotFound" if version == 3 else "NoSuchFootprint"
    assert body["data"]["error"] == {"code": code, "message": "No footprint for this product."}
    assert parse_event(body).error == PactError(code, 404, "No footprint for this product.")


@pytest.mark.parametrize("version", [2, 3])
def test_a_fulfilment_we_send_exports_footprints_in_the_events_version(
    version: int, v2_document: dict[str, Any], v3_document: dict[str, Any]
) -> None:
    footprint = parse_v2(v2_document) if version == 2 else parse_v3(v3_document)
    event = new_event(
        version,
        REQUEST_FULFILLED,
        source=SOURCE,
        request_event_id="e-1",
        footprints=(footprint,),
    )

    body = event_body(event)

    assert body["data"]["pfs"][0]["specVersion"] == ("2.3.0" if version == 2 else "3.0.0")
    assert parse_event(body) == event
    assert UUID(event.id).version == 4


def test_a_bad_event_is_refused_with_paths_into_its_data(v3_document: dict[str, Any]) -> None:
    v3_document["pcf"]["declaredUnitAmount"] = "-12"
    body = envelope(
        "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
        {"requestEventId": "e-1", "pfs": [v3_document]},
    )

    with pytest.raises(ValidationFailed) as refused:
        parse_event(body)

    assert refused.value.errors == {
        "data.pfs.0.pcf.declaredUnitAmount": ["Must be greater than 0."]
    }


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"type": "org.example.Other.v1"}, {"type"}),
        ({"specversion": "0.3"}, {"specversion"}),
        ({"id": ""}, {"id"}),
        ({"time": None}, {"time"}),
        ({"time": "5 March"}, {"time"}),
        ({"data": {"pfIds": []}}, {"data.pfIds"}),
        ({"data": {"pfIds": ["not-a-uuid"]}}, {"data.pfIds.0"}),
    ],
)
def test_a_malformed_published_event_is_refused(change: dict[str, Any], errors: set[str]) -> None:
    body = envelope("org.wbcsd.pact.ProductFootprint.PublishedEvent.3", {"pfIds": [str(PF_ID)]})

    with pytest.raises(ValidationFailed) as refused:
        parse_event(body | change)

    assert set(refused.value.errors) == errors


def test_a_v3_fulfilment_without_footprints_is_refused() -> None:
    body = envelope(
        "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
        {"requestEventId": "e-1", "pfs": []},
    )

    with pytest.raises(ValidationFailed) as refused:
        parse_event(body)

    assert refused.value.errors == {"data.pfs": ["At least one footprint is required."]}
