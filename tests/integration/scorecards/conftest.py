"""Fixtures of the scorecard tests: a supply network."""

from __future__ import annotations

import pytest

from tests.integration.scorecards import builders


@pytest.fixture
def net(session):
    return builders.network(session)
