"""``/healthz`` names the failing part."""

from __future__ import annotations

from redis import Redis

from models.db import Database
from models.demo import DEMO_PASSWORD, seed_demo
from tests.conftest import make_settings
from tests.helpers import sign_in
from tests.services import require_redis
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


def test_a_burst_of_checks_opens_one_broker_connection(settings, database):
    url = require_redis()
    redis = Redis.from_url(url)
    on_redis = settings.with_overrides(celery_broker_url=url, celery_always_eager=False)
    client = create_app(on_redis, database).test_client()
    before = redis.info("stats")["total_connections_received"]
    statuses = [client.get("/healthz").status_code for _ in range(20)]
    opened = redis.info("stats")["total_connections_received"] - before
    redis.close()
    assert statuses == [200] * 20
    assert opened <= 2, f"{opened} broker connections for 20 checks"


def test_the_system_page_of_a_signed_in_admin_shows_the_database_ok(fresh_db_url, tmp_path):
    """On a database of its own (separate connections, as when served): the page's check
    must not wait for the write lock its own request holds. Its jobs are named in the
    reader's language (the demo's incidents queued containment jobs)."""
    database = Database.from_url(fresh_db_url)
    with database.unit_of_work() as session:
        seed_demo(session)
    app = create_app(make_settings(tmp_path, database_url=fresh_db_url), database)
    client = app.test_client()
    sign_in(client, "admin@changfeng.demo", DEMO_PASSWORD)
    page = client.get("/system/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    chinese = client.get("/system/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    listed = client.get("/api/v1/jobs", headers={"Accept-Language": "zh-CN"}).get_json()
    database.dispose()
    assert 'Database</div><div class="value status-ok">ok' in page
    assert "<td>Containment scope of an incident</td>" in page
    assert "<td>质量事件围堵范围计算</td>" in chinese and "<td>containment</td>" not in chinese
    assert {job["kind"]: job["kind_label"] for job in listed}[
        "containment"
    ] == "质量事件围堵范围计算"
