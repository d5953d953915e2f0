"""Benchmark the carbon roll-up: 10,000 parts in a five-level bill of materials, 5,000 suppliers.

``python -m bench.carbon [--scale F]`` builds, in a PostgreSQL database of its own
(``DATABASE_URL`` when it names a server, else the default server; dropped afterwards), 5,000
suppliers in five tiers with one site each, 10,000 parts in five bill-of-materials levels (each
part of levels 1-4 made of 3-5 parts of the level below), a year of monthly activity data
(three fuels, every part's output every month) and declared footprints for a tenth of the
lowest level, all loaded with COPY. It then times the full roll-up of the year, the same again
when nothing changed, and the propagation of one supplier's new declared footprint to the parts
above it (declare, recompute the affected ancestors, commit; the median of five suppliers,
after a first one that also compiles the statements).
The baseline is the bare SQL read of the year's activity data that any roll-up needs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from sqlalchemy import select, text

from bench.edi_ingest import bench_database, server_url
from models.actor import Actor
from models.carbon.footprints import declare_footprint
from models.carbon.rollup import recompute_footprints
from models.db import Database
from models.orders.entities import BomLine
from models.registry import metadata

assert metadata.tables  # every entity mapped, so the footprints' foreign keys resolve

YEAR = 2025
PARTS_PER_LEVEL = (500, 1000, 2000, 2500, 4000)
SUPPLIERS_PER_TIER = (100, 400, 1000, 1500, 2000)
REGIONS = (
    "north_china",
    "east_china",
    "south_china",
    "central_china",
    "northwest_china",
    "northeast_china",
    "southwest_china",
)
FUELS = (("electricity", "kWh", 20000), ("natural_gas", "m3", 1500), ("diesel", "L", 300))


def _rows(lines: Iterable[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= 50_000:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _copy(cur: psycopg.Cursor, target: str, lines: Iterable[str]) -> None:
    with cur.copy(f"COPY {target} FROM STDIN") as copy:
        for chunk in _rows(lines):
            copy.write(chunk)


def generate(scale: float, seed: int = 20261124) -> dict[str, Any]:
    """Suppliers by tier, parts by level with their makers, and the bill of materials."""
    rng = random.Random(seed)
    tiers = [max(2, round(n * scale)) for n in SUPPLIERS_PER_TIER]
    levels = [max(4, round(n * scale)) for n in PARTS_PER_LEVEL]
    org_ids, next_org = [], 2  # organisation 1 is the anchor
    for count in tiers:
        org_ids.append(list(range(next_org, next_org + count)))
        next_org += count
    parts: list[tuple[int, int, int]] = []  # (part id, level, maker)
    by_level: list[list[int]] = []
    next_part = 1
    for level, count in enumerate(levels):
        ids = list(range(next_part, next_part + count))
        by_level.append(ids)
        parts += [(pid, level, rng.choice(org_ids[level])) for pid in ids]
        next_part += count
    bom = [
        (parent, child, rng.randint(1, 4))
        for level in range(4)
        for parent in by_level[level]
        for child in rng.sample(by_level[level + 1], rng.randint(3, 5))
    ]
    return {"tiers": org_ids, "parts": parts, "levels": by_level, "bom": bom, "rng": rng}


def load(url: str, world: dict[str, Any]) -> int:
    """COPY the world into a migrated database; returns the bench user's id."""
    rng: random.Random = world["rng"]
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    orgs = [1] + [o for tier in world["tiers"] for o in tier]
    makers = {pid: maker for pid, _level, maker in world["parts"]}
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        user_id = cur.execute(
            "INSERT INTO users (email, name, password_hash, is_active, created_at) "
            "VALUES ('bench@carbon.bench', 'bench', '-', true, now()) RETURNING id"
        ).fetchone()[0]
        _copy(
            cur,
            "organisations (id, kind, name_zh, name_en, credit_code, created_at)",
            (
                f"{o}\t{'anchor' if o == 1 else 'supplier'}\t组织{o}\tOrg {o}\tBENCH{o:013d}\tnow\n"
                for o in orgs
            ),
        )
        links = [(1, s) for s in world["tiers"][0]] + [
            (rng.choice(world["tiers"][t - 1]), s) for t in range(1, 5) for s in world["tiers"][t]
        ]
        _copy(
            cur,
            "supplier_links (buyer_id, supplier_id, status, since, created_at)",
            (f"{b}\t{s}\tactive\tnow\tnow\n" for b, s in links),
        )
        _copy(
            cur,
            "sites (id, org_id, name, region, created_at)",
            (f"{o}\t{o}\tSite {o}\t{REGIONS[o % len(REGIONS)]}\tnow\n" for o in orgs[1:]),
        )
        _copy(
            cur,
            "parts (id, owner_org_id, part_number, name_zh, name_en, unit, mass_kg, "
            "supplier_org_id, created_at)",
            (
                f"{pid}\t1\tP{pid:06d}\t零件{pid}\tPart {pid}\tpcs\t{0.5 + pid % 40 / 4}\t"
                f"{maker}\tnow\n"
                for pid, _level, maker in world["parts"]
            ),
        )
        _copy(
            cur,
            "bom_lines (owner_org_id, parent_part_id, child_part_id, quantity, scrap_pct, "
            "created_at)",
            (f"{makers[p]}\t{p}\t{c}\t{q}\t{(p + c) % 5}\tnow\n" for p, c, q in world["bom"]),
        )
        _activity(cur, orgs[1:], world["parts"], rng)
        lowest = world["levels"][-1][::10]
        _copy(
            cur,
            "product_footprints (pf_id, part_id, org_id, year, kind, status, pcf_kg, "
            "primary_data_share, missing_inputs, origins, source, created_at)",
            (
                f"{uuid.uuid4()}\t{p}\t{makers[p]}\t{YEAR}\tdeclared\tActive\t{1 + p % 7}\t40\t0\t"
                f'{{"{makers[p]}": {1 + p % 7}}}\tpact\tnow\n'
                for p in lowest
            ),
        )
        for table in ("organisations", "sites", "parts", "activity_records"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return user_id


def _activity(cur: psycopg.Cursor, sites: list[int], parts: list[Any], rng: random.Random) -> None:
    """One record per site and month: three fuels, and every part the site's maker makes."""
    made: dict[int, list[int]] = {}
    for pid, _level, maker in parts:
        made.setdefault(maker, []).append(pid)
    records, energy, outputs = [], [], []
    rid = 0
    for site in sites:
        for month in range(1, 13):
            rid += 1
            records.append(
                f"{rid}\t{site}\t{site}\t{YEAR}-{month:02d}-01\t{YEAR}-{month:02d}-28\tfile\tnow\n"
            )
            energy += [
                f"{rid}\t{f}\t{q * rng.uniform(0.8, 1.2):.1f}\t0\t{u}\n" for f, u, q in FUELS
            ]
            outputs += [
                f"{rid}\t{p}\t{rng.randint(100, 900)}\t{rng.randint(100, 900)}\n"
                for p in made.get(site, ())
            ]
    _copy(
        cur,
        "activity_records (id, org_id, site_id, period_start, period_end, source, created_at)",
        records,
    )
    _copy(
        cur, "activity_energy (record_id, fuel, quantity, entered_quantity, entered_unit)", energy
    )
    _copy(cur, "activity_outputs (record_id, part_id, quantity, mass_kg)", outputs)


def _timed(database: Database, work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    with database.unit_of_work() as session:
        result = work(session)
    return time.perf_counter() - started, result


def run(url: str, world: dict[str, Any], user_id: int) -> dict[str, float]:
    database = Database.from_url(url)
    try:
        baseline_s, _ = _timed(
            database,
            lambda s: s.execute(
                text(
                    "SELECT r.site_id, e.fuel, sum(e.quantity) FROM activity_energy e JOIN "
                    "activity_records r ON r.id = e.record_id GROUP BY r.site_id, e.fuel"
                )
            ).all(),
        )
        actor = Actor(user_id, None, "admin", "cli")
        full_s, full = _timed(database, lambda s: recompute_footprints(s, actor, YEAR))
        again_s, again = _timed(database, lambda s: recompute_footprints(s, actor, YEAR))
        makers = {pid: maker for pid, _level, maker in world["parts"]}
        with database.unit_of_work() as session:
            parents = dict(
                session.execute(select(BomLine.child_part_id, BomLine.parent_part_id)).all()
            )
        candidates = [p for p in world["levels"][-1] if p in parents][:6]
        times, targets = [], []
        for n, part_id in enumerate(candidates):
            supplier = Actor(user_id, makers[part_id], "admin", "api")

            def propagate(
                session: Any, part_id: int = part_id, n: int = n, supplier: Actor = supplier
            ) -> dict[str, Any]:
                declare_footprint(
                    session, supplier, {"part_id": part_id, "year": YEAR, "pcf_kg": f"{3.5 + n}"}
                )
                return recompute_footprints(session, supplier, YEAR, [part_id])

            seconds, summary = _timed(database, propagate)
            times.append(seconds)
            targets.append(summary["targets"])
    finally:
        database.dispose()
    # the first propagation also compiles this process's incremental statements
    first_ms, times, targets = times[0] * 1000, times[1:], targets[1:]
    propagate_ms = statistics.median(times) * 1000
    return {
        "parts": len(world["parts"]),
        "suppliers": sum(len(t) for t in world["tiers"]),
        "bom_lines": len(world["bom"]),
        "footprints_written": full["written"],
        "baseline_read_s": round(baseline_s, 4),
        "full_s": round(full_s, 3),
        "full_unchanged_s": round(again_s, 3),
        "unchanged_written": again["written"],
        "propagate_ms": round(propagate_ms, 1),
        "propagate_first_ms": round(first_ms, 1),
        "propagate_max_ms": round(max(times) * 1000, 1),
        "propagate_parts": statistics.median(targets),
        "full_vs_baseline": round(full_s / baseline_s, 1),
        "full_vs_propagate": round(full_s * 1000 / propagate_ms, 1),
    }


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (1.0 = 10,000 parts)")
    args = parser.parse_args(argv)
    world = generate(args.scale)
    with bench_database(server_url()) as url:
        started = time.perf_counter()
        user_id = load(url, world)
        load_s = time.perf_counter() - started
        result = {"scale": args.scale, "load_s": round(load_s, 2)} | run(url, world, user_id)
    print(
        f"parts {result['parts']:,} in 5 levels, {result['bom_lines']:,} BOM lines, "
        f"{result['suppliers']:,} suppliers; loaded in {result['load_s']} s"
    )
    print(f"baseline (read the year's energy, grouped):  {result['baseline_read_s']:.3f} s")
    print(
        f"full roll-up ({result['footprints_written']:,} footprints written): "
        f"{result['full_s']:.2f} s  ({result['full_vs_baseline']}x the baseline; target < 10 s)"
    )
    print(f"full roll-up again, nothing changed:  {result['full_unchanged_s']:.2f} s")
    print(
        f"propagate one supplier's new footprint ({result['propagate_parts']} parts "
        f"recomputed): median {result['propagate_ms']:.0f} ms, max "
        f"{result['propagate_max_ms']:.0f} ms; the process's first one "
        f"{result['propagate_first_ms']:.0f} ms (target < 200 ms)"
    )
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
