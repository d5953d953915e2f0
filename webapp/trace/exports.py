"""The containment list as a download (CSV or XLSX) for the signed-in organisation."""

from __future__ import annotations

from io import BytesIO

from flask import send_file
from flask_babel import gettext
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from models.errors import NotFound
from models.trace.export import containment_rows, to_csv, to_xlsx
from models.trace.incidents import get_incident
from models.trace.scope import Lens

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def containment_file(
    session: Session, viewer_org_id: int, incident_id: int, fmt: str, locale: str
) -> Response:
    """The current snapshot's containment list; not found before the first one is complete."""
    incident = get_incident(session, viewer_org_id, incident_id)
    if incident.snapshot_id is None:
        raise NotFound()
    rows = containment_rows(session, Lens.of(session, viewer_org_id), incident.snapshot_id, locale)
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows, gettext("Containment"))
    return send_file(
        BytesIO(content),
        mimetype=MIME[fmt],
        as_attachment=True,
        download_name=f"{incident.reference}-containment.{fmt}",
    )
