"""The network API's lists (suppliers, links, invitations, people) are paged like every other
list: ``?page=N&page_size=M`` and an ``X-Pagination`` header, as the README promises."""

from __future__ import annotations

import json

import pytest

from models.actor import Actor
from models.orgs.operations import create_organisation
from models.orgs.sharing import link_supplier
from tests.helpers import bearer, sign_in
from tests.web.network.builders import PASSWORD, anchor, credit_code, supplier


@pytest.fixture
def three_suppliers(session):
    buyer, admin = anchor(session)
    for n in (71, 72, 73):
        org, _ = supplier(session, n)
        link_supplier(session, Actor(admin.id, buyer.id, "admin"), buyer.id, org.id, {})
    session.commit()
    return bearer(session, admin.email)


@pytest.mark.parametrize("path", ["/api/v1/suppliers", "/api/v1/links"])
def test_a_list_is_paged(client, three_suppliers, path):
    response = client.get(f"{path}?page=2&page_size=2", headers=three_suppliers)
    assert response.status_code == 200
    assert len(response.get_json()) == 1
    paging = json.loads(response.headers["X-Pagination"])
    assert (paging["total"], paging["total_pages"], paging["page"]) == (3, 2, 2)


@pytest.mark.parametrize("path", ["/api/v1/invitations", "/api/v1/people"])
def test_the_other_lists_carry_the_header(client, three_suppliers, path):
    response = client.get(f"{path}?page_size=1", headers=three_suppliers)
    assert response.status_code == 200
    assert "total" in json.loads(response.headers["X-Pagination"])


def test_a_bad_page_size_is_refused_at_its_field(client, three_suppliers):
    response = client.get("/api/v1/people?page_size=0", headers=three_suppliers)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["page_size"]


def test_the_directory_page_names_a_bad_filter_and_searches_with_the_good_ones(
    client, session, three_suppliers
):
    sign_in(client, "admin1@anchor.test", PASSWORD)

    bad = client.get("/suppliers?tier=abc&status=paused&q=供应商72")
    chinese = client.get("/suppliers?tier=abc", headers={"Accept-Language": "zh"})
    fine = client.get("/suppliers?tier=1&status=&q=")

    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'role="alert"' in page
    assert "Tier: Not a valid integer." in page and "Status: Must be one of:" in page
    assert page.count('<td data-label="Tier">1</td>') == 1, "the search still applies"
    assert chinese.status_code == 422 and "不是有效的整数" in chinese.get_data(as_text=True)
    assert fine.status_code == 200
    assert fine.get_data(as_text=True).count('<td data-label="Tier">1</td>') == 3


def test_the_directory_page_shows_fifty_suppliers_a_page_and_its_pager_keeps_the_filters(
    client, session
):
    buyer, admin = anchor(session)
    operator = Actor(admin.id, buyer.id, "admin")
    for n in range(100, 153):
        org = create_organisation(
            session, Actor.system("cli"), "supplier",
            {"name_zh": f"供应商{n}", "credit_code": credit_code(n)},
        )  # fmt: skip
        link_supplier(session, operator, buyer.id, org.id, {})
    session.commit()
    sign_in(client, admin.email, PASSWORD)

    first = client.get("/suppliers?tier=1").get_data(as_text=True)
    second = client.get("/suppliers?tier=1&page=2").get_data(as_text=True)

    assert "53 suppliers" in first
    assert first.count('<td data-label="Tier">1</td>') == 50
    assert second.count('<td data-label="Tier">1</td>') == 3
    assert 'href="/suppliers?tier=1&amp;page=2" rel="next"' in first
    assert "供应商152" in second and "供应商152" not in first
