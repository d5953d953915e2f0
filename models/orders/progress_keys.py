"""Repeated progress reports: the client's idempotency key names one report of one line.

A key sent again with the same content is a retry (a double tap, a phone on a bad network):
it is answered with the report first recorded and nothing is written. The same key with other
content (the user went back to a cached form and changed the number) is another report under a
used key: a conflict, so the new values are neither dropped silently nor recorded twice.
These look-ups run only once the key is known to be used, off the busy first-time path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import Conflict
from models.files import Attachment, sha256_of
from models.i18n import N_
from models.orders.entities import OrderLine, ProgressReport

if TYPE_CHECKING:
    from models.orders.progress import Photo

KEY_REUSED = N_(
    "This form was already sent with other values and that earlier report was recorded; "
    "nothing new was recorded. Check the values and send the form again to record them as a "
    "new report (an API client sends them with a new idempotency key)."
)


def known_report(
    session: Session, key: str, line: OrderLine, loaded: dict[str, Any], photo: Photo | None
) -> ProgressReport | None:
    """The report recorded under ``key``, when this request is a retry of it; None when the
    key is new. The key of another line's report, or sent with other content, is a conflict."""
    report = session.scalar(select(ProgressReport).where(ProgressReport.idempotency_key == key))
    if report is None:
        return None
    if report.line_id != line.id:
        raise Conflict(N_("This idempotency key was already used for another report."))
    if not _same_content(session, report, loaded, photo):
        raise Conflict(KEY_REUSED)
    return report


def _same_content(
    session: Session, report: ProgressReport, loaded: dict[str, Any], photo: Photo | None
) -> bool:
    asked = (
        loaded["stage"],
        loaded["quantity_done"],
        loaded["expected_finish"],
        loaded["note"],
        loaded["supersedes_id"],
    )
    recorded = (
        report.stage,
        report.quantity_done,
        report.expected_finish,
        report.note,
        report.supersedes_id,
    )
    if asked != recorded:
        return False
    # A time the request left out was "now" when it was first sent: only a given time counts.
    if loaded["reported_at"] is not None and loaded["reported_at"] != report.reported_at:
        return False
    if (photo is None) != (report.photo_id is None):
        return False
    if photo is None:
        return True
    stored = session.scalar(select(Attachment.sha256).where(Attachment.id == report.photo_id))
    return stored == sha256_of(photo.content)
