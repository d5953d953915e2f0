"""What demo seeders share: the session, the organisations and users by key, a fixed clock."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from models.accounts.entities import User
from models.actor import Actor
from models.clock import local_today
from models.orgs.entities import Organisation

DEMO_PASSWORD = "tierlight-demo"


@dataclass
class DemoContext:
    session: Session
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    user_org: dict[str, str] = field(default_factory=dict)
    today: date = field(default_factory=local_today)
    rng: random.Random = field(default_factory=lambda: random.Random(20261124))

    def actor(self, user_key: str, channel: str = "web") -> Actor:
        """The actor for a demo user, acting in the organisation they belong to."""
        user = self.users[user_key]
        org = self.orgs[self.user_org[user_key]]
        return Actor(user.id, org.id, self.roles[user_key], channel)  # type: ignore[arg-type]
