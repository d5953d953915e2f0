"""Progress reports from the shop floor: append-only, idempotent, corrections supersede."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.db import dialect_insert
from models.errors import Conflict, NotFound, ValidationFailed
from models.files import photo_type, store_attachment
from models.i18n import N_, Localized, Msg
from models.orders.entities import OrderLine, ProgressReport
from models.orders.lines import plain, quantity_limit
from models.orders.progress_keys import known_report
from models.orders.purchasing import source_of
from models.orders.receiving import rejected_of_line
from models.orders.schemas import ProgressReportSchema
from models.orders.stages import stage_of, stages_for_buyer
from models.orgs.entities import Organisation
from models.roles import require_permission
from models.validation import load

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")
DEFAULT_MAX_PHOTO_BYTES = 5 * 1024 * 1024
_SCHEMA = ProgressReportSchema()


@dataclass(frozen=True)
class Photo:
    """A photo sent with a report, as received."""

    filename: str
    content_type: str
    content: bytes


def record_progress(
    session: Session,
    actor: Actor,
    line_id: int,
    data: dict[str, Any],
    photo: Photo | None = None,
    max_photo_bytes: int = DEFAULT_MAX_PHOTO_BYTES,
) -> tuple[ProgressReport, bool]:
    """Record what the supplier's shop floor reports on one of its lines.

    Returns ``(report, created)``. The same ``idempotency_key`` sent again for the same line
    with the same content returns the first report and writes nothing (also when two copies
    race: the database's unique key decides); the key sent with other content (another stage,
    quantity, note, ...) or used on another line is a conflict and writes nothing
    (:mod:`models.orders.progress_keys`). Guarantees: the line is the
    actor's own (else not found) and open; the stage is one of the line's stages; the quantity
    done is at most the agreed quantity plus the buyer's over-ship tolerance plus what the buyer
    rejected (made again as replacements); a superseded report is an earlier one of the same
    line not superseded yet; a photo is an image within ``max_photo_bytes``.
    """
    loaded = _load(session, actor, line_id, data)
    require_permission(actor.role, "report")
    line, buyer = _line_and_buyer(session, actor.org_id, line_id)
    key = loaded["idempotency_key"]
    # A repeat is the rare case: it is found by the insert below, or looked up first only
    # where answering it must not depend on the line's state, the checks or a photo.
    if line.status != "open" or photo is not None:
        known = known_report(session, key, line, loaded, photo)
        if known is not None:
            return known, False
    if line.status != "open":
        raise Conflict(N_("This line is closed: no more reports."))
    try:
        _check(session, line, buyer, loaded, photo, max_photo_bytes)
    except ValidationFailed:
        known = known_report(session, key, line, loaded, photo)
        if known is not None:
            return known, False
        raise
    photo_id = None
    if photo is not None:
        stored_type = photo_type(photo.content_type, photo.content, PHOTO_TYPES)
        photo_id = store_attachment(
            session, actor, photo.filename, stored_type or photo.content_type, photo.content
        ).id
    values = {
        "line_id": line.id,
        "supplier_org_id": line.supplier_org_id,
        "stage": loaded["stage"],
        "quantity_done": loaded["quantity_done"],
        "expected_finish": loaded["expected_finish"],
        "note": loaded["note"],
        "photo_id": photo_id,
        "idempotency_key": loaded["idempotency_key"],
        "supersedes_id": loaded["supersedes_id"],
        "source": source_of(actor),
        "reported_by_user_id": actor.user_id,
        "reported_at": loaded["reported_at"] or utcnow(),
    }
    report = _insert_once(session, values)
    if report is None:
        known = known_report(session, key, line, loaded, photo)
        if known is None:
            raise Conflict(N_("This report clashes with another one; send it again."))
        return known, False
    record_audit(
        session,
        actor,
        "progress.report",
        "progress_report",
        report.id,
        {"line_id": line.id, "stage": report.stage, "quantity_done": str(report.quantity_done)},
    )
    return report, True


def _load(session: Session, actor: Actor, line_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The report's fields. When some are refused on the actor's own line, the reporter hears
    of every problem at once: that the line is closed (no report can be taken, whatever the
    fields say), else also that its stage is not one of the line's."""
    try:
        return load(_SCHEMA, data)
    except ValidationFailed as failed:
        row = session.execute(_LINE_AND_BUYER, {"line_id": line_id}).first()
        if row is None or actor.org_id != row[0].supplier_org_id:
            raise
        line = row[0]
        if line.status != "open":
            raise Conflict(N_("This line is closed: no more reports.")) from None
        stage = data.get("stage") if isinstance(data, dict) else None
        if isinstance(stage, str) and stage.strip() and "stage" not in failed.errors:
            problem = _stage_problem(session, line, stage.strip())
            if problem is not None:
                failed.errors["stage"] = [problem]
        raise


def _stage_problem(session: Session, line: OrderLine, stage: str) -> Msg | None:
    """Why ``stage`` is not one of the line's stages, if it is not: the codes to send, with
    the names a Chinese reader knows them by."""
    stages = stages_for_buyer(session, line.buyer_org_id)
    if stage_of(stages, stage) is not None:
        return None
    choices = Localized(
        en=", ".join(s.code for s in stages),
        zh_Hans_CN="、".join(f"{s.name_zh} ({s.code})" for s in stages),
    )
    return Msg(N_("Choose one of: %(stages)s."), stages=choices)


def _line_and_buyer(
    session: Session, org_id: int | None, line_id: int
) -> tuple[OrderLine, Organisation | None]:
    """The actor's own line and its buyer, in one query (this is the busiest write)."""
    row = session.execute(_LINE_AND_BUYER, {"line_id": line_id}).first()
    if row is None or org_id is None or row[0].supplier_org_id != org_id:
        raise NotFound()
    return row[0], row[1]


#: Built once, the line's id a parameter: building and keying a new statement on every report
#: costs a fifth of what the database spends answering it.
_LINE_AND_BUYER = (
    select(OrderLine, Organisation)
    .join(Organisation, Organisation.id == OrderLine.buyer_org_id)
    .where(OrderLine.id == bindparam("line_id"))
)


def _insert_once(session: Session, values: dict[str, Any]) -> ProgressReport | None:
    """INSERT ... ON CONFLICT (idempotency_key) DO NOTHING: one round trip, race-safe."""
    row = session.execute(_insert_statement(session.get_bind().dialect.name), values).first()
    return ProgressReport(**row._mapping) if row is not None else None


@cache
def _insert_statement(dialect: str) -> Any:
    """Built once per dialect, on the table rather than the entity: this is the busiest write
    of the product, and the ORM's bulk-insert path costs more than the statement. The values
    go in as parameters, so SQLAlchemy finds the compiled statement without walking a new one."""
    table = ProgressReport.__table__
    return (
        dialect_insert(dialect, table)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(*table.columns)
    )


def _check(
    session: Session,
    line: OrderLine,
    buyer: Organisation | None,
    loaded: dict[str, Any],
    photo: Photo | None,
    max_photo_bytes: int,
) -> None:
    errors: dict[str, list[str]] = {}
    problem = _stage_problem(session, line, loaded["stage"])
    if problem:
        errors["stage"] = [problem]
    problem = _done_beyond_limit(session, line, buyer, loaded["quantity_done"])
    if problem:
        errors["quantity_done"] = [problem]
    if loaded["supersedes_id"] is not None:
        problem = _supersede_problem(session, line, loaded["supersedes_id"])
        if problem:
            errors["supersedes_id"] = [problem]
    if photo is not None:
        if photo_type(photo.content_type, photo.content, PHOTO_TYPES) is None:
            errors["photo"] = [Msg(N_("Send a photo (JPEG, PNG, WebP or HEIC)."))]
        elif len(photo.content) > max_photo_bytes:
            errors["photo"] = [
                Msg(N_("The photo is larger than %(mb)s MB."), mb=f"{max_photo_bytes / 2**20:g}")
            ]
    if errors:
        raise ValidationFailed(errors)


def _done_beyond_limit(
    session: Session, line: OrderLine, buyer: Organisation | None, done: Decimal
) -> Msg | None:
    """Why ``done`` is too much, if it is. Pieces the buyer rejected are made again, so they
    raise the limit; they are looked up only past the plain limit, off the busy path."""
    limit = quantity_limit(line, buyer)
    if done <= limit:
        return None
    rejected = rejected_of_line(session, line.id)
    if done <= limit + rejected:
        return None
    if not rejected:
        return Msg(
            N_("At most %(limit)s %(unit)s (the order plus its tolerance)."),
            limit=plain(limit),
            unit=line.unit,
        )
    return Msg(
        N_(
            "At most %(limit)s %(unit)s (the order plus its tolerance and the %(rejected)s "
            "rejected)."
        ),
        limit=plain(limit + rejected),
        unit=line.unit,
        rejected=plain(rejected),
    )


def _supersede_problem(session: Session, line: OrderLine, report_id: int) -> Msg | None:
    earlier = session.get(ProgressReport, report_id)
    if earlier is None or earlier.line_id != line.id:
        return Msg(N_("No such report on this line."))
    taken = session.scalar(
        select(ProgressReport.id).where(ProgressReport.supersedes_id == report_id)
    )
    if taken is not None:
        return Msg(N_("This report was already corrected."))
    return None


def reports_of_line(session: Session, line_id: int) -> list[ProgressReport]:
    """Every report of a line, newest first (superseded ones included)."""
    return list(
        session.scalars(
            select(ProgressReport)
            .where(ProgressReport.line_id == line_id)
            .order_by(ProgressReport.reported_at.desc(), ProgressReport.id.desc())
        )
    )
