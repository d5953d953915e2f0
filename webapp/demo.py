"""``tierlight demo``: the whole product on one machine, stopped cleanly by Ctrl-C.

It migrates a SQLite database in the instance folder, loads the demo supply chain when the
database is empty, starts a real Celery worker process (with beat) on the embedded SQLite
broker, and serves the web app in this process.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from types import FrameType

import click
from werkzeug.serving import run_simple

from models.config import Settings
from models.db import Database
from models.demo import DEMO_PASSWORD, demo_logins, seed_demo
from models.migrate import upgrade
from models.orgs.entities import Organisation
from webapp.app import create_app

WORKER_STOP_TIMEOUT_S = 15


def run_demo(settings: Settings, host: str, port: int, reset: bool) -> None:
    if _port_taken(host, port):
        raise click.ClickException(f"port {port} is in use; choose another with --port")
    if reset and settings.instance_path.exists():
        shutil.rmtree(settings.instance_path)
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    settings = settings.with_overrides(public_base_url=f"http://{host}:{port}")

    click.echo("migrating the database ...")
    upgrade(settings.database_url)
    database = Database.from_url(settings.database_url)
    _seed_if_empty(database)

    worker = _start_worker(settings)
    signal.signal(signal.SIGINT, _interrupt_once)
    signal.signal(signal.SIGTERM, _interrupt_once)
    try:
        _print_logins(host, port)
        run_simple(host, port, create_app(settings, database), threaded=True, use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        click.echo("\nstopping the worker ...")
        _stop(worker)
        database.dispose()
        click.echo("stopped.")


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((host, port)) == 0


def _seed_if_empty(database: Database) -> None:
    with database.unit_of_work() as session:
        if session.query(Organisation.id).first() is None:
            click.echo("loading the demo supply chain ...")
            seed_demo(session)


def _start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        TIERLIGHT_MODE="demo",
        TIERLIGHT_INSTANCE=str(settings.instance_path),
        DATABASE_URL=settings.database_url,
        CELERY_BROKER_URL=settings.celery_broker_url,
        CELERY_RESULT_BACKEND=settings.celery_result_backend,
        PUBLIC_BASE_URL=settings.public_base_url,
    )
    log = open(settings.instance_path / "worker.log", "ab")  # noqa: SIM115 - lives with the child
    command = [sys.executable, "-m", "webapp.cli", "worker", "--beat", "--concurrency", "2"]
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    click.echo(
        f"Celery worker started (pid {process.pid}, log {settings.instance_path}/worker.log)"
    )
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # the worker's warm shutdown stops its own pool processes
    try:
        process.wait(WORKER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _interrupt_once(_signum: int, _frame: FrameType | None) -> None:
    """Stop on the first Ctrl-C or SIGTERM; ignore repeats while the worker shuts down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def _print_logins(host: str, port: int) -> None:
    click.echo(f"\nTierlight demo on http://{host}:{port}  (Ctrl-C stops the web app and worker)")
    click.echo(f"Every demo account has the password: {DEMO_PASSWORD}")
    for login in demo_logins():
        click.echo(f"  {login['email']:<32} {login['role']:<12} {login['organisation']}")
    click.echo("")
