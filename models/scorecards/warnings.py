"""Early warnings: order lines at risk and suppliers whose sub-tier has a critical incident.

A line is at risk when
- ``expected_late``: its latest progress report expects to finish after the promised date
  (plus the buyer's late tolerance);
- ``stalled``: no report for ``stall_days`` while it is due within ``stall_due_within_days``
  and not reported complete;
- ``projected_late``: at the pace reported over the last ``projection_days`` it would finish
  after the promised date (plus tolerance);
- ``overdue``: the promised date (plus tolerance) has passed and it is still open.
A supplier is at risk (``subtier_incident``) while any organisation below it has an open
critical incident; its direct buyers are warned.

All of it is one set-based query per kind of subject, upserted by ``subject`` (so a warning
exists once) and resolved when its condition is gone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from models.base import UTCDateTime, utcnow
from models.clock import local_day
from models.orders.entities import OrderLine, ProgressReport
from models.orders.lines import agreed_quantity_sql, promised_date_sql
from models.orgs.entities import SupplierLink
from models.scorecards.entities import ScorecardWarning
from models.scorecards.incident_kpis import subtier_incident_counts
from models.scorecards.settings import BuyerRules, widest
from models.scorecards.sql import (
    at,
    date_days,
    day_number,
    epoch_days,
    insert_for,
    is_postgres,
    lock,
    tune,
)

LINE_KINDS = ("expected_late", "stalled", "projected_late", "overdue")
COLUMNS = (
    "subject",
    "kind",
    "buyer_org_id",
    "supplier_org_id",
    "line_id",
    "promised_date",
    "expected_finish",
    "late_days",
    "last_report_at",
    "incident_count",
)
#: What a warning says; a run rewrites a warning only when one of these changed.
FACTS = ("promised_date", "expected_finish", "late_days", "last_report_at", "incident_count")


def _reports(session: Session, now: Any, since: Any, now_days: Any, rules: Any) -> Any:
    """Per open line: the newest report no correction superseded (time, quantity, expected
    finish) and the first report within the buyer's pace window (time, quantity).

    Two index probes per line on ``(line_id, reported_at)``: LATERAL joins on PostgreSQL,
    correlated subqueries on SQLite (which has no LATERAL).
    """
    correction = aliased(ProgressReport, name="correction")
    last = aliased(ProgressReport, name="last_report")
    first = aliased(ProgressReport, name="first_report")
    newest = (
        select(last.reported_at, last.quantity_done, last.expected_finish)
        .where(last.line_id == OrderLine.id, ~exists().where(correction.supersedes_id == last.id))
        .order_by(last.reported_at.desc())
        .limit(1)
    )
    earliest = (
        select(first.reported_at, first.quantity_done)
        .where(
            first.line_id == OrderLine.id,
            first.reported_at > since,
            first.reported_at <= now,
            epoch_days(first.reported_at) > now_days - rules.rule("projection_days"),
        )
        .order_by(first.reported_at)
        .limit(1)
    )
    if is_postgres(session):
        newest_row, earliest_row = newest.lateral("newest"), earliest.lateral("earliest")
        columns = [
            newest_row.c.reported_at.label("last_at"),
            newest_row.c.quantity_done.label("last_done"),
            newest_row.c.expected_finish,
            earliest_row.c.reported_at.label("first_at"),
            earliest_row.c.quantity_done.label("first_done"),
        ]
        return columns, [(newest_row, true()), (earliest_row, true())]
    columns = [
        newest.with_only_columns(last.reported_at).scalar_subquery().label("last_at"),
        newest.with_only_columns(last.quantity_done).scalar_subquery().label("last_done"),
        newest.with_only_columns(last.expected_finish).scalar_subquery().label("expected_finish"),
        earliest.with_only_columns(first.reported_at).scalar_subquery().label("first_at"),
        earliest.with_only_columns(first.quantity_done).scalar_subquery().label("first_done"),
    ]
    return columns, []


def risk_parameters(
    session: Session, now: datetime, suppliers: frozenset[int] | None
) -> dict[str, Any]:
    """The values :func:`line_risks` runs with (its statement is reused with new ones)."""
    found = {
        "sw_now": now,
        "sw_since": now - timedelta(days=widest(session, "projection_days")),
        "sw_now_days": day_number(now),
        "sw_today": day_number(local_day(now)),
    }
    if suppliers is not None:
        found["sw_suppliers"] = sorted(suppliers)
    return found


def line_risks(session: Session, now: datetime, suppliers: frozenset[int] | None) -> Any:
    """One row per open line with the measures and the four risk flags (a CTE).

    The lines' state (newest report, pace) is materialised once, then judged.
    """
    rules = BuyerRules()
    values = risk_parameters(session, now, suppliers)
    params = {
        name: bindparam(name, values[name], type_=kind)
        for name, kind in (
            ("sw_now", UTCDateTime()), ("sw_since", UTCDateTime()),
            ("sw_now_days", Double()), ("sw_today", Double()),
        )
    }  # fmt: skip
    today, now_days = params["sw_today"], params["sw_now_days"]
    reports, joins = _reports(session, params["sw_now"], params["sw_since"], now_days, rules)
    state = (
        select(
            OrderLine.id.label("line_id"),
            OrderLine.buyer_org_id,
            OrderLine.supplier_org_id,
            promised_date_sql().label("promised"),
            agreed_quantity_sql().label("agreed"),
            OrderLine.created_at,
            rules.rule("otd_late_days").label("late"),
            rules.rule("stall_days").label("stall_days"),
            rules.rule("stall_due_within_days").label("due_within"),
            *reports,
        )
        .select_from(OrderLine)
        .outerjoin(rules.table, rules.table.org_id == OrderLine.buyer_org_id)
        .where(OrderLine.status == "open", _scoped(OrderLine.supplier_org_id, suppliers))
    )
    for joined, on in joins:
        state = state.outerjoin(joined, on)
    line = state.cte("line_state").prefix_with("MATERIALIZED")
    promised = date_days(line.c.promised)
    unfinished = func.coalesce(line.c.last_done, 0) < line.c.agreed
    silent = now_days - func.coalesce(epoch_days(line.c.last_at), epoch_days(line.c.created_at))
    span = epoch_days(line.c.last_at) - epoch_days(line.c.first_at)
    gained = line.c.last_done - line.c.first_done
    moving = and_(span > 0, gained > 0, line.c.agreed > line.c.last_done)
    finish = epoch_days(line.c.last_at) + (line.c.agreed - line.c.last_done) * span / gained
    projected_late = case((moving, finish - (promised + 1)), else_=None)
    expected_late = and_(
        line.c.expected_finish.is_not(None),
        date_days(line.c.expected_finish) > promised + line.c.late,
    )
    stalled = and_(silent > line.c.stall_days, promised - today <= line.c.due_within, unfinished)
    return select(
        line.c.line_id,
        line.c.buyer_org_id,
        line.c.supplier_org_id,
        line.c.promised,
        line.c.expected_finish,
        line.c.last_at,
        projected_late.label("projected_late_days"),
        (today - promised).label("overdue_days"),
        case((expected_late, 1), else_=0).label("expected_late"),
        case((stalled, 1), else_=0).label("stalled"),
        case((and_(projected_late > line.c.late, unfinished), 1), else_=0).label("projected_late"),
        case((today - promised > line.c.late, 1), else_=0).label("overdue"),
    ).cte("line_risk")


def _scoped(column: Any, suppliers: frozenset[int] | None) -> Any:
    if suppliers is None:
        return true()
    return column.in_(bindparam("sw_suppliers", sorted(suppliers), expanding=True))


def _line_rows(risks: Any, kind: str) -> Any:
    late_days = {
        "expected_late": date_days(risks.c.expected_finish) - date_days(risks.c.promised),
        "projected_late": risks.c.projected_late_days,
    }.get(kind)
    return select(
        (literal("line:") + cast(risks.c.line_id, String()) + literal(f":{kind}")).label("subject"),
        literal(kind, String()).label("kind"),
        risks.c.buyer_org_id,
        risks.c.supplier_org_id,
        risks.c.line_id,
        risks.c.promised.label("promised_date"),
        risks.c.expected_finish,
        (cast(late_days, Double()) if late_days is not None else cast(null(), Double())).label(
            "late_days"
        ),
        risks.c.last_at.label("last_report_at"),
        cast(null(), Integer()).label("incident_count"),
    ).where(risks.c[kind] == 1)


def _subtier_rows() -> Any:
    counts = subtier_incident_counts().subquery("subtier")
    return select(
        (
            literal("subtier:")
            + cast(SupplierLink.buyer_id, String())
            + literal(":")
            + cast(SupplierLink.supplier_id, String())
        ).label("subject"),
        literal("subtier_incident", String()).label("kind"),
        SupplierLink.buyer_id.label("buyer_org_id"),
        SupplierLink.supplier_id.label("supplier_org_id"),
        cast(null(), Integer()).label("line_id"),
        cast(null(), Date()).label("promised_date"),
        cast(null(), Date()).label("expected_finish"),
        cast(null(), Double()).label("late_days"),
        cast(null(), UTCDateTime()).label("last_report_at"),
        cast(counts.c.incidents, Integer()).label("incident_count"),
    ).join(
        SupplierLink,
        and_(SupplierLink.supplier_id == counts.c.org_id, SupplierLink.status == "active"),
    )


#: A temporary table for one run's warnings (dropped at the end of the run's transaction).
CURRENT = Table(
    "scorecard_warnings_now",
    MetaData(),
    *[Column(name, ScorecardWarning.__table__.c[name].type) for name in COLUMNS],
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_FILLS: dict[tuple[Any, ...], Any] = {}


def _fill(session: Session, now: datetime, suppliers: frozenset[int] | None) -> Any:
    """INSERT INTO the temporary table every current warning (built once per shape)."""
    key = (session.get_bind().dialect.name, suppliers is not None)
    found = _FILLS.get(key)
    if found is None:
        risks = line_risks(session, now, suppliers)
        rows = union_all(*[_line_rows(risks, kind) for kind in LINE_KINDS], _subtier_rows())
        found = _FILLS[key] = CURRENT.insert().from_select(
            list(COLUMNS), select(rows.subquery("warning_row"))
        )
    return found


def refresh_warnings(
    session: Session, now: datetime, suppliers: frozenset[int] | None = None
) -> dict[str, int]:
    """Upsert every current warning, resolve those whose condition is gone; active warnings
    (of the suppliers in scope) by kind.

    With ``suppliers`` only their lines are evaluated (an incremental update). A warning that
    comes back after it was resolved starts a new episode and is announced again.
    """
    lock(session, "warnings")
    tune(session)
    seen = utcnow()
    current = CURRENT
    current.create(session.connection())
    session.execute(_fill(session, now, suppliers), risk_parameters(session, now, suppliers))
    table = ScorecardWarning.__table__
    insert = insert_for(session, table).from_select(
        [*COLUMNS, "first_seen_at", "updated_at"],
        select(current, at(seen), at(seen)).where(true()),
    )
    reopened = table.c.resolved_at.is_not(None)
    changed = or_(
        reopened, *[table.c[name].is_distinct_from(insert.excluded[name]) for name in FACTS]
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["subject"],
            set_={
                **{name: insert.excluded[name] for name in FACTS},
                "updated_at": insert.excluded.updated_at,
                "first_seen_at": case(
                    (reopened, insert.excluded.first_seen_at), else_=table.c.first_seen_at
                ),
                "notified_at": case((reopened, None), else_=table.c.notified_at),
                "resolved_at": None,
            },
            where=changed,
        )
    )
    still = exists().where(current.c.subject == table.c.subject)
    in_scope = or_(
        and_(table.c.line_id.is_not(None), _scoped(table.c.supplier_org_id, suppliers)),
        table.c.kind == "subtier_incident",
    )
    session.execute(
        update(table)
        .where(table.c.resolved_at.is_(None), in_scope, ~still)
        .values(resolved_at=seen, updated_at=seen)
    )
    current.drop(session.connection())
    counted = session.execute(
        select(ScorecardWarning.kind, func.count())
        .where(
            ScorecardWarning.resolved_at.is_(None),
            _scoped(ScorecardWarning.supplier_org_id, suppliers),
        )
        .group_by(ScorecardWarning.kind)
    )
    return {kind: int(n) for kind, n in counted}
