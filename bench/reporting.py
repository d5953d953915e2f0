"""Benchmark the phone report path: concurrent shop-floor reporters against gunicorn on PostgreSQL.

``python -m bench.reporting [--scale F]`` makes its own PostgreSQL database (on the server of
``DATABASE_URL``, else postgresql://postgres@127.0.0.1:5432), seeds one open order line per
reporter, starts the app under gunicorn and signs every reporter in. Then 200 reporters (times
F) post the three-tap report form as fast as they can for 60 s (times F), each report with its
own idempotency key, keeping their connections open (as phones do); then the same number of
clients fetch ``/healthz`` (a database round trip, the "trivial" endpoint of
``ratio_vs_trivial``) and a static file for the same time; last, the reporters post at a human
pace (``--think`` seconds between reports) to show the latency of the report path below
saturation (``paced_*``). It prints requests/s, p50/p99 latency, errors and the CPU time each
request cost the app server and the database in the saturated phases (``app_cpu_ms``,
``db_cpu_ms``, see :mod:`bench.cpu`; at a human pace the servers' idle work would swamp them);
the last line is one JSON object. The database is dropped
afterwards.

The saturated phases' load comes from wrk (``apt-get install wrk``) when it is installed, else
from an httpx asyncio client (``--client``); the JSON says which. The Python client costs more
CPU per request than the trivial endpoint does, so beside the server on two cores it caps that
endpoint near 275 requests/s where wrk measures 1,700: its ``ratio_vs_trivial`` flatters. The
paced phase always uses httpx (see :func:`measure`).

With every client sending back to back, latency is set by queueing (Little's law: 200 requests
in flight at R requests/s wait about 200/R s), so the closed-loop p50/p99 measure the machine as
much as the code. The server runs with the product's gunicorn settings
(``webapp/gunicorn_conf.py``, as the Dockerfile's does). wrk opens all its connections in one
burst, and a gthread worker accepts whatever reaches it first: one run gave three workers 124,
45 and 31 of the 200 connections, and the clients of the first waited longest (p99 735 ms, p50
193 ms). So here each worker takes at most its share of the clients (``--worker-connections``);
phones, connecting one at a time minutes apart, land on the workers by chance and need no cap.
``--worker-class sync --no-keep-alive`` opens a new connection for every request instead.

Tasks go to Redis (``BENCH_REDIS_URL``, default redis://127.0.0.1:6379/12, flushed
afterwards) as in production, with no worker consuming them: the figures are those of the
request path (a report also asks for its supplier's scorecard refresh in its transaction).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis

from bench import reporting_wrk
from bench.cpu import CpuMeter
from bench.reporting_data import PASSWORD, Reporter, seed, temporary_database
from webapp import gunicorn_conf

PORT = int(os.environ.get("BENCH_PORT", "8791"))
BASE = f"http://127.0.0.1:{PORT}"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0

        done = len(ordered)
        return {"rps": done / self.seconds if self.seconds else 0.0, "p50_ms": pct(0.50),
                "p99_ms": pct(0.99), "errors": self.errors, "requests": done}  # fmt: skip


def start_server(
    url: str, workers: int, worker_class: str, threads: int, clients: int, log: Path
) -> subprocess.Popen[bytes]:
    """gunicorn with the product's settings (``webapp/gunicorn_conf.py``) and the worker
    options given; a gthread worker takes at most its share of the ``clients`` connections."""
    instance = tempfile.mkdtemp(prefix="tierlight-bench-")
    env = dict(
        os.environ,
        TIERLIGHT_MODE="production",
        TIERLIGHT_INSTANCE=instance,
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_hex(32),
        CELERY_BROKER_URL=REDIS,
        CELERY_RESULT_BACKEND=REDIS,
        CELERY_TASK_ALWAYS_EAGER="false",
        LOGIN_RATE_LIMIT="100000 per minute",
        PUBLIC_BASE_URL=BASE,
    )
    command = [sys.executable, "-m", "gunicorn", "-c", "python:webapp.gunicorn_conf",
               "webapp.wsgi:app", "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers),
               "--worker-class", worker_class, "--threads", str(threads),
               "--worker-connections", str(-(-clients // workers)),
               "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def wait_ready(client: httpx.AsyncClient, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.3)
    raise SystemExit("the server did not come up; see its log")


async def sign_in(client: httpx.AsyncClient, reporter: Reporter) -> str:
    """Sign the reporter in and open its report form once: returns the form's CSRF token."""
    page = await client.get("/auth/login")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    done = await client.post("/auth/login", data={"email": reporter.email, "password": PASSWORD,
                                                  "csrf_token": token})  # fmt: skip
    if done.status_code != 302:
        raise SystemExit(f"{reporter.email} could not sign in: {done.status_code}")
    form = await client.get(f"/orders/lines/{reporter.line_id}/report")
    return CSRF.search(form.text).group(1)  # type: ignore[union-attr]


async def run_phase(
    workers: list[Callable[[], Awaitable[bool]]],
    seconds: float,
    figures: Figures,
    think: float = 0.0,
) -> None:
    """Every worker repeats its request until the time is up, pausing ``think`` seconds on
    average (0.5-1.5 times, so workers do not march in step) between requests."""
    deadline = time.monotonic() + seconds
    rng = random.Random(7)

    async def loop(request: Callable[[], Awaitable[bool]]) -> None:
        if think:
            await asyncio.sleep(rng.uniform(0, think))
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                ok = await request()
            except httpx.HTTPError:
                ok = False
            if ok:
                figures.latencies.append(time.perf_counter() - started)
            else:
                figures.errors += 1
            if think:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    began = time.monotonic()
    await asyncio.gather(*(loop(w) for w in workers))
    figures.seconds = time.monotonic() - began


def reporter_request(client: httpx.AsyncClient, reporter: Reporter, token: str,
                     number: int) -> Callable[[], Awaitable[bool]]:  # fmt: skip
    sent = [0]
    url = f"/orders/lines/{reporter.line_id}/report"

    async def post() -> bool:
        sent[0] += 1
        form = {
            "csrf_token": token,
            "stage": "production",
            "quantity_done": str(sent[0] % 900),
            "idempotency_key": f"bench-{number}-{sent[0]}-{secrets.token_hex(4)}",
        }
        response = await client.post(url, data=form)
        return response.status_code == 303

    return post


def get_request(client: httpx.AsyncClient, path: str) -> Callable[[], Awaitable[bool]]:
    async def get() -> bool:
        response = await client.get(path)
        return response.status_code == 200

    return get


async def sign_in_all(clients: list[httpx.AsyncClient], reporters: list[Reporter]) -> list[str]:
    """Sign every reporter in, twenty at a time; their form tokens, in order."""
    await wait_ready(clients[0], time.monotonic() + 60)
    tokens: list[str] = []
    for start in range(0, len(reporters), 20):
        batch = zip(clients[start : start + 20], reporters[start : start + 20], strict=True)
        tokens += await asyncio.gather(*(sign_in(c, r) for c, r in batch))
    return tokens


def saturated_with_wrk(
    signed: list[reporting_wrk.SignedIn], seconds: float, keep_alive: bool, meter: CpuMeter
) -> dict[str, dict[str, float]]:
    count = len(signed)

    def phase(length: float, path: str = "", expected: int = 303) -> dict[str, float]:
        before = meter.snapshot()
        figures = reporting_wrk.run(BASE, count, length, signed, path, expected,
                                    keep_alive=keep_alive)  # fmt: skip
        return {**figures, **meter.per_request(before, int(figures["requests"]))}

    phase(min(5.0, seconds / 4))
    return {
        "report": phase(seconds),
        "healthz": phase(seconds, "/healthz", 200),
        "static": phase(seconds, "/static/css/app.css", 200),
    }


async def metered_phase(
    meter: CpuMeter,
    workers: list[Callable[[], Awaitable[bool]]],
    seconds: float,
) -> dict[str, float]:
    """:func:`run_phase`'s figures with the CPU each request cost (see :mod:`bench.cpu`)."""
    figures = Figures()
    before = meter.snapshot()
    await run_phase(workers, seconds, figures)
    summary = figures.summary()
    return {**summary, **meter.per_request(before, int(summary["requests"]))}


async def saturated_with_httpx(
    clients: list[httpx.AsyncClient],
    posts: list[Callable[[], Awaitable[bool]]],
    seconds: float,
    meter: CpuMeter,
) -> dict[str, dict[str, float]]:
    await run_phase(posts, min(5.0, seconds / 4), Figures())
    results = {"report": await metered_phase(meter, posts, seconds)}
    for name, path in (("healthz", "/healthz"), ("static", "/static/css/app.css")):
        gets = [get_request(c, path) for c in clients]
        results[name] = await metered_phase(meter, gets, seconds)
    return results


async def measure(
    reporters: list[Reporter],
    seconds: float,
    keep_alive: bool,
    think: float,
    tool: str,
    meter: CpuMeter,
) -> dict[str, dict[str, float]]:
    """The saturated phases with ``tool``; the paced one always with httpx, whose clients
    open their connection when they first send (as a phone does): wrk opens every connection
    at once, and gunicorn's gthread worker lends a thread for up to 5 s to a new connection
    that has not sent yet, which would add seconds to first reports that no phone sees.

    The connections the reporters signed in on are closed before the load starts: left idle,
    they would hold places of the workers' connection caps until their keep-alive ran out."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1 if keep_alive else 0)

    def clients_with(jars: list[httpx.Cookies | None]) -> list[httpx.AsyncClient]:
        headers = {"User-Agent": reporting_wrk.USER_AGENT}
        return [httpx.AsyncClient(base_url=BASE, timeout=30, limits=limits, cookies=jar,
                                  headers=headers) for jar in jars]  # fmt: skip

    signing = clients_with([None] * len(reporters))
    try:
        tokens = await sign_in_all(signing, reporters)
        jars: list[httpx.Cookies | None] = [c.cookies for c in signing]
    finally:
        await asyncio.gather(*(c.aclose() for c in signing))
    clients = clients_with(jars)
    try:
        posts = [reporter_request(c, r, t, i) for i, (c, r, t) in
                 enumerate(zip(clients, reporters, tokens, strict=True))]  # fmt: skip
        if tool == "wrk":
            signed = [
                reporting_wrk.SignedIn(
                    r.line_id, t, "; ".join(f"{k}={v}" for k, v in c.cookies.items())
                )
                for c, r, t in zip(clients, reporters, tokens, strict=True)
            ]
            results = await asyncio.to_thread(
                saturated_with_wrk, signed, seconds, keep_alive, meter
            )
        else:
            results = await saturated_with_httpx(clients, posts, seconds, meter)
        paced = Figures()
        await run_phase(posts, seconds, paced, think)
        results["paced"] = paced.summary()
        return results
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shortens time and reporters")
    parser.add_argument("--workers", type=int, default=gunicorn_conf.workers)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument(
        "--threads", type=int, default=gunicorn_conf.threads, help="per worker, for gthread"
    )
    parser.add_argument(
        "--no-keep-alive",
        dest="keep_alive",
        action="store_false",
        help="a new connection per request (as gunicorn's sync workers need)",
    )
    parser.add_argument("--think", type=float, default=4.0, help="paced phase: s between reports")
    parser.add_argument(
        "--client",
        choices=["wrk", "httpx"],
        default="wrk" if reporting_wrk.available() else "httpx",
        help="the load tool (default: wrk when installed)",
    )
    args = parser.parse_args(argv)
    if args.client == "wrk" and not reporting_wrk.available():
        parser.error("wrk is not installed: apt-get install wrk (or --client httpx)")
    count = max(10, round(200 * args.scale))
    seconds = max(5.0, 60 * args.scale)
    log = Path(tempfile.gettempdir()) / "tierlight-bench-gunicorn.log"
    with temporary_database(os.environ.get("DATABASE_URL")) as url:
        print(f"seeding {count} reporters, each with an open order line ...")
        reporters = seed(url, count)
        server = start_server(url, args.workers, args.worker_class, args.threads, count, log)
        try:
            print(f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} "
                  f"threads; {count} concurrent clients, {seconds:.0f} s per phase")  # fmt: skip
            results = asyncio.run(
                measure(
                    reporters,
                    seconds,
                    args.keep_alive,
                    args.think,
                    args.client,
                    CpuMeter(server.pid),
                )
            )
        finally:
            stop_server(server)
            redis.Redis.from_url(REDIS).flushdb()
    for name, figures in results.items():
        print(f"{name:8s} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
              f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']}"
              + (f"  CPU/request: app {figures['app_cpu_ms']:.2f} ms, db "
                 f"{figures['db_cpu_ms']:.2f} ms" if "app_cpu_ms" in figures else ""))  # fmt: skip
    report, trivial, static = results["report"], results["healthz"], results["static"]
    paced = results["paced"]
    summary = {
        **{k: round(v, 2) for k, v in report.items()},
        "trivial": "/healthz",
        "trivial_rps": round(trivial["rps"], 2),
        "trivial_p50_ms": round(trivial["p50_ms"], 2),
        "trivial_p99_ms": round(trivial["p99_ms"], 2),
        "trivial_errors": trivial["errors"],
        "trivial_app_cpu_ms": round(trivial["app_cpu_ms"], 2),
        "trivial_db_cpu_ms": round(trivial["db_cpu_ms"], 2),
        "ratio_vs_trivial": round(report["rps"] / trivial["rps"], 3) if trivial["rps"] else 0.0,
        "static_rps": round(static["rps"], 2),
        "ratio_vs_static": round(report["rps"] / static["rps"], 3) if static["rps"] else 0.0,
        "paced_rps": round(paced["rps"], 2),
        "paced_p50_ms": round(paced["p50_ms"], 2),
        "paced_p99_ms": round(paced["p99_ms"], 2),
        "paced_errors": paced["errors"],
        "think_s": args.think,
        "client": args.client,
        "server": f"{args.workers} {args.worker_class} workers",
        "keep_alive": args.keep_alive,
        "concurrency": count,
        "seconds": seconds,
    }
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
