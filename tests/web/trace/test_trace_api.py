"""The trace and incident API: traces, bulk look-up, incidents and their scope, in OpenAPI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.trace.containment import compute_scope_now
from models.trace.entities import Incident
from models.trace.incidents import open_incident
from tests.helpers import bearer, sign_in
from tests.integration.trace.builders import PASSWORD, build_network, ship


@pytest.fixture
def net(session):
    net = build_network(session)
    ship(net, "STEEL-1", "seats", 5000, received=5000)
    session.commit()
    return net


@pytest.fixture
def anchor(session, net):
    return bearer(session, net.email("anchor"))


def test_trace_up_and_down_with_withheld_lots(client, net, anchor):
    body = client.get(f"/api/v1/trace/lots/{net.lot_id('CAR-1')}/upstream", headers=anchor).json
    assert body["root"] == "CAR-1"
    numbers = {n["lot_number"] for n in body["nodes"] if not n["withheld"]}
    assert "ORE-1" in numbers and "PLAS-1" not in numbers
    assert body["withheld"] == [{"tier": 2, "lots": 1}]
    withheld = next(n for n in body["nodes"] if n["withheld"])
    assert (withheld["lot_number"], withheld["maker"], withheld["tier"]) == (None, None, 2)
    assert {"from": "SEAT-1", "to": "CAR-1"}.items() <= next(
        e for e in body["edges"] if e["from"] == "SEAT-1"
    ).items()
    down = client.get(f"/api/v1/trace/lots/{net.lot_id('STEEL-1')}/downstream", headers=anchor)
    assert {"CAR-1", "SEAT-1"} <= {n["lot_number"] for n in down.json["nodes"]}
    assert down.json["shipments"][0]["received"] == 5000


def test_bad_requests_are_refused_in_the_one_error_shape(client, net, anchor):
    response = client.get(f"/api/v1/trace/lots/{net.lot_id('PLAS-1')}/upstream", headers=anchor)
    assert response.status_code == 404 and response.json["code"] == "not_found"
    response = client.get(
        f"/api/v1/trace/lots/{net.lot_id('CAR-1')}/upstream?max_depth=0", headers=anchor
    )
    assert response.status_code == 422 and "max_depth" in response.json["errors"]
    assert client.get(f"/api/v1/trace/lots/{net.lot_id('CAR-1')}/upstream").status_code == 401


def test_search_and_bulk_look_up(client, net, anchor):
    hits = client.get("/api/v1/trace/lots?q=STEEL", headers=anchor).json
    assert {h["lot_number"] for h in hits} == {"STEEL-1", "STEEL-2"}
    hits = client.get("/api/v1/trace/lots?q=steel", headers=anchor).json
    assert {h["lot_number"] for h in hits} == {"STEEL-1", "STEEL-2"}
    quoted = client.post(
        "/api/v1/trace/bulk", json={"lot_numbers": ['"ORE-1"', "「CAR-1」"]}, headers=anchor
    )
    assert quoted.json["not_found"] == []
    response = client.post(
        "/api/v1/trace/bulk",
        json={"lot_numbers": ["ORE-1", "PLAS-1", "NOPE"], "direction": "down"},
        headers=anchor,
    )
    assert response.json["not_found"] == ["PLAS-1", "NOPE"]
    assert "CAR-2" in {n["lot_number"] for n in response.json["trace"]["nodes"]}
    bad = client.post("/api/v1/trace/bulk", json={"lot_numbers": []}, headers=anchor)
    assert bad.status_code == 422 and "lot_numbers" in bad.json["errors"]


def test_incidents_open_move_and_show_their_scope(client, session, net, anchor):
    response = client.post(
        "/api/v1/incidents",
        json={"title": "Cracked coil", "severity": "critical", "lot_ids": [net.lot_id("STEEL-1")]},
        headers=anchor,
    )
    assert response.status_code == 201, response.json
    incident = response.json
    assert incident["state"] == "open" and incident["reference"].startswith("QI-")
    scope = client.get(f"/api/v1/incidents/{incident['id']}/scope", headers=anchor).json
    assert scope["status"] == "complete" and scope["summary"]["finished"] == 3
    assert {o["name"] for o in scope["organisations"]} >= {"钢材二级", "矿石三级"}
    finished = {lot["lot_number"] for lot in scope["lots"] if lot["finished"]}
    assert finished == {"CAR-1", "CAR-2"}, "the other anchor's car stays withheld"
    sent = client.post(
        f"/api/v1/incidents/{incident['id']}/actions", json={"action": "send"}, headers=anchor
    )
    assert sent.json["state"] == "sent"
    steel = bearer(session, net.email("steel"))
    listed = client.get("/api/v1/incidents?state=sent", headers=steel)
    assert [i["id"] for i in listed.json] == [incident["id"]]
    assert "X-Pagination" in listed.headers
    wrong = client.post(
        f"/api/v1/incidents/{incident['id']}/actions", json={"action": "close"}, headers=anchor
    )
    assert wrong.status_code == 409
    again = client.post(f"/api/v1/incidents/{incident['id']}/scope", headers=anchor)
    assert again.status_code == 202 and again.json["status"] == "succeeded"


def test_an_incident_names_to_a_sub_tier_only_whom_it_may_know(client, session, net, anchor):
    opened = client.post(
        "/api/v1/incidents",
        json={"title": "Cracked coil", "severity": "major", "lot_ids": [net.lot_id("STEEL-1")]},
        headers=anchor,
    ).json
    assert opened["opener_org_id"] == net.orgs["anchor"].id and opened["withheld_lots"] == 0

    ore = bearer(session, net.email("ore"))
    seen = client.get(f"/api/v1/incidents/{opened['id']}", headers=ore).json
    listed = client.get("/api/v1/incidents", headers=ore).json

    assert seen["opener_org_id"] is None, "the anchor is not ore's business"
    assert seen["supplier_org_id"] == net.orgs["steel"].id, "its own buyer"
    assert seen["lot_ids"] == [] and seen["withheld_lots"] == 1
    assert [(i["id"], i["opener_org_id"]) for i in listed] == [(opened["id"], None)]


def test_bad_incidents_name_the_field_and_write_nothing(client, session, net, anchor):
    response = client.post(
        "/api/v1/incidents", json={"title": "x", "severity": "bad"}, headers=anchor
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"title", "severity", "lot_ids"}
    hidden = client.post(
        "/api/v1/incidents",
        json={"title": "Hidden", "severity": "minor", "lot_ids": [net.lot_id("PLAS-1")]},
        headers=anchor,
    )
    assert hidden.status_code == 404
    assert session.scalar(select(func.count()).select_from(Incident)) == 0


def test_the_openapi_document_describes_trace_and_incidents(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/trace/lots",
        "/api/v1/trace/lots/{lot_id}/upstream",
        "/api/v1/trace/lots/{lot_id}/downstream",
        "/api/v1/trace/bulk",
        "/api/v1/incidents",
        "/api/v1/incidents/{incident_id}/actions",
        "/api/v1/incidents/{incident_id}/scope",
    ):
        assert path in paths, path
    assert "requestBody" in paths["/api/v1/incidents"]["post"]


def test_an_organisation_told_only_of_its_lots_in_scope_does_not_read_the_openers_words(
    client, session, net, anchor
):
    """The other anchor buys brakes of the same steel: it hears its lots are in the scope of
    this anchor's incident, but not what the anchor wrote about it."""
    opened = open_incident(session, net.actor("anchor"), {
        "title": "Cracked coil at Anchor's line 3", "severity": "safety",
        "description": "Found by our press shop", "lot_ids": [net.lot_id("STEEL-1")]})  # fmt: skip
    compute_scope_now(session, opened.scope_job_id, opened.id)
    session.commit()
    seen = {}
    for key in ("seats", "other"):
        headers = {**bearer(session, net.email(key)), "Accept-Language": "zh-CN"}
        seen[key] = client.get(f"/api/v1/incidents/{opened.id}", headers=headers).json
    reader = client.application.test_client()
    sign_in(reader, net.email("other"), PASSWORD)
    shown = reader.get(f"/trace/incidents/{opened.id}", headers={"Accept-Language": "en"})
    page = shown.get_data(as_text=True)

    assert seen["seats"]["title"] == "Cracked coil at Anchor's line 3", "its buyer's incident"
    assert seen["other"]["title"] == "贵司有批次在此事件的范围内；事件详情由发起方保留。"
    assert seen["other"]["description"] is None
    assert "Cracked coil" not in str(seen["other"])
    assert shown.status_code == 200 and "its details stay with its opener" in page
    assert "Cracked coil" not in page and "press shop" not in page
