"""Who sees what: every viewer x every organisation x category x channel, on SQLite and PostgreSQL.

The network: anchor A buys from tier-1 T1, which buys from tier-2 T2c (shares progress, quality
and traceability up the chain, carbon only with T1) and tier-2 T2n (shares with T1 only).
A second anchor B also buys from T1 (T1 shares only progress with B). U is unrelated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from models.accounts.operations import create_api_token, create_user
from models.actor import Actor
from models.db import Database
from models.migrate import upgrade
from models.orgs.bootstrap import add_member
from models.orgs.codes import uscc_check_character
from models.orgs.entities import CATEGORIES
from models.orgs.operations import create_organisation
from models.orgs.sharing import link_supplier
from tests.conftest import make_settings
from tests.helpers import sign_in
from tests.services import temporary_postgres_database
from webapp.app import create_app

ALL = set(CATEGORIES)
NONE: set[str] = set()
HIDDEN = None  # the organisation is not even known: 404

ORGS = {
    "A": "anchor",
    "B": "anchor",
    "T1": "supplier",
    "T2c": "supplier",
    "T2n": "supplier",
    "U": "supplier",
}

#: viewer -> owner -> categories visible (None: the owner is unknown to the viewer, 404).
EXPECTED: dict[str, dict[str, set[str] | None]] = {
    "A": {
        "A": ALL,
        "T1": ALL,
        "T2c": {"progress", "quality", "traceability"},
        "T2n": HIDDEN,
        "U": HIDDEN,
        "B": HIDDEN,
    },
    "T1": {"A": NONE, "T1": ALL, "T2c": ALL, "T2n": ALL, "U": HIDDEN, "B": NONE},
    "T2c": {"A": HIDDEN, "T1": NONE, "T2c": ALL, "T2n": HIDDEN, "U": HIDDEN, "B": HIDDEN},
    "T2n": {"A": HIDDEN, "T1": NONE, "T2c": HIDDEN, "T2n": ALL, "U": HIDDEN, "B": HIDDEN},
    "U": {"A": HIDDEN, "T1": HIDDEN, "T2c": HIDDEN, "T2n": HIDDEN, "U": ALL, "B": HIDDEN},
    "B": {
        "A": HIDDEN,
        "T1": {"progress"},
        "T2c": {"progress", "quality", "traceability"},
        "T2n": HIDDEN,
        "U": HIDDEN,
        "B": ALL,
    },
}


def _flags(buyer: set[str], upstream: set[str]) -> dict[str, bool]:
    return {
        **{f"{c}_buyer": c in buyer for c in CATEGORIES},
        **{f"{c}_upstream": c in upstream for c in CATEGORIES},
    }


@dataclass
class Network:
    app: Flask
    ids: dict[str, int]
    tokens: dict[str, str]


def _build(url: str, tmp_path: Path) -> Network:
    upgrade(url)
    database = Database.from_url(url)
    ids: dict[str, int] = {}
    tokens: dict[str, str] = {}
    users: dict[str, Actor] = {}
    with database.unit_of_work() as session:
        for number, (key, kind) in enumerate(ORGS.items()):
            first17 = f"91310000MA1M{number:05d}"
            org = create_organisation(
                session,
                Actor.system("cli"),
                kind,
                {
                    "name_zh": f"测试企业{key}",
                    "name_en": f"Org {key}",
                    "credit_code": first17 + uscc_check_character(first17),
                },
            )
            user = create_user(session, f"{key.lower()}@matrix.test", key, "matrix-pass-1")
            add_member(session, org.id, user, "admin")
            ids[key] = org.id
            users[key] = Actor(user.id, org.id, "admin")
        link_supplier(session, users["T1"], ids["A"], ids["T1"], _flags(ALL, ALL))
        link_supplier(session, users["T1"], ids["B"], ids["T1"], _flags({"progress"}, NONE))
        link_supplier(
            session,
            users["T2c"],
            ids["T1"],
            ids["T2c"],
            _flags(ALL, {"progress", "quality", "traceability"}),
        )
        link_supplier(session, users["T2n"], ids["T1"], ids["T2n"], _flags(ALL, NONE))
        for key, actor in users.items():
            tokens[key], _ = create_api_token(session, actor, "matrix")
    return Network(create_app(make_settings(tmp_path), database), ids, tokens)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def network(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Network]:
    tmp_path = tmp_path_factory.mktemp(f"matrix-{request.param}")
    if request.param == "sqlite":
        yield _build(f"sqlite:///{tmp_path / 'matrix.sqlite'}", tmp_path)
        return
    with temporary_postgres_database() as url:
        network = _build(url, tmp_path)
        yield network
        network.app.extensions["tierlight.database"].dispose()


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_api_channel(network: Network, viewer: str) -> None:
    client = network.app.test_client()
    headers = {"Authorization": f"Bearer {network.tokens[viewer]}"}
    for owner, expected in EXPECTED[viewer].items():
        response = client.get(f"/api/v1/organisations/{network.ids[owner]}", headers=headers)
        if expected is HIDDEN:
            assert response.status_code == 404, (viewer, owner)
            continue
        assert response.status_code == 200, (viewer, owner)
        assert set(response.get_json()["visible_categories"]) == expected, (viewer, owner)


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_page_channel(network: Network, viewer: str) -> None:
    client = network.app.test_client()
    sign_in(client, f"{viewer.lower()}@matrix.test", "matrix-pass-1")
    for owner, expected in EXPECTED[viewer].items():
        response = client.get(
            f"/organisations/{network.ids[owner]}", headers={"Accept-Language": "en"}
        )
        if expected is HIDDEN:
            assert response.status_code == 404, (viewer, owner)
            continue
        page = response.get_data(as_text=True)
        assert response.status_code == 200, (viewer, owner)
        shown = {c for c in CATEGORIES if f"{c.capitalize()}: shared with you" in page}
        assert shown == expected, (viewer, owner)


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_directory_lists_exactly_the_known_suppliers(network: Network, viewer: str) -> None:
    client = network.app.test_client()
    headers = {"Authorization": f"Bearer {network.tokens[viewer]}"}
    listed = {
        row["organisation"]["id"]
        for row in client.get("/api/v1/suppliers", headers=headers).get_json()
    }
    ids = {v: k for k, v in network.ids.items()}
    expected_suppliers = {"A": {"T1", "T2c"}, "B": {"T1", "T2c"}, "T1": {"T2c", "T2n"}}
    assert {ids[i] for i in listed} == expected_suppliers.get(viewer, set())
