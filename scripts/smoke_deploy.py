"""Deployment smoke test: gunicorn, a Celery worker and beat as separate processes.

Against the PostgreSQL in ``DATABASE_URL`` and the Redis in ``CELERY_BROKER_URL``: migrate,
seed, start the three processes, sign in over HTTP, start a worker check (a write that enqueues
a task), wait for the task's effect, and stop everything it started.

    DATABASE_URL=postgresql://... CELERY_BROKER_URL=redis://... python scripts/smoke_deploy.py
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PORT = int(os.environ.get("SMOKE_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
TIMEOUT_S = 90

#: The web app as the Dockerfile starts it.
GUNICORN = ["gunicorn", "-c", "python:webapp.gunicorn_conf"]


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"nothing listens on port {port}")


def csrf(client: httpx.Client, path: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get(path).text)
    if not found:
        raise SystemExit(f"no CSRF token on {path}")
    return found.group(1)


def exercise() -> dict:
    with httpx.Client(base_url=BASE, timeout=10, follow_redirects=False) as client:
        health = client.get("/healthz")
        if health.status_code != 200:
            raise SystemExit(f"/healthz answered {health.status_code}: {health.text}")
        login = client.post(
            "/auth/login",
            data={
                "email": "admin@changfeng.demo",
                "password": "tierlight-demo",
                "csrf_token": csrf(client, "/auth/login"),
            },
        )
        if login.status_code != 302:
            raise SystemExit(f"sign-in failed: {login.status_code}")
        started = client.post("/system/worker-check", data={"csrf_token": csrf(client, "/system/")})
        if started.status_code != 302:
            raise SystemExit(f"worker check was not accepted: {started.status_code}")
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            job = client.get("/api/v1/jobs").json()[0]
            if job["status"] == "succeeded":
                return job
            if job["status"] == "failed":
                raise SystemExit(f"the task failed: {job}")
            time.sleep(0.5)
    raise SystemExit("the worker did not finish the task in time")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"{name} must be set")
    workdir = Path(tempfile.mkdtemp(prefix="tierlight-smoke-"))
    env = dict(
        os.environ,
        TIERLIGHT_MODE="production",
        SECRET_KEY=secrets.token_hex(32),
        TIERLIGHT_INSTANCE=str(workdir),
        PUBLIC_BASE_URL=BASE,
        RATELIMIT_STORAGE_URL=os.environ["CELERY_BROKER_URL"],
    )
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    run(["tierlight", "db", "upgrade"], env)
    run(["tierlight", "seed"], env)
    processes = [
        start(
            [*GUNICORN, "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "webapp.wsgi:app"],
            env,
            workdir / "web.log",
        ),
        start(["tierlight", "worker", "--concurrency", "2"], env, workdir / "worker.log"),
        start(["tierlight", "beat"], env, workdir / "beat.log"),
    ]
    try:
        wait_for_port(PORT, time.monotonic() + 30)
        job = exercise()
        for process, name in zip(processes, ("web", "worker", "beat"), strict=True):
            if process.poll() is not None:
                raise SystemExit(f"{name} exited early with {process.returncode}")
        print(f"smoke test passed: job {job['id']} {job['status']} by {job['result']}")
        return 0
    except SystemExit:
        for log in sorted(workdir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-2000:]}", file=sys.stderr)
        raise
    finally:
        stop(processes)


if __name__ == "__main__":
    raise SystemExit(main())
