"""What the incident page shows the signed-in organisation: lots, history, scope, actions."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.jobs import JobRun
from models.orders.entities import Lot
from models.orgs.entities import Organisation
from models.trace import incidents
from models.trace.scope import (
    Lens,
    current_snapshot,
    received_in_scope,
    scope_edges,
    scope_lots,
    scope_orgs,
)
from webapp.trace.labels import WITHHELD_WORDS
from webapp.trace.presenters import CHART_NODES, scope_chart

ROWS = 200


def incident_context(session: Session, incident_id: int, locale: str) -> dict[str, Any]:
    viewer = current_user.org_id
    incident = incidents.get_incident(session, viewer, incident_id)
    lens = Lens.of(session, viewer)
    lot_ids = incident.lot_ids
    lots = list(session.scalars(select(Lot).where(Lot.id.in_(lot_ids)).order_by(Lot.lot_number)))
    org_ids = {incident.opener_org_id, incident.supplier_org_id} | {
        event.by_org_id for event in incident.events if event.by_org_id
    }
    orgs = {
        o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))
    }
    snapshot = current_snapshot(session, incident.snapshot_id)
    job = session.get(JobRun, incident.scope_job_id) if incident.scope_job_id else None
    context: dict[str, Any] = {
        "incident": incident,
        "reads": lens.reads(incident),
        "withheld_words": WITHHELD_WORDS,
        "lots": [(lot, lens.sees(lot)) for lot in lots],
        "orgs": {org_id: org for org_id, org in orgs.items() if lens.may_name(org_id)},
        "snapshot": snapshot,
        "job": job if job is not None and (job.org_id == viewer) else None,
        "actions": _actions(incident),
        "is_opener": viewer == incident.opener_org_id,
    }
    if snapshot is not None and snapshot.status == "complete":
        shown, withheld = scope_lots(session, lens, snapshot.id)
        finished = [item for item in shown if item.finished and item.relation != "suspect"]
        context.update(
            finished=finished[:ROWS],
            finished_total=len(finished),
            finished_withheld=sum(g.finished for g in withheld if g.relation != "suspect"),
            mine=[item for item in shown if item.maker.id == viewer][:ROWS],
            received=received_in_scope(session, viewer, snapshot.id, ROWS),
            withheld=withheld,
            scope_orgs=scope_orgs(session, lens, snapshot.id),
            chart=scope_chart(shown[:CHART_NODES], scope_edges(session, snapshot.id), locale),
        )
    return context


def _actions(incident: Any) -> list[str]:
    """Actions the signed-in organisation may take now."""
    if not current_user.can("manage_quality"):
        return []
    allowed = []
    for action, (sources, _target, party) in incidents.TRANSITIONS.items():
        party_org = incident.opener_org_id if party == "opener" else incident.supplier_org_id
        if incident.state in sources and current_user.org_id == party_org:
            allowed.append(action)
    return allowed
