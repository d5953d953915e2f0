"""Recompute jobs: repeatable, safe to interrupt, incremental per supplier, coalesced."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from models.scorecards.entities import ScorecardDirty, ScorecardWarning, scorecards_table
from models.scorecards.periods import period_of, periods_back
from models.scorecards.recompute import stages
from models.scorecards.updates import (
    advance_watermarks,
    claim_updates,
    refresh_waiting,
    request_update,
    sweep_new_facts,
)
from tests.integration.scorecards.builders import (
    NOW,
    TODAY,
    deliver,
    hours_ago,
    incident,
    line,
    report,
    stored,
)

PERIODS = periods_back("week", TODAY, 3) + periods_back("month", TODAY, 2)


def facts(session, net) -> None:
    for supplier in (net.t1, net.t1b, net.t2):
        made = line(session, net.anchor, supplier, due=TODAY + timedelta(days=4))
        report(session, made, 20, hours_ago(30), expected=TODAY + timedelta(days=9))
        done = line(session, net.anchor, supplier, due=TODAY - timedelta(days=8))
        deliver(session, done, 100, TODAY - timedelta(days=7), rejected=3)
    incident(session, net.t1, net.t2)


def snapshot(session) -> list[tuple]:
    table = scorecards_table
    columns = [c for c in table.c if c.name not in ("computed_at", "cutoff_at")]
    rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
    warnings = session.execute(
        select(ScorecardWarning.subject, ScorecardWarning.resolved_at.is_(None)).order_by(
            ScorecardWarning.subject
        )
    ).all()
    return [tuple(r) for r in rows] + [tuple(w) for w in warnings]


def run_all(database) -> None:
    for stage in stages(PERIODS, NOW):
        with database.unit_of_work() as session:
            stage.run(session)


def test_a_recompute_interrupted_after_partial_writes_then_rerun_equals_a_clean_run(
    session, database, net
):
    facts(session, net)
    session.commit()
    run_all(database)
    clean = snapshot(session)
    table = scorecards_table
    with database.unit_of_work() as work:
        work.execute(delete(table))
        work.execute(delete(ScorecardWarning))
    plan = stages(PERIODS, NOW)
    for stage in plan[:2]:  # the worker dies after two periods were committed ...
        with database.unit_of_work() as work:
            stage.run(work)
    with database.unit_of_work() as work:  # ... and half of a third one's rows were wrong
        work.execute(update(table).where(table.c.period_kind == "month").values(coverage=-1.0))
    session.expire_all()
    assert snapshot(session) != clean
    run_all(database)  # the next run completes the work
    session.expire_all()
    assert snapshot(session) == clean
    run_all(database)  # and once more: nothing is counted twice
    session.expire_all()
    assert snapshot(session) == clean


def test_an_incremental_update_recomputes_only_the_suppliers_asked_for(session, net):
    facts(session, net)
    current = [period_of("week", TODAY), period_of("month", TODAY)]
    for stage in stages(current, NOW):
        stage.run(session)
    untouched = stored(session, net.t1b.id)["computed_at"]
    before = stored(session, net.t1.id)
    assert (before["coverage_num"], before["coverage_den"]) == (1, 2)
    fresh = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=4))
    report(session, fresh, 1, hours_ago(1))
    assert request_update(session, net.t1.id) is True
    assert request_update(session, net.t1.id) is False  # coalesced: one refresh for the burst
    result = refresh_waiting(session, NOW)
    assert result is not None and result.periods == 2
    row = stored(session, net.t1.id)
    assert (row["coverage_num"], row["coverage_den"]) == (2, 3)
    assert stored(session, net.t1b.id)["computed_at"] == untouched
    assert session.scalar(select(ScorecardDirty.supplier_org_id)) is None
    assert refresh_waiting(session, NOW) is None


def test_a_claim_takes_each_waiting_supplier_once(session, net):
    request_update(session, net.t1.id)
    request_update(session, net.t2.id)
    assert claim_updates(session) == sorted([net.t1.id, net.t2.id])
    assert claim_updates(session) == []


def test_the_sweep_finds_suppliers_of_facts_that_did_not_ask(session, net):
    advance_watermarks(session)
    made = line(session, net.anchor, net.t2, due=TODAY + timedelta(days=4))
    report(session, made, 1, hours_ago(1))
    assert sweep_new_facts(session) == 1
    assert claim_updates(session) == [net.t2.id]
    assert sweep_new_facts(session) == 0
