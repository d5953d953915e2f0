"""Every link a page shows opens for the person it is shown to, on the demo supply chain: an
anchor's dashboard names lines of suppliers further down its chain, and a reporter's pages
name pages of its organisation it may not open; a link there must lead to a page, not to
"not found" or "not allowed"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from models.demo import DEMO_PASSWORD
from tests.conftest import make_settings
from tests.helpers import sign_in
from tests.services import demo_database
from webapp.app import create_app

#: An anchor's staff, a tier-1 supplier's admin and shop floor, a tier-2 supplier's admin.
PEOPLE = (
    "admin@changfeng.demo",
    "buyer@changfeng.demo",
    "quality@changfeng.demo",
    "admin@hengtong.demo",
    "floor@hengtong.demo",
    "admin@jinggong.demo",
)
#: Pages of one shape (the same path but for its ids) are followed this many times.
PER_SHAPE = 3
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"')


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("links")
    with demo_database(folder) as database:
        yield create_app(make_settings(folder), database)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "#", urlsplit(path).path)


def _dead_links(
    client: FlaskClient, start: str = "/", depth: int = 1000, per_shape: int = PER_SHAPE
) -> list[str]:
    """Follow the links of every page reached from ``start`` (at most ``depth`` links away,
    ``per_shape`` pages of each shape); name those that fail."""
    dead, opened, shapes, queue = [], set(), {}, [(start, start, 0)]
    while queue:
        path, shown_on, away = queue.pop(0)
        shape = _shape(path)
        if path in opened or shapes.get(shape, 0) >= per_shape:
            continue
        opened.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path, headers={"Accept-Language": "zh-CN"})
        if response.status_code >= 400:
            dead.append(f"{path} ({response.status_code}), linked from {shown_on}")
            continue
        if away == depth or response.status_code >= 300 or "text/html" not in response.content_type:
            continue
        for href in HREF.findall(response.get_data(as_text=True)):
            target = urlsplit(urljoin(path, unescape(href)))
            if target.scheme or target.netloc or target.path.startswith("/static/"):
                continue
            queue.append(
                (target.path + (f"?{target.query}" if target.query else ""), path, away + 1)
            )
    return dead


@pytest.mark.slow
@pytest.mark.parametrize("email", PEOPLE)
def test_every_link_a_page_shows_opens(demo_app: Flask, email: str) -> None:
    client = demo_app.test_client()
    sign_in(client, email, DEMO_PASSWORD)
    assert _dead_links(client) == []


@pytest.mark.slow
def test_every_record_behind_a_kpi_links_to_a_page_that_opens(demo_app: Flask) -> None:
    """Lines of a tier-2 supplier behind its delivery KPIs link to the line's page, which an
    anchor opens when the supplier shares its progress (the order itself is not the anchor's)."""
    client = demo_app.test_client()
    sign_in(client, "admin@changfeng.demo", DEMO_PASSWORD)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    suppliers = sorted(set(re.findall(r'href="/dashboard/suppliers/(\d+)"', dashboard)))
    assert len(suppliers) >= 4  # both tiers of the demo
    pages = [f"/dashboard/suppliers/{org}" for org in suppliers]
    kpi_pages = [
        p for page in pages for p in re.findall(r'href="([^"]+/kpis/[^"]+)"', client.get(page).text)
    ]
    order_links = sum(client.get(unescape(page)).text.count('href="/orders/') for page in kpi_pages)
    assert order_links > 10
    dead = [link for page in pages for link in _dead_links(client, page, 2, per_shape=1000)]
    assert dead == []
