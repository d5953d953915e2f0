"""Benchmark the supplier dashboard: full recompute, the same KPIs as bare SQL, an incremental
update after one report, and the anchor dashboard page's p95.

``python -m bench.dashboard [--scale F]`` creates its own PostgreSQL database on the server of
``DATABASE_URL`` (default postgresql://postgres@127.0.0.1:5432/postgres), loads 10,000 suppliers,
200,000 order lines, 5,000,000 progress reports, 1,000,000 measurements and 500,000 receipts
(times F) with COPY (see :mod:`bench.dashboard_data`), then measures:

- the full recompute through the product's own Celery task (run in-process), three times;
- the same KPIs as hand-written SQL (:mod:`bench.dashboard_sql`), in the same run;
- the incremental update after one new progress report (record_progress, then the update the
  report path schedules), twenty times;
- the anchor's /dashboard page through the Flask app, 50 requests, with the garbage collector
  settled as in a gunicorn worker of the product;
- on the same data, the anchor's order list (``/orders/``, its own lines, and
  ``/orders/?scope=chain``, every line of its supply tree it may see), 20 requests each: a list
  that ranked every report in the database on each page took seconds at a fifth of this size.

The last line is one JSON object. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from typing import Any

import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.dashboard_data import ADMIN_EMAIL, PASSWORD, Sizes, load
from bench.dashboard_sql import bare_kpis
from models.actor import Actor
from models.base import utcnow
from models.config import load_settings, normalise_database_url
from models.db import Database
from models.migrate import upgrade
from models.orders.entities import OrderLine
from models.orders.progress import record_progress
from models.scorecards.entities import ScorecardWarning, scorecards_table
from models.scorecards.periods import current_periods
from webapp.app import create_app
from webapp.gunicorn_conf import settle_collector
from worker.tasks.scorecards import recompute_scorecards, refresh_scorecard_updates
from worker.tasks.scorecards import schedule_scorecard_update as schedule

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PAGE_REQUESTS = 50
INCREMENTAL_RUNS = 20


def log(message: str) -> None:
    print(message, flush=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def create_database(server: str) -> tuple[str, str]:
    name = f"tierlight_bench_dashboard_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(_libpq(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def full_recompute(runs: int = 3) -> list[float]:
    """The product's own job (the Celery task's body, in this process)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = recompute_scorecards.run()
        times.append(time.perf_counter() - started)
        log(f"  job: {times[-1]:.2f} s ({result['rows']} rows, warnings {result['warnings']})")
    return times


def bare_sql(url: str, now: Any) -> tuple[float, dict]:
    with psycopg.connect(_libpq(url)) as conn:
        started = time.perf_counter()
        found = bare_kpis(conn, current_periods(now.date()), now)
        return time.perf_counter() - started, found


def agreement(database: Database, found: dict) -> tuple[int, int]:
    """How many of the job's stored values (every KPI of every supplier) and warnings (lines
    flagged per reason) the bare SQL reproduces."""
    table = scorecards_table
    checked = matched = 0
    with database.unit_of_work() as session:
        for (kpi, kind, start), values in found.items():
            if kpi == "risks":
                continue
            column = table.c["carbon_intensity" if kpi == "footprints" else kpi]
            stored = dict(
                session.execute(
                    select(table.c.supplier_org_id, column).where(
                        table.c.period_kind == kind, table.c.period_start == start
                    )
                ).all()
            )
            for supplier, value in values.items():
                value = value[0] if isinstance(value, tuple) else value
                mine = stored.get(supplier)
                checked += 1
                matched += (value is None and mine is None) or (
                    value is not None
                    and mine is not None
                    and abs(float(value) - mine) <= 1e-6 * max(1.0, abs(mine))
                )
        flags = next(v for (kpi, _k, _s), v in found.items() if kpi == "risks")
        active = dict(
            session.execute(
                select(ScorecardWarning.kind, func.count())
                .where(
                    ScorecardWarning.resolved_at.is_(None), ScorecardWarning.line_id.is_not(None)
                )
                .group_by(ScorecardWarning.kind)
            ).all()
        )
    for n, kind in enumerate(("expected_late", "stalled", "projected_late", "overdue")):
        checked += 1
        matched += sum(1 for row in flags.values() if row[n]) == active.get(kind, 0)
    return checked, matched


def incremental(database: Database) -> list[float]:
    """Record one report on an open line, then time the update its supplier gets."""
    times = []
    with database.unit_of_work() as session:
        lines = session.execute(
            select(OrderLine.id, OrderLine.supplier_org_id, OrderLine.quantity)
            .where(OrderLine.status == "open")
            .order_by(OrderLine.id)
            .limit(INCREMENTAL_RUNS)
        ).all()
    for n, (line_id, supplier, quantity) in enumerate(lines):
        with database.unit_of_work() as session:
            record_progress(
                session,
                Actor(None, supplier, "reporter", "api"),
                line_id,
                {
                    "stage": "production",
                    "quantity_done": str(quantity // 2),
                    "idempotency_key": f"bench-{uuid.uuid4().hex}",
                },
            )
        started = time.perf_counter()
        schedule(supplier)
        refresh_scorecard_updates.run()
        times.append((time.perf_counter() - started) * 1000)
        if n == 0:
            log(f"  first incremental update: {times[0]:.1f} ms")
    return times


def pages(app: Any) -> dict[str, list[float]]:
    """Each page's time through the app in this process, with the collector set as a gunicorn
    worker of the product sets it (:func:`webapp.gunicorn_conf.settle_collector`): unsettled,
    a full collection walks the benchmark's own data too and takes over 100 ms, and two of them
    in 50 requests set the page's p95."""
    settle_collector()
    client = app.test_client()
    login = client.get("/auth/login").get_data(as_text=True)
    token = login.split('name="csrf-token" content="')[1].split('"')[0]
    client.post(
        "/auth/login", data={"email": ADMIN_EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    measured: dict[str, list[float]] = {}
    for path, count in (
        ("/dashboard", PAGE_REQUESTS),
        ("/dashboard/live", 20),
        ("/dashboard/trends.json", 10),
        ("/dashboard/tree.json", 10),
        ("/dashboard/stamp.json", 20),
        ("/orders/", 20),
        ("/orders/?scope=chain", 20),
    ):
        client.get(path)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        measured[path] = times
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    server = normalise_database_url(os.environ.get("DATABASE_URL") or SERVER)
    sizes = Sizes.at(args.scale)
    name, url = create_database(server)
    log(f"database {name}; {sizes}")
    try:
        upgrade(url)
        started = time.perf_counter()
        load(_libpq(url), sizes, utcnow(), log)
        load_s = time.perf_counter() - started
        log(f"loaded in {load_s:.1f} s")
        instance = tempfile.mkdtemp(prefix="tierlight-bench-")
        settings = load_settings(
            {
                "TIERLIGHT_MODE": "test",
                "TIERLIGHT_INSTANCE": instance,
                "DATABASE_URL": url,
                "CELERY_BROKER_URL": "memory://",
                "CELERY_RESULT_BACKEND": "cache+memory://",
                "DEFAULT_LOCALE": "en",
            }
        )
        database = Database.from_url(url)
        app = create_app(settings, database)
        log("full recompute through the job:")
        full = full_recompute()
        now = utcnow()
        bare_s, found = bare_sql(url, now)
        log(f"bare SQL, same KPIs: {bare_s:.2f} s")
        recompute_scorecards.run(as_of=now.isoformat())  # the job at the very same moment
        checked, matched = agreement(database, found)
        log(f"bare SQL reproduces {matched} of {checked} stored values checked")
        steps = incremental(database)
        log(f"incremental: median {statistics.median(steps):.1f} ms, p95 {p95(steps):.1f} ms")
        started = time.perf_counter()
        recompute_scorecards.run(history=True)
        history_s = time.perf_counter() - started
        log(f"history recompute (13 weeks, 12 months, for the trends): {history_s:.1f} s")
        measured = pages(app)
        for path, times in measured.items():
            log(f"{path}: median {statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms")
        full_s = statistics.median(full)
        result = {
            "scale": args.scale,
            "load_s": round(load_s, 1),
            "full_s": round(full_s, 3),
            "full_first_s": round(full[0], 3),
            "bare_sql_s": round(bare_s, 3),
            "ratio_vs_bare": round(full_s / bare_s, 2),
            "bare_sql_agrees": f"{matched}/{checked}",
            "incremental_ms": round(statistics.median(steps), 1),
            "incremental_p95_ms": round(p95(steps), 1),
            "page_p95_ms": round(p95(measured["/dashboard"]), 1),
            "page_median_ms": round(statistics.median(measured["/dashboard"]), 1),
            "live_p95_ms": round(p95(measured["/dashboard/live"]), 1),
            "trends_p95_ms": round(p95(measured["/dashboard/trends.json"]), 1),
            "tree_p95_ms": round(p95(measured["/dashboard/tree.json"]), 1),
            "orders_p95_ms": round(p95(measured["/orders/"]), 1),
            "orders_chain_p95_ms": round(p95(measured["/orders/?scope=chain"]), 1),
            "history_s": round(history_s, 1),
        }
        database.dispose()
        print(json.dumps(result))
        return 0
    finally:
        if not args.keep:
            drop_database(server, name)


if __name__ == "__main__":
    sys.exit(main())
