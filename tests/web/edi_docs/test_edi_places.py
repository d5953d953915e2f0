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
        " · line item 2 › Part number" in page
    )
    page = _page(client, session, body["id"], ZH)
    where = "报文 0001 · 段 14 <code>LIN</code> · 元素 <code>LIN03</code> · 第 2 个行项目 › 零件号"
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


def test_an_interchange_number_received_in_an_earlier_file_is_a_warning(client, world, session):
    first = _post(client, session, TWO_SETS)
    assert not [e for e in first["errors"] if e["code"] == "repeated_interchange"]
    again = _post(client, session, TWO_SETS.replace(b"*1400*701*", b"*1401*701*"), ZH)
    day = first["created_at"][:10]
    (warning,) = [e for e in again["errors"] if e["code"] == "repeated_interchange"]
    assert warning["text"] == (
        f"来自 SUPPLIER01 的交换控制号 000000701 已于 {day} 在文件 #{first['id']} 中收到。"
    )
    assert (warning["interchange"], warning["interchange_position"]) == ("000000701", 1)
    assert not any(
        e["code"] == "interchange_rejected" for m in again["messages"] for e in m["errors"]
    )
    page = _page(client, session, again["id"], EN)
    assert (
        "Interchange control number 000000701 from SUPPLIER01 was already received"
        f" in file #{first['id']} on {day}." in page
    )
    assert "interchange 000000701 · segment 1 <code>ISA</code> · element <code>ISA13</code>" in page


def test_the_same_number_from_another_sender_or_standard_is_not_a_repeat(client, world, session):
    _post(client, session, TWO_SETS)
    other = TWO_SETS.replace(b"*ZZ*SUPPLIER01     *", b"*ZZ*OUTSIDER       *")
    auth = bearer(session, "admin@outsider.edi")
    response = client.post(
        "/api/v1/edi/documents?filename=o.x12",
        data=other,
        headers={**auth, "Content-Type": "application/edi-x12"},
    )
    body = response.get_json()
    assert not [e for e in body["errors"] if e["code"] == "repeated_interchange"]


def test_a_line_naming_no_lot_is_told_so(client, world, session):
    content = TWO_SETS.replace(b"LIN*9*BP*BRK-100", b"LIN*1*BP*BRK-100")
    content = content.replace(b"REF*LT*L2403-Z~\n", b"").replace(b"SE*10*0002", b"SE*9*0002")
    body = _post(client, session, content)
    (error,) = body["messages"][1]["errors"]
    assert error["field"] == "lines.0.lots"
    assert error["text"] == (
        "The line names no lot: give at least one lot number (and, for several lots, "
        "the quantity of each)."
    )
    assert error["segment_tag"] == "LIN"
    page = _page(client, session, body["id"], ZH)
    assert "该行没有写批次：请至少给出一个批号" in page and "合计" not in page
    # The place is named in the reader's words, not by the record's field name.
    assert "第 1 个行项目 › 批次" in page and "› lots" not in page
    assert "line item 1 › Lots" in _page(client, session, body["id"], EN)
