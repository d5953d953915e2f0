"""A buyer's scorecard rules and index weights: reading them (with defaults) and changing them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import ColumnElement

from models.actor import Actor
from models.audit import record_audit
from models.base import utcnow
from models.errors import NotFound
from models.orgs.entities import Organisation
from models.roles import require_permission
from models.scorecards.entities import ScorecardSettings
from models.scorecards.kpis import DEFAULT_WEIGHTS, KPI_CODES
from models.scorecards.schemas import ScorecardSettingsSchema
from models.validation import load

RULES = (
    "coverage_hours",
    "otd_early_days",
    "otd_late_days",
    "stall_days",
    "stall_due_within_days",
    "projection_days",
)


@dataclass(frozen=True)
class Rules:
    """A buyer's scorecard rules, defaults filled in (see :class:`ScorecardSettings`)."""

    coverage_hours: int = 48
    otd_early_days: int = 3
    otd_late_days: int = 0
    stall_days: int = 3
    stall_due_within_days: int = 14
    projection_days: int = 14
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS = Rules()


def rules_of(session: Session, org_id: int) -> Rules:
    """The organisation's rules and weights (defaults for what it has not set)."""
    row = session.get(ScorecardSettings, org_id)
    if row is None:
        return DEFAULTS
    weights = {**DEFAULT_WEIGHTS, **{k: int(v) for k, v in (row.weights or {}).items()}}
    return Rules(**{name: getattr(row, name) for name in RULES}, weights=weights)


def update_scorecard_settings(session: Session, actor: Actor, data: dict[str, Any]) -> Rules:
    """Set the rules and weights of the actor's organisation.

    Weights take effect at once (the index is weighed when it is shown); rules apply from the
    next recompute, which the caller starts.
    """
    require_permission(actor.role, "manage_organisation")
    loaded = load(ScorecardSettingsSchema(), data)
    if actor.org_id is None or session.get(Organisation, actor.org_id) is None:
        raise NotFound()
    row = session.get(ScorecardSettings, actor.org_id)
    if row is None:
        row = ScorecardSettings(org_id=actor.org_id)
        session.add(row)
    for name in RULES:
        setattr(row, name, loaded[name])
    row.weights = {code: int(loaded["weights"].get(code, 0)) for code in KPI_CODES}
    row.updated_by_user_id = actor.user_id
    row.updated_at = utcnow()
    session.flush()
    record_audit(session, actor, "scorecards.settings", "scorecard_settings", actor.org_id, loaded)
    return rules_of(session, actor.org_id)


class BuyerRules:
    """The rules as SQL: join :attr:`table` on a line's buyer and read :meth:`rule`."""

    def __init__(self) -> None:
        self.table = aliased(ScorecardSettings, name="buyer_rules")

    def rule(self, name: str) -> ColumnElement[Any]:
        return func.coalesce(getattr(self.table, name), getattr(DEFAULTS, name))


def widest(session: Session, name: str) -> int:
    """The largest value any buyer uses for a rule (how far back a scan must look)."""
    stored = session.scalar(select(func.max(getattr(ScorecardSettings, name))))
    return max(int(stored or 0), getattr(DEFAULTS, name))
