"""The PACT API against the test cases of wbcsd/pact-conformance-service (v3, and v2 where it
differs), numbered as there. Filter values are derived from the first listed footprint the way
that service does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.carbon.pact import parse_links, parse_v2, parse_v3
from models.config import Settings
from webapp.app import create_app

EVENT = "application/cloudevents+json; charset=UTF-8"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def listed(client: Any, token: str, query: str = "", version: int = 3) -> list[dict[str, Any]]:
    response = client.get(f"/{version}/footprints{query}", headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


def shifted(text: str, days: int) -> str:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")) + timedelta(days=days)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def first(client: Any, token: str) -> dict[str, Any]:
    return listed(client, token)[0]


def test_1_a_token_for_valid_credentials(client, pact):
    response = client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=pact.basic()
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer" and body["access_token"] and body["expires_in"] == 3600
    assert response.headers["Cache-Control"] == "no-store"


def test_1_credentials_may_also_come_in_the_form(client, pact):
    response = client.post(
        "/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": pact.client_id,
            "client_secret": pact.secret,
        },
    )
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["wrong secret", "unknown client"])
def test_2_no_token_for_invalid_credentials(client, pact, who):
    headers = pact.basic(secret="wrong") if who == "wrong secret" else pact.basic("tl-nobody")
    response = client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=headers
    )
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert "access_token" not in response.get_json()


def test_2_an_unsupported_grant_is_refused(client, pact):
    response = client.post("/auth/token", data={"grant_type": "password"}, headers=pact.basic())
    assert response.status_code == 400
    assert response.get_json() == {"error": "unsupported_grant_type"}


@pytest.mark.parametrize("version", [2, 3])
def test_3_get_footprint_returns_the_one_asked_for_valid_against_the_schema(
    client, token, first, version
):
    response = client.get(f"/{version}/footprints/{first['id']}", headers=bearer(token))
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["id"] == first["id"]
    (parse_v2 if version == 2 else parse_v3)(data)


@pytest.mark.parametrize("version", [2, 3])
def test_4_list_footprints_returns_every_visible_footprint(client, token, version):
    data = listed(client, token, version=version)
    assert len(data) == 3  # FIN (tier 1), PA and PX (tier 2 sharing upstream); not PB
    for document in data:
        (parse_v2 if version == 2 else parse_v3)(document)


def test_5_pagination_link_is_absolute_on_the_request_host_and_works_twice(client, token):
    response = client.get("/3/footprints?limit=2", headers=bearer(token) | {"Host": "pact.example"})
    assert len(response.get_json()["data"]) == 2
    link = parse_links(response.headers["Link"])["next"]
    assert link.startswith("http://pact.example/3/footprints?")
    for _ in range(2):
        page = client.get(link, headers=bearer(token) | {"Host": "pact.example"})
        assert page.status_code == 200 and len(page.get_json()["data"]) == 1
        assert "Link" not in page.headers


@pytest.mark.parametrize("path", ["/3/footprints", "/3/footprints/{id}", "/2/footprints"])
def test_6_7_an_invalid_token_is_a_bad_request(client, first, path):
    response = client.get(
        path.format(id=first["id"]), headers=bearer("very-invalid-access-token-abc")
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadRequest"
    assert "data" not in response.get_json()


def test_6_no_authorization_header_is_a_bad_request(client, pact):
    response = client.get("/3/footprints")
    assert response.status_code == 400 and response.get_json()["code"] == "BadRequest"


@pytest.mark.parametrize(("version", "code"), [(3, "NotFound"), (2, "NoSuchFootprint")])
def test_8_an_unknown_footprint_is_not_found(client, token, version, code):
    for pf_id in ("00000000-0000-0000-0000-000000000000", "non-existent-id"):
        response = client.get(f"/{version}/footprints/{pf_id}", headers=bearer(token))
        assert response.status_code == 404
        assert response.get_json()["code"] == code


def test_8_a_footprint_of_a_supplier_not_sharing_upstream_is_not_found(
    client, token, session, world
):
    from sqlalchemy import select

    from models.carbon.entities import ProductFootprint

    hidden = session.scalar(
        select(ProductFootprint.pf_id).where(ProductFootprint.part_id == world.pb.id)
    )
    response = client.get(f"/3/footprints/{hidden}", headers=bearer(token))
    assert response.status_code == 404 and response.get_json()["code"] == "NotFound"


@pytest.fixture
def https_client(settings: Settings, database: Any) -> Any:
    secure = settings.with_overrides(public_base_url="https://pact.example")
    return create_app(secure, database).test_client()


def test_9_to_11_17_plain_http_is_refused_without_tokens_or_data(https_client, pact, token, first):
    auth = https_client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=pact.basic()
    )
    assert auth.status_code == 400 and "access_token" not in auth.get_json()
    for path in ("/3/footprints", f"/3/footprints/{first['id']}"):
        response = https_client.get(path, headers=bearer(token))
        assert response.status_code == 400 and "data" not in response.get_json()
    event = https_client.post("/3/events", json=_published(), headers=bearer(token))
    assert event.status_code == 400
    behind_proxy = https_client.get(
        "/3/footprints", headers=bearer(token) | {"X-Forwarded-Proto": "https"}
    )
    assert behind_proxy.status_code == 200
    assert (
        https_client.get(
            "/3/footprints", base_url="https://pact.example", headers=bearer(token)
        ).status_code
        == 200
    )


def _published(pf_ids: list[str] | None = None, version: int = 3) -> dict[str, Any]:
    kind = (
        "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"
        if version == 3
        else "org.wbcsd.pathfinder.ProductFootprint.Published.v1"
    )
    return {
        "type": kind,
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "https://webhook.example.com",
        "time": "2023-05-19T11:30:00Z",
        "data": {"pfIds": pf_ids or ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"]},
    }


def _request(source: str, product_ids: list[str], version: int = 3) -> dict[str, Any]:
    if version == 3:
        kind, data = (
            "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
            {"productId": product_ids, "comment": "Please send PCF data for this year."},
        )
    else:
        kind, data = (
            "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
            {"pf": {"productIds": product_ids}, "comment": "Please send PCF data for this year."},
        )
    return {
        "specversion": "1.0",
        "id": f"test-run-{uuid.uuid4()}/13",
        "source": source,
        "time": "2023-05-19T10:30:00Z",
        "type": kind,
        "data": data,
    }


@pytest.mark.parametrize("version", [3, 2])
def test_12_13_a_footprint_request_is_answered_with_a_fulfilled_event(
    client, token, first, receiver, version
):
    product = first["productIds"][0]
    request = _request(receiver.url, [product], version)
    response = client.post(
        f"/{version}/events", json=request, headers=bearer(token) | {"Content-Type": EVENT}
    )
    assert response.status_code == 200 and response.get_data() == b""
    (answer,) = receiver.received
    assert answer["path"] == f"/{version}/events"
    assert answer["content_type"].startswith("application/cloudevents+json")
    body = answer["body"]
    assert body["type"] in (
        "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
        "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
    )
    assert body["data"]["requestEventId"] == request["id"]
    assert [pf["productIds"] for pf in body["data"]["pfs"]] == [[product]]


def test_14_a_request_for_nothing_is_answered_with_a_rejected_event(client, token, receiver):
    response = client.post(
        "/3/events",
        json=_request(receiver.url, ["urn:pact:null"]),
        headers=bearer(token) | {"Content-Type": EVENT},
    )
    assert response.status_code == 200
    (answer,) = receiver.received
    assert answer["body"]["type"] == "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3"
    assert answer["body"]["data"]["error"]["code"] == "NotFound"


@pytest.mark.parametrize("name", ["pf-response-event.json"])
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_13_14b_15_events_sent_to_us_are_accepted(client, token, version, name):
    from tests.unit.carbon.samples import example

    body = example(version, name)
    assert client.post(f"/{version[1]}/events", json=body, headers=bearer(token)).status_code == 200
    rejected = {
        "type": "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3",
        "specversion": "1.0",
        "id": "505e5d-4f9b-4b3b-9c05bc35-68f8",
        "source": "https://webhook.example.com",
        "time": "2023-05-19T11:00:00Z",
        "data": {
            "requestEventId": "test-run-id-12345",
            "error": {"code": "NotFound", "message": "The requested footprint could not be found."},
        },
    }
    assert client.post("/3/events", json=rejected, headers=bearer(token)).status_code == 200
    for v in (2, 3):
        published = client.post(f"/{v}/events", json=_published(version=v), headers=bearer(token))
        assert published.status_code == 200


def test_16_events_with_an_invalid_token_are_refused(client, pact):
    response = client.post("/3/events", json=_published(), headers=bearer("very-invalid-x"))
    assert response.status_code == 400 and response.get_json()["code"] == "BadRequest"


def test_18_19_openid_configuration_names_the_token_endpoint(client, pact):
    config = client.get("/.well-known/openid-configuration").get_json()
    assert config["token_endpoint"].endswith("/auth/token")
    assert "client_credentials" in config["grant_types_supported"]


def test_40_a_published_event_naming_urns_instead_of_uuids_is_refused(client, token):
    response = client.post(
        "/3/events", json=_published(["urn:gtin:4712345060507"]), headers=bearer(token)
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == "BadRequest"
    assert "pfIds" in response.get_json()["message"]


def test_an_event_of_the_other_version_is_refused(client, token):
    response = client.post("/2/events", json=_published(version=3), headers=bearer(token))
    assert response.status_code == 400


def _filters(first: dict[str, Any]) -> dict[str, str]:
    pcf = first["pcf"]
    start = first.get("validityPeriodStart") or pcf["referencePeriodEnd"]
    end = first.get("validityPeriodEnd") or shifted(pcf["referencePeriodEnd"], 3 * 365 + 1)
    return {
        "productId": first["productIds"][0],
        "companyId": first["companyIds"][0],
        "geography": pcf.get("geographyCountry", ""),
        "classification": (first.get("productClassifications") or [""])[0],
        "validOn": start,
        "validAfter": shifted(start, -1),
        "validBefore": shifted(end, 1),
        "status": first["status"],
    }


@pytest.mark.parametrize(
    "name",
    [
        "productId",
        "companyId",
        "geography",
        "classification",
        "validOn",
        "validAfter",
        "validBefore",
        "status",
    ],
)
def test_20_to_27_each_filter_returns_only_matching_footprints(client, token, first, name):
    value = _filters(first)[name]
    found = listed(client, token, "", 3)
    matching = listed(client, token, f"?{name}={value}")
    assert first["id"] in {f["id"] for f in matching}
    assert len(matching) <= len(found)
    if name == "productId":
        assert all(value in f["productIds"] for f in matching)
    if name == "status":
        assert all(f["status"] == value for f in matching)


def test_28_29_filters_are_and_between_and_or_within(client, token, first):
    f = _filters(first)
    both = listed(client, token, f"?status={f['status']}&productId={f['productId']}")
    assert [d["id"] for d in both] == [first["id"]]
    either = listed(
        client,
        token,
        f"?companyId={f['companyId']}&companyId=abcdefgh&companyId=urn:uuid:other-company",
    )
    assert first["id"] in {d["id"] for d in either}
    assert all(f["companyId"] in d["companyIds"] for d in either)


@pytest.mark.parametrize(
    "query",
    [
        "productId=urn:bogus:product:nonexistent123",
        "companyId=urn:bogus:company:nonexistent456",
        "geography=XX",
        "classification=urn:bogus:classification:nonexistent789",
        "validOn=1900-01-01T00:00:00Z",
        "validAfter=2099-12-31T23:59:59Z",
        "validBefore=1900-01-01T00:00:00Z",
        "status=BogusStatusAbCdEfGh",
        "companyId=urn:bogus:company:5FIi8zS3&productId=urn:bogus:product:nonexistent123",
        "companyId=urn:bogus:company:a&companyId=urn:bogus:company:b&companyId=urn:bogus:company:c",
    ],
)
def test_30_to_39_filters_matching_nothing_return_an_empty_list(client, token, query):
    assert listed(client, token, f"?{query}") == []


@pytest.mark.parametrize(
    ("version", "query"),
    [(3, "validOn=yesterday"), (3, "limit=-1"), (3, "offset=x"), (3, "page=2")]
    + [(v, "limit=0") for v in (2, 3)]  # a page of none would link to itself for ever
    # Past the 4,300 digits int() reads, or past what a database offset holds.
    + [(v, f"{name}={'9' * 5000}") for v in (2, 3) for name in ("limit", "offset")]
    + [(v, f"offset={2**64}") for v in (2, 3)],
)
def test_a_malformed_query_is_a_bad_request_naming_the_parameter(client, token, version, query):
    response = client.get(f"/{version}/footprints?{query}", headers=bearer(token))
    assert response.status_code == 400
    assert query.split("=")[0] in response.get_json()["message"]


def test_v2_odata_filter_is_not_implemented(client, token):
    response = client.get(
        "/2/footprints?$filter=created ge '2023-01-15T10:15:30Z'", headers=bearer(token)
    )
    assert response.status_code == 400 and response.get_json()["code"] == "NotImplemented"


def test_an_unknown_action_is_not_implemented(client, token):
    response = client.get("/3/somethingelse", headers=bearer(token))
    assert response.status_code == 501 and response.get_json()["code"] == "NotImplemented"


def test_a_revoked_client_loses_its_tokens_at_once(client, session, pact, token):
    from models.carbon.pact_clients import pact_clients, revoke_pact_client

    (credentials,) = pact_clients(session, pact.chain.anchor.id)
    revoke_pact_client(session, pact.chain.carbon, credentials.id)
    session.commit()
    assert client.get("/3/footprints", headers=bearer(token)).status_code == 400
