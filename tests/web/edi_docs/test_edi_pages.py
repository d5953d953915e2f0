"""EDI pages: upload, the document for sender and receiver, identities, files sent; 360 px."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from models.edi_docs.entities import EdiDocument, EdiIdentity, EdiOutbound
from tests.fixtures.edi_docs.world import PASSWORD, edi_file
from tests.helpers import csrf_token, field_error, sign_in

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _upload(client, name: str, content: bytes | None = None):
    return client.post(
        "/edi/upload",
        data={
            "file": (io.BytesIO(content if content is not None else edi_file(name)), name),
            "csrf_token": csrf_token(client, "/edi/"),
        },
        content_type="multipart/form-data",
        headers=EN,
    )


def test_supplier_uploads_an_856_and_the_buyer_sees_the_document_and_its_997(client, world):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    response = _upload(client, "x12_856_two_sets.edi")
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Partially accepted" in page
    assert "No such order line of yours." in page
    where = "segment 7 <code>LIN</code> · element <code>LIN01</code> · line item 1 › Order number"
    assert where in page
    assert "997" in page
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/edi/")})

    sign_in(client, "viewer@anchor.edi", PASSWORD)
    listing = client.get("/edi/?role=received", headers=EN).get_data(as_text=True)
    assert "x12_856_two_sets.edi" in listing
    detail = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "ASN-7001" in detail
    ack_link = detail.split('href="/edi/outbound/')[1].split('"')[0]
    ack = client.get(f"/edi/outbound/{ack_link}")
    assert ack.status_code == 200
    assert b"AK9*P*2*2*1~" in ack.data
    assert "attachment" in ack.headers["Content-Disposition"]


def test_an_outsider_cannot_see_the_document(client, world, session):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    location = _upload(client, "edifact_desadv.edi").headers["Location"]
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/edi/")})
    sign_in(client, "admin@outsider.edi", PASSWORD)
    assert client.get(location).status_code == 404
    assert client.get(location + "/raw").status_code == 404
    assert "edifact_desadv.edi" not in client.get("/edi/").get_data(as_text=True)


def test_an_empty_upload_is_refused_and_nothing_is_stored(client, world, session):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    response = _upload(client, "empty.edi", b"")
    assert response.status_code == 422
    assert "The file is empty." in response.get_data(as_text=True)
    assert session.scalars(select(EdiDocument)).all() == []


def test_a_reporter_may_not_upload(client, world):
    sign_in(client, "floor@supplier.edi", PASSWORD)
    assert _upload(client, "edifact_desadv.edi").status_code == 403


def test_a_rejected_document_can_be_processed_again_after_the_fix(client, world, session):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    content = edi_file("edifact_desadv.edi").replace(b"PO-EDI-1", b"PO-EDI-3")
    location = _upload(client, "late.edi", content).headers["Location"]
    assert "Rejected" in client.get(location, headers=EN).get_data(as_text=True)
    world.order("PO-EDI-3")
    session.commit()
    document_id = int(location.rsplit("/", 1)[1])
    response = client.post(
        f"/edi/documents/{document_id}/reprocess",
        data={"csrf_token": csrf_token(client, location)},
    )
    assert response.status_code == 302
    assert "Accepted" in client.get(location, headers=EN).get_data(as_text=True)


def test_an_unreadable_file_asks_for_a_corrected_one_instead_of_processing_again(client, world):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    location = _upload(client, "ebcdic.edi", "ISA*00*".encode("cp500") * 20).headers["Location"]
    page = client.get(location, headers=EN).get_data(as_text=True)
    assert "Rejected" in page
    assert "Process again" not in page
    assert "Send a corrected file." in page
    chinese = client.get(location, headers=ZH).get_data(as_text=True)
    assert "send-corrected" in chinese and "Send a corrected file." not in chinese


def test_a_file_with_wrong_counts_is_not_offered_again(client, world):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    content = edi_file("x12_856_two_sets.edi").replace(b"GE*2*701", b"GE*3*701")
    location = _upload(client, "counts.edi", content).headers["Location"]
    page = client.get(location, headers=EN).get_data(as_text=True)
    assert "Rejected" in page and "Transaction sets: GE01 declares 3, the group holds 2" in page
    assert "Process again" not in page
    assert "errors in the file itself" in page
    chinese = client.get(location, headers=ZH).get_data(as_text=True)
    assert "重新处理" not in chinese and "因文件本身的错误被拒收" in chinese


def test_admin_adds_and_removes_an_identity_with_errors_shown(client, world, session):
    sign_in(client, "admin@anchor.edi", PASSWORD)
    page = client.get("/edi/identities", headers=EN).get_data(as_text=True)
    assert "SUPPLIER01" in page  # a partner's identity
    assert "An incoming group that names another application is rejected." in page
    chinese = client.get("/edi/identities", headers=ZH).get_data(as_text=True)
    assert "收到的功能组若写了别的应用，将被拒收。" in chinese
    bad = client.post(
        "/edi/identities",
        data={
            "standard": "x12",
            "qualifier": "Z",
            "identifier": "ANCHOR2",
            "csrf_token": csrf_token(client, "/edi/identities"),
        },
        headers=EN,
    )
    assert bad.status_code == 422
    assert "An X12 qualifier (ISA05/ISA07) has 2 characters." in bad.get_data(as_text=True)
    taken = client.post(
        "/edi/identities",
        data={
            "standard": "x12",
            "qualifier": "ZZ",
            "identifier": "SUPPLIER01",
            "csrf_token": csrf_token(client, "/edi/identities"),
        },
        headers=EN,
    )
    assert taken.status_code == 422
    assert "This EDI identity is already registered." in taken.get_data(as_text=True)
    ok = client.post(
        "/edi/identities",
        data={
            "standard": "edifact",
            "qualifier": "",
            "identifier": "ANCHOR-TEST",
            "csrf_token": csrf_token(client, "/edi/identities"),
        },
    )
    assert ok.status_code == 302
    identity_id = session.scalar(
        select(EdiIdentity.id).where(EdiIdentity.identifier == "ANCHOR-TEST")
    )
    removed = client.post(
        f"/edi/identities/{identity_id}/delete",
        data={"csrf_token": csrf_token(client, "/edi/identities")},
    )
    assert removed.status_code == 302
    assert session.scalar(select(EdiIdentity.id).where(EdiIdentity.id == identity_id)) is None


def test_a_buyer_sends_an_order_as_edi_from_the_page(client, world):
    sign_in(client, "buyer@anchor.edi", PASSWORD)
    page = client.get("/edi/outbound", headers=EN).get_data(as_text=True)
    order_id = page.split('<option value="')[1].split('"')[0]
    response = client.post(
        "/edi/outbound",
        data={
            "purchase_order_id": order_id,
            "standard": "edifact",
            "csrf_token": csrf_token(client, "/edi/outbound"),
        },
    )
    assert response.status_code == 302
    listing = client.get("/edi/outbound", headers=EN).get_data(as_text=True)
    assert "ORDERS-ANCHORCO-000000001.edi" in listing


@pytest.mark.parametrize(
    ("order_id", "said"),
    [
        ("²", "Not a valid integer."),
        ("x", "Not a valid integer."),
        (str(2**64), "Not a valid integer."),
        ("1" * 5000, "Not a valid integer."),
    ],
)
def test_an_order_that_cannot_be_is_refused_on_its_field(client, world, session, order_id, said):
    sign_in(client, "buyer@anchor.edi", PASSWORD)
    response = client.post(
        "/edi/outbound",
        headers=EN,
        data={"purchase_order_id": order_id, "standard": "edifact",
              "csrf_token": csrf_token(client, "/edi/outbound")},
    )  # fmt: skip
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "purchase_order_id") == said
    assert "ORDERS-ANCHORCO" not in client.get("/edi/outbound", headers=EN).get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(EdiOutbound)) == 0


def test_pages_speak_chinese(client, world):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    client.get("/lang/zh_Hans_CN")
    for path in ("/edi/", "/edi/outbound", "/edi/identities"):
        response = client.get(path, headers=ZH)
        assert response.status_code == 200
        assert '<html lang="zh-CN"' in response.get_data(as_text=True)


def test_the_raw_file_downloads_under_its_chinese_name(client, world):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    sent_as = '../../etc/发货\\"通知.edi'  # the quote escaped in the form part, as curl sends it
    location = _upload(client, sent_as, edi_file("edifact_desadv.edi")).headers["Location"]

    raw = client.get(location + "/raw")

    assert raw.status_code == 200 and raw.data == edi_file("edifact_desadv.edi")
    assert raw.mimetype == "application/octet-stream"
    disposition = raw.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''%E5%8F%91%E8%B4%A7%22%E9%80%9A%E7%9F%A5.edi" in disposition
    assert "etc" not in disposition
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in raw.headers["Content-Security-Policy"]


def test_a_refused_part_is_shown_at_its_segment_in_both_languages(client, world):
    sign_in(client, "admin@supplier.edi", PASSWORD)
    content = edi_file("x12_856_two_sets.edi").replace(b"LIN*2*BP*STL-7", b"LIN*2*BP*NOPE-1")
    location = _upload(client, "x.edi", content).headers["Location"]
    page = client.get(location, headers=EN).get_data(as_text=True)
    where = "segment 14 <code>LIN</code> · element <code>LIN03</code> · line item 2 › Part number"
    assert where in page
    assert "The order line is for part STL-7." in page
    page = client.get(location, headers=ZH).get_data(as_text=True)
    assert "段 14 <code>LIN</code> · 元素 <code>LIN03</code> · 第 2 个行项目 › 零件号" in page
    assert "该订单行的零件是 STL-7。" in page
