"""Demo traceability: a tier-3 steel mill, vehicles built from the seats and calipers, incidents.

Baoling Special Steel (tier 3, shares everything upstream) ships coils BL-COIL-2409-07 / -08 to
Changsheng, which declares them consumed into its frames, rails and backing plates (so coil -07
sits under both the seat frames CS-FRM-2410-01 and the backing plates CS-PLT-2410-01). Changfeng
builds twelve S7 sedans, serials LCFS7A2411000001-12, each from two front seats (of JN-F-2411-01,
-02 or -03) and two front calipers (HT-C-2411-01). Two incidents leave the pages filled:
Changfeng's quality engineer raised QI on Jinggong's casting lot JG-H2410-01 (open, scope
computed: every sedan is affected), and Jiangnan raised one on Minghui's trim lot MH-2410-B
(acknowledged by Minghui; the anchor is notified but Minghui's lot stays withheld from it). The
tier-2 frame batch CS-FRM-2410-01 is left without incident for the live demonstration.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from models.accounts.operations import create_user
from models.actor import Actor
from models.demo.context import DEMO_PASSWORD, DemoContext
from models.orders.confirmations import record_confirmation
from models.orders.consumption import declare_consumption
from models.orders.entities import Lot
from models.orders.parts import define_part
from models.orders.purchasing import create_purchase_order
from models.orders.receiving import record_receipt
from models.orders.shipping import create_ship_notice
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.operations import add_site, create_organisation
from models.orgs.sharing import link_supplier
from models.trace.containment import compute_scope_now
from models.trace.incidents import change_incident_state, open_incident

MILL_ADMIN = "admin@baoling.demo"
SHARE_ALL = {
    f"{c}_{scope}": True
    for c in ("progress", "quality", "carbon", "traceability")
    for scope in ("buyer", "upstream")
}
#: (changsheng's output lot, coil, kg consumed)
COIL_USE = [
    ("CS-FRM-2410-01", "BL-COIL-2409-07", "3200"),
    ("CS-PLT-2410-01", "BL-COIL-2409-07", "1500"),
    ("CS-FRM-2410-02", "BL-COIL-2409-08", "2400"),
    ("CS-RAIL-2410-01", "BL-COIL-2409-08", "2500"),
    ("CS-PLT-2410-02", "BL-COIL-2409-08", "900"),
]
SEDANS = 12
VEHICLE_PART = "CF-VEH-S7"


def _seat_lot(n: int) -> str:
    return "JN-F-2411-01" if n <= 6 else "JN-F-2411-02" if n <= 10 else "JN-F-2411-03"


def seed_trace(ctx: DemoContext) -> None:
    _mill(ctx)
    _coils(ctx)
    _sedans(ctx)
    _incidents(ctx)


def _mill(ctx: DemoContext) -> None:
    first17 = "91320400MA1BL0009"
    org = create_organisation(
        ctx.session,
        Actor.system("cli"),
        "supplier",
        {
            "name_zh": "宝岭特钢有限公司",
            "name_en": "Baoling Special Steel Co., Ltd.",
            "credit_code": first17 + uscc_check_character(first17),
            "employees": 860,
            "annual_revenue_wan": 150000,
            "industry": "C3130 钢压延加工",
        },
    )
    add_site(
        ctx.session,
        Actor.system("cli"),
        {"name": "宝岭冷轧厂", "address": "常州市新北区宝岭路88号", "region": "east_china"},
        org_id=org.id,
    )
    user = create_user(ctx.session, MILL_ADMIN, "钱峰 Qian Feng", DEMO_PASSWORD)
    add_member(ctx.session, org.id, user, "admin")
    ctx.orgs["baoling"] = org
    ctx.users[MILL_ADMIN], ctx.roles[MILL_ADMIN], ctx.user_org[MILL_ADMIN] = (
        user,
        "admin",
        "baoling",
    )
    link_supplier(
        ctx.session, ctx.actor(MILL_ADMIN, "cli"), ctx.orgs["changsheng"].id, org.id, SHARE_ALL
    )


def _day(ctx: DemoContext, ago: int) -> str:
    return (ctx.today - timedelta(days=ago)).isoformat()


def _coils(ctx: DemoContext) -> None:
    buyer = ctx.actor("admin@changsheng.demo", "cli")
    define_part(
        ctx.session,
        buyer,
        {
            "part_number": "CS-COIL-01",
            "name_zh": "冷轧钢卷 DC04",
            "name_en": "Cold-rolled coil DC04",
            "unit": "kg",
            "supplier_org_id": ctx.orgs["baoling"].id,
        },
    )
    order = create_purchase_order(
        ctx.session,
        buyer,
        {
            "number": "CS-PO-0902",
            "supplier_org_id": ctx.orgs["baoling"].id,
            "order_date": _day(ctx, 60),
            "lines": [
                {
                    "part_number": "CS-COIL-01",
                    "quantity": "16000",
                    "unit_price": "5.2",
                    "due_date": _day(ctx, 45),
                }
            ],
        },
    )
    line = order.lines[0]
    moment = datetime.combine(ctx.today - timedelta(days=59), time(9, 0), UTC).isoformat()
    record_confirmation(
        ctx.session, ctx.actor(MILL_ADMIN, "cli"), line.id, {"action": "confirm", "at": moment}
    )
    create_ship_notice(
        ctx.session,
        ctx.actor(MILL_ADMIN, "cli"),
        {
            "number": "BL-ASN-0902",
            "ship_date": _day(ctx, 46),
            "carrier": "中铁快运 CR Express",
            "lines": [
                {
                    "order_line_id": line.id,
                    "quantity": "16000",
                    "lots": [
                        {"lot_number": "BL-COIL-2409-07", "quantity": "8000"},
                        {"lot_number": "BL-COIL-2409-08", "quantity": "8000"},
                    ],
                }
            ],
        },
    )
    record_receipt(
        ctx.session,
        buyer,
        {
            "notice_number": "BL-ASN-0902",
            "supplier_org_id": ctx.orgs["baoling"].id,
            "received_on": _day(ctx, 44),
            "lots": [
                {"lot_number": "BL-COIL-2409-07", "received_quantity": "8000"},
                {"lot_number": "BL-COIL-2409-08", "received_quantity": "8000"},
            ],
        },
    )
    for output, coil, kg in COIL_USE:
        declare_consumption(
            ctx.session,
            buyer,
            {"output_lot_number": output, "inputs": [{"lot_number": coil, "quantity": kg}]},
        )


def _sedans(ctx: DemoContext) -> None:
    define_part(
        ctx.session,
        ctx.actor("buyer@changfeng.demo", "cli"),
        {
            "part_number": VEHICLE_PART,
            "name_zh": "长风S7轿车",
            "name_en": "Changfeng S7 sedan",
            "unit": "pcs",
            "mass_kg": "1480",
        },
    )
    builder = ctx.actor("admin@changfeng.demo", "cli")
    for n in range(1, SEDANS + 1):
        declare_consumption(
            ctx.session,
            builder,
            {
                "output_lot_number": f"LCFS7A24110000{n:02d}",
                "part_number": VEHICLE_PART,
                "made_at": _day(ctx, 5 - n // 4),
                "inputs": [
                    {"lot_number": _seat_lot(n), "quantity": "2"},
                    {"lot_number": "HT-C-2411-01", "quantity": "2"},
                ],
            },
        )


def _lot(ctx: DemoContext, maker: str, number: str) -> int:
    lot_id = ctx.session.scalar(
        select(Lot.id).where(Lot.maker_org_id == ctx.orgs[maker].id, Lot.lot_number == number)
    )
    assert lot_id is not None, number
    return lot_id


def _incidents(ctx: DemoContext) -> None:
    opened: list[Any] = []
    castings = open_incident(
        ctx.session,
        ctx.actor("quality@changfeng.demo", "cli"),
        {
            "title": "壳体气孔 Porosity in caliper housings",
            "severity": "critical",
            "description": "终检发现制动钳壳体气孔，疑似铸造批次问题。 Porosity found at final "
            "inspection of front calipers; casting batch suspected.",
            "lot_ids": [_lot(ctx, "jinggong", "JG-H2410-01")],
        },
    )
    opened.append(castings)
    trim = open_incident(
        ctx.session,
        ctx.actor("admin@jiangnan.demo", "cli"),
        {
            "title": "饰板尺寸超差 Trim out of tolerance",
            "severity": "major",
            "description": "来料检验 60 件尺寸超差。 "
            "60 pieces out of tolerance at incoming inspection.",
            "lot_ids": [_lot(ctx, "minghui", "MH-2410-B")],
        },
    )
    opened.append(trim)
    for incident in opened:
        assert incident.scope_job_id is not None
        compute_scope_now(ctx.session, incident.scope_job_id, incident.id)
    change_incident_state(
        ctx.session,
        ctx.actor("admin@jiangnan.demo", "cli"),
        trim.id,
        {"action": "send", "note": "请48小时内回复 Please reply within 48 h"},
    )
    change_incident_state(
        ctx.session, ctx.actor("admin@minghui.demo", "cli"), trim.id, {"action": "acknowledge"}
    )
