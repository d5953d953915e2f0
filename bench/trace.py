"""Benchmark lot genealogy on a million-lot, five-tier graph in PostgreSQL.

``python -m bench.trace [--scale F]`` creates its own database (on ``DATABASE_URL``, default
the local server), migrates it, generates 1,000,000 lots and about 3,000,000 consumption links
(times F) and loads them with COPY. It then times 200 backward traces from random finished lots
and 200 forward traces from random raw-material lots through the product's own
:func:`models.trace.queries.trace` with the anchor as viewer (access rule on), and in the same
run, on the same roots, interleaved:

- ``cte``: the bare recursive CTE, a hand-written walk returning each lot reached with what a
  genealogy must show of it (parent, depth, consumed quantity, lot number, maker, part,
  quantity, date), without the access rule, names, shipments or any Python work;
- ``cte_ids``: the same walk returning lot ids only;
- ``bfs``: a breadth-first search over adjacency lists held in memory.

Each root is traced three times, the four ways interleaved, and the fastest time of each way
is kept: on a shared machine a moment when another process has the CPU is not query time.
Then the forward trace of the hottest raw-material lot and its containment job (open an
incident, build and publish the snapshot). It prints p50/p95 of each and the ratios against
``cte`` (and, for reference, ``cte_ids``); the last line is JSON. ``links_per_s`` is the COPY
of the links into their table (indexes and keys dropped first); ``links_with_keys_per_s``
includes rebuilding them. ``--keep`` keeps the database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.trace_graph import TIERS, adjacency, bfs, generate, load, reach
from models.actor import Actor
from models.config import normalise_database_url
from models.db import Database, make_engine
from models.migrate import upgrade
from models.orgs.paths import rebuild_network_paths
from models.trace.containment import compute_scope_now
from models.trace.graph import MAX_DEPTH
from models.trace.incidents import open_incident
from models.trace.queries import trace

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
ANCHOR_ID = 1
WARM_UP = 20
REPEAT = 3

WALK = """
WITH RECURSIVE walk(parent_id, lot_id, depth, quantity{lot_columns}) AS (
    SELECT CAST(NULL AS BIGINT), lots.id, 0, CAST(NULL AS NUMERIC(18, 4)){seed_columns}
    FROM lots WHERE lots.id = :root
    UNION
    SELECT walk.lot_id, edge.{far}, walk.depth + 1, edge.quantity{step_columns}
    FROM walk JOIN lot_consumptions AS edge ON edge.{near} = walk.lot_id{join}
    WHERE walk.depth < :max_depth
)
SELECT * FROM walk
"""
LOT_COLUMNS = ("maker_org_id", "part_id", "lot_number", "quantity", "made_at")


def _walk(direction: str, with_lots: bool) -> Any:
    near, far = ("output_lot_id", "input_lot_id")
    if direction == "down":
        near, far = far, near
    parts = {"lot_columns": "", "seed_columns": "", "step_columns": "", "join": ""}
    if with_lots:
        parts = {
            "lot_columns": "".join(f", lot_{c}" for c in LOT_COLUMNS),
            "seed_columns": "".join(f", lots.{c}" for c in LOT_COLUMNS),
            "step_columns": "".join(f", reached.{c}" for c in LOT_COLUMNS),
            "join": f" JOIN lots AS reached ON reached.id = edge.{far}",
        }
    return text(WALK.format(near=near, far=far, **parts))


BASELINES = {d: {"cte": _walk(d, True), "cte_ids": _walk(d, False)} for d in ("up", "down")}


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--traces", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="Keep the database (for EXPLAIN).")
    args = parser.parse_args(argv)
    server = normalise_database_url(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    name = f"tierlight_bench_trace_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name)
    try:
        return run(url.render_as_string(hide_password=False), args.scale, args.traces)
    finally:
        if args.keep:
            print(f"kept database {name}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(url: str, scale: float, traces: int) -> dict[str, float]:
    upgrade(url)
    started = time.perf_counter()
    graph = generate(scale)
    elapsed = time.perf_counter() - started
    print(
        f"generated {graph.lots:,} lots, {len(graph.edges):,} links, "
        f"{len(graph.org_tier):,} organisations in {elapsed:.1f} s"
    )
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    loaded = load(conninfo, graph)
    figures: dict[str, float] = {"links_per_s": len(graph.edges) / loaded["links_copy_s"]}
    figures["links_with_keys_per_s"] = len(graph.edges) / loaded["links_s"]
    print(
        f"COPY: lots {graph.lots / loaded['lots_s']:,.0f}/s; links {figures['links_per_s']:,.0f}/s "
        f"({loaded['links_copy_s']:.1f} s), then their indexes and keys rebuilt in "
        f"{loaded['links_keys_s']:.1f} s ({figures['links_with_keys_per_s']:,.0f} links/s overall)"
    )
    database = Database.from_url(url)
    started = time.perf_counter()
    with database.engine.begin() as connection:
        rebuild_network_paths(connection)
    with database.engine.connect() as connection:
        connection.execute(text("ANALYZE network_paths"))
    print(
        f"network paths of {len(graph.links):,} supplier links built in "
        f"{time.perf_counter() - started:.2f} s"
    )
    inputs, outputs = adjacency(graph)
    per = graph.lots // TIERS
    print(
        f"hot lot {graph.hot_lot + 1} reaches {reach(outputs, graph.hot_lot, per):,} finished lots"
    )
    rng = random.Random(11)
    visible = graph.visible_to_anchor()
    finished = rng.sample(range(per), traces + WARM_UP)
    raw = rng.sample(
        [i for i in range((TIERS - 1) * per, graph.lots) if visible[i] and i != graph.hot_lot],
        traces + WARM_UP,
    )
    with database.session() as session:
        for label, roots, direction, adjacent in (
            ("back", finished, "up", inputs),
            ("fwd", raw, "down", outputs),
        ):
            figures.update(_directional(session, label, roots, direction, adjacent))
        figures.update(_hot(session, graph.hot_lot + 1))
    figures.update(_containment(database, graph.hot_lot + 1))
    database.dispose()
    report(figures)
    return figures


def _directional(
    session: Session, label: str, roots: list[int], direction: str, adjacent: list[list[int]]
) -> dict[str, float]:
    """Product, bare CTEs and BFS on the same roots, interleaved so load and cache treat them
    alike; the first ``WARM_UP`` roots are not counted."""
    times: dict[str, list[float]] = {"product": [], "cte": [], "cte_ids": [], "bfs": []}
    nodes = []
    for n, root in enumerate(roots):
        measured, size = _one_root(session, root, direction, adjacent)
        if n >= WARM_UP:
            for kind, value in measured.items():
                times[kind].append(value)
            nodes.append(size)
    figures: dict[str, float] = {}
    for kind, values in times.items():
        figures[f"{label}_{kind}_p50_ms"], figures[f"{label}_{kind}_p95_ms"] = percentiles(values)
    figures[f"{label}_p95_ms"] = figures[f"{label}_product_p95_ms"]
    for base in ("cte", "cte_ids"):
        suffix = "" if base == "cte" else "_ids"
        figures[f"{label}_ratio_vs_cte{suffix}"] = (
            figures[f"{label}_product_p95_ms"] / figures[f"{label}_{base}_p95_ms"]
        )
    figures[f"{label}_nodes_avg"] = statistics.mean(nodes)
    return figures


def _one_root(
    session: Session, root: int, direction: str, adjacent: list[list[int]]
) -> tuple[dict[str, float], int]:
    """The fastest of ``REPEAT`` interleaved rounds of each way of tracing one root."""
    lot_id, params = root + 1, {"root": root + 1, "max_depth": MAX_DEPTH}
    best: dict[str, float] = {}
    size = 0
    for _ in range(REPEAT):
        started = time.perf_counter()
        size = len(trace(session, [lot_id], direction, ANCHOR_ID).nodes)
        measured = {"product": (time.perf_counter() - started) * 1000}
        for kind in ("cte", "cte_ids"):
            statement = BASELINES[direction][kind]
            measured[kind] = timed(lambda: session.execute(statement, params).all())  # noqa: B023
        measured["bfs"] = timed(lambda: bfs(adjacent, root, MAX_DEPTH))
        for kind, value in measured.items():
            best[kind] = min(value, best.get(kind, value))
    return best, size


def _hot(session: Session, hot: int) -> dict[str, float]:
    """The forward trace of the hottest raw-material lot (best of three, as the others)."""
    params = {"root": hot, "max_depth": MAX_DEPTH}
    result = trace(session, [hot], "down", ANCHOR_ID)
    return {
        "hot_fwd_ms": min(
            timed(lambda: trace(session, [hot], "down", ANCHOR_ID)) for _ in range(REPEAT)
        ),
        "hot_fwd_cte_ms": min(
            timed(lambda: session.execute(BASELINES["down"]["cte"], params).all())
            for _ in range(REPEAT)
        ),
        "hot_fwd_nodes": len(result.nodes),
        "hot_fwd_finished": len(result.ends),
    }


def _containment(database: Database, hot: int) -> dict[str, float]:
    """Open an incident on the hot lot and run its containment job, as the worker does."""
    started = time.perf_counter()
    with database.unit_of_work() as session:
        actor = Actor(1, ANCHOR_ID, "quality", "cli")
        data = {"title": "Hot batch", "severity": "safety", "lot_ids": [hot]}
        incident = open_incident(session, actor, data)
        assert incident.scope_job_id is not None
        summary = compute_scope_now(session, incident.scope_job_id, incident.id)
    return {
        "containment_s": time.perf_counter() - started,
        "containment_finished": summary["finished"],
        "containment_orgs": summary["organisations"],
    }


def report(figures: dict[str, float]) -> None:
    for key, value in figures.items():
        print(f"{key:28s} {value:>14,.3f}")
    keys = (
        "back_p95_ms",
        "fwd_p95_ms",
        "back_ratio_vs_cte",
        "fwd_ratio_vs_cte",
        "hot_fwd_ms",
        "containment_s",
        "links_per_s",
    )
    ordered = {k: round(figures[k], 3) for k in keys}
    ordered.update({k: round(v, 3) for k, v in figures.items() if k not in ordered})
    print(json.dumps(ordered))


if __name__ == "__main__":
    main()
