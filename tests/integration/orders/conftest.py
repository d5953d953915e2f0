"""Fixtures of the order-flow integration tests."""

from __future__ import annotations

import pytest

from tests.fixtures.orders.chain import Chain, build_chain


@pytest.fixture
def chain(session) -> Chain:
    return build_chain(session)
