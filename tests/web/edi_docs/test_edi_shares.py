"""A file with interchanges for two buyers: each receiver sees only what was addressed to it."""

from __future__ import annotations

from models.orgs.sharing import link_supplier
from tests.fixtures.edi_docs.world import PASSWORD, SHARE_ALL, edi_file
from tests.helpers import bearer, csrf_token, sign_in


def _send_two_buyers(client, world, session) -> dict:
    """The supplier sends one file: its two 856s to the anchor, then two to the outsider (a
    second customer of it) in an interchange whose trailer miscounts its groups."""
    link_supplier(
        session,
        world.actor("admin@supplier.edi"),
        world.org["outsider"],
        world.org["supplier"],
        SHARE_ALL,
    )
    session.commit()
    to_anchor = edi_file("x12_856_two_sets.edi")
    to_outsider = (
        to_anchor.replace(b"ANCHORCO       ", b"OUTSIDER       ")
        .replace(b"*SUPPLIER01*ANCHORCO*", b"*SUPPLIER01*OUTSIDER*")
        .replace(b"000000701", b"000000702")
        .replace(b"*701*X*", b"*702*X*")
        .replace(b"GE*2*701", b"GE*2*702")
        .replace(b"ASN-700", b"SECRET-OUT-")
        .replace(b"IEA*1*", b"IEA*3*")
    )
    response = client.post(
        "/api/v1/edi/documents?filename=both.x12",
        data=to_anchor + to_outsider,
        headers={**bearer(session, "admin@supplier.edi"), "Content-Type": "application/edi-x12"},
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def test_each_receiver_sees_its_own_messages_counts_and_problems(client, world, session):
    body = _send_two_buyers(client, world, session)
    document_id = body["id"]
    assert body["status"] == "partially_accepted"
    assert body["summary"] == {"messages": 4, "accepted": 1, "rejected": 3}

    anchor = client.get(
        f"/api/v1/edi/documents/{document_id}", headers=bearer(session, "admin@anchor.edi")
    ).get_json()
    assert [m["interchange_control"] for m in anchor["messages"]] == ["000000701"] * 2
    assert anchor["receiver_org_id"] == world.org["anchor"]
    assert anchor["summary"] == {"messages": 2, "accepted": 1, "rejected": 1}
    assert anchor["status"] == "partially_accepted"
    assert all(e["interchange"] != "000000702" for e in anchor["errors"])

    outsider = client.get(
        f"/api/v1/edi/documents/{document_id}", headers=bearer(session, "admin@outsider.edi")
    ).get_json()
    assert [m["interchange_control"] for m in outsider["messages"]] == ["000000702"] * 2
    assert outsider["receiver_org_id"] == world.org["outsider"]
    assert outsider["summary"] == {"messages": 2, "accepted": 0, "rejected": 2}
    assert outsider["status"] == "rejected"
    assert {e["code"] for e in outsider["errors"]} == {"group_count_mismatch"}

    listing = client.get("/api/v1/edi/documents", headers=bearer(session, "admin@anchor.edi"))
    (row,) = listing.get_json()
    assert (row["summary"], row["receiver_org_id"]) == (anchor["summary"], world.org["anchor"])


def test_the_file_is_the_senders_when_it_holds_other_receivers_messages(client, world, session):
    document_id = _send_two_buyers(client, world, session)["id"]
    path = f"/api/v1/edi/documents/{document_id}/content"
    sender = client.get(path, headers=bearer(session, "admin@supplier.edi"))
    assert sender.status_code == 200 and b"SECRET-OUT-" in sender.data
    for email in ("admin@anchor.edi", "admin@outsider.edi"):
        assert client.get(path, headers=bearer(session, email)).status_code == 404

    sign_in(client, "admin@anchor.edi", PASSWORD)
    page = client.get(f"/edi/documents/{document_id}").get_data(as_text=True)
    assert "SECRET-OUT-" not in page
    assert f"/edi/documents/{document_id}/raw" not in page
    assert "only its sender can download it" in page
    assert client.get(f"/edi/documents/{document_id}/raw").status_code == 404


def test_a_receiver_of_the_whole_file_downloads_it(client, world, session):
    auth = bearer(session, "admin@supplier.edi")
    document_id = client.post(
        "/api/v1/edi/documents?filename=asn.x12",
        data=edi_file("x12_856_two_sets.edi"),
        headers={**auth, "Content-Type": "application/edi-x12"},
    ).get_json()["id"]
    anchor = bearer(session, "admin@anchor.edi")
    content = client.get(f"/api/v1/edi/documents/{document_id}/content", headers=anchor)
    assert content.status_code == 200 and content.data == edi_file("x12_856_two_sets.edi")


def test_only_the_sender_processes_again_a_file_holding_others_messages(client, world, session):
    document_id = _send_two_buyers(client, world, session)["id"]
    path = f"/api/v1/edi/documents/{document_id}/reprocess"
    anchor = bearer(session, "admin@anchor.edi")

    detail = client.get(f"/api/v1/edi/documents/{document_id}", headers=anchor).get_json()
    assert detail["status"] == "partially_accepted"  # its set 2 waits for an order line
    assert detail["can_process_again"] is False
    refused = client.post(path, headers={**anchor, "Accept-Language": "en"})
    assert refused.status_code == 403
    assert "only its sender can process it again" in refused.get_json()["message"]
    chinese = client.post(path, headers={**anchor, "Accept-Language": "zh-CN"}).get_json()
    assert "只有其发送方可以重新处理" in chinese["message"]

    sign_in(client, "admin@anchor.edi", PASSWORD)
    page = client.get(f"/edi/documents/{document_id}", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Process again" not in text and 'id="sender-only"' in text
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/edi/")})

    sender = bearer(session, "admin@supplier.edi")
    assert client.get(f"/api/v1/edi/documents/{document_id}", headers=sender).get_json()[
        "can_process_again"
    ]
    assert client.post(path, headers=sender).status_code == 202


def test_a_receiver_of_the_whole_file_may_process_it_again(client, world, session):
    document_id = client.post(
        "/api/v1/edi/documents?filename=asn.x12",
        data=edi_file("x12_856_two_sets.edi"),
        headers={**bearer(session, "admin@supplier.edi"), "Content-Type": "application/edi-x12"},
    ).get_json()["id"]
    anchor = bearer(session, "admin@anchor.edi")
    assert client.get(f"/api/v1/edi/documents/{document_id}", headers=anchor).get_json()[
        "can_process_again"
    ]
    response = client.post(f"/api/v1/edi/documents/{document_id}/reprocess", headers=anchor)
    assert response.status_code == 202


def test_the_status_filter_uses_the_status_each_viewer_sees(client, world, session):
    document_id = _send_two_buyers(client, world, session)["id"]  # file: partially accepted

    def listed(email: str, status: str) -> list[int]:
        response = client.get(
            f"/api/v1/edi/documents?status={status}", headers=bearer(session, email)
        )
        assert response.status_code == 200
        return [d["id"] for d in response.get_json()]

    for email, shown in (
        ("admin@supplier.edi", "partially_accepted"),
        ("admin@anchor.edi", "partially_accepted"),
        ("admin@outsider.edi", "rejected"),
    ):
        for status in ("accepted", "partially_accepted", "rejected", "received"):
            assert listed(email, status) == ([document_id] if status == shown else []), (
                email,
                status,
            )

    sign_in(client, "admin@outsider.edi", PASSWORD)
    page = client.get("/edi/?status=rejected").get_data(as_text=True)
    assert f"/edi/documents/{document_id}" in page
    page = client.get("/edi/?status=partially_accepted").get_data(as_text=True)
    assert f"/edi/documents/{document_id}" not in page
