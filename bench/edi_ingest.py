"""Full ingest of a large ship notice into PostgreSQL, timed and measured in a child process.

The file is one X12 856 transaction set, or one EDIFACT DESADV (one business document,
all-or-nothing), shipping against many orders. The benchmark database gets the
organisations, partners, parts and orders it needs by bulk inserts (setting up is not what
is measured); the child process then does what the worker does for an upload: store the
file, read it, take the notice through the ship-notice operation, write the acknowledgement.
Its wall time is ``ingest_s``, its peak resident memory ``peak_mb``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text, update
from sqlalchemy.engine import make_url

from models.db import Database, make_engine
from models.edi_docs.entities import EdiIdentity
from models.migrate import upgrade
from models.orders.entities import OrderLine, Part, PurchaseOrder
from models.orgs.codes import uscc_check_character
from models.orgs.entities import Organisation, SharingAgreement, SupplierLink

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
#: Lines per purchase order (the order schema's cap); the notice ships against all the orders.
ORDER_LINES = 500
ORDERED = 1000


def server_url() -> str:
    """``DATABASE_URL`` when it names a PostgreSQL server, else the default server."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_SERVER


def make_856_notice(items: int, per_order: int = ORDER_LINES) -> tuple[bytes, int]:
    """An X12 856 interchange holding one ship notice (one transaction set) of ``items`` item
    loops: one shipment, an order level per ``per_order`` items (PRF with its number), every
    item with its own lot; returns the bytes and the number of segments."""
    body = ["ST*856*0001", "BSN*00*ASN-B00001*20240301*1200", "DTM*011*20240301", "HL*1**S"]
    body += ["TD5**2*UPSN", "REF*CN*1Z999AA10123456784"]
    hl = 1
    for k in range((items + per_order - 1) // per_order):
        hl += 1
        order_hl = hl
        body += [f"HL*{order_hl}*1*O", f"PRF*PO-B{k:05d}"]
        for line, n in enumerate(range(k * per_order, min(items, (k + 1) * per_order)), 1):
            hl += 1
            body += [
                f"HL*{hl}*{order_hl}*I",
                f"LIN*{line}*BP*PART-{n:06d}*VP*SUP-{n:06d}",
                f"SN1**{n % 97 + 1}*EA",
                f"REF*LT*LOT-{n:06d}",
            ]
    body.append(f"CTT*{items}")
    body.append(f"SE*{len(body) + 1}*0001")
    out = [
        "ISA*00*          *00*          *ZZ*BENCHSUP       *ZZ*BENCHANCHOR    *240301*1200*U*"
        "00401*000000001*0*P*>",
        "GS*SH*BENCHSUP*BENCHANCHOR*20240301*1200*1*X*004010",
        *body,
        "GE*1*1",
        "IEA*1*000000001",
    ]
    return ("~\n".join(out) + "~\n").encode(), len(out)


def make_desadv_notice(lines: int, per_order: int = ORDER_LINES) -> tuple[bytes, int]:
    """The same ship notice as :func:`make_856_notice` as an EDIFACT DESADV: a LIN per line
    (buyer's and supplier's part numbers, despatched quantity, RFF+ON with the order's line,
    GIN+BX with its lot), a CPS every 10 lines; returns the bytes and the number of segments."""
    body = ["UNH+1+DESADV:D:96A:UN", "BGM+351+DES-B00001+9", "DTM+11:20240301:102"]
    body.append("TDT+20++30+31+UPSN")
    for n in range(lines):
        order, line = divmod(n, per_order)
        if n % 10 == 0:
            body.append(f"CPS+{n // 10 + 1}")
        body += [
            f"LIN+{n + 1}++PART-{n:06d}:BP",
            f"PIA+1+SUP-{n:06d}:SA",
            f"QTY+12:{n % 97 + 1}:PCE",
            f"RFF+ON:PO-B{order:05d}:{line + 1}",
            f"GIN+BX+LOT-{n:06d}",
        ]
    body.append(f"UNT+{len(body) + 1}+1")
    out = ["UNB+UNOC:3+BENCHSUP:ZZ+BENCHANCHOR:ZZ+240301:1200+REF00001", *body, "UNZ+1+REF00001"]
    return ("UNA:+.? '\n" + "'\n".join(out) + "'\n").encode(), len(out)


NOTICES = {"x12": make_856_notice, "edifact": make_desadv_notice}


@contextmanager
def bench_database(server: str) -> Iterator[str]:
    """A new, migrated database on ``server``, dropped afterwards."""
    name = f"tierlight_bench_edi_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _code(n: int) -> str:
    first17 = f"91320100MA1BE{n:04d}"
    return first17 + uscc_check_character(first17)


def populate(url: str, items: int, per_order: int = ORDER_LINES) -> None:
    """Two linked partners with X12 and EDIFACT identities, a part and an order line per
    item."""
    engine = make_engine(url)
    with engine.begin() as connection:
        anchor, supplier = (
            connection.execute(
                insert(Organisation).returning(Organisation.id),
                {"kind": kind, "name_zh": name, "name_en": name, "credit_code": _code(n)},
            ).scalar_one()
            for n, (kind, name) in enumerate((("anchor", "Bench Anchor"), ("supplier", "Bench")))
        )
        user = connection.execute(
            text(
                "INSERT INTO users (email, name, password_hash, is_active, created_at) "
                "VALUES ('bench@edi.bench', 'bench', 'x', true, now()) RETURNING id"
            )
        ).scalar_one()
        link = connection.execute(
            insert(SupplierLink).returning(SupplierLink.id),
            {"buyer_id": anchor, "supplier_id": supplier, "status": "active"},
        ).scalar_one()
        agreement = connection.execute(
            insert(SharingAgreement).returning(SharingAgreement.id),
            {"link_id": link, "version": 1, "accepted_by_user_id": user},
        ).scalar_one()
        linked = update(SupplierLink).where(SupplierLink.id == link)
        connection.execute(linked.values(current_agreement_id=agreement))
        connection.execute(
            insert(EdiIdentity),
            [
                {"org_id": org, "standard": standard, "qualifier": "ZZ", "identifier": identifier}
                for org, identifier in ((anchor, "BENCHANCHOR"), (supplier, "BENCHSUP"))
                for standard in NOTICES
            ],
        )
        part_ids = (
            connection.execute(
                insert(Part).returning(Part.id, sort_by_parameter_order=True),
                [
                    {
                        "owner_org_id": anchor,
                        "part_number": f"PART-{n:06d}",
                        "name_zh": "件",
                        "unit": "pcs",
                        "supplier_org_id": supplier,
                        "supplier_part_number": f"SUP-{n:06d}",
                    }
                    for n in range(items)
                ],
            )
            .scalars()
            .all()
        )
        orders = (items + per_order - 1) // per_order
        order_ids = (
            connection.execute(
                insert(PurchaseOrder).returning(PurchaseOrder.id, sort_by_parameter_order=True),
                [
                    {
                        "number": f"PO-B{k:05d}",
                        "buyer_org_id": anchor,
                        "supplier_org_id": supplier,
                        "order_date": "2024-02-01",
                    }
                    for k in range(orders)
                ],
            )
            .scalars()
            .all()
        )
        connection.execute(
            insert(OrderLine),
            [
                {"order_id": order_ids[n // per_order], "line_no": n % per_order + 1,
                 "buyer_org_id": anchor, "supplier_org_id": supplier, "part_id": part_ids[n],
                 "quantity": ORDERED, "unit": "pcs", "due_date": "2024-03-15",
                 "short_code": f"B{n:07d}"}
                for n in range(items)
            ],
        )  # fmt: skip
    engine.dispose()


def child_main(url: str, path: str) -> None:
    """In the child: ingest the file as ``tierlight edi ingest`` does, print the figures."""
    from worker.edi_exchange.files import ingest_file

    content = Path(path).read_bytes()
    database = Database.from_url(url)
    start = time.perf_counter()
    report = ingest_file(database, content, Path(path).name)
    elapsed = time.perf_counter() - start
    database.dispose()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = report.get("summary") or {}
    print(
        json.dumps(
            {
                "ingest_s": elapsed,
                "peak_mb": peak_kb / 1024,
                "status": report["status"],
                "accepted": summary.get("accepted"),
                "messages": summary.get("messages"),
                "first_error": (report.get("errors") or [{}])[0].get("text"),
            }
        )
    )


def measure(items: int, server: str | None = None, standard: str = "x12") -> dict[str, Any]:
    """Set up a database for ``items`` lines, ingest the notice (an 856, or a DESADV for
    ``edifact``) in a child, drop it."""
    content, segments = NOTICES[standard](items)
    with bench_database(server or server_url()) as url:
        populate(url, items)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"bench-notice.{standard}"
            path.write_bytes(content)
            child = subprocess.run(
                [sys.executable, "-m", "bench.edi_ingest", "--child", url, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    figures["ingest_seg_s"] = segments / figures["ingest_s"]
    figures["segments"] = segments
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), required=True)
    child_main(*parser.parse_args().child)
