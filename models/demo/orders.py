"""Demo orders, progress, shipments with lots, lot consumption and receipts, all through the
domain operations. Dates are relative to the demo's ``today`` (d-N = N days ago).

Parts (owner → number): changfeng CF-SEAT-F01 front seat 21.5 kg, CF-SEAT-R01 rear seat 28 kg
(jiangnan), CF-BRK-C01 / CF-BRK-C02 front / rear brake caliper 4.8 / 3.9 kg (hengtong),
CF-ECU-B01 body control module 0.45 kg (ningyuan); beichen BC-ECU-V01 vehicle control unit
(ningyuan); jiangnan JN-FRM-01 seat frame, JN-RAIL-02 seat rail (changsheng), JN-TRIM-03 plastic
trim (minghui); hengtong HT-HSG-01 caliper housing casting (jinggong), HT-PLT-02 backing plate
(changsheng). BOMs: jiangnan CF-SEAT-F01 = 1 JN-FRM-01 + 2 JN-RAIL-02 + 4 JN-TRIM-03,
CF-SEAT-R01 = 1 JN-FRM-01 + 6 JN-TRIM-03; hengtong CF-BRK-C01 / C02 = 1 HT-HSG-01 + 2 HT-PLT-02.

Orders (buyer → supplier): CF-PO-2411-001 (→jiangnan, 2 lines, partly shipped), CF-PO-2411-002
(→jiangnan, closed after a replacement for rejects), CF-PO-2411-003 (→hengtong; line 1 late with
a corrected report, line 2 proposal rejected then confirmed), CF-PO-2411-004 (→ningyuan, stalled),
CF-PO-2411-005 (→ningyuan, unconfirmed), BC-PO-0088 (beichen→ningyuan), JN-PO-1101 (→changsheng,
closed), JN-PO-1102 (→minghui, rejects), JN-PO-1107 (→changsheng, proposal accepted), HT-PO-0315
(→jinggong, rejects), HT-PO-0316 (→changsheng, closed), HT-PO-0322 (→jinggong, stalled).

Lots (maker: number part quantity): changsheng CS-FRM-2410-01 / -02 (JN-FRM-01 400 / 300),
CS-RAIL-2410-01 (JN-RAIL-02 1400), CS-PLT-2410-01 / -02 (HT-PLT-02 2500 / 1500); minghui
MH-2410-A / -B (JN-TRIM-03 2500 / 1500, 60 of B rejected); jinggong JG-H2410-01 / -02 (HT-HSG-01
1200 / 800, 12 of -02 rejected); jiangnan JN-F-2411-01 / -02 / -03 (CF-SEAT-F01 180 / 120 / 6,
6 of -02 rejected), JN-F-2411-04 (150, not yet received); hengtong HT-C-2411-01 (CF-BRK-C01 400).
Consumption: JN-F-2411-01..04 ← CS-FRM-2410-01/02, CS-RAIL-2410-01, MH-2410-A/B;
HT-C-2411-01 ← JG-H2410-01, CS-PLT-2410-01 (see CONSUMPTION).
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

from models.demo.context import DemoContext
from models.orders.confirmations import record_confirmation
from models.orders.consumption import declare_consumption
from models.orders.entities import OrderLine, PurchaseOrder
from models.orders.parts import define_part, set_bom_line
from models.orders.progress import record_progress
from models.orders.purchasing import create_purchase_order
from models.orders.receiving import record_receipt
from models.orders.shipping import create_ship_notice

#: owner's user → [(number, name_zh, name_en, mass kg, supplier key, supplier part number)]
PARTS = {
    "buyer@changfeng.demo": [
        ("CF-SEAT-F01", "前排座椅总成", "Front seat assembly", "21.5", "jiangnan", "JN-S100"),
        ("CF-SEAT-R01", "后排座椅总成", "Rear seat assembly", "28.0", "jiangnan", "JN-S200"),
        ("CF-BRK-C01", "前制动钳总成", "Front brake caliper", "4.8", "hengtong", "HT-C300"),
        ("CF-BRK-C02", "后制动钳总成", "Rear brake caliper", "3.9", "hengtong", "HT-C310"),
        ("CF-ECU-B01", "车身控制模块", "Body control module", "0.45", "ningyuan", "NY-BCM-7"),
    ],
    "admin@beichen.demo": [
        ("BC-ECU-V01", "整车控制器", "Vehicle control unit", "0.6", "ningyuan", "NY-VCU-2"),
    ],
    "admin@jiangnan.demo": [
        ("JN-FRM-01", "座椅骨架", "Seat frame", "9.2", "changsheng", None),
        ("JN-RAIL-02", "座椅滑轨", "Seat rail", "1.8", "changsheng", None),
        ("JN-TRIM-03", "塑料侧饰板", "Plastic side trim", "0.35", "minghui", None),
    ],
    "admin@hengtong.demo": [
        ("HT-HSG-01", "制动钳壳体铸件", "Caliper housing casting", "2.9", "jinggong", None),
        ("HT-PLT-02", "制动背板", "Brake backing plate", "0.6", "changsheng", None),
    ],
}

#: (maker's user, parent part, child part, quantity, scrap %)
BOM = [
    ("admin@jiangnan.demo", "CF-SEAT-F01", "JN-FRM-01", "1", "0"),
    ("admin@jiangnan.demo", "CF-SEAT-F01", "JN-RAIL-02", "2", "0"),
    ("admin@jiangnan.demo", "CF-SEAT-F01", "JN-TRIM-03", "4", "2"),
    ("admin@jiangnan.demo", "CF-SEAT-R01", "JN-FRM-01", "1", "0"),
    ("admin@jiangnan.demo", "CF-SEAT-R01", "JN-TRIM-03", "6", "2"),
    ("admin@hengtong.demo", "CF-BRK-C01", "HT-HSG-01", "1", "1.5"),
    ("admin@hengtong.demo", "CF-BRK-C01", "HT-PLT-02", "2", "0"),
    ("admin@hengtong.demo", "CF-BRK-C02", "HT-HSG-01", "1", "1.5"),
    ("admin@hengtong.demo", "CF-BRK-C02", "HT-PLT-02", "2", "0"),
]

#: number → (buyer's user, supplier key, ordered d-N, [(part, quantity, due in days, price)])
ORDERS: dict[str, tuple[str, str, int, list[tuple[str, str, int, str]]]] = {
    "JN-PO-1101": ("admin@jiangnan.demo", "changsheng", 40,
                   [("JN-FRM-01", "700", -15, "310"), ("JN-RAIL-02", "1400", -15, "42")]),
    "JN-PO-1102": ("admin@jiangnan.demo", "minghui", 38, [("JN-TRIM-03", "4000", -14, "3.6")]),
    "JN-PO-1107": ("admin@jiangnan.demo", "changsheng", 10, [("JN-FRM-01", "500", 6, "310")]),
    "HT-PO-0315": ("admin@hengtong.demo", "jinggong", 35, [("HT-HSG-01", "2000", -12, "56")]),
    "HT-PO-0316": ("admin@hengtong.demo", "changsheng", 35, [("HT-PLT-02", "4000", -12, "7.8")]),
    "HT-PO-0322": ("admin@hengtong.demo", "jinggong", 8, [("HT-HSG-01", "1800", 10, "56")]),
    "CF-PO-2411-001": ("buyer@changfeng.demo", "jiangnan", 30,
                       [("CF-SEAT-F01", "400", 5, "1850"), ("CF-SEAT-R01", "200", 12, "2400")]),
    "CF-PO-2411-002": ("buyer@changfeng.demo", "jiangnan", 45,
                       [("CF-SEAT-F01", "300", -10, "1850")]),
    "CF-PO-2411-003": ("buyer@changfeng.demo", "hengtong", 20,
                       [("CF-BRK-C01", "1000", 3, "265"), ("CF-BRK-C02", "800", 20, "231")]),
    "CF-PO-2411-004": ("buyer@changfeng.demo", "ningyuan", 25, [("CF-ECU-B01", "2000", 2, "118")]),
    "CF-PO-2411-005": ("buyer@changfeng.demo", "ningyuan", 3, [("CF-ECU-B01", "1500", 30, "118")]),
    "BC-PO-0088": ("admin@beichen.demo", "ningyuan", 15, [("BC-ECU-V01", "600", 10, "980")]),
}  # fmt: skip

#: (order, line, user, action, d-N, {quantity / promised in days})
CONFIRMATIONS = [
    ("JN-PO-1101", 1, "admin@changsheng.demo", "confirm", 39, {}),
    ("JN-PO-1101", 2, "admin@changsheng.demo", "confirm", 39, {}),
    ("JN-PO-1102", 1, "admin@minghui.demo", "confirm", 37, {}),
    ("JN-PO-1107", 1, "admin@changsheng.demo", "propose", 9, {"promised": 9}),
    ("JN-PO-1107", 1, "admin@jiangnan.demo", "accept", 8, {}),
    ("HT-PO-0315", 1, "admin@jinggong.demo", "confirm", 34, {}),
    ("HT-PO-0316", 1, "admin@changsheng.demo", "confirm", 34, {}),
    ("CF-PO-2411-001", 1, "admin@jiangnan.demo", "confirm", 29, {}),
    ("CF-PO-2411-001", 2, "admin@jiangnan.demo", "confirm", 29, {}),
    ("CF-PO-2411-002", 1, "admin@jiangnan.demo", "confirm", 44, {}),
    ("CF-PO-2411-003", 1, "admin@hengtong.demo", "confirm", 19, {}),
    ("CF-PO-2411-003", 2, "admin@hengtong.demo", "propose", 18,
     {"quantity": "750", "promised": 25}),
    ("CF-PO-2411-003", 2, "buyer@changfeng.demo", "reject", 17, {}),
    ("CF-PO-2411-003", 2, "admin@hengtong.demo", "confirm", 16, {}),
    ("CF-PO-2411-004", 1, "admin@ningyuan.demo", "confirm", 24, {}),
    ("BC-PO-0088", 1, "admin@ningyuan.demo", "confirm", 14, {}),
]  # fmt: skip

#: (order, line, reporter, d-N, stage, quantity done, expected finish in days, note)
REPORTS = [
    ("JN-PO-1101", 1, "floor@changsheng.demo", 30, "production", "300", None, None),
    ("JN-PO-1101", 1, "floor@changsheng.demo", 22, "ready", "700", None, "两批待发 two lots ready"),
    ("JN-PO-1102", 1, "admin@minghui.demo", 25, "production", "2600", None, None),
    ("JN-PO-1107", 1, "floor@changsheng.demo", 7, "material", "0", None, "钢卷到货 steel coil in"),
    ("JN-PO-1107", 1, "floor@changsheng.demo", 2, "production", "180", 8, None),
    ("HT-PO-0315", 1, "admin@jinggong.demo", 20, "production", "1500", None, None),
    ("CF-PO-2411-001", 1, "floor@jiangnan.demo", 20, "material", "0", None, None),
    ("CF-PO-2411-001", 1, "floor@jiangnan.demo", 12, "production", "120", None, None),
    ("CF-PO-2411-001", 1, "floor@jiangnan.demo", 5, "production", "260", None, None),
    ("CF-PO-2411-001", 1, "floor@jiangnan.demo", 1, "inspection", "330", 4, "终检中 final check"),
    ("CF-PO-2411-001", 2, "floor@jiangnan.demo", 6, "material", "0", None, None),
    ("CF-PO-2411-001", 2, "floor@jiangnan.demo", 2, "production", "40", 11, None),
    ("CF-PO-2411-002", 1, "floor@jiangnan.demo", 30, "production", "150", None, None),
    ("CF-PO-2411-002", 1, "floor@jiangnan.demo", 14, "ready", "300", None, None),
    ("CF-PO-2411-003", 1, "floor@hengtong.demo", 10, "production", "200", None, None),
    ("CF-PO-2411-003", 1, "floor@hengtong.demo", 4, "production", "540", 8,
     "壳体来料慢 castings late"),
    ("CF-PO-2411-003", 2, "floor@hengtong.demo", 2, "material", "0", None, None),
    ("CF-PO-2411-004", 1, "admin@ningyuan.demo", 9, "production", "800", None, None),
    ("BC-PO-0088", 1, "admin@ningyuan.demo", 3, "production", "250", 9, None),
]  # fmt: skip

#: A correction: (order, line, reporter, index in REPORTS it supersedes, quantity done)
CORRECTIONS = [("CF-PO-2411-003", 1, "floor@hengtong.demo", 15, "450")]

#: (supplier's user, notice, shipped d-N, carrier, [(order, line, [(lot, quantity)])])
SHIPMENTS = [
    ("admin@changsheng.demo", "CS-ASN-1101", 20, "德邦物流 Deppon",
     [("JN-PO-1101", 1, [("CS-FRM-2410-01", "400"), ("CS-FRM-2410-02", "300")]),
      ("JN-PO-1101", 2, [("CS-RAIL-2410-01", "1400")])]),
    ("admin@minghui.demo", "MH-ASN-1102", 19, None,
     [("JN-PO-1102", 1, [("MH-2410-A", "2500"), ("MH-2410-B", "1500")])]),
    ("admin@jinggong.demo", "JG-ASN-0315", 16, "顺丰 SF Express",
     [("HT-PO-0315", 1, [("JG-H2410-01", "1200"), ("JG-H2410-02", "800")])]),
    ("admin@changsheng.demo", "CS-ASN-0316", 15, "德邦物流 Deppon",
     [("HT-PO-0316", 1, [("CS-PLT-2410-01", "2500"), ("CS-PLT-2410-02", "1500")])]),
    ("admin@jiangnan.demo", "JN-ASN-2411-01", 12, "中通 ZTO",
     [("CF-PO-2411-002", 1, [("JN-F-2411-01", "180"), ("JN-F-2411-02", "120")])]),
    ("admin@hengtong.demo", "HT-ASN-2411-01", 5, "顺丰 SF Express",
     [("CF-PO-2411-003", 1, [("HT-C-2411-01", "400")])]),
]  # fmt: skip

#: Shipped after the first receipts: the replacement for rejects, and a partial delivery.
LATER_SHIPMENTS = [
    ("admin@jiangnan.demo", "JN-ASN-2411-02", 8, "中通 ZTO",
     [("CF-PO-2411-002", 1, [("JN-F-2411-03", "6")])]),
    ("admin@jiangnan.demo", "JN-ASN-2411-03", 1, "中通 ZTO",
     [("CF-PO-2411-001", 1, [("JN-F-2411-04", "150")])]),
]  # fmt: skip

#: (maker's user, output lot, [(input lot, quantity)])
CONSUMPTION = [
    ("admin@jiangnan.demo", "JN-F-2411-01",
     [("CS-FRM-2410-01", "180"), ("CS-RAIL-2410-01", "360"), ("MH-2410-A", "720")]),
    ("admin@jiangnan.demo", "JN-F-2411-02",
     [("CS-FRM-2410-01", "120"), ("CS-RAIL-2410-01", "240"), ("MH-2410-A", "480")]),
    ("admin@jiangnan.demo", "JN-F-2411-03",
     [("CS-FRM-2410-02", "6"), ("CS-RAIL-2410-01", "12"), ("MH-2410-B", "24")]),
    ("admin@jiangnan.demo", "JN-F-2411-04",
     [("CS-FRM-2410-02", "150"), ("CS-RAIL-2410-01", "300"), ("MH-2410-B", "600")]),
    ("admin@hengtong.demo", "HT-C-2411-01", [("JG-H2410-01", "400"), ("CS-PLT-2410-01", "800")]),
]  # fmt: skip

#: (buyer's user, notice, supplier key, received d-N, [(lot, received, rejected, reason)])
RECEIPTS = [
    ("admin@jiangnan.demo", "CS-ASN-1101", "changsheng", 18,
     [("CS-FRM-2410-01", "400", "0", None), ("CS-FRM-2410-02", "300", "0", None),
      ("CS-RAIL-2410-01", "1400", "0", None)]),
    ("admin@jiangnan.demo", "MH-ASN-1102", "minghui", 17,
     [("MH-2410-A", "2500", "0", None), ("MH-2410-B", "1500", "60", "dimension")]),
    ("admin@hengtong.demo", "JG-ASN-0315", "jinggong", 14,
     [("JG-H2410-01", "1200", "0", None), ("JG-H2410-02", "800", "12", "material")]),
    ("admin@hengtong.demo", "CS-ASN-0316", "changsheng", 13,
     [("CS-PLT-2410-01", "2500", "0", None), ("CS-PLT-2410-02", "1500", "0", None)]),
    ("buyer@changfeng.demo", "JN-ASN-2411-01", "jiangnan", 10,
     [("JN-F-2411-01", "180", "0", None), ("JN-F-2411-02", "120", "6", "surface")]),
    ("buyer@changfeng.demo", "HT-ASN-2411-01", "hengtong", 3, [("HT-C-2411-01", "400", "0", None)]),
]  # fmt: skip

LATER_RECEIPTS = [
    ("buyer@changfeng.demo", "JN-ASN-2411-02", "jiangnan", 6, [("JN-F-2411-03", "6", "0", None)]),
]


def seed_orders(ctx: DemoContext) -> None:
    for user, number, name_zh, name_en, mass, supplier, supplier_number in (
        (user, *row) for user, rows in PARTS.items() for row in rows
    ):
        define_part(ctx.session, ctx.actor(user, "cli"), {
            "part_number": number, "name_zh": name_zh, "name_en": name_en, "unit": "pcs",
            "mass_kg": mass, "supplier_org_id": ctx.orgs[supplier].id,
            "supplier_part_number": supplier_number})  # fmt: skip
    for user, parent, child, quantity, scrap in BOM:
        set_bom_line(ctx.session, ctx.actor(user, "cli"), {
            "parent_part_number": parent, "child_part_number": child, "quantity": quantity,
            "scrap_pct": scrap})  # fmt: skip
    lines = _orders(ctx)
    for number, line_no, user, action, ago, extra in CONFIRMATIONS:
        data: dict[str, Any] = {"action": action, "at": _moment(ctx, ago, 10)}
        if "quantity" in extra:
            data["quantity"] = extra["quantity"]
        if "promised" in extra:
            data["promised_date"] = (ctx.today + timedelta(days=extra["promised"])).isoformat()
        record_confirmation(ctx.session, ctx.actor(user, "cli"), lines[number, line_no].id, data)
    reports = _reports(ctx, lines)
    for number, line_no, user, index, quantity in CORRECTIONS:
        original = REPORTS[index]
        _report(ctx, lines[number, line_no], user, original[3], original[4], quantity,
                original[6], "更正 corrected", supersedes=reports[index])  # fmt: skip
    _ship(ctx, SHIPMENTS, lines)
    _receive(ctx, RECEIPTS)
    _ship(ctx, LATER_SHIPMENTS, lines)
    for user, output, inputs in CONSUMPTION:
        declare_consumption(ctx.session, ctx.actor(user, "cli"), {
            "output_lot_number": output,
            "inputs": [{"lot_number": lot, "quantity": q} for lot, q in inputs]})  # fmt: skip
    _receive(ctx, LATER_RECEIPTS)


def _moment(ctx: DemoContext, days_ago: int, hour: int) -> str:
    day = ctx.today - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 30), UTC).isoformat()


def _orders(ctx: DemoContext) -> dict[tuple[str, int], OrderLine]:
    lines: dict[tuple[str, int], OrderLine] = {}
    for number, (user, supplier, ago, items) in ORDERS.items():
        order: PurchaseOrder = create_purchase_order(ctx.session, ctx.actor(user, "cli"), {
            "number": number, "supplier_org_id": ctx.orgs[supplier].id,
            "order_date": (ctx.today - timedelta(days=ago)).isoformat(),
            "lines": [{"part_number": part, "quantity": quantity, "unit_price": price,
                       "due_date": (ctx.today + timedelta(days=due)).isoformat()}
                      for part, quantity, due, price in items]})  # fmt: skip
        for line in order.lines:
            lines[number, line.line_no] = line
    return lines


def _reports(ctx: DemoContext, lines: dict[tuple[str, int], OrderLine]) -> list[int]:
    ids = []
    for number, line_no, user, ago, stage, quantity, finish, note in REPORTS:
        ids.append(_report(ctx, lines[number, line_no], user, ago, stage, quantity, finish, note))
    return ids


def _report(
    ctx: DemoContext,
    line: OrderLine,
    user: str,
    ago: int,
    stage: str,
    quantity: str,
    finish: int | None,
    note: str | None,
    supersedes: int | None = None,
) -> int:
    key = f"demo-{line.id}-{ago}-{stage}-{quantity}"
    data: dict[str, Any] = {
        "stage": stage,
        "quantity_done": quantity,
        "idempotency_key": key,
        "reported_at": _moment(ctx, ago, 16 if supersedes else 15),
        "note": note,
        "supersedes_id": supersedes,
    }
    if finish is not None:
        data["expected_finish"] = (ctx.today + timedelta(days=finish)).isoformat()
    report, _ = record_progress(
        ctx.session,
        ctx.actor(user, "cli"),
        line.id,
        {k: v for k, v in data.items() if v is not None},
    )
    return report.id


def _ship(ctx: DemoContext, shipments: list[Any], lines: dict[tuple[str, int], OrderLine]) -> None:
    for user, number, ago, carrier, items in shipments:
        create_ship_notice(ctx.session, ctx.actor(user, "cli"), {
            "number": number, "ship_date": (ctx.today - timedelta(days=ago)).isoformat(),
            "carrier": carrier, "tracking": f"TRK{zlib.crc32(number.encode()):010d}",
            "lines": [{"order_line_id": lines[order, line].id,
                       "quantity": str(sum(int(q) for _, q in lots)),
                       "lots": [{"lot_number": lot, "quantity": q} for lot, q in lots]}
                      for order, line, lots in items]})  # fmt: skip


def _receive(ctx: DemoContext, receipts: list[Any]) -> None:
    for user, notice, supplier, ago, lots in receipts:
        record_receipt(ctx.session, ctx.actor(user, "cli"), {
            "notice_number": notice, "supplier_org_id": ctx.orgs[supplier].id,
            "received_on": (ctx.today - timedelta(days=ago)).isoformat(),
            "lots": [{"lot_number": lot, "received_quantity": received,
                      "rejected_quantity": rejected, "reason_code": reason}
                     for lot, received, rejected, reason in lots]})  # fmt: skip
