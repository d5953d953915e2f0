"""Fixtures of the carbon web tests: the small chain with its footprints, PACT credentials."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from models.carbon.activity import record_activity
from models.carbon.footprints import declare_footprint
from models.carbon.pact_clients import create_pact_client
from models.carbon.rollup import recompute_footprints
from models.config import Settings
from tests.conftest import make_settings
from tests.integration.carbon.builders import YEAR, Chain, chain, month_of


@dataclass
class PactWorld:
    chain: Chain
    client_id: str
    secret: str

    def basic(self, client_id: str | None = None, secret: str | None = None) -> dict[str, str]:
        raw = f"{client_id or self.client_id}:{secret or self.secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def seed_footprints(session: Any, c: Chain) -> None:
    record_activity(
        session,
        c.s2_floor,
        month_of(
            c.s2_site,
            f"{YEAR}-01",
            {"electricity": ("1000", "kWh"), "natural_gas": ("100", "m3")},
            [(c.pa, "500", "1000"), (c.px, "250", "500")],
        ),
    )
    declare_footprint(
        session,
        c.h2_admin,
        {"part_id": c.pb.id, "year": YEAR, "pcf_kg": "4.0", "primary_data_share": "50"},
    )
    record_activity(
        session,
        c.t1_floor,
        month_of(c.t1_site, f"{YEAR}-01", {"electricity": ("2000", "kWh")}, [(c.fin, "100", None)]),
    )
    recompute_footprints(session, c.carbon, YEAR)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The test settings, letting PACT answers reach the :func:`receiver` on loopback (as a
    partner on a private network would be allowed); the default refuses such targets."""
    return make_settings(tmp_path, pact_allow_private_targets=True)


@pytest.fixture
def world(session: Any) -> Chain:
    c = chain(session)
    seed_footprints(session, c)
    session.commit()
    return c


@pytest.fixture
def pact(session: Any, world: Chain) -> PactWorld:
    client, secret = create_pact_client(session, world.carbon, {"name": "ESG platform"})
    session.commit()
    return PactWorld(world, client.client_id, secret)


@pytest.fixture
def token(client: Any, pact: PactWorld) -> str:
    response = client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=pact.basic()
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["access_token"]


@dataclass
class Receiver:
    url: str
    received: list[dict[str, Any]]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local HTTP server standing for a requester's events endpoint; keeps what it got."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            received.append(
                {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
