"""Fixtures of the EDI page and API tests."""

from __future__ import annotations

import pytest

from tests.fixtures.edi_docs.world import World, build_world


@pytest.fixture
def world(session) -> World:
    built = build_world(session)
    session.commit()
    return built
