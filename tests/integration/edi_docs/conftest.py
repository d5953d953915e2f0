"""Fixtures of the EDI document tests: the trading world and a one-call ingest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.db import Database
from tests.fixtures.edi_docs.ingest import ingest_bytes
from tests.fixtures.edi_docs.world import World, build_world, edi_file


@pytest.fixture
def world(session) -> World:
    built = build_world(session)
    session.commit()
    return built


@pytest.fixture
def ingest(database: Database, world: World) -> Callable[..., dict[str, Any]]:
    """``ingest("file.edi", sender="admin@supplier.edi")``: one of our files, sent and processed."""

    def run(name: str, sender: str = "admin@supplier.edi", content: bytes | None = None) -> dict:
        data = content if content is not None else edi_file(name)
        return ingest_bytes(database, world.actor(sender, "web"), data, name)

    return run
