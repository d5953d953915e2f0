"""The one Celery app, configured from :class:`~models.config.Settings` when a process starts.

The app is created unconfigured at import (so tasks can be declared) and configured once by
:func:`configure`, which the web app factory, ``tierlight worker`` and ``tierlight beat`` call.
``celery -A worker.celery_app`` also works: the loader configures from the environment then.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, signals

from models.clock import use_time_zone
from models.config import Settings, load_settings
from models.db import Database
from worker.beat import BEAT_SCHEDULE

TASK_MODULES = [
    "worker.tasks.system",
    "worker.tasks.mail",
    "worker.tasks.edi",
    "worker.tasks.quality",
    "worker.tasks.trace",
    "worker.tasks.carbon",
    "worker.tasks.scorecards",
]

celery_app = Celery("tierlight", set_as_current=False, include=TASK_MODULES)

_state: dict[str, Any] = {"settings": None, "database": None}


def configure(settings: Settings, database: Database | None = None) -> Celery:
    """Apply ``settings`` to the Celery app and set the database its tasks write to."""
    use_time_zone(settings.time_zone)
    celery_app.conf.update(
        broker_url=settings.celery_broker_url,
        result_backend=settings.celery_result_backend,
        task_always_eager=settings.celery_always_eager,
        task_eager_propagates=settings.celery_always_eager,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        result_expires=3600,
        timezone="UTC",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        beat_schedule=BEAT_SCHEDULE,
        database_engine_options={"pool_pre_ping": True},
        result_extended=False,
    )
    _state["settings"] = settings
    _state["database"] = database
    return celery_app


def settings() -> Settings:
    if _state["settings"] is None:
        configure(load_settings())
    return _state["settings"]


def database() -> Database:
    """The database tasks use: the one given to :func:`configure`, else one from the settings."""
    if _state["database"] is None:
        _state["database"] = Database.from_url(settings().database_url)
    return _state["database"]


@signals.worker_process_init.connect
def _fresh_engine_per_process(**_: Any) -> None:
    """A forked pool process must not share the parent's database connections."""
    if _state["database"] is not None:
        _state["database"].engine.dispose(close=False)


@signals.import_modules.connect
def _configure_from_environment(sender: Celery | None = None, **_: Any) -> None:
    """``celery -A worker.celery_app worker`` starts without our CLI: read the environment."""
    if sender is celery_app and _state["settings"] is None:
        configure(load_settings())
