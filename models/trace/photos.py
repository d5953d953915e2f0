"""Photos of a quality incident: checked, stored as attachments, served to its parties."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.errors import Forbidden, NotFound, ValidationFailed
from models.files import Attachment, display_name, photo_type, store_attachment
from models.i18n import N_
from models.roles import require_permission
from models.trace.entities import IncidentPhoto
from models.trace.incidents import get_incident

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


def add_incident_photo(
    session: Session,
    actor: Actor,
    incident_id: int,
    filename: str,
    content_type: str,
    content: bytes,
    max_bytes: int,
) -> IncidentPhoto:
    """Attach a photo (JPEG, PNG, WebP or GIF up to ``max_bytes``) to an incident; its content,
    not only its declared type, must be such an image, and is stored under what it is."""
    incident = get_incident(session, actor.org_id, incident_id)
    require_permission(actor.role, "manage_quality")
    if actor.org_id not in (incident.opener_org_id, incident.supplier_org_id):
        raise Forbidden()
    if not content or len(content) > max_bytes:
        raise ValidationFailed.on(
            "photo",
            N_("A photo must not be empty or larger than %(mb)s MB."),
            mb=max_bytes // (1024 * 1024),
        )
    stored_type = photo_type(content_type, content, PHOTO_TYPES)
    if stored_type is None:
        raise ValidationFailed.on(
            "photo",
            N_("%(name)s is not a photo: a photo must be a JPEG, PNG, WebP or GIF image."),
            name=display_name(filename),
        )
    attachment = store_attachment(session, actor, filename, stored_type, content)
    photo = IncidentPhoto(incident_id=incident.id, attachment_id=attachment.id)
    session.add(photo)
    session.flush()
    record_audit(session, actor, "incident.photo", "incident", incident.id, {"photo": photo.id})
    return photo


def incident_photo(
    session: Session, viewer_org_id: int | None, incident_id: int, photo_id: int
) -> Attachment:
    """A photo's attachment, for anyone who may see the incident."""
    get_incident(session, viewer_org_id, incident_id)
    photo = session.get(IncidentPhoto, photo_id)
    if photo is None or photo.incident_id != incident_id:
        raise NotFound()
    attachment = session.get(Attachment, photo.attachment_id)
    if attachment is None:
        raise NotFound()
    return attachment
