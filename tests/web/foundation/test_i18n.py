"""Both languages, chosen from the switcher or the browser, on every page."""

from __future__ import annotations


def test_browser_language_picks_chinese(client):
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "登录" in page.get_data(as_text=True)


def test_browser_language_picks_english(client):
    page = client.get("/auth/login", headers={"Accept-Language": "en-US,en;q=0.8"})
    assert "Sign in" in page.get_data(as_text=True)


def test_switcher_overrides_the_browser_and_is_on_every_page(client):
    headers = {"Accept-Language": "en"}
    assert "/lang/zh_Hans_CN" in client.get("/auth/login", headers=headers).get_data(as_text=True)
    client.get("/lang/zh_Hans_CN?next=/auth/login", headers=headers)
    assert "登录" in client.get("/auth/login", headers=headers).get_data(as_text=True)


def test_switcher_refuses_to_redirect_off_site(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_api_errors_follow_the_language(client):
    response = client.get("/api/v1/jobs", headers={"Accept-Language": "zh-CN"})
    assert response.get_json()["message"] == "请先登录。"
