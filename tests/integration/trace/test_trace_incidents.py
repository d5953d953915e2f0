"""Quality incidents: opening, the state machine, its history and who hears of each step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.actor import Actor
from models.audit import AuditEvent
from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.files import Attachment
from models.jobs import JobRun
from models.notify import Notification, OutboxEmail
from models.trace.entities import Incident, IncidentEvent, IncidentLot, IncidentPhoto
from models.trace.incidents import (
    change_incident_state,
    get_incident,
    incident_brief,
    open_incident,
)
from models.trace.photos import add_incident_photo, incident_photo
from tests.integration.trace.builders import build_network

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def net(session):
    return build_network(session)


def opened(net, lot="STEEL-1", opener="anchor", **extra):
    data = {"title": "Cracked coil", "severity": "critical", "lot_ids": [net.lot_id(lot)]}
    return open_incident(net.session, net.actor(opener), {**data, **extra})


def count(session, entity):
    return session.scalar(select(func.count()).select_from(entity))


def test_opening_records_lots_history_job_and_audit(session, net):
    incident = opened(net, description="  found at line 3 ")
    assert incident.reference == f"QI-{incident.id:06d}"
    assert (incident.state, incident.severity) == ("open", "critical")
    assert incident.supplier_org_id == net.orgs["steel"].id
    assert incident.description == "found at line 3"
    assert incident.lot_ids == [net.lot_id("STEEL-1")]
    [event] = session.scalars(select(IncidentEvent)).all()
    assert (event.action, event.from_state, event.to_state) == ("open", None, "open")
    job = session.get(JobRun, incident.scope_job_id)
    assert (job.kind, job.status, job.params) == (
        "containment",
        "queued",
        {"incident_id": incident.id},
    )
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "incident.open"))


def test_an_incident_on_a_lot_the_opener_may_not_see_is_refused(session, net):
    with pytest.raises(NotFound):
        opened(net, lot="PLAS-1")
    assert count(session, Incident) == 0 and count(session, JobRun) == 0


def test_every_bad_field_is_named_and_nothing_is_written(session, net):
    with pytest.raises(ValidationFailed) as error:
        open_incident(session, net.actor("anchor"), {"title": "x", "severity": "awful"})
    assert set(error.value.errors) == {"title", "severity", "lot_ids"}
    assert "minor, major, critical or safety" in error.value.errors["severity"][0]
    with pytest.raises(ValidationFailed) as error:
        opened(net, lot_ids=[], lots=[{"lot_number": "NO-SUCH"}, {"lot_number": "PLAS-1"}])
    assert set(error.value.errors) == {"lots.0.lot_number", "lots.1.lot_number"}
    assert "NO-SUCH" in error.value.errors["lots.0.lot_number"][0]
    assert count(session, Incident) == 0 and count(session, IncidentLot) == 0


def test_lots_by_number_and_one_supplier_per_incident(session, net):
    incident = opened(net, lot_ids=[], lots=[{"lot_number": "STEEL-1"}, {"lot_number": "STEEL-2"}])
    assert sorted(incident.lot_ids) == sorted([net.lot_id("STEEL-1"), net.lot_id("STEEL-2")])
    with pytest.raises(ValidationFailed) as error:
        opened(net, lot_ids=[net.lot_id("STEEL-1"), net.lot_id("BRAKE-1")])
    assert "one supplier" in error.value.errors["lot_ids"][0]


def test_a_role_without_quality_rights_may_not_open(session, net):
    user = net.users["anchor"]
    with pytest.raises(Forbidden):
        open_incident(
            session,
            Actor(user.id, net.orgs["anchor"].id, "procurement"),
            {"title": "Cracked", "severity": "minor", "lot_ids": [net.lot_id("STEEL-1")]},
        )


def test_the_full_state_machine_with_history_and_notices(session, net):
    incident = opened(net)
    act = lambda who, action, note=None: change_incident_state(  # noqa: E731
        session, net.actor(who), incident.id, {"action": action, "note": note}, "http://tl"
    )
    act("anchor", "send")
    act("steel", "acknowledge")
    act("steel", "accept", "our coil")
    act("anchor", "close")
    assert incident.state == "closed" and incident.closed_at is not None
    history = [(e.from_state, e.to_state) for e in incident.events]
    assert history == [
        (None, "open"), ("open", "sent"), ("sent", "acknowledged"),
        ("acknowledged", "accepted"), ("accepted", "closed"),
    ]  # fmt: skip
    steel_notes = session.scalars(
        select(Notification.kind)
        .where(Notification.org_id == net.orgs["steel"].id)
        .order_by(Notification.id)
    ).all()
    assert steel_notes == ["incident_send", "incident_close"]
    mail = session.scalar(
        select(OutboxEmail).where(OutboxEmail.to_address == net.email("steel")).limit(1)
    )
    assert "QI-" in mail.subject and f"http://tl/trace/incidents/{incident.id}" in mail.body


def test_wrong_party_out_of_turn_and_a_decline_without_reason_are_refused(session, net):
    incident = opened(net)

    def act(who, action, note=None):
        data = {"action": action, "note": note}
        return change_incident_state(session, net.actor(who), incident.id, data)

    with pytest.raises(Forbidden):
        act("steel", "send")
    with pytest.raises(Conflict):
        act("anchor", "close")
    act("anchor", "send")
    with pytest.raises(Forbidden):
        act("anchor", "acknowledge")
    act("steel", "acknowledge")
    with pytest.raises(ValidationFailed) as error:
        act("steel", "decline", "  ")
    assert "note" in error.value.errors
    act("steel", "decline", "not our coil")
    assert incident.state == "declined" and incident.events[-1].note == "not our coil"
    act("anchor", "close")
    with pytest.raises(ValidationFailed):
        act("anchor", "reopen")


def test_an_unrelated_organisation_does_not_find_the_incident(session, net):
    incident = opened(net)
    with pytest.raises(NotFound):
        get_incident(session, net.orgs["plastics"].id, incident.id)
    with pytest.raises(NotFound):
        change_incident_state(session, net.actor("plastics"), incident.id, {"action": "send"})
    assert get_incident(session, net.orgs["steel"].id, incident.id) is incident


def test_photos_are_checked_stored_and_served_to_the_parties(session, net):
    incident = opened(net)
    photo = add_incident_photo(
        session, net.actor("anchor"), incident.id, "crack.png", "image/png", PNG, 1024
    )
    stored = incident_photo(session, net.orgs["steel"].id, incident.id, photo.id)
    assert stored.content == PNG and stored.filename == "crack.png"
    for content_type, content in (("text/plain", PNG), ("image/png", PNG * 40), ("image/png", b"")):
        with pytest.raises(ValidationFailed) as error:
            add_incident_photo(
                session, net.actor("anchor"), incident.id, "x", content_type, content, 1024
            )
        assert "photo" in error.value.errors
    with pytest.raises(NotFound):
        incident_photo(session, net.orgs["plastics"].id, incident.id, photo.id)


def test_a_text_file_named_as_a_photo_is_refused_and_nothing_stored(session, net):
    """The declared type comes from the file name; the content decides."""
    incident = opened(net)
    before = session.scalar(select(func.count()).select_from(Attachment))
    with pytest.raises(ValidationFailed) as error:
        add_incident_photo(session, net.actor("anchor"), incident.id, "x.jpg", "image/jpeg",
                           b"not a photo at all", 1024)  # fmt: skip
    assert [str(m) for m in error.value.errors["photo"]] == [
        "x.jpg is not a photo: a photo must be a JPEG, PNG, WebP or GIF image."
    ]
    assert session.scalar(select(func.count()).select_from(Attachment)) == before
    assert session.scalar(select(func.count()).select_from(IncidentPhoto)) == 0
    renamed = add_incident_photo(
        session, net.actor("anchor"), incident.id, "crack.jpg", "image/jpeg", PNG, 1024
    )
    stored = incident_photo(session, net.orgs["anchor"].id, incident.id, renamed.id)
    assert stored.content_type == "image/png"


def test_the_8d_brief_names_incident_lots_and_supplier(session, net):
    incident = opened(net)
    brief = incident_brief(session, net.orgs["steel"].id, incident.id)
    assert brief.supplier_org_id == net.orgs["steel"].id
    assert brief.lot_ids == (net.lot_id("STEEL-1"),) and brief.reference == incident.reference
