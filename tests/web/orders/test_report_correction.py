"""Correcting a progress report from the phone: the form is filled in as the report said,
the correction supersedes it, and the old report stays, marked as corrected."""

from __future__ import annotations

import re

from sqlalchemy import select

from models.orders.entities import ProgressReport
from tests.helpers import csrf_token

ZH = {"Accept-Language": "zh-CN"}


def send(client, line_id, key, **data):
    token = csrf_token(client, f"/orders/lines/{line_id}/report")
    form = {"csrf_token": token, "idempotency_key": key, "stage": "production", **data}
    return client.post(f"/orders/lines/{line_id}/report", data=form)


def test_a_report_is_corrected_from_the_done_banner_and_the_old_one_kept(chain, login, session):
    line = chain.order(quantity="500").lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    done = send(client, line.id, "key-fix-0001", quantity_done="450", note="fast shift")
    page = client.get(done.headers["Location"], headers=ZH).get_data(as_text=True)
    wrong = session.scalar(select(ProgressReport))
    link = f"/orders/lines/{line.id}/report?corrects={wrong.id}"
    assert link in page, "the done banner offers to correct the report just sent"

    form = client.get(link, headers=ZH).get_data(as_text=True)
    assert f'name="supersedes_id" value="{wrong.id}"' in form
    assert 'value="450"' in form and 'value="fast shift"' in form, "filled in as it was"
    assert 'value="production" required checked' in form
    assert "旧报工保留并标记为已更正" in form

    fixed = send(client, line.id, "key-fix-0002", quantity_done="45", supersedes_id=str(wrong.id))
    assert fixed.status_code == 303
    correction = session.scalar(select(ProgressReport).where(ProgressReport.id != wrong.id))
    assert correction.supersedes_id == wrong.id and correction.quantity_done == 45
    assert session.get(ProgressReport, wrong.id).quantity_done == 450, "the old one is kept"

    timeline = client.get(f"/orders/lines/{line.id}").get_data(as_text=True)
    assert "corrected later" in timeline and "(correction)" in timeline
    offered = re.findall(r"report\?corrects=(\d+)", timeline)
    assert offered == [str(correction.id)], "only the report that counts can be corrected"


def test_correcting_a_report_twice_is_refused_on_the_form(chain, login, session):
    line = chain.order().lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    send(client, line.id, "key-fix-0011", quantity_done="10")
    first = session.scalar(select(ProgressReport))
    send(client, line.id, "key-fix-0012", quantity_done="11", supersedes_id=str(first.id))
    again = send(client, line.id, "key-fix-0013", quantity_done="12", supersedes_id=str(first.id))
    assert again.status_code == 422
    assert "This report was already corrected." in again.get_data(as_text=True)
    assert len(session.scalars(select(ProgressReport)).all()) == 2


def test_the_buyer_is_not_offered_a_correction(chain, login):
    line = chain.order().lines[0]
    chain.session.commit()
    floor = login("floor@tier1.test")
    send(floor, line.id, "key-fix-0021", quantity_done="10")
    buyer = login("buyer@anchor.test")
    assert "corrects=" not in buyer.get(f"/orders/lines/{line.id}").get_data(as_text=True)


def test_a_link_to_correct_a_report_of_another_line_fills_in_nothing(chain, login, session):
    first = chain.order("PO-FIX-A").lines[0]
    second = chain.order("PO-FIX-B").lines[0]
    chain.session.commit()
    client = login("floor@tier1.test")
    send(client, first.id, "key-fix-0031", quantity_done="10")
    other = session.scalar(select(ProgressReport))
    for corrects in (str(other.id), "abc", "99999999999999999999"):
        page = client.get(f"/orders/lines/{second.id}/report?corrects={corrects}")
        assert page.status_code == 200
        assert 'name="supersedes_id"' not in page.get_data(as_text=True)
