"""The ``next`` of sign-in and of the language switcher only ever leads to a page of this site."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token
from tests.web.network.builders import PASSWORD, anchor

OFF_SITE_OR_BROKEN = [
    "/%09/example.com/x",
    "/%0d%0a/example.com",
    "/x%0d%0aSet-Cookie:a=b",
    "//example.com",
    "/%5c/example.com",
    "/%5cexample.com",
    "https://example.com/",
    "/%20/example.com",
    "example.com",
]


@pytest.mark.parametrize("target", OFF_SITE_OR_BROKEN)
def test_sign_in_never_leaves_the_site(client, session, target):
    anchor(session)
    data = {"email": "admin1@anchor.test", "password": PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post(f"/auth/login?next={target}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
@pytest.mark.parametrize("target", OFF_SITE_OR_BROKEN)
def test_language_switcher_never_leaves_the_site(client, locale, target):
    response = client.get(f"/lang/{locale}?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_page_of_the_site_is_still_the_next_page(client, session):
    anchor(session)
    data = {"email": "admin1@anchor.test", "password": PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post("/auth/login?next=/auth/tokens%3Fa%3D1", data=data)
    assert response.headers["Location"] == "/auth/tokens?a=1"
    assert client.get("/lang/en?next=/org/people").headers["Location"] == "/org/people"
