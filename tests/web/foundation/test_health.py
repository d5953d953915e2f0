"""``/healthz`` names the failing part."""

from __future__ import annotations

from models.db import Database
from webapp.app import create_app


def test_healthy_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_503_names_the_broker_when_it_does_not_answer(settings, database):
    broken = settings.with_overrides(
        celery_broker_url="redis://127.0.0.1:1/0", celery_always_eager=False
    )
    response = create_app(broken, database).test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("failing")


def test_503_names_the_database_when_it_does_not_answer(settings, tmp_path):
    missing = Database.from_url(f"sqlite:///{tmp_path}/no/such/dir/x.sqlite")
    response = create_app(settings, missing).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"].startswith("failing")
    assert response.get_json()["broker"] == "ok"
