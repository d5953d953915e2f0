"""gunicorn's settings for the web app: ``gunicorn -c python:webapp.gunicorn_conf webapp.wsgi:app``.

Threaded workers, one process per core this process may run on and one more, four threads
each: a thread waiting on the database lets another request of the same process run.
Connections stay open for 10 s after a response, about as long as a person on the shop floor
takes between opening the report form and sending it, so the report needs no new connection.
Every setting can be overridden on the command line or in ``GUNICORN_CMD_ARGS``
(``WEB_CONCURRENCY`` sets the number of workers).
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gunicorn.workers.base import Worker

workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) + 1))
worker_class = "gthread"
threads = 4
keepalive = 10
backlog = 2048

#: The collector's youngest generation is scanned after this many new objects rather than 700:
#: a request allocates a few thousand short-lived objects, and scanning them took 7% of the
#: CPU of a progress report (measured with the app's objects frozen, as below).
YOUNG_GENERATION_THRESHOLD = 10_000


def post_worker_init(worker: Worker) -> None:
    settle_collector()


def settle_collector() -> None:
    """Once the app is loaded, move its objects out of the collector's sight (they live as long
    as the worker) and collect the youngest generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, 50, 100)
