"""Quality incidents: opening one on lots, moving it through its states, photos, reading.

States run open -> sent -> acknowledged -> accepted / declined -> closed. The opener (the
anchor or a buyer) sends and closes; the supplier whose lots they are acknowledges, accepts or
declines (and answers an accepted incident in the 8D of :mod:`models.quality`). Every change is
an :class:`IncidentEvent`, so the history is complete.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.i18n import N_
from models.jobs import JobRun, create_job
from models.orders.entities import Lot
from models.roles import require_permission
from models.trace.entities import ContainmentOrg, Incident, IncidentEvent, IncidentLot
from models.trace.notices import notify_state_change
from models.trace.schemas import IncidentActionSchema, IncidentCreateSchema
from models.trace.search import find_lot, visible_lots
from models.validation import load

#: action -> (states it may start from, state it leads to, who may take it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "send": (("open",), "sent", "opener"),
    "acknowledge": (("sent",), "acknowledged", "supplier"),
    "accept": (("acknowledged",), "accepted", "supplier"),
    "decline": (("acknowledged",), "declined", "supplier"),
    "close": (("accepted", "declined"), "closed", "opener"),
}
CONTAINMENT_JOB = "containment"


def open_incident(session: Session, actor: Actor, data: dict[str, Any]) -> Incident:
    """Open an incident on lots the actor may see, all made by one supplier.

    Guarantees: every lot is visible to the actor's organisation under the traceability rule
    (a lot given by id that is not raises :class:`NotFound`); the incident, its lots, its first
    history entry, the containment job (enqueued by the caller after commit) and the audit
    entry are written together or not at all.
    """
    require_permission(actor.role, "manage_quality")
    loaded = load(IncidentCreateSchema(), data)
    lots = _resolve_lots(session, actor.org_id, loaded)
    if len({lot.maker_org_id for lot in lots}) > 1:
        raise ValidationFailed.on(
            "lot_ids",
            N_("All lots of an incident come from one supplier; open one incident per supplier."),
        )
    incident = Incident(
        reference=f"new-{uuid.uuid4().hex[:16]}",
        opener_org_id=actor.org_id,
        supplier_org_id=lots[0].maker_org_id,
        title=loaded["title"].strip(),
        description=loaded["description"].strip(),
        severity=loaded["severity"],
        state="open",
        opened_by_user_id=actor.user_id,
    )
    session.add(incident)
    session.flush()
    incident.reference = f"QI-{incident.id:06d}"
    session.add_all(IncidentLot(incident_id=incident.id, lot_id=lot.id) for lot in lots)
    _add_event(session, actor, incident, "open", None, "open", None)
    job = create_job(session, actor, CONTAINMENT_JOB, {"incident_id": incident.id})
    incident.scope_job_id = job.id
    record_audit(
        session,
        actor,
        "incident.open",
        "incident",
        incident.id,
        {"severity": incident.severity, "lot_ids": [lot.id for lot in lots]},
    )
    return incident


def _resolve_lots(session: Session, viewer_org_id: int | None, loaded: dict[str, Any]) -> list[Lot]:
    lots: dict[int, Lot] = {}
    ids = list(dict.fromkeys(loaded["lot_ids"]))
    if ids:
        found = {
            lot.id: lot
            for lot in session.scalars(visible_lots(viewer_org_id).where(Lot.id.in_(ids)))
        }
        if len(found) != len(ids):
            raise NotFound(N_("One of the lots does not exist or you may not see it."))
        lots.update((lot_id, found[lot_id]) for lot_id in ids)
    errors: dict[str, list[str]] = {}
    for index, ref in enumerate(loaded["lots"]):
        try:
            lot = find_lot(session, viewer_org_id, ref["lot_number"], ref.get("maker"))
        except NotFound as error:
            errors[f"lots.{index}.lot_number"] = [error.message]
        except ValidationFailed as error:
            errors[f"lots.{index}.maker"] = error.errors["maker"]
        else:
            lots.setdefault(lot.id, lot)
    if errors:
        raise ValidationFailed(errors)
    return list(lots.values())


def change_incident_state(
    session: Session, actor: Actor, incident_id: int, data: dict[str, Any], base_url: str = ""
) -> Incident:
    """Take one action on an incident; refuses an action out of turn or by the wrong party.

    The other party is told in-app and its admins by e-mail (links start with ``base_url``).
    """
    loaded = load(IncidentActionSchema(), data)
    incident = get_incident(session, actor.org_id, incident_id)
    require_permission(actor.role, "manage_quality")
    action = loaded["action"]
    sources, target, party = TRANSITIONS[action]
    party_org = incident.opener_org_id if party == "opener" else incident.supplier_org_id
    if actor.org_id != party_org:
        raise Forbidden(
            N_("Only the organisation that opened the incident may do this.")
            if party == "opener"
            else N_("Only the supplier of the lots may do this.")
        )
    if incident.state not in sources:
        raise Conflict(N_("This action is not possible in the incident's current state."))
    before = incident.state
    incident.state = target
    incident.updated_at = utcnow()
    if target == "closed":
        incident.closed_at = incident.updated_at
    note = (loaded.get("note") or "").strip() or None
    _add_event(session, actor, incident, action, before, target, note)
    record_audit(
        session,
        actor,
        f"incident.{action}",
        "incident",
        incident.id,
        {"from": before, "to": target},
    )
    notify_state_change(session, incident, action, actor.org_id, base_url)
    return incident


def _add_event(
    session: Session,
    actor: Actor,
    incident: Incident,
    action: str,
    before: str | None,
    after: str,
    note: str | None,
) -> None:
    session.add(
        IncidentEvent(
            incident_id=incident.id,
            action=action,
            from_state=before,
            to_state=after,
            note=note,
            by_org_id=actor.org_id,
            by_user_id=actor.user_id,
        )
    )


def request_containment(session: Session, actor: Actor, incident_id: int) -> JobRun:
    """Queue a new computation of the containment scope (the caller enqueues the task)."""
    incident = get_incident(session, actor.org_id, incident_id)
    require_permission(actor.role, "manage_quality")
    if actor.org_id != incident.opener_org_id:
        raise Forbidden(N_("Only the organisation that opened the incident may do this."))
    job = create_job(session, actor, CONTAINMENT_JOB, {"incident_id": incident.id})
    incident.scope_job_id = job.id
    record_audit(session, actor, "incident.rescope", "incident", incident.id, {"job": job.id})
    return job


def _involves(viewer_org_id: int) -> Any:
    return or_(
        Incident.opener_org_id == viewer_org_id,
        Incident.supplier_org_id == viewer_org_id,
        exists().where(
            ContainmentOrg.snapshot_id == Incident.snapshot_id,
            ContainmentOrg.org_id == viewer_org_id,
        ),
    )


def get_incident(session: Session, viewer_org_id: int | None, incident_id: int) -> Incident:
    """An incident the viewer takes part in (opener, supplier, or notified); else not found."""
    query = select(Incident).where(Incident.id == incident_id)
    if viewer_org_id is not None:
        query = query.where(_involves(viewer_org_id))
    incident = session.scalar(query)
    if incident is None:
        raise NotFound()
    return incident


def incidents_query(
    viewer_org_id: int | None, state: str | None = None, severity: str | None = None
) -> Select[tuple[Incident]]:
    """Incidents the viewer takes part in, newest first, optionally filtered (with their lots,
    whose makers decide what a reader sees, and history loaded in three more queries, however
    many incidents a page holds)."""
    query = (
        select(Incident)
        .options(
            selectinload(Incident.lots).selectinload(IncidentLot.lot),
            selectinload(Incident.events),
        )
        .order_by(Incident.id.desc())
    )
    if viewer_org_id is not None:
        query = query.where(_involves(viewer_org_id))
    if state:
        query = query.where(Incident.state == state)
    if severity:
        query = query.where(Incident.severity == severity)
    return query


@dataclass(frozen=True)
class IncidentBrief:
    """What the 8D of :mod:`models.quality` needs to answer an incident."""

    incident_id: int
    reference: str
    title: str
    severity: str
    state: str
    opener_org_id: int
    supplier_org_id: int
    lot_ids: tuple[int, ...]


def incident_brief(session: Session, viewer_org_id: int | None, incident_id: int) -> IncidentBrief:
    """The incident as the 8D sees it (not found unless the viewer takes part in it)."""
    incident = get_incident(session, viewer_org_id, incident_id)
    return IncidentBrief(
        incident.id,
        incident.reference,
        incident.title,
        incident.severity,
        incident.state,
        incident.opener_org_id,
        incident.supplier_org_id,
        tuple(incident.lot_ids),
    )
