"""The data the reporting benchmark needs: a database of its own, an anchor, suppliers, their
shop-floor reporters and one open order line per reporter, written through the domain ops."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.engine import make_url

from models.accounts.entities import User
from models.accounts.passwords import hash_password
from models.actor import Actor
from models.base import utcnow
from models.config import normalise_database_url
from models.db import Database, make_engine
from models.migrate import upgrade
from models.orders.parts import define_part
from models.orders.purchasing import create_purchase_order
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.operations import create_organisation
from models.orgs.sharing import link_supplier

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password-1"
LINES_PER_SUPPLIER = 20


@dataclass(frozen=True)
class Reporter:
    email: str
    line_id: int


@contextmanager
def temporary_database(url: str | None) -> Iterator[str]:
    """A new PostgreSQL database on the server of ``url`` (or the default), dropped after."""
    server = normalise_database_url(url if url and url.startswith("postgres") else DEFAULT_SERVER)
    name = f"tierlight_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _code(n: int) -> str:
    first17 = f"91320100MA1B{n:05d}"
    return first17 + uscc_check_character(first17)


def seed(url: str, reporters: int) -> list[Reporter]:
    """Migrate, then create the chain: one anchor, a supplier per 20 reporters, each reporter
    with an open line of its supplier. Users share one password hash (hashing 200 passwords
    would only slow the setup)."""
    upgrade(url)
    database = Database.from_url(url)
    hashed = hash_password(PASSWORD)
    result: list[Reporter] = []
    try:
        with database.unit_of_work() as session:
            system = Actor.system("cli")
            anchor = create_organisation(
                session,
                system,
                "anchor",
                {"name_zh": "基准主机厂", "name_en": "Bench Anchor", "credit_code": _code(0)},
            )
            buyer = _user(session, "buyer@anchor.bench", anchor.id, "procurement", hashed)
            buyer_actor = Actor(buyer.id, anchor.id, "procurement")
            define_part(
                session,
                buyer_actor,
                {"part_number": "B-1", "name_zh": "基准件", "unit": "pcs", "mass_kg": "1"},
            )
            suppliers = -(-reporters // LINES_PER_SUPPLIER)
            for s in range(suppliers):
                org = create_organisation(
                    session,
                    system,
                    "supplier",
                    {
                        "name_zh": f"基准供应商{s}",
                        "name_en": f"Bench Supplier {s}",
                        "credit_code": _code(s + 1),
                    },
                )
                admin = _user(session, f"admin@s{s}.bench", org.id, "admin", hashed)
                link_supplier(session, Actor(admin.id, org.id, "admin"), anchor.id, org.id, {})
                count = min(LINES_PER_SUPPLIER, reporters - len(result))
                due = (utcnow() + timedelta(days=30)).date().isoformat()
                order = create_purchase_order(session, buyer_actor, {
                    "number": f"PO-BENCH-{s}", "supplier_org_id": org.id,
                    "lines": [{"part_number": "B-1", "quantity": "1000000", "due_date": due}
                              for _ in range(count)]})  # fmt: skip
                session.flush()
                for line in order.lines:
                    email = f"floor{line.line_no}@s{s}.bench"
                    _user(session, email, org.id, "reporter", hashed)
                    result.append(Reporter(email, line.id))
    finally:
        database.dispose()
    return result


def _user(session, email: str, org_id: int, role: str, hashed: str) -> User:  # type: ignore[no-untyped-def]
    user = User(email=email, name=email.split("@")[0], password_hash=hashed)
    session.add(user)
    session.flush()
    add_member(session, org_id, user, role)
    return user
