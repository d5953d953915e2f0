"""Demo scorecards: the full recompute over recent history, run last so the dashboard is full.

Twelve weeks and six months are computed so the trends have a history; the warnings of the
demo's late and stalled lines are raised (their e-mails wait in the outbox until the worker's
dispatch runs).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from models.demo.context import DemoContext
from models.scorecards.periods import periods_back
from models.scorecards.recompute import recompute
from models.scorecards.updates import advance_watermarks

HISTORY_WEEKS = 12
HISTORY_MONTHS = 6


def seed_scorecards(ctx: DemoContext) -> None:
    now = max(datetime.now(UTC), datetime.combine(ctx.today, time(12), tzinfo=UTC))
    periods = periods_back("week", ctx.today, HISTORY_WEEKS) + periods_back(
        "month", ctx.today, HISTORY_MONTHS
    )
    ctx.session.flush()
    recompute(ctx.session, periods, now)
    advance_watermarks(ctx.session)
