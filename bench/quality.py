"""Benchmark the statistics recompute on PostgreSQL against a pandas baseline.

``python -m bench.quality [--scale F]`` creates a database on the server of ``DATABASE_URL``
(default postgresql://postgres@127.0.0.1:5432/postgres), migrates it, bulk-loads 1,000,000
measurements over 10,000 characteristics (times F) with COPY, then times:

- ``recompute_s``: the product's full recompute (:func:`recompute_statistics`, the function the
  worker's task calls): load, X̄-R / X̄-S / I-MR limits, Cp/Cpk/Pp/Ppk/Cpm, Nelson signals,
  statistics and alerts written, committed; ``recompute_again_s`` the same on unchanged data;
- ``pandas_s``: the pandas baseline (:mod:`bench.quality_pandas`) = its load + compute time.

It checks that both give the same Cpk, UCL and signal counts, prints the figures and, last,
one JSON line. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bench import quality_pandas
from models.db import Database, make_engine
from models.migrate import upgrade
from models.quality.entities import CharacteristicStatistics
from models.quality.statistics_store import recompute_statistics

CHARACTERISTICS = 10_000
MEASUREMENTS = 1_000_000
SIZES, SIZE_SHARES = [1, 3, 5, 8, 12], [0.3, 0.15, 0.35, 0.1, 0.1]
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def bench_database(server: str) -> Iterator[str]:
    name = f"tierlight_bench_quality_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def generate(characteristics: int, measurements: int, seed: int = 7) -> dict[str, np.ndarray]:
    """Sizes, limits and values; a tenth of the characteristics drift or jump, so rules fire."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(SIZES, size=characteristics, p=SIZE_SHARES)
    counts = np.full(characteristics, measurements // characteristics)
    counts[: measurements - counts.sum()] += 1
    owner = np.repeat(np.arange(characteristics), counts)
    sigma = rng.uniform(0.05, 0.15, characteristics)
    values = 10.0 + rng.standard_normal(owner.size) * sigma[owner]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    position = np.arange(owner.size) - starts[owner]
    troubled = rng.random(characteristics) < 0.1
    values += np.where(troubled[owner] & (position > counts[owner] * 0.7), 4 * sigma[owner], 0)
    return {
        "sizes": sizes,
        "lsl": np.round(10.0 - rng.uniform(0.3, 0.6, characteristics), 3),
        "usl": np.round(10.0 + rng.uniform(0.3, 0.6, characteristics), 3),
        "owner": owner,
        "position": position,
        "values": np.round(values, 4),
    }


def populate(url: str, data: dict[str, np.ndarray]) -> None:
    """Organisations, parts, characteristics and one inspection each; measurements by COPY."""
    engine = make_engine(url)
    count = data["sizes"].size
    now = datetime.now(UTC)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "INSERT INTO organisations (id, kind, name_zh, name_en, credit_code, created_at) "
            "VALUES (1, 'anchor', 'A', 'A', 'BENCH00000000000A1', %s), "
            "(2, 'supplier', 'S', 'S', 'BENCH00000000000S2', %s)",
            (now, now),
        )
        parts = (count + 9) // 10
        _copy(cursor, "parts (id, owner_org_id, part_number, name_zh, name_en, unit, "
              "supplier_org_id, created_at)",
              (f"{p + 1}\t1\tP{p}\tP{p}\tP{p}\tPCE\t2\t{now.isoformat()}"
               for p in range(parts)))  # fmt: skip
        _copy(cursor, "quality_characteristics (id, part_id, buyer_org_id, supplier_org_id, "
              "code, name, unit, lsl, usl, classification, subgroup_size, active, created_at, "
              "updated_at)",
              (f"{c + 1}\t{c // 10 + 1}\t1\t2\tC{c}\tC{c}\tmm\t{data['lsl'][c]}\t{data['usl'][c]}"
               f"\t{'critical' if c % 4 == 0 else 'standard'}\t{data['sizes'][c]}\ttrue"
               f"\t{now.isoformat()}\t{now.isoformat()}" for c in range(count)))  # fmt: skip
        _copy(cursor, "quality_inspections (id, supplier_org_id, buyer_org_id, part_id, "
              "lot_number, inspected_at, source, created_at)",
              (f"{c + 1}\t2\t1\t{c // 10 + 1}\tL{c}\t{now.isoformat()}\tfile\t{now.isoformat()}"
               for c in range(count)))  # fmt: skip
        _copy_measurements(cursor, data, now)
        for table in ("parts", "quality_characteristics", "quality_inspections",
                      "quality_measurements", "organisations"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")  # fmt: skip
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def _copy(cursor: Any, target: str, lines: Iterator[str]) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        copy.write("\n".join(lines) + "\n")


def _copy_measurements(cursor: Any, data: dict[str, np.ndarray], now: datetime) -> None:
    """Binary COPY straight from numpy: id, inspection, characteristic, time, subgroup, value."""
    owner, position = data["owner"], data["position"]
    rows = np.zeros(owner.size, dtype=[
        ("fields", ">i2"), ("l1", ">i4"), ("id", ">i8"), ("l2", ">i4"), ("inspection", ">i8"),
        ("l3", ">i4"), ("characteristic", ">i8"), ("l4", ">i4"), ("at", ">i8"),
        ("l5", ">i4"), ("subgroup", ">i4"), ("l6", ">i4"), ("value", ">f8")])  # fmt: skip
    base = int((now - PG_EPOCH).total_seconds() * 1_000_000) - 10**12
    sizes = data["sizes"][owner]
    rows["fields"], rows["l1"], rows["l2"], rows["l3"] = 6, 8, 8, 8
    rows["l4"], rows["l5"], rows["l6"] = 8, 4, 8
    rows["id"] = np.arange(1, owner.size + 1)
    rows["inspection"] = rows["characteristic"] = owner + 1
    rows["at"] = base + (position // sizes) * 60_000_000  # a subgroup a minute
    rows["subgroup"] = position // sizes + 1
    rows["value"] = data["values"]
    payload = io.BytesIO()
    payload.write(b"PGCOPY\n\xff\r\n\0" + struct.pack(">ii", 0, 0))
    payload.write(rows.tobytes())
    payload.write(struct.pack(">h", -1))
    columns = "id, inspection_id, characteristic_id, measured_at, subgroup_no, value"
    with cursor.copy(f"COPY quality_measurements ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(payload.getvalue())


def timed_recompute(database: Database) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    with database.unit_of_work() as session:
        summary = recompute_statistics(session)
    return time.perf_counter() - start, summary


def compare(database: Database, baseline: Any) -> dict[str, float]:
    """Largest differences between the product's stored figures and the baseline's."""
    with database.unit_of_work() as session:
        rows = session.scalars(select(CharacteristicStatistics)).all()
    stored = {row.characteristic_id: row for row in rows}
    cpk = ucl = 0.0
    signals = 0
    for cid, row in baseline.iterrows():
        mine = stored[cid]
        if mine.cpk is not None and np.isfinite(row["cpk"]):
            cpk = max(cpk, abs(mine.cpk - row["cpk"]))
        if mine.ucl is not None:
            ucl = max(ucl, abs(mine.ucl - row["ucl"]))
        counts = [int(mine.signal_counts.get(str(rule), 0)) for rule in range(1, 9)]
        signals += counts != [int(row[f"rule{rule}"]) for rule in range(1, 9)]
    return {"max_cpk_diff": cpk, "max_ucl_diff": ucl, "signal_count_mismatches": signals}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    characteristics = max(1, round(CHARACTERISTICS * args.scale))
    measurements = max(characteristics, round(MEASUREMENTS * args.scale))
    data = generate(characteristics, measurements)
    with bench_database(server_url()) as url:
        upgrade(url)
        start = time.perf_counter()
        populate(url, data)
        load_s = time.perf_counter() - start
        print(f"loaded {measurements:,} measurements over {characteristics:,} characteristics "
              f"with COPY in {load_s:.2f} s")  # fmt: skip
        database = Database.from_url(url)
        recompute_s, summary = timed_recompute(database)
        again_s, _ = timed_recompute(database)
        print(f"product recompute: {recompute_s:.2f} s (again, unchanged data: {again_s:.2f} s); "
              f"{summary['signals']:,} signals, {summary['new_alerts']:,} alerts")  # fmt: skip
        baseline = quality_pandas.run(database.engine)
        pandas_s = baseline["load_s"] + baseline["compute_s"]
        print(f"pandas baseline: load {baseline['load_s']:.2f} s + compute "
              f"{baseline['compute_s']:.2f} s = {pandas_s:.2f} s")  # fmt: skip
        differences = compare(database, baseline["result"])
        print(f"agreement: {differences}")
        database.dispose()
    result = {
        "scale": args.scale,
        "characteristics": characteristics,
        "measurements": measurements,
        "load_copy_s": round(load_s, 3),
        "recompute_s": round(recompute_s, 3),
        "recompute_again_s": round(again_s, 3),
        "pandas_load_s": round(baseline["load_s"], 3),
        "pandas_compute_s": round(baseline["compute_s"], 3),
        "pandas_s": round(pandas_s, 3),
        "ratio_vs_pandas": round(recompute_s / pandas_s, 3),
        "signals": summary["signals"],
        **differences,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
