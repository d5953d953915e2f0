"""8D cases: deadlines, review, closure, history, reminders once, from incidents and alerts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models.db import Database
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import Msg, render
from models.migrate import upgrade
from models.notify import Notification, OutboxEmail
from models.quality.eightd import attach_to_step, history, open_eightd, review_step, save_step
from models.quality.eightd_reminders import remind_overdue_steps
from models.quality.entities import EightDCase, EightDStep, QualityAlert
from models.quality.measurements import record_inspection
from models.quality.settings import update_quality_settings
from models.quality.statistics_store import recompute_statistics
from models.trace.entities import Incident, IncidentLot
from tests.integration.quality import builders
from tests.integration.quality.builders import PISTON_RINGS, inspection
from tests.services import temporary_postgres_database

OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(session, chain):
    return open_eightd(
        session,
        chain.engineer,
        {"title": "Burrs on rings", "supplier_org_id": chain.supplier.id},
        now=OPENED,
    )


def _step(case, name) -> EightDStep:
    return next(step for step in case.steps if step.step == name)


def _answer(session, chain, case, step, at, **extra):
    data = {"text": f"{step} done", "owner_user_id": chain.reporter.user_id, "submit": True}
    return save_step(session, chain.reporter, case.id, step, {**data, **extra}, now=at)


def test_default_deadlines(session, case):
    due = {step.step: step.due_at - OPENED for step in case.steps}
    assert due["D3"] == timedelta(hours=24)
    assert due["D4"] == due["D5"] == timedelta(days=10)
    assert due["D8"] == timedelta(days=30)
    assert [step.step for step in case.steps] == [f"D{n}" for n in range(9)]
    assert case.number == "8D-2026-0001"


def test_deadlines_follow_the_buyers_settings(session, chain):
    update_quality_settings(
        session, chain.engineer,
        {"capable": 1.67, "watch": 1.33, "rules": "nelson", "due_hours": {"D3": 8}},
    )  # fmt: skip
    opened = open_eightd(
        session, chain.engineer, {"title": "T", "supplier_org_id": chain.supplier.id}, now=OPENED
    )
    assert _step(opened, "D3").due_at == OPENED + timedelta(hours=8)
    assert _step(opened, "D4").due_at == OPENED + timedelta(days=10)


def test_supplier_is_told_of_a_new_case(session, chain, case):
    note = session.scalars(
        select(Notification).where(Notification.org_id == chain.supplier.id)
    ).one()
    assert note.link == f"/quality/8d/{case.id}"


def test_d3_needs_its_fields_before_submitting_and_nothing_is_written(session, chain, case):
    with pytest.raises(ValidationFailed) as caught:
        save_step(session, chain.reporter, case.id, "D3", {"text": "", "submit": True})
    assert {k: [str(m) for m in v] for k, v in caught.value.errors.items()} == {
        "text": ["Required before the step can be submitted."],
        "owner_user_id": ["Required before the step can be submitted."],
        "contained_quantity": ["Required before the step can be submitted."],
    }
    session.expire_all()
    step = _step(case, "D3")
    assert (step.status, step.text, step.submitted_at) == ("open", None, None)


def test_d6_implemented_on_a_day_still_to_come_is_refused(session, chain, case):
    """D6 says the corrective action is in place: a date after today is a plan, not a fact."""
    at = OPENED + timedelta(days=3)
    tomorrow = (at + timedelta(days=1)).date().isoformat()
    with pytest.raises(ValidationFailed) as caught:
        _answer(session, chain, case, "D6", at, implemented_on=tomorrow)
    assert {k: [str(m) for m in v] for k, v in caught.value.errors.items()} == {
        "implemented_on": [f"The day of implementation ({tomorrow}) lies in the future."]
    }
    with pytest.raises(ValidationFailed):
        save_step(session, chain.reporter, case.id, "D6", {"implemented_on": "2030-01-01"}, now=at)
    session.expire_all()
    assert (_step(case, "D6").status, _step(case, "D6").fields) == ("open", None)
    done = _answer(session, chain, case, "D6", at, implemented_on=at.date().isoformat())
    assert done.status == "submitted"


def test_d3_on_time_accepted_and_history_kept(session, chain, case):
    submitted = _answer(session, chain, case, "D3", OPENED + timedelta(hours=5),
                        contained_quantity=1200)  # fmt: skip
    assert (submitted.status, submitted.on_time) == ("submitted", True)
    assert submitted.fields == {"contained_quantity": 1200}
    with pytest.raises(Conflict):
        save_step(session, chain.reporter, case.id, "D3", {"text": "changed"})
    accepted = review_step(session, chain.engineer, case.id, "D3", {"decision": "accept"},
                           now=OPENED + timedelta(hours=6))  # fmt: skip
    assert accepted.status == "accepted"
    assert [(e.step, e.action) for e in history(session, case.id)] == [
        (None, "opened"), ("D3", "submitted"), ("D3", "accepted"),
    ]  # fmt: skip


def test_the_supplier_reads_a_review_in_chinese(session, chain, case):
    for step, decision in (("D1", "accept"), ("D2", "return")):
        _answer(session, chain, case, step, OPENED + timedelta(hours=1))
        review_step(session, chain.engineer, case.id, step,
                    {"decision": decision, "comment": "补充照片 Add photos"},
                    now=OPENED + timedelta(hours=2))  # fmt: skip
    titles = session.scalars(
        select(Notification.title)
        .where(Notification.org_id == chain.supplier.id, Notification.kind == "eightd")
        .order_by(Notification.id)
    ).all()
    assert [render(Msg.from_dict(title), "zh_Hans_CN") for title in titles[-2:]] == [
        "8D 8D-2026-0001：D1 已接受", "8D 8D-2026-0001：D2 已退回",
    ]  # fmt: skip


def test_a_returned_step_is_answered_again(session, chain, case):
    _answer(session, chain, case, "D2", OPENED + timedelta(hours=1))
    with pytest.raises(ValidationFailed) as caught:
        review_step(session, chain.engineer, case.id, "D2", {"decision": "return"})
    assert list(caught.value.errors) == ["comment"]
    new_due = OPENED + timedelta(days=2)
    returned = review_step(
        session, chain.engineer, case.id, "D2",
        {"decision": "return", "comment": "Add photos", "due_at": new_due.isoformat()},
        now=OPENED + timedelta(hours=2),
    )  # fmt: skip
    assert (returned.status, returned.review_comment, returned.due_at) == (
        "returned", "Add photos", new_due,
    )  # fmt: skip
    again = _answer(session, chain, case, "D2", OPENED + timedelta(hours=3))
    assert again.status == "submitted"


def test_only_the_parties_act(session, chain, case):
    with pytest.raises(NotFound):  # an organisation that may not see the case
        save_step(session, chain.sub_admin, case.id, "D0", {"text": "x"})
    anchor_admin = builders.person(session, chain.anchor, "admin", "boss@a.test")
    with pytest.raises(NotFound):  # the buyer cannot answer for the supplier
        save_step(session, anchor_admin, case.id, "D0", {"text": "x"})
    _answer(session, chain, case, "D0", OPENED)
    with pytest.raises(NotFound):  # nor can the supplier review its own answer
        review_step(session, chain.supplier_admin, case.id, "D0", {"decision": "accept"})


def test_closing_needs_every_step_accepted_then_closes_the_case(session, chain, case):
    with pytest.raises(ValidationFailed) as caught:
        _answer(session, chain, case, "D8", OPENED)
    assert "still open: D0, D1" in str(caught.value.errors["_schema"][0])
    extra = {"D3": {"contained_quantity": 0}, "D4": {"escape_point": "no gauge"},
             "D6": {"implemented_on": "2026-11-03"}}  # fmt: skip
    for number in range(9):
        step = f"D{number}"
        _answer(session, chain, case, step, OPENED + timedelta(days=1), **extra.get(step, {}))
        review_step(session, chain.engineer, case.id, step, {"decision": "accept"})
    assert (case.status, case.closed_at is not None) == ("closed", True)
    assert history(session, case.id)[-1].action == "closed"
    with pytest.raises(Conflict):
        save_step(session, chain.reporter, case.id, "D3", {"text": "late"})


def test_overdue_steps_are_reminded_once_and_escalated_once(session, chain, case):
    assert remind_overdue_steps(session, OPENED + timedelta(hours=23)) == {
        "reminders": 0, "escalations": 0,
    }  # fmt: skip
    late = OPENED + timedelta(hours=30)  # D0–D3 are 6 h overdue
    assert remind_overdue_steps(session, late) == {"reminders": 4, "escalations": 0}
    assert remind_overdue_steps(session, late + timedelta(hours=1)) == {
        "reminders": 0, "escalations": 0,
    }  # fmt: skip
    emails = session.scalar(select(func.count(OutboxEmail.id)))
    assert emails == 4  # one to the supplier's admin per overdue step
    much_later = OPENED + timedelta(hours=24 + 49)
    assert remind_overdue_steps(session, much_later) == {"reminders": 0, "escalations": 4}
    assert remind_overdue_steps(session, much_later) == {"reminders": 0, "escalations": 0}
    buyer_notes = session.scalars(
        select(Notification.kind).where(Notification.org_id == chain.anchor.id)
    ).all()
    assert buyer_notes.count("eightd_escalation") == 4


def test_a_submitted_step_is_not_reminded(session, chain, case):
    _answer(session, chain, case, "D3", OPENED + timedelta(hours=2), contained_quantity=5)
    found = remind_overdue_steps(session, OPENED + timedelta(hours=30))
    assert found["reminders"] == 3  # D0, D1, D2


def test_an_alert_becomes_an_8d_with_its_characteristic(session, chain, ring):
    values = list(PISTON_RINGS)
    values[-5:] = [74.030, 74.031, 74.029, 74.032, 74.030]
    record_inspection(session, chain.reporter, inspection("L1", "D1", values))
    recompute_statistics(session, [ring.id])
    alert = session.scalars(select(QualityAlert).where(QualityAlert.rule == 1)).one()
    opened = open_eightd(session, chain.engineer, {"title": "Out of control", "alert_id": alert.id})
    assert (opened.supplier_org_id, opened.characteristic_id, opened.part_id) == (
        chain.supplier.id, ring.id, ring.part_id,
    )  # fmt: skip
    with pytest.raises(NotFound):
        open_eightd(session, chain.outsider, {"title": "x", "alert_id": alert.id})


def test_an_incident_becomes_an_8d_with_its_supplier_and_lot(session, chain):
    lot = builders.lot(session, chain.supplier, chain.parts["ring"], "L-INC")
    incident = Incident(
        reference="INC-Q-1", opener_org_id=chain.anchor.id, supplier_org_id=chain.supplier.id,
        title="Cracked rings", severity="major",
    )  # fmt: skip
    session.add(incident)
    session.flush()
    session.add(IncidentLot(incident_id=incident.id, lot_id=lot.id))
    session.flush()
    opened = open_eightd(session, chain.engineer, {"title": "Cracks", "incident_id": incident.id})
    assert (opened.incident_id, opened.supplier_org_id, opened.lot_number, opened.part_id) == (
        incident.id, chain.supplier.id, "L-INC", chain.parts["ring"].id,
    )  # fmt: skip
    with pytest.raises(NotFound):
        open_eightd(session, chain.outsider, {"title": "x", "incident_id": incident.id})


def test_an_8d_goes_to_a_direct_supplier_only(session, chain):
    with pytest.raises(NotFound):  # a sub-supplier whose quality data the anchor may not see
        open_eightd(session, chain.engineer, {"title": "T", "supplier_org_id": chain.sub.id})
    shared = builders.chain(session, sub_sharing=builders.ALL)
    with pytest.raises(ValidationFailed) as caught:
        open_eightd(session, shared.engineer, {"title": "T", "supplier_org_id": shared.sub.id})
    assert list(caught.value.errors) == ["supplier_org_id"]


def test_attachments(session, chain, case):
    attached = attach_to_step(session, chain.reporter, case.id, "D3", "photo.jpg", "image/jpeg",
                              b"\xff\xd8jpeg")  # fmt: skip
    assert attached.filename == "photo.jpg"
    assert [e.action for e in history(session, case.id)][-1] == "attached"
    with pytest.raises(ValidationFailed):
        attach_to_step(session, chain.reporter, case.id, "D3", "empty.txt", "text/plain", b"")


def test_a_fractional_contained_quantity_is_refused_not_cut(session, chain, case):
    at = OPENED + timedelta(hours=2)
    with pytest.raises(ValidationFailed) as caught:
        _answer(session, chain, case, "D3", at, contained_quantity=5.5)
    assert {k: [str(m) for m in v] for k, v in caught.value.errors.items()} == {
        "contained_quantity": ["Not a valid integer."]
    }
    assert (_step(case, "D3").status, _step(case, "D3").fields) == ("open", None)
    _answer(session, chain, case, "D3", at, contained_quantity="5")
    assert _step(case, "D3").fields == {"contained_quantity": 5}


def test_numbers_count_within_their_year(session, chain, case):
    def opened(at: datetime) -> str:
        data = {"title": "T", "supplier_org_id": chain.supplier.id}
        return open_eightd(session, chain.engineer, data, now=at).number

    assert opened(OPENED + timedelta(days=1)) == "8D-2026-0002"
    assert opened(datetime(2027, 1, 4, tzinfo=UTC)) == "8D-2027-0001"
    assert opened(datetime(2027, 1, 5, tzinfo=UTC)) == "8D-2027-0002"


@pytest.mark.postgres
def test_two_cases_opened_at_once_get_consecutive_numbers():
    """Each engineer's transaction counts the year's cases; without the buyer's row locked,
    both counted none and the second failed on the unique number."""
    with temporary_postgres_database() as url:
        upgrade(url)
        database = Database.from_url(url)
        try:
            with database.unit_of_work() as session:
                made = builders.chain(session)
                engineers = [made.engineer, builders.person(
                    session, made.anchor, "quality", "second-engineer@a.test")]  # fmt: skip
                supplier_id = made.supplier.id
            barrier = threading.Barrier(2)
            errors: list[BaseException] = []

            def open_one(engineer) -> None:
                try:
                    with database.unit_of_work() as session:
                        barrier.wait()
                        data = {"title": "T", "supplier_org_id": supplier_id}
                        open_eightd(session, engineer, data, now=OPENED)
                except BaseException as error:
                    errors.append(error)

            threads = [threading.Thread(target=open_one, args=(e,)) for e in engineers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert errors == []
            with database.unit_of_work() as session:
                numbers = session.scalars(select(EightDCase.number).order_by(EightDCase.number))
                assert list(numbers) == ["8D-2026-0001", "8D-2026-0002"]
        finally:
            database.dispose()
