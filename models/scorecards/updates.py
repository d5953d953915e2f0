"""Incremental updates: suppliers waiting for a scorecard refresh, asked for and claimed.

Asking twice for the same supplier leaves one row, so a burst of reports from one shop floor
costs one refresh (the caller enqueues a task only when the row is new). A refresh claims the
rows with ``DELETE ... RETURNING`` in the transaction that recomputes them: two workers never
claim the same supplier, and a worker that dies rolls the claim back, so the next refresh
still finds it. A sweep also picks up suppliers with facts newer than the last one it saw, for
writes that did not ask (a file import, an EDI message, a channel not wired yet).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.clock import local_day
from models.db import dialect_insert
from models.orders.entities import LineConfirmation, OrderLine, ProgressReport, Receipt
from models.scorecards.entities import ScorecardDirty, ScorecardWatermark
from models.scorecards.periods import current_periods
from models.scorecards.recompute import RecomputeResult, recompute
from models.scorecards.sql import insert_for

#: fact table -> (its id column, the supplier it belongs to, what to join to find it)
SWEPT = {
    "progress_reports": (ProgressReport.id, ProgressReport.supplier_org_id, None),
    "receipts": (Receipt.id, Receipt.supplier_org_id, None),
    "line_confirmations": (LineConfirmation.id, OrderLine.supplier_org_id, OrderLine),
}


def request_update(session: Session, supplier_org_id: int, now: datetime | None = None) -> bool:
    """Ask for a refresh of the supplier's scorecard; True when it was not already waiting."""
    statement = _request_statement(session.get_bind().dialect.name)
    values = {"supplier_org_id": supplier_org_id, "requested_at": now or utcnow()}
    return session.execute(statement, values).first() is not None


@cache
def _request_statement(dialect: str) -> Any:
    """Built once per dialect: every progress report and receipt asks, in its transaction."""
    return (
        dialect_insert(dialect, ScorecardDirty.__table__)
        .on_conflict_do_nothing(index_elements=["supplier_org_id"])
        .returning(ScorecardDirty.supplier_org_id)
    )


def request_updates(session: Session, supplier_ids: Iterable[int]) -> int:
    return sum(request_update(session, supplier_id) for supplier_id in sorted(set(supplier_ids)))


def claim_updates(session: Session) -> list[int]:
    """Take every waiting supplier (in the caller's transaction)."""
    rows = session.execute(delete(ScorecardDirty).returning(ScorecardDirty.supplier_org_id))
    return sorted(row[0] for row in rows)


def sweep_new_facts(session: Session) -> int:
    """Ask a refresh for the suppliers of facts added since the last sweep; how many asked."""
    asked: set[int] = set()
    for source, (id_column, supplier_column, joined) in SWEPT.items():
        last = session.scalar(
            select(ScorecardWatermark.last_id).where(ScorecardWatermark.source == source)
        )
        query = select(supplier_column, func.max(id_column)).where(id_column > (last or 0))
        if joined is not None:
            query = query.join(joined, joined.id == LineConfirmation.line_id)
        rows = session.execute(query.group_by(supplier_column)).all()
        if rows:
            asked.update(row[0] for row in rows)
            _raise_watermark(session, source, max(row[1] for row in rows))
    return request_updates(session, asked)


def _raise_watermark(session: Session, source: str, top: int) -> None:
    """Move a watermark up (never down), race-free: an upsert keeping the larger id."""
    table = ScorecardWatermark.__table__
    insert = insert_for(session, table).values(source=source, last_id=top)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["source"],
            set_={
                "last_id": case(
                    (insert.excluded.last_id > table.c.last_id, insert.excluded.last_id),
                    else_=table.c.last_id,
                )
            },
        )
    )


def refresh_waiting(session: Session, now: datetime | None = None) -> RecomputeResult | None:
    """Recompute the current week and month for every waiting supplier, in one transaction."""
    suppliers = claim_updates(session)
    if not suppliers:
        return None
    now = now or utcnow()
    return recompute(session, current_periods(local_day(now)), now, suppliers)


def advance_watermarks(session: Session) -> None:
    """Mark every fact up to now as seen (a full recompute is about to count them all)."""
    for source, (id_column, _supplier, _joined) in SWEPT.items():
        _raise_watermark(session, source, session.scalar(select(func.max(id_column))) or 0)
