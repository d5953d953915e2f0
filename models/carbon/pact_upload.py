"""A PACT ProductFootprint file uploaded by a supplier: kept as received, imported or refused.

The bytes are stored first (by SHA-256); the import runs in a savepoint, so a refused document
writes nothing but the upload itself, which keeps the errors by JSON path.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.carbon.entities import ProductFootprint
from models.carbon.footprints import require_declarer
from models.carbon.pact_exchange import import_pact_document, read_document
from models.errors import ValidationFailed
from models.files import Upload, store_upload
from models.i18n import Msg

KIND = "pact_footprint"


@dataclass
class PactUpload:
    upload: Upload
    footprint: ProductFootprint | None
    errors: dict[str, list[str]]


def upload_pact_footprint(
    session: Session, actor: Actor, part_id: int, filename: str, content: bytes
) -> PactUpload:
    """Import a PACT v2/v3 file as the part's declared footprint, or keep it with its errors."""
    require_declarer(actor)
    actor = actor.via("file")
    upload, _created = store_upload(session, actor, KIND, filename, content)
    savepoint = session.begin_nested()
    try:
        footprint = import_pact_document(session, actor, part_id, read_document(content), upload.id)
        savepoint.commit()
        errors: dict[str, list[str]] = {}
    except ValidationFailed as error:
        savepoint.rollback()
        footprint, errors = None, error.errors
        if not errors:
            errors = {"file": [error.message]}
    upload.status = "accepted" if footprint else "rejected"
    upload.errors = [
        {"path": path, "message": (m if isinstance(m, Msg) else Msg(m)).to_dict()}
        for path, messages in errors.items()
        for m in messages
    ] or None
    upload.summary = {"footprint_id": footprint.id if footprint else None, "part_id": part_id}
    upload.processed_at = utcnow()
    record_audit(session, actor, "upload.process", "upload", upload.id, {"status": upload.status})
    return PactUpload(upload, footprint, errors)
