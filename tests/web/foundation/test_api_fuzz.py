"""Every operation of the API, fuzzed from its OpenAPI document by schemathesis, on the demo
supply chain: whatever a client sends, the answer is never a server error and always looks as
the document says (an error in the one error shape, a record with its documented fields)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from models.accounts.entities import User
from models.accounts.operations import create_api_token, membership
from models.actor import Actor
from tests.conftest import make_settings
from tests.services import demo_database
from webapp.app import create_app

#: Inputs tried per operation and caller. The same ones on every run (derandomised), so a red
#: CI names a change of the code, not a lucky draw. For a deeper search, raise it and drop
#: ``derandomize`` for a run: 60 random inputs per operation take about two minutes.
EXAMPLES = 10

#: A buyer's procurement staff and a tier-1 supplier's admin: between them they may call
#: nearly every operation.
CALLERS = ("buyer@changfeng.demo", "admin@hengtong.demo")


@pytest.fixture(scope="module")
def demo_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, list[str]]]:
    """The app on a database of its own with the demo loaded, and a bearer token per caller."""
    folder = tmp_path_factory.mktemp("fuzz")
    with demo_database(folder) as database:
        tokens = []
        with database.unit_of_work() as session:
            for email in CALLERS:
                user = session.scalars(select(User).where(User.email == email)).one()
                member = membership(session, user.id)
                actor = Actor(user.id, member.org_id, member.role)
                tokens.append(create_api_token(session, actor, "fuzz")[0])
        yield create_app(make_settings(folder), database), tokens


@pytest.mark.slow
def test_no_input_gets_a_server_error_and_every_answer_is_as_documented(demo_api):  # type: ignore[no-untyped-def]
    app, tokens = demo_api
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for found in api.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):  # type: ignore[no-untyped-def]
            for token in tokens:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
                    checks=[not_a_server_error, response_schema_conformance],
                )

        try:
            call()
        except Exception as error:  # every operation's failure is reported, not just the first
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
