"""Fixtures of the order pages and API tests: the small chain, committed for the app to see."""

from __future__ import annotations

import pytest

from tests.fixtures.orders.chain import PASSWORD, Chain, build_chain
from tests.helpers import sign_in


@pytest.fixture
def chain(session) -> Chain:
    built = build_chain(session)
    session.commit()
    return built


@pytest.fixture
def login(client):
    """Sign the test client in as one of the chain's users."""

    def as_user(email: str):
        client.post("/auth/logout", data={})
        sign_in(client, email, PASSWORD)
        return client

    return as_user
