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


def test_counts_agree_in_english_and_read_naturally_in_chinese(app):
    """One supplier is "1 supplier", never "1 suppliers"; Chinese has one form for any count."""
    template = app.jinja_env.from_string(
        '{{ ngettext("%(num)s supplier", "%(num)s suppliers", n) }}'
    )
    for language, expected in (
        ("en", {1: "1 supplier", 3: "3 suppliers"}),
        ("zh-CN", {1: "共 1 家供应商", 3: "共 3 家供应商"}),
    ):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert {n: template.render(n=n) for n in expected} == expected
