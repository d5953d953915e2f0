"""Browser-test fixtures: the app served from a thread on a committed database, and headless
Chromium pages the size of a phone (360 x 740).

Use them from any test under ``tests/web`` (``tests/web/conftest.py`` exposes them) and mark the
test ``@pytest.mark.browser``. Without ``/usr/bin/chromium`` the test is skipped with the reason,
or fails when ``CI`` is set.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from models.config import Settings
from models.db import Database
from tests.conftest import make_settings
from webapp.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}


def submit_sign_in(page: Any, email: str, password: str) -> None:
    """Fill the login form the page shows and wait until the app has sent the page on.

    Clicking returns before the next page loads: a test that read the page at once would read
    the login page as it unloads (its CSRF token was once found missing that way).
    """
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda address: "/auth/login" not in address)


def sign_in_page(page: Any, url: str, email: str, password: str, next_path: str = "/") -> None:
    """Open the login page, sign in and wait on the page it sends to (``next_path``)."""
    page.goto(f"{url}/auth/login?next={next_path}")
    submit_sign_in(page, email, password)


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium is not installed at {CHROMIUM}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: browser tests must run)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """The running app: its base URL, its database (commits are real) and its settings."""

    url: str
    database: Database
    settings: Settings


@pytest.fixture
def live_server(fresh_db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """``create_app`` served by a thread on a free port, against a database of its own."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = make_settings(tmp_path, database_url=fresh_db_url, public_base_url=url)
    database = Database.from_url(fresh_db_url)
    server = make_server("127.0.0.1", port, create_app(settings, database), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(url, database, settings)
    finally:
        server.shutdown()
        thread.join(10)
        database.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the run (Debian's, driven by Playwright)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open a fresh phone-sized page (own cookies): ``page = phone(locale="zh-CN")``."""
    contexts = []

    def open_page(locale: str = "zh-CN") -> Any:
        context = chromium.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale=locale,
            extra_http_headers={"Accept-Language": locale},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(phone: Callable[..., Any]) -> Any:
    """A phone-sized page in Chinese."""
    return phone()
