"""CPU time the app server and the database spent during a benchmark phase, per request.

Throughput and latency under a closed loop measure the machine as much as the code: the same
commit gave figures 25% apart on one machine from one run to the next, and another machine of
the same kind answered half as many requests. CPU milliseconds per request, of the gunicorn
processes and of PostgreSQL's, say what the request itself costs; with every client sending
back to back on C cores, N clients wait about N x (app + db) / C ms per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import psutil

DATABASE_NAMES = frozenset({"postgres", "postmaster"})


def _seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


@dataclass(frozen=True)
class Snapshot:
    app: dict[int, float]
    db: dict[int, float]


class CpuMeter:
    """Reads the CPU seconds of the server's process tree and of every PostgreSQL process on
    this machine (a database server elsewhere is not seen: its ``db_cpu_ms`` reads 0)."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def snapshot(self) -> Snapshot:
        server = psutil.Process(self.server_pid)
        app = _tree_seconds([server, *server.children(recursive=True)])
        db = _tree_seconds(
            p for p in psutil.process_iter(["name"]) if p.info["name"] in DATABASE_NAMES
        )
        return Snapshot(app, db)

    def per_request(self, before: Snapshot, requests: int) -> dict[str, float]:
        """``app_cpu_ms`` and ``db_cpu_ms`` per request since ``before`` (a process that
        started meanwhile counts from zero)."""
        after = self.snapshot()
        per = 1000 / max(1, requests)
        return {
            "app_cpu_ms": _spent(before.app, after.app) * per,
            "db_cpu_ms": _spent(before.db, after.db) * per,
        }


def _tree_seconds(processes: Iterable[psutil.Process]) -> dict[int, float]:
    seconds: dict[int, float] = {}
    for process in processes:
        try:
            seconds[process.pid] = _seconds(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return seconds


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())
