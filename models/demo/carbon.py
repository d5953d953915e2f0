"""Demo carbon data, through the domain operations, on the parts and bills of materials the
orders seeder made.

The ten months before the current one: energy and output of Jiangnan (seats), Hengtong
(brake calipers, allocated by economic value), Changsheng (frames, rails, backing plates) and
Jinggong (caliper housings). Minghui uploads a PACT v3 footprint of its plastic trim; Ningyuan
declares its control modules on the form. The current month is left for Changsheng's shop floor
(floor@changsheng.demo) to enter from a phone, after which the anchor (carbon@changfeng.demo)
sees the front seat CF-SEAT-F01 change. Changsheng shares carbon data up to the anchor; Minghui
and Jinggong do not, so the anchor sees their numbers only inside the totals.

The anchor's PACT API credentials are fixed: ``PACT_CLIENT`` (client id, secret).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from models.carbon.activity import record_activity
from models.carbon.footprints import declare_footprint
from models.carbon.pact_clients import create_pact_client
from models.carbon.pact_exchange import company_urn, import_pact_document, product_urn
from models.carbon.rollup import recompute_footprints
from models.carbon.settings import set_allocation_method
from models.demo.context import DemoContext
from models.orders.entities import Part
from models.orgs.entities import Organisation, Site

PACT_CLIENT = ("tl-demo-changfeng", "changfeng-pact-demo-secret")
MONTHS = 10

#: reporting user → (monthly energy {fuel: (quantity, unit)}, monthly output {part: quantity})
ACTIVITY = {
    "floor@jiangnan.demo": (
        {
            "electricity": ("42000", "kWh"),
            "natural_gas": ("1800", "m3"),
            "diesel": ("400", "L"),
            "steam": ("25", "t"),
        },
        {"CF-SEAT-F01": 700, "CF-SEAT-R01": 300},
    ),
    "floor@hengtong.demo": (
        {"electricity": ("15", "MWh"), "natural_gas": ("600", "m3")},
        {"CF-BRK-C01": 900, "CF-BRK-C02": 700},
    ),
    "floor@changsheng.demo": (
        {"electricity": ("6500", "kWh"), "natural_gas": ("400", "m3"), "diesel": ("150", "L")},
        {"JN-FRM-01": 600, "JN-RAIL-02": 1200, "HT-PLT-02": 3000},
    ),
    "admin@jinggong.demo": (
        {"electricity": ("8000", "kWh"), "natural_gas": ("1500", "m3")},
        {"HT-HSG-01": 1900},
    ),
}

#: (maker's user, part, kgCO2e per piece, primary data %)
DECLARED = [
    ("admin@ningyuan.demo", "CF-ECU-B01", "11.8", "45"),
    ("admin@ningyuan.demo", "BC-ECU-V01", "14.6", "45"),
]


def _months(today: date) -> list[str]:
    """The ``MONTHS`` whole months before the current one, oldest first."""
    index = today.year * 12 + today.month - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(index - MONTHS, index)]


def _part(ctx: DemoContext, number: str) -> Part:
    part = ctx.session.scalar(select(Part).where(Part.part_number == number))
    assert part is not None, f"demo part {number} missing: seed the orders first"
    return part


def _site(ctx: DemoContext, user: str) -> Site:
    return ctx.orgs[ctx.user_org[user]].sites[0]


def _vary(ctx: DemoContext, text: str) -> str:
    return f"{float(text) * ctx.rng.uniform(0.9, 1.1):.1f}"


def seed_carbon(ctx: DemoContext) -> None:
    set_allocation_method(
        ctx.session, ctx.actor("admin@hengtong.demo"), {"allocation_method": "value"}
    )
    months = _months(ctx.today)
    for user, (energy, output) in ACTIVITY.items():
        actor = ctx.actor(user)
        for month in months:
            record_activity(
                ctx.session,
                actor,
                {
                    "site_id": _site(ctx, user).id,
                    "month": month,
                    "energy": {
                        f: {"quantity": _vary(ctx, q), "unit": u} for f, (q, u) in energy.items()
                    },
                    "outputs": [
                        {
                            "part_id": _part(ctx, number).id,
                            "quantity": str(round(quantity * ctx.rng.uniform(0.9, 1.1))),
                        }
                        for number, quantity in output.items()
                    ],
                },
                source="demo",
            )
    year = ctx.today.year
    for user, number, pcf, share in DECLARED:
        declare_footprint(
            ctx.session,
            ctx.actor(user),
            {
                "part_id": _part(ctx, number).id,
                "year": year,
                "pcf_kg": pcf,
                "primary_data_share": share,
                "dqr_technological": "2",
                "dqr_temporal": "1.5",
                "dqr_geographical": "2",
                "note": "Supplier LCA model, not verified",
            },
        )
    trim = _part(ctx, "JN-TRIM-03")
    import_pact_document(
        ctx.session,
        ctx.actor("admin@minghui.demo", "file"),
        trim.id,
        _trim_document(ctx, trim, year),
    )
    for each in sorted({int(m[:4]) for m in months} | {year}):
        recompute_footprints(ctx.session, ctx.actor("carbon@changfeng.demo", "cli"), each)
    create_pact_client(
        ctx.session,
        ctx.actor("carbon@changfeng.demo"),
        {"name": "长风集团 ESG 平台 / Group ESG platform"},
        known=PACT_CLIENT,
    )


def _trim_document(ctx: DemoContext, trim: Part, year: int) -> dict:
    """Minghui's footprint of the plastic trim as its LCA tool would send it (PACT v3)."""
    maker: Organisation = ctx.orgs["minghui"]
    owner = ctx.session.get(Organisation, trim.owner_org_id)
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tierlight-demo/minghui/{year}")),
        "specVersion": "3.0.0",
        "created": f"{year}-02-10T08:00:00Z",
        "status": "Active",
        "companyName": maker.name_en,
        "companyIds": [company_urn(maker)],
        "productDescription": "Plastic side trim, PP, injection moulded",
        "productIds": [product_urn(trim, owner)],  # type: ignore[arg-type]
        "productNameCompany": "JN-TRIM-03 Plastic side trim",
        "pcf": {
            "declaredUnitOfMeasurement": "piece",
            "declaredUnitAmount": "1",
            "productMassPerDeclaredUnit": "0.35",
            "referencePeriodStart": f"{year}-01-01T00:00:00Z",
            "referencePeriodEnd": f"{year + 1}-01-01T00:00:00Z",
            "geographyCountry": "CN",
            "pcfExcludingBiogenicUptake": "1.42",
            "pcfIncludingBiogenicUptake": "1.42",
            "fossilGhgEmissions": "1.42",
            "fossilCarbonContent": "0.29",
            "biogenicCarbonContent": "0",
            "packagingEmissionsIncluded": False,
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["ISO14067"],
            "exemptedEmissionsPercent": "0.5",
            "boundaryProcessesDescription": "PP resin (secondary data) and injection moulding",
            "primaryDataShare": "32",
            "dqi": {"technologicalDQR": "2", "temporalDQR": "1.5", "geographicalDQR": "2"},
        },
    }
