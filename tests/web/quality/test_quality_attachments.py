"""8D attachments as the buyer opens them: never run as a page of ours, names kept in Chinese."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from sqlalchemy import select

from models.quality.eightd import open_eightd
from models.quality.entities import EightDAttachment
from tests.helpers import csrf_token

EVIL = b"<html><script>fetch('/api/v1/me').then(r => r.text()).then(alert)</script></html>"


@pytest.fixture
def case(session, chain):
    opened = open_eightd(
        session, chain.engineer, {"title": "Burrs on rings", "supplier_org_id": chain.supplier.id}
    )
    session.commit()
    return opened


def _attach(session, client, case, name: str, content_type: str, content: bytes) -> str:
    data = {
        "file": (io.BytesIO(content), name, content_type),
        "action": "attach",
        "csrf_token": csrf_token(client, f"/quality/8d/{case.id}"),
    }
    response = client.post(
        f"/quality/8d/{case.id}/steps/D3", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    session.expire_all()
    attached = session.scalars(select(EightDAttachment).order_by(EightDAttachment.id.desc()))
    return f"/quality/8d/{case.id}/attachments/{attached.first().id}"


def test_an_html_attachment_is_only_ever_downloaded(session, chain, case, login):
    link = _attach(session, login(chain.reporter), case, "evil.html", "text/html", EVIL)

    response = login(chain.engineer).get(link)

    assert response.status_code == 200
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"] == "attachment; filename=evil.html"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert response.data == EVIL


def test_a_photo_is_shown_in_the_browser_but_sandboxed(session, chain, case, login):
    link = _attach(session, login(chain.reporter), case, "burr.png", "image/png", b"\x89PNG...")

    response = login(chain.engineer).get(link)

    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_chinese_named_pdf_opens_under_its_own_name(session, chain, case, login):
    name = "检测报告 D3.pdf"
    link = _attach(session, login(chain.reporter), case, name, "application/pdf", b"%PDF-1.7")

    response = login(chain.engineer).get(link)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline; filename=")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    disposition.encode("latin-1")
    assert "sandbox" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.data == b"%PDF-1.7"


def test_a_folder_in_the_name_is_dropped(session, chain, case, login):
    reporter = login(chain.reporter)
    link = _attach(session, reporter, case, "../../etc/报告.pdf", "application/pdf", b"%PDF")

    assert "报告.pdf</a>" in reporter.get(f"/quality/8d/{case.id}").get_data(as_text=True)
    disposition = login(chain.engineer).get(link).headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('报告.pdf')}" in disposition


def test_attaching_a_file_keeps_the_draft_typed_beside_it(session, chain, case, login):
    reporter = login(chain.reporter)
    token = csrf_token(reporter, f"/quality/8d/{case.id}")
    typed = {
        "text": "隔离库存 1,200 件，已挂红牌",
        "contained_quantity": "1200",
        "csrf_token": token,
    }

    empty = reporter.post(
        f"/quality/8d/{case.id}/steps/D3",
        data=typed | {"action": "attach"},
        headers={"Accept-Language": "zh-CN"},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 422 and "隔离库存 1,200 件" in empty.get_data(as_text=True)
    assert session.scalars(select(EightDAttachment)).all() == []

    attached = reporter.post(
        f"/quality/8d/{case.id}/steps/D3",
        data=typed | {"action": "attach", "file": (io.BytesIO(b"%PDF-1.4"), "隔离记录.pdf")},
        content_type="multipart/form-data",
    )

    assert attached.status_code == 302
    page = reporter.get(f"/quality/8d/{case.id}").get_data(as_text=True)
    assert "隔离库存 1,200 件，已挂红牌" in page and "隔离记录.pdf" in page
