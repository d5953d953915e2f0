"""Starting the worker and beat processes with the app's configuration."""

from __future__ import annotations

from models.config import Settings
from worker.celery_app import celery_app, configure


def start_worker(
    settings: Settings, concurrency: int | None, with_beat: bool, loglevel: str
) -> None:
    configure(settings)
    argv = ["worker", f"--loglevel={loglevel}", "--without-gossip", "--without-mingle"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if with_beat:
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        argv += ["--beat", f"--schedule={settings.instance_path / 'celerybeat-schedule'}"]
    celery_app.worker_main(argv)


def start_beat(settings: Settings, loglevel: str) -> None:
    configure(settings)
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    celery_app.start(
        [
            "beat",
            f"--loglevel={loglevel}",
            f"--schedule={settings.instance_path / 'celerybeat-schedule'}",
        ]
    )
