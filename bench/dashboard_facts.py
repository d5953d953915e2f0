"""Facts of the dashboard benchmark beyond orders and reports: shipments with receipts, quality
(characteristics, statistics, measurements, incidents, 8D) and carbon (energy records, footprints).

Each function adds its tables to a :class:`~bench.dashboard_data.Loader`'s connection with COPY.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np

from bench.dashboard_copy import copy, copy_text

if TYPE_CHECKING:
    from bench.dashboard_data import Loader


# -- shipments and receipts ---------------------------------------------------------------


def receipts(loader: Loader) -> None:
    total, rng = loader.sizes.receipts, loader.rng
    delivered = np.flatnonzero(loader.line_due_offset <= -7)
    line = rng.choice(delivered, total)
    offset = loader.line_due_offset[line] + rng.integers(-5, 8, total)
    received = np.maximum(1, loader.line_quantity[line] // 3)
    rejected = np.where(rng.random(total) < 0.05, rng.integers(1, 20, total), 0)
    today, now = loader.today, loader.now
    supplier = loader.line_supplier[line]
    buyer = loader.line_buyer[line]

    def rows(make: Callable[[int], tuple]) -> Iterator[tuple]:
        return (make(k) for k in range(total))

    day = [today + timedelta(days=int(o)) for o in range(-200, 1)]
    on = [day[int(o) + 200] for o in offset]
    copy(
        loader.conn,
        "ship_notices",
        (
            "id",
            "number",
            "supplier_org_id",
            "buyer_org_id",
            "ship_date",
            "source",
            "created_at",
        ),
        rows(
            lambda k: (
                k + 1,
                f"ASN-{k + 1}",
                int(supplier[k]),
                int(buyer[k]),
                on[k],
                "edi",
                now,
            )
        ),
    )
    copy(
        loader.conn,
        "ship_notice_lines",
        ("id", "notice_id", "order_line_id", "quantity"),
        rows(lambda k: (k + 1, k + 1, int(line[k]) + 1, int(received[k]))),
    )
    copy(
        loader.conn,
        "lots",
        ("id", "maker_org_id", "part_id", "lot_number", "quantity", "created_at"),
        rows(
            lambda k: (
                k + 1,
                int(supplier[k]),
                int(supplier[k]) - 1,
                f"L-{k + 1}",
                int(received[k]),
                now,
            )
        ),
    )
    copy(
        loader.conn,
        "shipment_lots",
        ("id", "notice_line_id", "lot_id", "quantity"),
        rows(lambda k: (k + 1, k + 1, k + 1, int(received[k]))),
    )
    copy(
        loader.conn,
        "receipts",
        (
            "id",
            "shipment_lot_id",
            "order_line_id",
            "buyer_org_id",
            "supplier_org_id",
            "received_quantity",
            "rejected_quantity",
            "received_on",
            "source",
            "created_at",
        ),
        rows(
            lambda k: (
                k + 1,
                k + 1,
                int(line[k]) + 1,
                int(buyer[k]),
                int(supplier[k]),
                int(received[k]),
                int(rejected[k]),
                on[k],
                "edi",
                now,
            )
        ),
    )


# -- quality ----------------------------------------------------------------------------


def quality(loader: Loader) -> None:
    rng, now, ids = loader.rng, loader.now, loader.supplier_ids
    chars = [
        (
            2 * k + c,
            k + 1,
            int(loader.buyer_of[i]),
            int(i),
            f"C{c}",
            f"Char {c}",
            "mm",
            9.9,
            10.1,
            "critical" if c == 1 else "standard",
            1,
            True,
            now,
            now,
        )
        for k, i in enumerate(ids)
        for c in (1, 2)
    ]
    copy(
        loader.conn,
        "quality_characteristics",
        (
            "id",
            "part_id",
            "buyer_org_id",
            "supplier_org_id",
            "code",
            "name",
            "unit",
            "lsl",
            "usl",
            "classification",
            "subgroup_size",
            "active",
            "created_at",
            "updated_at",
        ),
        chars,
    )
    status = rng.choice(["capable", "watch", "action"], len(chars), p=[0.6, 0.25, 0.15])
    copy(
        loader.conn,
        "quality_statistics",
        (
            "characteristic_id",
            "computed_at",
            "chart",
            "subgroup_size",
            "rules",
            "n",
            "ignored",
            "points",
            "cpk",
            "status",
            "capable_threshold",
            "watch_threshold",
            "signal_counts",
        ),
        (
            (c[0], now, "I-MR", 1, "nelson", 50, 0, 50, 1.4, str(status[k]), 1.67, 1.33, "{}")
            for k, c in enumerate(chars)
        ),
    )
    per = 20
    inspections = loader.sizes.measurements // per
    char = rng.integers(0, len(chars), inspections)
    age = rng.uniform(0, 90, inspections)
    copy(
        loader.conn,
        "quality_inspections",
        (
            "id",
            "supplier_org_id",
            "buyer_org_id",
            "part_id",
            "lot_number",
            "inspected_at",
            "source",
            "created_at",
        ),
        (
            (
                k + 1,
                chars[c][3],
                chars[c][2],
                chars[c][1],
                f"IL-{k}",
                now - timedelta(days=float(age[k])),
                "file",
                now,
            )
            for k, c in enumerate(char)
        ),
    )
    values = rng.normal(10.0, 0.02, inspections * per)

    def measurements() -> Iterator[str]:
        out = []
        for k in range(inspections):
            at = (now - timedelta(days=float(age[k]))).isoformat()
            cid = chars[int(char[k])][0]
            for j in range(per):
                m = k * per + j
                out.append(f"{m + 1}\t{k + 1}\t{cid}\t{at}\t{j // 5 + 1}\t{values[m]:.4f}\n")
            if len(out) >= 200_000:
                yield "".join(out)
                out = []
        yield "".join(out)

    copy_text(
        loader.conn,
        "quality_measurements",
        ("id", "inspection_id", "characteristic_id", "measured_at", "subgroup_no", "value"),
        measurements(),
    )
    incidents = max(10, len(ids) // 5)
    who = rng.choice(ids, incidents)
    severity = rng.choice(
        ["minor", "major", "critical", "safety"], incidents, p=[0.5, 0.4, 0.08, 0.02]
    )
    state = rng.choice(["open", "sent", "acknowledged", "closed"], incidents)
    copy(
        loader.conn,
        "incidents",
        (
            "id",
            "reference",
            "opener_org_id",
            "supplier_org_id",
            "title",
            "description",
            "severity",
            "state",
            "created_at",
            "updated_at",
            "closed_at",
        ),
        (
            (
                k + 1,
                f"INC-{k + 1}",
                int(loader.buyer_of[w]),
                int(w),
                "Defect",
                "",
                str(severity[k]),
                str(state[k]),
                now - timedelta(days=k % 60),
                now,
                now - timedelta(days=k % 5) if state[k] == "closed" else None,
            )
            for k, w in enumerate(who)
        ),
    )
    cases = max(10, len(ids) * 3 // 10)
    who = rng.choice(ids, cases)
    opened = [now - timedelta(days=int(d)) for d in rng.integers(0, 90, cases)]
    copy(
        loader.conn,
        "eightd_cases",
        ("id", "number", "buyer_org_id", "supplier_org_id", "title", "status", "opened_at"),
        (
            (k + 1, f"8D-{k + 1}", int(loader.buyer_of[w]), int(w), "Burr", "open", opened[k])
            for k, w in enumerate(who)
        ),
    )
    answer = rng.gamma(2.0, 20.0, cases * 9)
    steps = ("D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")

    def step_rows() -> Iterator[tuple]:
        for k in range(cases):
            for j, step in enumerate(steps):
                m = k * 9 + j
                due = opened[k] + timedelta(hours=24 if j < 4 else 240 if j < 6 else 720)
                sent = opened[k] + timedelta(hours=float(answer[m]) * (j + 1))
                done = sent if sent < now else None
                yield (m + 1, k + 1, step, "submitted" if done else "open", due, done)

    copy(
        loader.conn,
        "eightd_steps",
        ("id", "case_id", "step", "status", "due_at", "submitted_at"),
        step_rows(),
    )


# -- carbon -----------------------------------------------------------------------------


def carbon(loader: Loader) -> None:
    rng, now, ids = loader.rng, loader.now, loader.supplier_ids
    months = []
    first = loader.today.replace(day=1)
    for _ in range(4):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    rows = []
    for month in months:
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        present = rng.random(len(ids)) < 0.75
        rows += [(int(i), month, end) for i, p in zip(ids, present, strict=True) if p]
    copy(
        loader.conn,
        "activity_records",
        ("id", "org_id", "site_id", "period_start", "period_end", "source", "created_at"),
        ((k + 1, org, org, start, end, "form", now) for k, (org, start, end) in enumerate(rows)),
    )
    pcf = rng.gamma(2.0, 5.0, len(ids))
    share = rng.uniform(0, 100, len(ids))
    copy(
        loader.conn,
        "product_footprints",
        (
            "id",
            "pf_id",
            "part_id",
            "org_id",
            "year",
            "kind",
            "status",
            "pcf_kg",
            "mass_kg",
            "primary_data_share",
            "missing_inputs",
            "origins",
            "source",
            "created_at",
        ),
        (
            (
                k + 1,
                f"00000000-0000-4000-8000-{k + 1:012d}",
                k + 1,
                int(i),
                loader.today.year,
                "declared",
                "Active",
                round(float(pcf[k]), 4),
                round(0.5 + (k % 40) / 4, 2),
                round(float(share[k]), 2),
                0,
                "{}",
                "form",
                now,
            )
            for k, i in enumerate(ids)
        ),
    )
