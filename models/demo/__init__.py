"""The deterministic demo supply chain; each feature adds its own data through its seeder."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from models.demo.carbon import seed_carbon
from models.demo.context import DEMO_PASSWORD, DemoContext
from models.demo.edi import seed_edi
from models.demo.orders import seed_orders
from models.demo.orgs import ORGS, USERS, seed_organisations
from models.demo.quality import seed_quality
from models.demo.scorecards import seed_scorecards
from models.demo.trace import seed_trace

#: Seeders in dependency order. Each takes the shared context and writes through domain ops.
SEEDERS: list[Callable[[DemoContext], None]] = [seed_organisations, seed_orders, seed_edi]
SEEDERS.append(seed_quality)
SEEDERS.append(seed_trace)
SEEDERS.append(seed_carbon)
SEEDERS.append(seed_scorecards)  # keep last: it scores what the others seeded


def seed_demo(session: Session) -> list[dict[str, str]]:
    """Load the whole demo into an empty database; returns the demo logins."""
    context = DemoContext(session)
    for seeder in SEEDERS:
        seeder(context)
        session.flush()
    return demo_logins()


def demo_logins() -> list[dict[str, str]]:
    names = {key: spec["name_en"] for key, spec in ORGS.items()}
    return [
        {"email": email, "role": role, "organisation": names[org]}
        for email, _name, org, role in USERS
    ]


__all__ = ["DEMO_PASSWORD", "demo_logins", "seed_demo"]
