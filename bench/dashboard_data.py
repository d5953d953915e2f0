"""Bulk data for ``bench.dashboard``: a supply tree with orders, reports, receipts, quality and
carbon facts, written with PostgreSQL COPY (FK triggers off, secondary indexes built after).

Sizes at scale 1.0: 10,000 suppliers (1,000 tier-1, 6,000 tier-2, 3,000 tier-3; a fifth of the
sub-tiers share nothing upstream), 200,000 order lines, 5,000,000 progress reports, 500,000
receipts (each its own ship notice, lot and shipment lot), 20,000 characteristics with
1,000,000 measurements, 2,000 incidents, 3,000 8D cases, monthly energy records and
footprints. Dates are spread around today so every KPI has data in the current periods.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import psycopg

from bench import dashboard_facts as facts
from bench.dashboard_copy import copy, copy_text
from models.accounts.passwords import hash_password
from models.orgs.codes import uscc_check_character

SEED = 20261124
ANCHOR_ID = 1
ADMIN_EMAIL = "admin@anchor.bench"
PASSWORD = "bench-password-1"
BIG_TABLES = (
    "progress_reports",
    "order_lines",
    "receipts",
    "quality_measurements",
    "line_confirmations",
    "ship_notices",
    "ship_notice_lines",
    "lots",
    "shipment_lots",
)


@dataclass(frozen=True)
class Sizes:
    suppliers: int
    lines: int
    reports: int
    receipts: int
    measurements: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        return cls(
            max(20, int(10_000 * scale)),
            max(100, int(200_000 * scale)),
            max(1_000, int(5_000_000 * scale)),
            max(200, int(500_000 * scale)),
            max(500, int(1_000_000 * scale)),
        )


def _code(n: int) -> str:
    first17 = f"91310000MA{n:07d}"
    return first17 + uscc_check_character(first17)


class Loader:
    """Generates and loads every table; ids are assigned here and sequences reset after."""

    def __init__(self, conn: psycopg.Connection, sizes: Sizes, now: datetime) -> None:
        self.conn = conn
        self.sizes = sizes
        self.now = now
        self.today = now.date()
        self.rng = np.random.default_rng(SEED)
        self.timings: dict[str, float] = {}

    def timed(self, name: str, step: Callable[[], None]) -> None:
        started = time.perf_counter()
        step()
        self.conn.commit()
        self.timings[name] = time.perf_counter() - started

    def load(self, log: Callable[[str], None]) -> dict[str, float]:
        with self.conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
            cur.execute("SET maintenance_work_mem = '512MB'")
        dropped = self._drop_secondary_indexes()
        for name, step in (
            ("organisations", self.organisations),
            ("orders", self.orders),
            ("reports", self.reports),
            ("receipts", lambda: facts.receipts(self)),
            ("quality", lambda: facts.quality(self)),
            ("carbon", lambda: facts.carbon(self)),
        ):
            self.timed(name, step)
            log(f"  loaded {name} in {self.timings[name]:.1f} s")
        started = time.perf_counter()
        with self.conn.cursor() as cur:
            for statement in dropped:
                cur.execute(statement)
            cur.execute("SET session_replication_role = DEFAULT")
        self.conn.commit()
        self.timings["indexes"] = time.perf_counter() - started
        log(f"  built {len(dropped)} indexes in {self.timings['indexes']:.1f} s")
        self._reset_sequences()
        return self.timings

    def _drop_secondary_indexes(self) -> list[str]:
        """Drop plain indexes of the big tables (not keys or unique constraints); return their
        CREATE statements to run after the load."""
        with self.conn.cursor() as cur:
            cur.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                (list(BIG_TABLES),),
            )
            found = cur.fetchall()
            for name, _definition in found:
                cur.execute(f'DROP INDEX "{name}"')
        self.conn.commit()
        return [definition for _name, definition in found]

    def _reset_sequences(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute(
                """SELECT table_name FROM information_schema.columns
                   WHERE table_schema = 'public' AND column_name = 'id'
                   AND column_default LIKE 'nextval%%'"""
            )
            for (table,) in cur.fetchall():
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
        self.conn.commit()

    # -- organisations, people, links -------------------------------------------------------

    def organisations(self) -> None:
        n = self.sizes.suppliers
        tier1 = max(2, n // 10)
        tier2 = max(2, n * 6 // 10)
        self.tier_of = np.empty(n + 2, dtype=np.int64)
        self.buyer_of = np.zeros(n + 2, dtype=np.int64)
        ids = np.arange(2, n + 2)
        self.tier_of[2 : 2 + tier1] = 1
        self.tier_of[2 + tier1 : 2 + tier1 + tier2] = 2
        self.tier_of[2 + tier1 + tier2 :] = 3
        self.buyer_of[2 : 2 + tier1] = ANCHOR_ID
        self.buyer_of[2 + tier1 : 2 + tier1 + tier2] = self.rng.integers(2, 2 + tier1, tier2)
        self.buyer_of[2 + tier1 + tier2 :] = self.rng.integers(
            2 + tier1, 2 + tier1 + tier2, n - tier1 - tier2
        )
        self.supplier_ids = ids
        now = self.now
        orgs = [(ANCHOR_ID, "anchor", "基准汽车", "Bench Motor", _code(1), now)]
        orgs += [
            (int(i), "supplier", f"供应商{i}", f"Supplier {i}", _code(int(i)), now) for i in ids
        ]
        copy(
            self.conn,
            "organisations",
            ("id", "kind", "name_zh", "name_en", "credit_code", "created_at"),
            orgs,
        )
        copy(
            self.conn,
            "sites",
            ("id", "org_id", "name", "created_at"),
            ((int(i), int(i), f"Plant {i}", now) for i in range(1, n + 2)),
        )
        copy(
            self.conn,
            "users",
            ("id", "email", "name", "password_hash", "locale", "is_active", "created_at"),
            [(1, ADMIN_EMAIL, "Bench admin", hash_password(PASSWORD), "en", True, now)],
        )
        copy(
            self.conn,
            "memberships",
            ("id", "user_id", "org_id", "role", "created_at"),
            [(1, 1, ANCHOR_ID, "admin", now)],
        )
        upstream = (self.tier_of[ids] == 1) | (self.rng.random(n) < 0.8)
        self.upstream = upstream
        copy(
            self.conn,
            "supplier_links",
            (
                "id",
                "buyer_id",
                "supplier_id",
                "status",
                "since",
                "created_at",
                "current_agreement_id",
            ),
            (
                (k + 1, int(self.buyer_of[i]), int(i), "active", now, now, k + 1)
                for k, i in enumerate(ids)
            ),
        )
        flags = ("progress", "quality", "carbon", "traceability")
        copy(
            self.conn,
            "sharing_agreements",
            (
                "id",
                "link_id",
                "version",
                *[f"{c}_{s}" for c in flags for s in ("buyer", "upstream")],
                "accepted_by_user_id",
                "accepted_at",
            ),
            (
                (k + 1, k + 1, 1, *[v for _c in flags for v in (True, bool(upstream[k]))], 1, now)
                for k in range(n)
            ),
        )
        copy(
            self.conn,
            "parts",
            (
                "id",
                "owner_org_id",
                "part_number",
                "name_zh",
                "name_en",
                "unit",
                "mass_kg",
                "supplier_org_id",
                "created_at",
            ),
            (
                (
                    k + 1,
                    int(self.buyer_of[i]),
                    f"P-{i}",
                    f"零件{i}",
                    f"Part {i}",
                    "PCE",
                    round(0.5 + (k % 40) / 4, 2),
                    int(i),
                    now,
                )
                for k, i in enumerate(ids)
            ),
        )

    # -- orders, confirmations, lines ---------------------------------------------------------

    def orders(self) -> None:
        n, rng, today = self.sizes.lines, self.rng, self.today
        supplier = rng.choice(self.supplier_ids, n)
        order_age = rng.integers(1, 121, n)
        lead = rng.integers(20, 61, n)
        due_offset = lead - order_age
        is_open = due_offset >= -10
        confirmed = rng.random(n) < 0.9
        confirm_hours = rng.gamma(2.0, 12.0, n)
        self.line_supplier = supplier
        self.line_buyer = self.buyer_of[supplier]
        self.line_order_age = order_age
        self.line_due_offset = due_offset
        self.line_open = is_open
        self.line_quantity = rng.integers(1, 50, n) * 100
        orders = n // 4 + (n % 4 > 0)
        base = datetime(today.year, today.month, today.day, 8, tzinfo=UTC)

        def order_rows() -> Iterator[tuple]:
            for k in range(orders):
                first = k * 4
                yield (
                    k + 1,
                    f"PO-{k + 1}",
                    int(self.line_buyer[first]),
                    int(supplier[first]),
                    today - timedelta(days=int(order_age[first])),
                    "CNY",
                    "open",
                    "edi",
                    base - timedelta(days=int(order_age[first])),
                )

        copy(
            self.conn,
            "purchase_orders",
            (
                "id",
                "number",
                "buyer_org_id",
                "supplier_org_id",
                "order_date",
                "currency",
                "status",
                "source",
                "created_at",
            ),
            order_rows(),
        )
        # Lines share their order's supplier, buyer and age (four lines to an order).
        order_of = np.arange(n) // 4
        for array in (supplier, order_age):
            array[:] = array[order_of * 4]
        self.line_buyer = self.buyer_of[supplier]
        due_offset = lead - order_age
        is_open = due_offset >= -10
        self.line_due_offset, self.line_open = due_offset, is_open

        def line_rows() -> Iterator[tuple]:
            for k in range(n):
                created = base - timedelta(days=int(order_age[k]))
                due = today + timedelta(days=int(due_offset[k]))
                conf = bool(confirmed[k])
                yield (
                    k + 1,
                    int(order_of[k]) + 1,
                    k % 4 + 1,
                    int(self.line_buyer[k]),
                    int(supplier[k]),
                    int(supplier[k]) - 1,
                    int(self.line_quantity[k]),
                    "PCE",
                    due,
                    "confirmed" if conf else "pending",
                    int(self.line_quantity[k]) if conf else None,
                    due if conf else None,
                    created + timedelta(hours=float(confirm_hours[k])) if conf else None,
                    "open" if is_open[k] else "closed",
                    None if is_open[k] else base + timedelta(days=int(due_offset[k]) + 2),
                    f"B{k + 1:09d}",
                    created,
                )

        copy(
            self.conn,
            "order_lines",
            (
                "id",
                "order_id",
                "line_no",
                "buyer_org_id",
                "supplier_org_id",
                "part_id",
                "quantity",
                "unit",
                "due_date",
                "confirmation",
                "confirmed_quantity",
                "confirmed_date",
                "confirmed_at",
                "status",
                "closed_at",
                "short_code",
                "created_at",
            ),
            line_rows(),
        )

        def confirmations() -> Iterator[tuple]:
            for k in np.flatnonzero(confirmed):
                created = base - timedelta(days=int(order_age[k]))
                yield (
                    int(k) + 1,
                    int(k) + 1,
                    "confirm",
                    "edi",
                    int(supplier[k]),
                    created + timedelta(hours=float(confirm_hours[k])),
                )

        copy(
            self.conn,
            "line_confirmations",
            ("id", "line_id", "action", "source", "by_org_id", "at"),
            confirmations(),
        )

    # -- progress reports -------------------------------------------------------------------

    def reports(self) -> None:
        """Reports spread over each line's life: an open line's last report is recent for most."""
        n, total, rng = self.sizes.lines, self.sizes.reports, self.rng
        per_line = rng.multinomial(total - n, np.full(n, 1 / n)) + 1
        line = np.repeat(np.arange(n), per_line)
        start = -self.line_order_age[line].astype(np.float64)
        quiet = np.where(rng.random(n) < 0.7, rng.uniform(0, 1.8, n), rng.uniform(2, 12, n))
        end_line = np.where(self.line_open, -quiet, np.minimum(self.line_due_offset, 0) - 1.0)
        end = end_line[line]
        end = np.maximum(end, start + 0.1)
        rank = np.arange(total) - np.repeat(np.cumsum(per_line) - per_line, per_line)
        fraction = (rank + 1) / per_line[line]
        when = start + (end - start) * fraction
        done = (
            self.line_quantity[line] * np.minimum(1.0, fraction * rng.uniform(0.6, 1.1, n)[line])
        ).astype(np.int64)
        late = rng.random(n) < 0.12
        expected = self.line_due_offset + np.where(late, rng.integers(1, 15, n), 0)
        base = datetime.combine(self.today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
        epoch = base.timestamp()
        today = self.today
        stages = np.array(["material", "production", "inspection", "ready"])

        def chunks() -> Iterator[str]:
            step = 200_000
            for lo in range(0, total, step):
                hi = min(total, lo + step)
                lines = []
                for k in range(lo, hi):
                    ln = int(line[k])
                    at = datetime.fromtimestamp(epoch + float(when[k]) * 86400, UTC)
                    lines.append(
                        f"{k + 1}\t{ln + 1}\t{int(self.line_supplier[ln])}\t"
                        f"{stages[min(3, int(fraction[k] * 4))]}\t{int(done[k])}\t"
                        f"{today + timedelta(days=int(expected[ln]))}\tb{k + 1}\tedi\t"
                        f"{at.isoformat()}\n"
                    )
                yield "".join(lines)

        copy_text(
            self.conn,
            "progress_reports",
            (
                "id",
                "line_id",
                "supplier_org_id",
                "stage",
                "quantity_done",
                "expected_finish",
                "idempotency_key",
                "source",
                "reported_at",
            ),
            chunks(),
        )


def load(url: str, sizes: Sizes, now: datetime, log: Callable[[str], None]) -> dict[str, float]:
    with psycopg.connect(url) as conn:
        timings = Loader(conn, sizes, now).load(log)
        conn.autocommit = True
        started = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        timings["vacuum"] = time.perf_counter() - started
    return timings
