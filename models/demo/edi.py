"""Demo EDI: identities of Changfeng (anchor) and Ningyuan (tier 1), and an 856 from Ningyuan.

Ningyuan's system sends a ship notice for CF-PO-2411-004 (600 body control modules in lots
NY-2411-01 and NY-2411-02). The file is received here like any upload; the worker reads it
onto the ship-notice operation (the demo's beat picks it up within a minute of starting).
"""

from __future__ import annotations

from datetime import timedelta

from models.demo.context import DemoContext
from models.edi_docs.documents import receive_document
from models.edi_docs.identities import add_identity

#: (admin's user, standard, qualifier, identifier, GS application id)
IDENTITIES = [
    ("admin@changfeng.demo", "x12", "ZZ", "CHANGFENG", "CHANGFENGAPP"),
    ("admin@changfeng.demo", "edifact", "14", "CHANGFENG", None),
    ("admin@ningyuan.demo", "x12", "ZZ", "NINGYUAN", None),
    ("admin@ningyuan.demo", "edifact", "14", "NINGYUAN", None),
]

#: (lot, quantity) shipped on CF-PO-2411-004 line 1 (part CF-ECU-B01, Ningyuan's NY-BCM-7).
LOTS = [("NY-2411-01", 400), ("NY-2411-02", 200)]


def ship_notice_856(ctx: DemoContext) -> bytes:
    """Ningyuan's 856 as its ERP would write it: shipment, order, item with two lot levels."""
    shipped = ctx.today - timedelta(days=1)
    day, short = shipped.strftime("%Y%m%d"), shipped.strftime("%y%m%d")
    total = sum(quantity for _, quantity in LOTS)
    body = [
        "ST*856*0001",
        f"BSN*00*NY-ASN-2411-01*{day}*0800",
        f"DTM*011*{day}",
        "HL*1**S",
        "TD5**2*SFEX",
        "REF*CN*SF7788990011",
        "HL*2*1*O",
        "PRF*CF-PO-2411-004",
        "HL*3*2*I",
        "LIN*1*BP*CF-ECU-B01*VP*NY-BCM-7",
        f"SN1**{total}*EA",
    ]
    for index, (lot, quantity) in enumerate(LOTS):
        body += [f"HL*{4 + index}*3*P", f"REF*LT*{lot}", f"SN1**{quantity}*EA"]
    body.append(f"SE*{len(body) + 1}*0001")
    segments = [
        f"ISA*00*          *00*          *ZZ*{'NINGYUAN':<15}*ZZ*{'CHANGFENG':<15}*{short}*0800*U*"
        "00401*000000001*0*P*>",
        f"GS*SH*NINGYUAN*CHANGFENGAPP*{day}*0800*1*X*004010",
        *body,
        "GE*1*1",
        "IEA*1*000000001",
    ]
    return ("~\n".join(segments) + "~\n").encode()


def seed_edi(ctx: DemoContext) -> None:
    for user, standard, qualifier, identifier, application in IDENTITIES:
        add_identity(
            ctx.session,
            ctx.actor(user, "cli"),
            {
                "standard": standard,
                "qualifier": qualifier,
                "identifier": identifier,
                "application_id": application,
            },
        )
    receive_document(
        ctx.session,
        ctx.actor("admin@ningyuan.demo", "api"),
        "NY-ASN-2411-01.x12",
        ship_notice_856(ctx),
        "application/edi-x12",
    )
