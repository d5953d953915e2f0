"""Who is acting, and through which channel: passed to every domain operation that writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Channel = Literal["web", "api", "file", "edi", "system", "cli"]


@dataclass(frozen=True)
class Actor:
    """The user and organisation behind a write (both ``None`` for the system itself)."""

    user_id: int | None
    org_id: int | None
    role: str | None = None
    channel: Channel = "web"

    @classmethod
    def system(cls, channel: Channel = "system") -> Actor:
        return cls(user_id=None, org_id=None, role=None, channel=channel)

    def via(self, channel: Channel) -> Actor:
        """The same person acting through another channel (an upload, an EDI file)."""
        return Actor(self.user_id, self.org_id, self.role, channel)

    @property
    def is_system(self) -> bool:
        return self.user_id is None and self.org_id is None
