"""Processing a document again: offered only where it could help, refused while it runs, and
the page saying what is true when part of a file was refused for its own errors."""

from __future__ import annotations

from models.edi_docs.documents import receive_document
from tests.fixtures.edi_docs.world import PASSWORD, edi_file
from tests.helpers import bearer, csrf_token, sign_in

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
#: Set 2 of the fixture ships on the order's line 1 (set 1 is accepted).
SET_2_ON_LINE_1 = (b"LIN*9*BP*BRK-100", b"LIN*1*BP*BRK-100")


def _send(client, session, name: str, content: bytes) -> dict:
    response = client.post(
        f"/api/v1/edi/documents?filename={name}",
        data=content,
        headers={**bearer(session, "admin@supplier.edi"), "Content-Type": "application/edi-x12"},
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def test_a_partly_accepted_file_names_the_messages_refused_for_its_own_errors(
    client, world, session
):
    content = edi_file("x12_856_two_sets.edi").replace(*SET_2_ON_LINE_1)
    content = content.replace(b"BSN*00*ASN-7002*20240305", b"BSN*00*ASN-7002*20241399")
    body = _send(client, session, "bad-date.x12", content)
    assert body["status"] == "partially_accepted"
    assert body["can_process_again"] is False
    sign_in(client, "admin@supplier.edi", PASSWORD)

    page = client.get(f"/edi/documents/{body['id']}", headers=EN).get_data(as_text=True)
    assert "This file was refused" not in page
    assert "Process again" not in page
    assert (
        'would give them the same result: <a href="#message-2">#2</a>. Send them again, '
        "corrected, in a new file." in page
    )
    assert 'id="message-2"' in page
    assert "The accepted messages are kept (1 of 2): leave them out of the new file." in page

    chinese = client.get(f"/edi/documents/{body['id']}", headers=ZH).get_data(as_text=True)
    assert '重新处理此文件结果不变：<a href="#message-2">#2</a>。请改正后' in chinese
    assert "已接受的报文已保留（共 2 条，其中 1 条已接受）" in chinese
    assert "重新处理</button>" not in chinese


def test_two_lots_without_their_quantities_are_a_fault_of_the_file(client, world, session):
    content = edi_file("x12_856_two_sets.edi").replace(*SET_2_ON_LINE_1)
    content = content.replace(b"REF*LT*L2403-Z~", b"REF*LT*L2403-Z~\nREF*LT*L2403-Y~")
    content = content.replace(b"SE*10*0002", b"SE*11*0002")
    body = _send(client, session, "two-lots.x12", content)
    assert body["status"] == "partially_accepted", body
    texts = [e["text"] for e in body["messages"][1]["errors"]]
    assert "Give the quantity of lot L2403-Z." in texts
    assert body["can_process_again"] is False
    sign_in(client, "admin@supplier.edi", PASSWORD)
    page = client.get(f"/edi/documents/{body['id']}", headers=EN).get_data(as_text=True)
    assert "Process again" not in page
    assert '<a href="#message-2">#2' in page
    refused = client.post(
        f"/api/v1/edi/documents/{body['id']}/reprocess",
        headers={**bearer(session, "admin@supplier.edi"), **EN},
    )
    assert refused.status_code == 409
    assert "errors in the file itself" in refused.get_json()["message"]


def test_a_data_refusal_is_still_offered_to_its_sender(client, world, session):
    body = _send(client, session, "late.x12", edi_file("x12_856_two_sets.edi"))
    assert body["status"] == "partially_accepted"
    assert body["can_process_again"] is True
    sign_in(client, "admin@supplier.edi", PASSWORD)
    page = client.get(f"/edi/documents/{body['id']}", headers=EN).get_data(as_text=True)
    assert "Process again" in page and "send-corrected" not in page


def test_a_file_being_processed_is_not_queued_again(client, world, session):
    document, _ = receive_document(
        session, world.actor("admin@supplier.edi"), "asn.x12", edi_file("x12_856_two_sets.edi")
    )
    session.commit()
    path = f"/api/v1/edi/documents/{document.id}/reprocess"
    auth = bearer(session, "admin@supplier.edi")

    english = client.post(path, headers={**auth, **EN})
    assert english.status_code == 409
    assert english.get_json()["message"].startswith("This file is being processed right now.")
    chinese = client.post(path, headers={**auth, **ZH})
    assert chinese.status_code == 409
    assert chinese.get_json()["message"].startswith("此文件正在处理中。")

    sign_in(client, "admin@supplier.edi", PASSWORD)
    location = f"/edi/documents/{document.id}"
    page = client.post(
        f"{location}/reprocess", data={"csrf_token": csrf_token(client, location)}, headers=EN
    )
    assert page.status_code == 409
    assert "This file is being processed right now." in page.get_data(as_text=True)
