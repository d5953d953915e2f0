"""Fixtures shared by the web tests: the live server and phone-sized Chromium pages."""

from tests.web.browser import chromium, live_server, phone, phone_page  # noqa: F401
