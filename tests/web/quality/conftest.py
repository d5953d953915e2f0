"""Fixtures of the quality web tests: the integration builders, plus signing in as someone."""

from __future__ import annotations

import pytest

from models.accounts.entities import User
from models.quality.characteristics import create_characteristic
from tests.helpers import sign_in
from tests.integration.quality import builders


@pytest.fixture
def chain(session):
    made = builders.chain(session)
    made.parts["ring"] = builders.part(session, made.anchor, made.supplier, "RING-1")
    session.commit()
    return made


@pytest.fixture
def ring(session, chain):
    made = create_characteristic(
        session,
        chain.engineer,
        {"part_id": chain.parts["ring"].id, "code": "D1", "name": "Inside diameter",
         "unit": "mm", "lsl": 73.95, "usl": 74.05, "target": 74.0,
         "classification": "critical", "subgroup_size": 5},
    )  # fmt: skip
    session.commit()
    return made


@pytest.fixture
def login(app, session):
    """A test client signed in as the user behind an actor."""

    def as_(actor):
        client = app.test_client()
        sign_in(client, session.get(User, actor.user_id).email, builders.PASSWORD)
        return client

    return as_
