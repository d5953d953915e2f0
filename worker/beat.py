"""The beat schedule: periodic jobs, named by task and run by ``tierlight beat``."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "send-outbox": {
        "task": "worker.tasks.mail.send_outbox",
        "schedule": 30.0,
    },
    "sweep-edi-documents": {
        "task": "worker.tasks.edi.sweep_edi_documents",
        "schedule": 20.0,
    },
    "remind-overdue-8d-steps": {
        "task": "worker.tasks.quality.remind_overdue_eightd_steps",
        "schedule": 900.0,
    },
    "recompute-scorecards": {
        "task": "worker.tasks.scorecards.recompute_scorecards",
        "schedule": 600.0,
    },
    "recompute-scorecard-history": {
        "task": "worker.tasks.scorecards.recompute_scorecards",
        "schedule": crontab(hour=18, minute=30),
        "kwargs": {"history": True},
    },
    "sweep-scorecard-facts": {
        "task": "worker.tasks.scorecards.sweep_scorecard_facts",
        "schedule": 5.0,
    },
    "dispatch-scorecard-warnings": {
        "task": "worker.tasks.scorecards.dispatch_scorecard_warnings",
        "schedule": 60.0,
    },
    "send-scorecard-digest": {
        "task": "worker.tasks.scorecards.send_scorecard_digest",
        "schedule": crontab(hour=0, minute=30),
    },
    "purge-broker-messages": {
        "task": "worker.tasks.system.purge_embedded_broker",
        "schedule": 3600.0,
    },
}
