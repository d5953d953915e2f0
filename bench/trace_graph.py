"""A synthetic five-tier lot graph for ``bench.trace``, generated with numpy and loaded by COPY.

Tier 0 is the anchor's finished lots, tier 4 raw material. Each organisation below the anchor
supplies one or two buyers one tier up; each lot consumes two to six lots (3.75 on average)
made by its maker's own suppliers, so the access rule has real work. One raw-material lot is a
hot batch consumed by hundreds of lots, so that its forward trace reaches about 12,000
finished lots (at scale 1). A tenth of the supply links keep traceability to the direct buyer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import psycopg
from sqlalchemy import ForeignKeyConstraint, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import AddConstraint, CreateIndex

from models.orders.entities import Lot, LotConsumption
from models.trace import entities as trace_entities  # noqa: F401  (its indexes on the tables)

TIERS = 5
LOTS_PER_TIER = 200_000
ORGS_PER_TIER = (1, 50, 250, 1000, 2000)
HOT_CONSUMERS = 440
HOT_BUYERS = 4
CHUNK = 200_000


@dataclass
class Graph:
    """Organisations, supply links, lots and consumption links, as numpy arrays."""

    org_tier: np.ndarray  # org index -> tier
    links: np.ndarray  # (buyer, supplier) org indexes
    upstream: np.ndarray  # bool per link: traceability passes beyond the direct buyer
    lot_maker: np.ndarray  # lot index -> org index (lot id = index + 1)
    edges: np.ndarray  # (output lot index, input lot index)
    hot_lot: int

    @property
    def lots(self) -> int:
        return len(self.lot_maker)

    def visible_to_anchor(self) -> np.ndarray:
        """Per lot: does its maker share traceability with the anchor (the access rule)?"""
        shares = np.zeros(len(self.org_tier), dtype=bool)
        shares[0] = True
        direct = self.links[:, 0] == 0
        shares[self.links[direct | self.upstream, 1]] = True
        return shares[self.lot_maker]


def generate(scale: float, seed: int = 20261124) -> Graph:
    rng = np.random.default_rng(seed)
    counts = [1] + [max(2, round(c * min(1.0, scale * 4))) for c in ORGS_PER_TIER[1:]]
    first = np.cumsum([0, *counts])
    org_tier = np.repeat(np.arange(TIERS), counts)
    links = []
    for tier in range(1, TIERS):
        buyers = np.arange(first[tier - 1], first[tier])
        for n, org in enumerate(range(first[tier], first[tier + 1])):
            chosen = {int(buyers[n % len(buyers)])}
            if rng.random() < 0.5:
                chosen.add(int(rng.choice(buyers)))
            links.extend((b, org) for b in chosen)
    per = max(1_000, int(LOTS_PER_TIER * scale))
    lot_maker = np.concatenate(
        [rng.integers(first[t], first[t + 1], per) for t in range(TIERS)]
    ).astype(np.int64)
    hot_maker = int(lot_maker[(TIERS - 1) * per])
    known = {b for b, s in links if s == hot_maker}
    extra = [int(b) for b in rng.permutation(np.arange(first[TIERS - 2], first[TIERS - 1]))]
    links.extend((b, hot_maker) for b in [b for b in extra if b not in known][:HOT_BUYERS])
    link_array = np.array(links, dtype=np.int64)
    upstream = rng.random(len(link_array)) >= 0.1
    edges = _edges(rng, lot_maker, link_array, per)
    hot = _hot(rng, lot_maker, link_array, per, edges, max(5, int(HOT_CONSUMERS * scale)))
    upstream[link_array[:, 1] == lot_maker[hot[1]]] = True
    return Graph(org_tier, link_array, upstream, lot_maker, hot[0], hot[1])


def _edges(
    rng: np.random.Generator, lot_maker: np.ndarray, links: np.ndarray, per: int
) -> np.ndarray:
    """Each lot of tiers 0-3 consumes 2-6 lots made by its maker's suppliers (no duplicates)."""
    suppliers: dict[int, list[int]] = {}
    for buyer, supplier in links:
        suppliers.setdefault(int(buyer), []).append(int(supplier))
    parts = []
    for tier in range(TIERS - 1):
        outputs = np.arange(tier * per, (tier + 1) * per)
        below = np.arange((tier + 1) * per, (tier + 2) * per)
        by_maker = _group(below, lot_maker[below])
        makers = lot_maker[outputs]
        for maker in np.unique(makers):
            mine = outputs[makers == maker]
            pool = np.concatenate(
                [by_maker.get(s, np.empty(0, np.int64)) for s in suppliers[int(maker)]]
            )
            if len(pool) == 0:
                continue
            fan_in = 2 + rng.binomial(4, 0.4375, len(mine))
            out = np.repeat(mine, fan_in)
            parts.append(np.stack([out, pool[rng.integers(0, len(pool), len(out))]], axis=1))
    edges = np.concatenate(parts)
    return np.unique(edges, axis=0)


def _group(lots: np.ndarray, makers: np.ndarray) -> dict[int, np.ndarray]:
    order = np.argsort(makers, kind="stable")
    keys, starts = np.unique(makers[order], return_index=True)
    return {int(k): g for k, g in zip(keys, np.split(lots[order], starts[1:]), strict=True)}


def _hot(
    rng: np.random.Generator,
    lot_maker: np.ndarray,
    links: np.ndarray,
    per: int,
    edges: np.ndarray,
    consumers: int,
) -> tuple[np.ndarray, int]:
    """Make one raw lot an input of ``consumers`` lots of its maker's buyers."""
    hot = (TIERS - 1) * per
    buyers = links[links[:, 1] == lot_maker[hot], 0]
    tier3 = np.arange((TIERS - 2) * per, (TIERS - 1) * per)
    candidates = tier3[np.isin(lot_maker[tier3], buyers)]
    chosen = rng.choice(candidates, min(consumers, len(candidates)), replace=False)
    extra = np.stack([chosen, np.full(len(chosen), hot)], axis=1)
    return np.unique(np.concatenate([edges, extra]), axis=0), hot


def _rows(lines: Iterator[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= CHUNK:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def load(conninfo: str, graph: Graph) -> dict[str, float]:
    """Bulk-load the graph into a migrated database; returns the seconds each step took.

    ``links_s`` covers the COPY of the consumption links and the rebuilding of their indexes
    and keys afterwards (``links_copy_s`` is the COPY alone).
    """
    timings: dict[str, float] = {}
    with psycopg.connect(conninfo, autocommit=False) as conn, conn.cursor() as cur:
        _load_network(cur, graph)
        started = time.perf_counter()
        lots = (
            f"{i + 1}\t{m + 1}\t{m + 1}\tL{i + 1:08d}\t{100 + i % 900}\t2026-10-01\tnow\n"
            for i, m in enumerate(graph.lot_maker.tolist())
        )
        with _keys_rebuilt(cur, Lot.__table__):
            _copy(cur, f"lots ({LOT_FIELDS})", _rows(lots))
        timings["lots_s"] = time.perf_counter() - started
        for table in ("organisations", "parts", "supplier_links", "sharing_agreements", "lots"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cur.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        conn.commit()
        makers = (graph.lot_maker + 1).tolist()
        text = "".join(
            f"{o + 1}\t{i + 1}\t{1 + (o + i) % 7}\t{makers[o]}\tdemo\tnow\n"
            for o, i in graph.edges.tolist()
        ).encode()
        chunks = (text[start : start + (1 << 22)] for start in range(0, len(text), 1 << 22))
        started = time.perf_counter()
        with _keys_rebuilt(cur, LotConsumption.__table__, timings):
            _copy(cur, f"lot_consumptions ({LINK_FIELDS})", chunks)
            timings["links_copy_s"] = time.perf_counter() - started
        conn.commit()
        timings["links_s"] = time.perf_counter() - started
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return timings


LOT_FIELDS = "id, maker_org_id, part_id, lot_number, quantity, made_at, created_at"
LINK_FIELDS = "output_lot_id, input_lot_id, quantity, declared_by_org_id, source, created_at"
FLAGS = (
    "progress_buyer, progress_upstream, quality_buyer, quality_upstream, carbon_buyer, "
    "carbon_upstream, traceability_buyer, traceability_upstream"
)


def _load_network(cur: psycopg.Cursor, graph: Graph) -> None:
    """Organisations (one part each), a user, supply links and their sharing agreements."""
    cur.execute(
        "INSERT INTO users (email, name, password_hash, is_active, created_at) "
        "VALUES ('bench@trace.bench', 'bench', '-', true, now()) RETURNING id"
    )
    row = cur.fetchone()
    assert row is not None
    user_id = row[0]
    orgs = (
        f"{i + 1}\t{'anchor' if t == 0 else 'supplier'}\t组织{i}\tOrg {i}\tBENCH{i:013d}\tnow\n"
        for i, t in enumerate(graph.org_tier)
    )
    _copy(cur, "organisations (id, kind, name_zh, name_en, credit_code, created_at)", _rows(orgs))
    parts = (
        f"{i + 1}\t{i + 1}\tP{i}\t零件{i}\tPart {i}\tpcs\tnow\n" for i in range(len(graph.org_tier))
    )
    _copy(
        cur,
        "parts (id, owner_org_id, part_number, name_zh, name_en, unit, created_at)",
        _rows(parts),
    )
    links = (
        f"{n + 1}\t{b + 1}\t{s + 1}\tactive\tnow\tnow\n" for n, (b, s) in enumerate(graph.links)
    )
    _copy(
        cur, "supplier_links (id, buyer_id, supplier_id, status, since, created_at)", _rows(links)
    )
    agreements = (
        f"{n + 1}\t{n + 1}\t1\tt\tf\tt\tf\tt\tf\tt\t{'t' if up else 'f'}\t{user_id}\tnow\n"
        for n, up in enumerate(graph.upstream)
    )
    target = f"sharing_agreements (id, link_id, version, {FLAGS}, accepted_by_user_id, accepted_at)"
    _copy(cur, target, _rows(agreements))
    cur.execute("UPDATE supplier_links SET current_agreement_id = id")


@contextmanager
def _keys_rebuilt(
    cur: psycopg.Cursor, table: Table, timings: dict[str, float] | None = None
) -> Iterator[None]:
    """Drop a table's secondary indexes, unique and foreign keys around a bulk load, then build
    them again from the schema's own definitions (a sort per index, one join per foreign key,
    instead of a B-tree insert and a lookup per row)."""
    dialect = postgresql.dialect()
    keys = [c for c in table.constraints if isinstance(c, UniqueConstraint | ForeignKeyConstraint)]
    for constraint in keys:
        cur.execute(f"ALTER TABLE {table.name} DROP CONSTRAINT {constraint.name}")
    for index in table.indexes:
        cur.execute(f"DROP INDEX {index.name}")
    yield
    started = time.perf_counter()
    cur.execute("SET maintenance_work_mem = '512MB'")
    for index in table.indexes:
        cur.execute(str(CreateIndex(index).compile(dialect=dialect)))
    for constraint in keys:
        cur.execute(str(AddConstraint(constraint).compile(dialect=dialect)))
    if timings is not None:
        timings["links_keys_s"] = time.perf_counter() - started


def _copy(cur: psycopg.Cursor, target: str, chunks: Iterator[bytes]) -> None:
    with cur.copy(f"COPY {target} FROM STDIN") as copy:
        for chunk in chunks:
            copy.write(chunk)


def adjacency(graph: Graph) -> tuple[list[list[int]], list[list[int]]]:
    """In-memory adjacency (lot index -> inputs, lot index -> outputs) for the BFS baseline."""
    inputs: list[list[int]] = [[] for _ in range(graph.lots)]
    outputs: list[list[int]] = [[] for _ in range(graph.lots)]
    for output, input_ in graph.edges.tolist():
        inputs[output].append(input_)
        outputs[input_].append(output)
    return inputs, outputs


def bfs(adjacent: list[list[int]], root: int, max_depth: int) -> list[tuple[int, int]]:
    """Every lot reachable from ``root`` with its depth (the in-memory baseline)."""
    depth = {root: 0}
    frontier = [root]
    level = 0
    while frontier and level < max_depth:
        level += 1
        following = []
        for lot in frontier:
            for other in adjacent[lot]:
                if other not in depth:
                    depth[other] = level
                    following.append(other)
        frontier = following
    return list(depth.items())


def reach(adjacent: list[list[int]], root: int, ends: int) -> int:
    """How many lots of index at least ``ends`` (the finished tier is 0) a BFS reaches."""
    return sum(1 for lot, _ in bfs(adjacent, root, 30) if lot < ends)
