"""What an 8D takes from the traceability incident it answers: supplier, part and lot."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.errors import NotFound
from models.trace.entities import Incident


def incident_scope(session: Session, viewer_org_id: int | None, incident_id: int) -> dict[str, Any]:
    """Supplier, title, part and lot of an incident the viewer opened or is the supplier of."""
    incident = session.get(Incident, incident_id)
    if incident is None or viewer_org_id not in (incident.opener_org_id, incident.supplier_org_id):
        raise NotFound()
    first = incident.lots[0].lot if incident.lots else None
    return {
        "supplier_org_id": incident.supplier_org_id,
        "title": incident.title,
        "part_id": first.part_id if first is not None else None,
        "lot_number": first.lot_number if first is not None else None,
    }
