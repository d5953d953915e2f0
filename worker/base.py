"""Task base class: late acknowledgement and retries with backoff on transient failures."""

from __future__ import annotations

from celery import Task
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.exc import OperationalError as DatabaseError

TRANSIENT_ERRORS = (DatabaseError, DisconnectionError, BrokerError, ConnectionError, TimeoutError)


class DomainTask(Task):
    """Base of every Tierlight task.

    Tasks take ids, never ORM objects, and open their own unit of work, so a retry after a
    transient database or broker error starts from a clean state. With ``acks_late`` a task that
    dies with its worker is redelivered; tasks are written so that running twice is harmless.
    """

    abstract = True
    acks_late = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 6
