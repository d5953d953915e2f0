"""Where an EDI error is: the message or interchange its segment position counts in."""

from __future__ import annotations

from tests.fixtures.edi_docs.world import edi_file
from tests.helpers import bearer

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
TWO_SETS = edi_file("x12_856_two_sets.edi")


def _post(client, session, content: bytes, headers: dict[str, str] = EN) -> dict:
    auth = bearer(session, "admin@supplier.edi")
    response = client.post(
        "/api/v1/edi/documents?filename=asn.x12",
        data=content,
        headers={**auth, **headers, "Content-Type": "application/edi-x12"},
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def _page(client, session, document_id: int, headers: dict[str, str]) -> str:
    auth = bearer(session, "admin@supplier.edi")
    response = client.get(f"/edi/documents/{document_id}", headers={**auth, **headers})
    return response.get_data(as_text=True)


def test_a_message_error_names_the_message_its_position_counts_in(client, world, session):
    content = TWO_SETS.replace(b"LIN*2*BP*STL-7", b"LIN*2*BP*NOPE-1")
    body = _post(client, session, content)
    (error,) = body["messages"][0]["errors"]
    assert (error["message"], error["segment_position"], error["interchange_position"]) == (
        "0001",
        14,
        None,
    )
    page = _page(client, session, body["id"], EN)
    assert (
        "message 0001 · segment 14 <code>LIN</code> · element <code>LIN03</code>"
        " · line 2 › part_number" in page
    )
    page = _page(client, session, body["id"], ZH)
    where = "报文 0001 · 段 14 <code>LIN</code> · 元素 <code>LIN03</code> · 第 2 行 › part_number"
    assert where in page


def test_an_envelope_error_counts_from_the_interchange_header(client, world, session):
    content = TWO_SETS.replace(b"IEA*1*000000701", b"IEA*3*000000701")
    body = _post(client, session, content)
    (error,) = [e for e in body["errors"] if e["code"] == "group_count_mismatch"]
    assert (error["interchange"], error["interchange_position"], error["segment_position"]) == (
        "000000701",
        36,
        None,
    )
    page = _page(client, session, body["id"], EN)
    where = "interchange 000000701 · segment 36 <code>IEA</code> · element <code>IEA01</code>"
    assert where in page
    page = _page(client, session, body["id"], ZH)
    assert "交换 000000701 · 段 36 <code>IEA</code> · 元素 <code>IEA01</code>" in page


def test_a_partner_error_is_placed_on_the_interchange_header(client, world, session):
    content = TWO_SETS.replace(b"*ZZ*ANCHORCO       *", b"*ZZ*NOBODY         *")
    body = _post(client, session, content)
    partner = [e for e in body["errors"] if e["code"] == "partner"]
    assert partner and all(e["interchange_position"] == 1 for e in partner)
    page = _page(client, session, body["id"], EN)
    assert "interchange 000000701 · segment 1 <code>ISA</code>" in page
    page = _page(client, session, body["id"], ZH)
    assert "交换 000000701 · 段 1 <code>ISA</code>" in page


def test_a_missing_segment_is_placed_after_the_segment_it_should_follow(client, world, session):
    content = (
        b"UNA:+.? 'UNB+UNOC:3+SUPPLIER01:14+ANCHORCO:14+240310:0800+DES0702'"
        b"UNH+1+DESADV:D:96A:UN'BGM+351+DN-7102+9'DTM+137:20240309:102'UNT+4+1'UNZ+1+DES0702'"
    )
    body = _post(client, session, content)
    (error,) = body["messages"][0]["errors"]
    assert (error["code"], error["segment_tag"], error["segment_position"]) == (
        "missing_segment",
        "LIN",
        3,
    )
    page = _page(client, session, body["id"], EN)
    assert "message 1 · after segment 3</span>\n    Required segment LIN is missing" in page
    page = _page(client, session, body["id"], ZH)
    assert "报文 1 · 段 3 之后</span>" in page

