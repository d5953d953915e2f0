"""EDI API: send files, follow their status and errors, fetch acknowledgements and orders."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from models.edi_docs.entities import EdiDocument, EdiIdentity
from models.orders.entities import PurchaseOrder
from tests.conftest import make_settings
from tests.fixtures.edi_docs.world import edi_file
from tests.helpers import bearer

ZH = {"Accept-Language": "zh-CN"}


def test_a_supplier_system_posts_an_856_and_fetches_the_997(client, world, session):
    auth = bearer(session, "admin@supplier.edi")
    response = client.post(
        "/api/v1/edi/documents?filename=asn.x12",
        data=edi_file("x12_856_two_sets.edi"),
        headers={**auth, "Content-Type": "application/edi-x12"},
    )
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["status"] == "partially_accepted"
    assert body["filename"] == "asn.x12"
    assert [m["status"] for m in body["messages"]] == ["accepted", "rejected"]
    error = body["messages"][1]["errors"][0]
    assert (error["field"], error["text"]) == ("lines.0.po_number", "No such order line of yours.")
    ack = body["acks"][0]
    content = client.get(f"/api/v1/edi/outbound/{ack['id']}/content", headers=auth)
    assert content.status_code == 200 and content.data.startswith(b"ISA*")

    again = client.post(
        "/api/v1/edi/documents",
        data={"file": (io.BytesIO(edi_file("x12_856_two_sets.edi")), "asn.x12")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert again.status_code == 200
    assert again.get_json()["id"] == body["id"]

    listing = client.get("/api/v1/edi/documents?page_size=5", headers=auth)
    assert [d["id"] for d in listing.get_json()] == [body["id"]]
    assert json.loads(listing.headers["X-Pagination"])["total"] == 1


def test_errors_come_in_the_readers_language(client, world, session):
    auth = bearer(session, "admin@supplier.edi")
    bad = edi_file("edifact_desadv.edi").replace(b"SUPPLIER01:14+", b"NOBODY:14+")
    body = client.post(
        "/api/v1/edi/documents", data=bad, headers={**auth, **ZH, "Content-Type": "text/plain"}
    ).get_json()
    assert body["status"] == "rejected"
    texts = [e["text"] for e in body["errors"]]
    assert any("NOBODY" in text and "未知" in text for text in texts), texts


def test_an_empty_body_is_a_validation_error(client, world, session):
    auth = bearer(session, "admin@supplier.edi")
    response = client.post("/api/v1/edi/documents", data=b"", headers=auth)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"file": ["The file is empty."]}


def test_the_supplier_fetches_an_order_sent_to_it_and_others_cannot(client, world, session):
    order_id = session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == "PO-EDI-1"))
    buyer = bearer(session, "buyer@anchor.edi")
    sent = client.post("/api/v1/edi/outbound", json={"purchase_order_id": order_id}, headers=buyer)
    assert sent.status_code == 201, sent.get_json()
    file = sent.get_json()
    assert (file["kind"], file["status"], file["interchange_control"]) == ("850", "sent", 1)
    supplier = bearer(session, "admin@supplier.edi")
    waiting = client.get("/api/v1/edi/outbound?kind=850", headers=supplier).get_json()
    assert [f["id"] for f in waiting] == [file["id"]]
    content = client.get(f"/api/v1/edi/outbound/{file['id']}/content", headers=supplier)
    assert b"BEG*00*SA*PO-EDI-1" in content.data
    outsider = bearer(session, "admin@outsider.edi")
    assert client.get(f"/api/v1/edi/outbound/{file['id']}", headers=outsider).status_code == 404
    refused = client.post("/api/v1/edi/outbound", json={"purchase_order_id": "x"}, headers=buyer)
    assert refused.status_code == 422
    assert "purchase_order_id" in refused.get_json()["errors"]


def test_identities_through_the_api(client, world, session):
    admin = bearer(session, "admin@anchor.edi")
    created = client.post(
        "/api/v1/edi/identities",
        json={"standard": "x12", "qualifier": "01", "identifier": "123456789"},
        headers=admin,
    )
    assert created.status_code == 201
    identity = created.get_json()
    mine = client.get("/api/v1/edi/identities", headers=admin).get_json()
    assert identity["id"] in [i["id"] for i in mine]
    partners = client.get("/api/v1/edi/partner-identities", headers=admin).get_json()
    assert {i["identifier"] for i in partners} == {"SUPPLIER01"}
    viewer = bearer(session, "viewer@anchor.edi")
    assert (
        client.delete(f"/api/v1/edi/identities/{identity['id']}", headers=viewer).status_code == 403
    )
    assert (
        client.delete(f"/api/v1/edi/identities/{identity['id']}", headers=admin).status_code == 204
    )


def test_an_edifact_id_another_organisation_holds_is_refused_in_chinese(client, world, session):
    admin = bearer(session, "admin@outsider.edi")
    before = session.scalar(select(func.count()).select_from(EdiIdentity))
    for qualifier, message in (
        ("", "此标识符已登记为 EDIFACT 标识；无论是否带限定符，报文信封指向的都是同一家企业。"),
        ("14", "此 EDI 标识已被登记。"),
    ):
        refused = client.post(
            "/api/v1/edi/identities",
            json={"standard": "edifact", "qualifier": qualifier, "identifier": "SUPPLIER01"},
            headers={**admin, **ZH},
        )
        assert refused.status_code == 422
        assert refused.get_json()["errors"] == {"identifier": [message]}
    assert session.scalar(select(func.count()).select_from(EdiIdentity)) == before


def test_reprocess_through_the_api(client, world, session):
    auth = bearer(session, "admin@supplier.edi")
    content = edi_file("edifact_desadv.edi").replace(b"PO-EDI-1", b"PO-EDI-4")
    body = client.post("/api/v1/edi/documents", data=content, headers=auth).get_json()
    assert body["status"] == "rejected"
    world.order("PO-EDI-4")
    session.commit()
    again = client.post(f"/api/v1/edi/documents/{body['id']}/reprocess", headers=auth)
    assert again.status_code == 202
    assert again.get_json()["status"] == "accepted"
    twice = client.post(f"/api/v1/edi/documents/{body['id']}/reprocess", headers=auth)
    assert twice.status_code == 409


def test_the_edi_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/edi/documents",
        "/api/v1/edi/documents/{document_id}",
        "/api/v1/edi/documents/{document_id}/content",
        "/api/v1/edi/documents/{document_id}/reprocess",
        "/api/v1/edi/outbound",
        "/api/v1/edi/outbound/{outbound_id}/content",
        "/api/v1/edi/identities",
        "/api/v1/edi/partner-identities",
    ):
        assert path in paths


@pytest.fixture
def settings(tmp_path):
    """A 1 MB upload limit, so the test sends a little over it."""
    return make_settings(tmp_path, max_upload_mb=1)


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "The upload is larger than the 1 MB allowed."), (ZH, "上传的文件超过了允许的 1 MB。")],
)
def test_an_upload_over_the_limit_is_refused_and_nothing_is_stored(
    client, world, session, headers, message
):
    auth = bearer(session, "admin@supplier.edi")
    big = edi_file("x12_856_two_sets.edi") + b" " * (1024 * 1024)
    response = client.post(
        "/api/v1/edi/documents", data=big, headers={**auth, **headers, "Content-Type": "text/plain"}
    )
    assert response.status_code == 413
    assert response.get_json()["message"] == message
    assert session.scalar(select(func.count()).select_from(EdiDocument)) == 0


def test_a_json_body_is_not_taken_for_an_edi_file(client, world, session):
    auth = bearer(session, "admin@supplier.edi")
    response = client.post("/api/v1/edi/documents", json={"a": 1}, headers={**auth, **ZH})
    assert response.status_code == 422
    assert response.get_json()["errors"]["file"] == [
        "请直接发送 EDI 文件本身作为请求正文（或作为名为 file 的部分），而不是 JSON。"
    ]
    assert session.scalar(select(func.count()).select_from(EdiDocument)) == 0
