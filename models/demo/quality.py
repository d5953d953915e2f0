"""Demo quality data, through the domain operations: characteristics, a history of inspections
with one out-of-control point, defect counts, five months of receipts for a PPM trend, and an
8D case with an overdue containment step.

The anchor's quality engineer (quality@changfeng.demo) specifies W01 weld nugget diameter and
F01 recliner release force on CF-SEAT-F01 (Jiangnan), D01 piston bore and T01 bolt torque on
CF-BRK-C01 (Hengtong); Jiangnan's admin specifies L01 frame length on JN-FRM-01 (Changsheng).
Every series is deterministic; only W01 signals: subgroup 22 (lot JN-F-2411-02, the lot whose
surface rejects the anchor recorded) lies beyond 3σ (Nelson rule 1). Hengtong's 8D 8D-…-0001
was opened three days ago; D0–D2 are accepted and containment (D3) is overdue.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from models.demo.context import DemoContext
from models.orders.entities import Part
from models.orders.purchasing import create_purchase_order
from models.orders.receiving import record_receipt
from models.orders.shipping import create_ship_notice
from models.quality.characteristics import create_characteristic
from models.quality.eightd import open_eightd, review_step, save_step
from models.quality.measurements import record_inspection
from models.quality.statistics_store import recompute_statistics

ENGINEER = "quality@changfeng.demo"
MONTHS = 5

#: (specifier, part, supplier, code, name, unit, nominal, LSL, USL, target, class, n)
CHARACTERISTICS = [
    (ENGINEER, "CF-SEAT-F01", "jiangnan", "W01", "焊点熔核直径 Weld nugget diameter", "mm",
     6.0, 5.4, 6.6, 6.0, "critical", 5),
    (ENGINEER, "CF-SEAT-F01", "jiangnan", "F01", "调角器解锁力 Recliner release force", "N",
     45.0, 30.0, 60.0, None, "special", 3),
    (ENGINEER, "CF-BRK-C01", "hengtong", "D01", "活塞孔径 Piston bore diameter", "mm",
     54.0, 53.97, 54.03, 54.0, "critical", 5),
    (ENGINEER, "CF-BRK-C01", "hengtong", "T01", "安装螺栓扭矩 Mounting bolt torque", "N·m",
     110.0, 100.0, 120.0, 110.0, "special", 1),
    ("admin@jiangnan.demo", "JN-FRM-01", "changsheng", "L01", "骨架长度 Frame length", "mm",
     520.0, 519.0, 521.0, None, "critical", 5),
]  # fmt: skip

#: code -> (reporter, mean, sigma, seed, decimals, [(lot, subgroups, days ago)])
#: A lot named "{month}" is the historical lot of that month (see _history_lot).
SERIES: dict[str, tuple[str, float, float, int, int, list[tuple[str, int, int]]]] = {
    "W01": ("floor@jiangnan.demo", 6.02, 0.08, 1, 3,
            [("m5", 4, 0), ("m4", 4, 0), ("m3", 4, 0), ("m2", 4, 0), ("m1", 4, 0),
             ("JN-F-2411-01", 2, 13), ("JN-F-2411-02", 3, 11)]),
    "F01": ("floor@jiangnan.demo", 46.0, 2.4, 2, 1,
            [("m3", 4, 0), ("m2", 4, 0), ("m1", 4, 0), ("JN-F-2411-01", 4, 13),
             ("JN-F-2411-02", 4, 11)]),
    "D01": ("floor@hengtong.demo", 54.004, 0.0055, 3, 4,
            [("m5", 4, 0), ("m4", 4, 0), ("m3", 4, 0), ("m2", 4, 0), ("m1", 4, 0),
             ("HT-C-2411-01", 5, 6)]),
    "T01": ("floor@hengtong.demo", 111.0, 2.4, 2, 1,
            [("m5", 6, 0), ("m4", 6, 0), ("m3", 6, 0), ("m2", 6, 0), ("m1", 6, 0),
             ("HT-C-2411-01", 10, 6)]),
    "L01": ("floor@changsheng.demo", 520.1, 0.14, 5, 2,
            [("CS-FRM-2410-01", 13, 26), ("CS-FRM-2410-02", 12, 24)]),
}  # fmt: skip
#: The out-of-control subgroup of W01 (0-based) and how far it is pushed, in values' sigma.
SHIFTED = ("W01", 21, 2.2)

#: supplier key, supplier's admin, part, lot prefix, [(received, rejected) per month, oldest first]
HISTORY = [
    ("jiangnan", "admin@jiangnan.demo", "CF-SEAT-F01", "JN-F",
     [(300, 0), (320, 2), (280, 5), (350, 1), (300, 0)]),
    ("hengtong", "admin@hengtong.demo", "CF-BRK-C01", "HT-C",
     [(800, 1), (900, 0), (850, 3), (1000, 0), (950, 8)]),
]  # fmt: skip

#: (reporter, part, lot, inspected, {defect code: pieces}, days ago)
DEFECT_COUNTS = [
    ("floor@jiangnan.demo", "CF-SEAT-F01", "JN-F-2411-01", 180, {"SCRATCH": 1, "FOAM": 1}, 13),
    ("floor@jiangnan.demo", "CF-SEAT-F01", "JN-F-2411-02", 120, {"WELD": 2}, 11),
    ("floor@hengtong.demo", "CF-BRK-C01", "HT-C-2411-01", 400, {"POROSITY": 1}, 6),
]


def seed_quality(ctx: DemoContext) -> None:
    _receipt_history(ctx)
    characteristics = {}
    for (
        user,
        part,
        supplier,
        code,
        name,
        unit,
        nominal,
        lsl,
        usl,
        target,
        kind,
        size,
    ) in CHARACTERISTICS:
        made = create_characteristic(ctx.session, ctx.actor(user, "cli"), {
            "part_id": _part_id(ctx, part), "supplier_org_id": ctx.orgs[supplier].id,
            "code": code, "name": name, "unit": unit, "nominal": nominal, "lsl": lsl,
            "usl": usl, "target": target, "classification": kind,
            "subgroup_size": size})  # fmt: skip
        characteristics[code] = made
    for code, made in characteristics.items():
        _measure(ctx, made, code)
    for user, part, lot, inspected, defects, ago in DEFECT_COUNTS:
        record_inspection(ctx.session, ctx.actor(user, "cli"), {
            "part_number": part, "lot_number": lot, "inspected_quantity": inspected,
            "inspected_at": _at(ctx.today - timedelta(days=ago), 16),
            "defects": [{"code": c, "count": n} for c, n in defects.items()]})  # fmt: skip
    ctx.session.flush()
    recompute_statistics(ctx.session, [made.id for made in characteristics.values()])
    _overdue_case(ctx, characteristics["D01"].id)


def series_values(code: str) -> list[list[float]]:
    """The subgroups of a demo characteristic, deterministic (also used by the demo's test)."""
    _reporter, mean, sigma, seed, decimals, lots = SERIES[code]
    size = next(row[-1] for row in CHARACTERISTICS if row[3] == code)
    rng = random.Random(seed)
    count = sum(subgroups for _lot, subgroups, _ago in lots)
    groups = [[round(rng.gauss(mean, sigma), decimals) for _ in range(size)] for _ in range(count)]
    if SHIFTED[0] == code:
        index, push = SHIFTED[1], SHIFTED[2] * sigma
        groups[index] = [round(value + push, decimals) for value in groups[index]]
    return groups


def _measure(ctx: DemoContext, made: Any, code: str) -> None:
    reporter, *_rest, lots = SERIES[code]
    groups = iter(series_values(code))
    for lot, subgroups, ago in lots:
        day = _lot_day(ctx, lot, ago)
        entries = [
            {"characteristic_id": made.id, "unit": made.unit, "subgroup": str(number + 1),
             "date": _at(day, 8 + number), "measurements": next(groups)}
            for number in range(subgroups)
        ]  # fmt: skip
        record_inspection(ctx.session, ctx.actor(reporter, "cli"), {
            "part_id": made.part_id, "lot_number": _lot_number(ctx, made, lot),
            "inspected_at": _at(day, 18), "characteristics": entries})  # fmt: skip


def _receipt_history(ctx: DemoContext) -> None:
    """One order per supplier with a line a month, each shipped as one lot and received."""
    for supplier, admin, part, prefix, months in HISTORY:
        first = _month(ctx.today, MONTHS)
        order = create_purchase_order(ctx.session, ctx.actor("buyer@changfeng.demo", "cli"), {
            "number": f"CF-PO-{first:%y%m}-{prefix[:2]}", "supplier_org_id": ctx.orgs[supplier].id,
            "order_date": (first - timedelta(days=20)).isoformat(),
            "lines": [{"part_number": part, "quantity": str(received),
                       "due_date": (_month(ctx.today, MONTHS - index) + timedelta(days=19))
                       .isoformat()}
                      for index, (received, _rejected) in enumerate(months)]})  # fmt: skip
        for index, (line, (received, rejected)) in enumerate(zip(order.lines, months, strict=True)):
            month = _month(ctx.today, MONTHS - index)
            lot, notice = f"{prefix}-{month:%y%m}-H", f"{prefix}-ASN-{month:%y%m}-H"
            create_ship_notice(ctx.session, ctx.actor(admin, "cli"), {
                "number": notice, "ship_date": (month + timedelta(days=11)).isoformat(),
                "lines": [{"order_line_id": line.id, "quantity": str(received),
                           "lots": [{"lot_number": lot, "quantity": str(received)}]}]})  # fmt: skip
            record_receipt(ctx.session, ctx.actor("buyer@changfeng.demo", "cli"), {
                "notice_number": notice, "supplier_org_id": ctx.orgs[supplier].id,
                "received_on": (month + timedelta(days=13)).isoformat(),
                "lots": [{"lot_number": lot, "received_quantity": str(received),
                          "rejected_quantity": str(rejected),
                          "reason_code": "dimension" if rejected else None}]})  # fmt: skip


def _overdue_case(ctx: DemoContext, characteristic_id: int) -> None:
    opened = datetime.combine(ctx.today - timedelta(days=3), time(9, 0), UTC)
    engineer = ctx.actor(ENGINEER)
    supplier = ctx.actor("admin@hengtong.demo")
    case = open_eightd(ctx.session, engineer, {
        "title": "制动钳壳体气孔 Porosity in caliper housings",
        "description": "来料检验发现HT-C-2411-01批次1件壳体气孔。"
                       " One housing of lot HT-C-2411-01 showed porosity at incoming inspection.",
        "characteristic_id": characteristic_id, "lot_number": "HT-C-2411-01"},
        now=opened)  # fmt: skip
    answers = {
        "D0": "隔离该批次剩余库存。 Remaining stock of the lot quarantined.",
        "D1": "郑浩（组长）、冯丽、质量工程师。 Zheng Hao (lead), Feng Li, quality engineer.",
        "D2": "壳体安装面气孔，直径约0.8 mm。 Porosity about 0.8 mm on the mounting face.",
    }
    for hours, (step, text) in enumerate(answers.items()):
        save_step(ctx.session, supplier, case.id, step,
                  {"text": text, "owner_user_id": supplier.user_id, "submit": True},
                  now=opened + timedelta(hours=2 + hours))  # fmt: skip
        review_step(ctx.session, engineer, case.id, step, {"decision": "accept"},
                    now=opened + timedelta(hours=20 + hours))  # fmt: skip


def _part_id(ctx: DemoContext, number: str) -> int:
    return ctx.session.scalar(select(Part.id).where(Part.part_number == number))


def _lot_number(ctx: DemoContext, made: Any, lot: str) -> str:
    if not lot.startswith("m"):
        return lot
    prefix = "JN-F" if made.code in ("W01", "F01") else "HT-C"
    return f"{prefix}-{_month(ctx.today, int(lot[1:])):%y%m}-H"


def _lot_day(ctx: DemoContext, lot: str, ago: int) -> date:
    if lot.startswith("m"):
        return _month(ctx.today, int(lot[1:])) + timedelta(days=9)
    return ctx.today - timedelta(days=ago)


def _month(today: date, back: int) -> date:
    """The first day of the month ``back`` months before today's."""
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour, 0), UTC).isoformat()
