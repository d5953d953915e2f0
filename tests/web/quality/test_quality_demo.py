"""The issue's "done when", on the demo data: a supplier measures from a phone, the anchor's
quality engineer sees the chart with a rule violation flagged and opens an 8D, and the supplier
completes containment (D3) on time."""

from __future__ import annotations

import re

from sqlalchemy import select

from models.demo import DEMO_PASSWORD, seed_demo
from models.demo.quality import SERIES, series_values
from models.quality.eightd_reminders import remind_overdue_steps
from models.quality.entities import Characteristic, EightDCase, QualityAlert
from tests.helpers import csrf_token, sign_in


def _client(app, email):
    client = app.test_client()
    sign_in(client, email, DEMO_PASSWORD)
    return client


def _post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/quality/")})


def test_demo_history_has_exactly_one_rule_violation(session):
    seed_demo(session)
    alerts = session.scalars(select(QualityAlert)).all()
    assert [(a.characteristic.code, a.rule, a.points) for a in alerts] == [("W01", 1, [21])]
    assert len(series_values("W01")) == sum(count for _lot, count, _ago in SERIES["W01"][5])
    overdue = remind_overdue_steps(session)
    assert overdue["reminders"] >= 1  # Hengtong's containment (D3) is overdue


def test_supplier_measures_engineer_flags_and_opens_8d_supplier_contains(app, session):
    seed_demo(session)
    session.commit()
    weld = session.scalar(select(Characteristic).where(Characteristic.code == "W01"))

    phone = _client(app, "floor@jiangnan.demo")
    assert "W01" in phone.get("/quality/measure/").get_data(as_text=True)
    values = {f"v{i}": v for i, v in enumerate(["6.01", "5.98", "6.05", "6.02", "5.97"])}
    saved = _post(phone, f"/quality/measure/{weld.id}",
                  {"lot_number": "JN-F-2411-04", "unit": "mm", **values})  # fmt: skip
    assert saved.status_code == 302

    engineer = _client(app, "quality@changfeng.demo")
    page = engineer.get(f"/quality/characteristics/{weld.id}").get_data(as_text=True)
    assert "One point beyond 3σ" in page and "Open 8D" in page
    assert '"points": [21]' in page  # the flagged point is marked on the chart
    alert = session.scalar(select(QualityAlert).where(QualityAlert.characteristic_id == weld.id))
    opened = _post(engineer, "/quality/8d/new",
                   {"alert_id": alert.id, "title": "W01 out of control"})  # fmt: skip
    assert opened.status_code == 302
    case_id = int(re.search(r"/quality/8d/(\d+)", opened.headers["Location"]).group(1))

    supplier = _client(app, "admin@jiangnan.demo")
    case_page = supplier.get(f"/quality/8d/{case_id}").get_data(as_text=True)
    owner = re.search(r'<option value="(\d+)"[^>]*>吴芳', case_page).group(1)
    empty = _post(supplier, f"/quality/8d/{case_id}/steps/D3", {"action": "submit"})
    assert empty.status_code == 422
    refused = empty.get_data(as_text=True)
    assert "What was done: Required before the step can be submitted." in refused
    assert "<code>owner_user_id</code>" not in refused  # the form's labels, not field names
    contained = _post(supplier, f"/quality/8d/{case_id}/steps/D3", {
        "text": "隔离并全检在库 400 件。 Quarantined and checked 400 pieces in stock.",
        "owner_user_id": owner, "contained_quantity": "400", "action": "submit"})  # fmt: skip
    assert contained.status_code == 302
    reviewed = _post(engineer, f"/quality/8d/{case_id}/steps/D3/review", {"decision": "accept"})
    assert reviewed.status_code == 302

    session.expire_all()
    case = session.get(EightDCase, case_id)
    d3 = next(step for step in case.steps if step.step == "D3")
    assert (d3.status, d3.on_time) == ("accepted", True)
    printed = engineer.get(f"/quality/8d/{case_id}/print").get_data(as_text=True)
    assert "Quarantined and checked 400 pieces" in printed
