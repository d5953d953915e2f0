"""The containment job: the scope snapshot, forwarding tier by tier, notices, exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models.i18n import Msg, render
from models.jobs import JobRun
from models.notify import Notification, OutboxEmail
from models.trace.containment import build_snapshot, compute_scope_now, publish_snapshot
from models.trace.entities import ContainmentLot, ContainmentOrg, ContainmentShipment
from models.trace.export import containment_rows, to_csv, to_xlsx
from models.trace.incidents import get_incident, open_incident
from models.trace.notices import FORMER_TEMPLATES
from models.trace.scope import Lens, received_in_scope, scope_lots, scope_orgs
from tests.integration.trace.builders import build_network, ship
from worker.tasks.trace import compute_containment_scope


@pytest.fixture
def net(session):
    net = build_network(session)
    ship(net, "STEEL-1", "seats", 5000, received=5000)
    ship(net, "STEEL-2", "brakes", 5000, received=4990, rejected=10)
    ship(net, "BRAKE-1", "other", 200, received=200)
    ship(net, "SEAT-1", "anchor", 100, received=100)
    return net


def open_on(net, lot, opener="anchor"):
    data = {"title": "Cracked coil", "severity": "safety", "lot_ids": [net.lot_id(lot)]}
    return open_incident(net.session, net.actor(opener), data)


def scoped(session, net, snapshot_id):
    names = {lot.id: number for number, lot in net.lots.items()}
    rows = session.scalars(select(ContainmentLot).where(ContainmentLot.snapshot_id == snapshot_id))
    return {names[r.lot_id]: (r.relation, r.depth, r.finished) for r in rows}


def test_the_snapshot_holds_downstream_suspects_and_sibling_exposure(session, net):
    incident = open_on(net, "STEEL-1")
    snapshot = build_snapshot(session, incident.id, incident.scope_job_id)
    assert scoped(session, net, snapshot.id) == {
        "STEEL-1": ("incident", 0, False),
        "FRAME-1": ("downstream", 1, False),
        "SEAT-1": ("downstream", 1, False),
        "CAR-1": ("downstream", 2, True),
        "ORE-1": ("suspect", 1, False),
        "STEEL-2": ("sibling", 1, False),
        "BRAKE-1": ("sibling", 2, False),
        "CAR-2": ("sibling", 3, True),
        "OTHER-CAR-1": ("sibling", 3, True),
    }
    shipments = session.scalars(
        select(ContainmentShipment).where(ContainmentShipment.snapshot_id == snapshot.id)
    ).all()
    assert len(shipments) == 4
    steel_two = next(s for s in shipments if s.lot_id == net.lot_id("STEEL-2"))
    assert (steel_two.received_quantity, steel_two.rejected_quantity) == (4990, 10)
    assert build_snapshot(session, incident.id, incident.scope_job_id) is snapshot


def test_a_forwarder_whose_name_ends_with_a_full_stop_ends_the_sentence_once(session, net):
    net.orgs["steel"].name_en = "Steel Tier Two Co., Ltd."
    incident = open_on(net, "STEEL-1")
    compute_scope_now(session, incident.scope_job_id, incident.id, "http://tl")
    note = session.scalar(
        select(Notification).where(
            Notification.org_id == net.orgs["ore"].id, Notification.kind == "incident_scope"
        )
    )
    body = render(Msg.from_dict(note.body), "en")
    assert "forwarded to you by Steel Tier Two Co., Ltd. Hold" in body
    assert "钢材二级 转发" in render(Msg.from_dict(note.body), "zh_Hans_CN")


def test_the_alert_is_forwarded_tier_by_tier_to_everyone_holding_affected_lots(session, net):
    incident = open_on(net, "STEEL-1")
    summary = compute_scope_now(session, incident.scope_job_id, incident.id, "http://tl")
    assert summary["finished"] == 3 and summary["notified"] == 5
    names = {org.id: key for key, org in net.orgs.items()}
    rows = session.scalars(
        select(ContainmentOrg).where(ContainmentOrg.snapshot_id == incident.snapshot_id)
    ).all()
    reached = {
        names[r.org_id]: (r.hop, names.get(r.forwarded_by_org_id), r.lots_made, r.lots_received)
        for r in rows
    }
    assert reached == {
        "anchor": (0, None, 2, 1),
        "seats": (1, "anchor", 2, 1),
        "brakes": (1, "anchor", 1, 1),
        "steel": (2, "seats", 2, 0),
        "ore": (3, "steel", 1, 0),
        "other": (2, "brakes", 1, 1),
    }
    notes = session.scalars(select(Notification).where(Notification.kind == "incident_scope"))
    by_org = {names[n.org_id]: n for n in notes}
    assert set(by_org) == {"seats", "brakes", "steel", "ore", "other"}
    ore = Msg.from_dict(by_org["ore"].body)
    assert ore.params["made"] == 1
    assert ore.params["forwarder"].in_locale("zh_Hans_CN") == net.orgs["steel"].name_zh
    assert ore.params["forwarder"].in_locale("en") == net.orgs["steel"].display_name("en")
    assert "Anchor Motors" not in str(by_org["other"].body), "the opener stays unnamed"
    assert session.scalar(
        select(Notification).where(
            Notification.org_id == net.orgs["anchor"].id,
            Notification.kind == "incident_scope_ready",
        )
    )
    mailed = set(
        session.scalars(select(OutboxEmail.to_address).where(OutboxEmail.kind == "incident_scope"))
    )
    assert mailed == {net.email(k) for k in ("seats", "brakes", "steel", "ore", "other")}
    email = session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == net.email("ore")))
    assert f"http://tl/trace/incidents/{incident.id}" in email.body
    assert get_incident(session, net.orgs["ore"].id, incident.id) is incident


def test_the_notices_read_right_for_one_lot_and_for_several(session, net):
    incident = open_on(net, "STEEL-1")
    compute_scope_now(session, incident.scope_job_id, incident.id, "http://tl")
    names = {org.id: key for key, org in net.orgs.items()}
    notes = {
        names[n.org_id]: Msg.from_dict(n.body)
        for n in session.scalars(select(Notification).where(Notification.kind == "incident_scope"))
    }
    ore, seats = render(notes["ore"], "en"), render(notes["seats"], "en")
    assert "lots you made: 1; lots you received: 0; finished lots among them: 0." in ore
    assert "lots you made: 2; lots you received: 1; finished lots among them: 0." in seats
    ready = session.scalar(
        select(Notification).where(Notification.kind == "incident_scope_ready")
    ).title
    assert render(Msg.from_dict(ready), "en").endswith("finished lots: 3; organisations: 5")
    for text in (ore, seats, render(Msg.from_dict(ready), "en"), render(notes["steel"], "en")):
        assert not re.search(r"\b[01] (lots|organisations)\b", text), text
        assert "these lots" not in text
    assert "贵司生产的批次：1 个；贵司接收的批次：0 个；其中成品批次：0 个" in render(
        notes["ore"], "zh_Hans_CN"
    )
    assert "成品批次：3 个；组织：5 个" in render(Msg.from_dict(ready), "zh_Hans_CN")
    email = session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == net.email("ore")))
    assert "贵司生产的批次：1 个；贵司接收的批次：0 个" in email.body


def test_a_notice_stored_in_the_former_words_still_reads_in_chinese():
    for template in FORMER_TEMPLATES:
        params = {k: 1 for k in ("made", "received", "finished", "orgs")}
        message = Msg(template, ref="QI-1", link="/x", forwarder="F", **params)
        assert render(message, "zh_Hans_CN") != str(message)


def test_the_task_reports_progress_and_running_it_twice_changes_nothing(app, session, net):
    incident = open_on(net, "STEEL-1")
    session.commit()
    compute_containment_scope.delay(incident.scope_job_id, incident.id)
    session.expire_all()
    job = session.get(JobRun, incident.scope_job_id)
    assert (job.status, job.progress) == ("succeeded", 100.0)
    assert job.result["finished"] == 3 and job.result["snapshot_id"] == incident.snapshot_id
    before = session.scalar(select(func.count()).select_from(Notification))
    compute_containment_scope.delay(incident.scope_job_id, incident.id)
    publish_snapshot(session, incident.snapshot_id)
    assert session.scalar(select(func.count()).select_from(Notification)) == before


def test_each_viewer_sees_its_part_of_the_scope_and_counts_the_rest(session, net):
    incident = open_on(net, "PLAS-1", opener="seats")
    compute_scope_now(session, incident.scope_job_id, incident.id)
    anchor = Lens.of(session, net.orgs["anchor"].id)
    shown, withheld = scope_lots(session, anchor, incident.snapshot_id)
    assert {s.lot.lot_number for s in shown} == {"SEAT-1", "CAR-1"}
    assert [(w.relation, w.tier, w.lots) for w in withheld] == [("incident", 2, 1)]
    assert [
        (n, notice)
        for n, notice, _ in received_in_scope(session, net.orgs["anchor"].id, incident.snapshot_id)
    ] == [("SEAT-1", "ASN-SEAT-1-anchor")]
    orgs = {o.row.org_id: o for o in scope_orgs(session, anchor, incident.snapshot_id)}
    assert orgs[net.orgs["plastics"].id].organisation is None
    assert orgs[net.orgs["seats"].id].organisation.name_en == "Seats Tier One"


def test_the_containment_list_exports_to_csv_and_xlsx(session, net):
    incident = open_on(net, "PLAS-1", opener="seats")
    compute_scope_now(session, incident.scope_job_id, incident.id)
    lens = Lens.of(session, net.orgs["anchor"].id)
    data = to_csv(containment_rows(session, lens, incident.snapshot_id, "en"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Relation", "Lot number", "Part number"]
    assert [r[:2] for r in rows[1:3]] == [["downstream", "SEAT-1"], ["downstream", "CAR-1"]]
    withheld = rows[-1]
    assert withheld[0] == "incident lot"
    assert withheld[1] == "withheld by a tier-2 supplier (lots: 1; finished: 0)"
    chinese = list(containment_rows(session, lens, incident.snapshot_id, "zh_Hans_CN"))[-1]
    assert chinese[1] == "未公开（2 级供应商）：批次 1 个，其中成品 0 个"
    assert "PLAS-1" not in data.decode("utf-8-sig")
    book = load_workbook(
        io.BytesIO(to_xlsx(containment_rows(session, lens, incident.snapshot_id, "en"), "Scope"))
    )
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][1] == "Lot number" and len(values) == len(rows)
    assert {v[1] for v in values[1:3]} == {"SEAT-1", "CAR-1"}
