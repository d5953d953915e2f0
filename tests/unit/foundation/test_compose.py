"""docker-compose.yml agrees with the CLI and the configuration (no Docker engine runs here)."""

from __future__ import annotations

import importlib.util
import re
import secrets
from pathlib import Path

import yaml

from models.config import ENVIRONMENT_VARIABLES, load_settings
from webapp.cli import main

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat", "migrate")


def _resolve(value: str) -> str:
    """Substitute ``${VAR:-default}`` with its default and ``${VAR:?msg}`` with a real value."""
    value = re.sub(r"\$\{SECRET_KEY:\?[^}]*\}", secrets.token_hex(32), value)
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def test_it_describes_the_deployment():
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(SERVICES)
    assert "pgdata" in COMPOSE["volumes"]
    assert any(v.startswith("pgdata:") for v in SERVICES["postgres"]["volumes"])


def test_the_app_services_share_one_image():
    images = {SERVICES[name]["image"] for name in APP_SERVICES}
    assert images == {"tierlight:latest"}
    assert all(SERVICES[name]["build"] == "." for name in APP_SERVICES)
    assert (ROOT / "Dockerfile").exists()


def test_every_service_that_runs_long_has_a_healthcheck():
    for name in ("web", "worker", "postgres", "redis"):
        assert SERVICES[name]["healthcheck"]["test"], name


def test_web_runs_gunicorn_on_the_wsgi_module():
    command = SERVICES["web"]["command"]
    assert command[0] == "gunicorn"
    module, _, attribute = command[-1].partition(":")
    assert importlib.util.find_spec(module) is not None
    assert attribute == "app"
    config = command[command.index("-c") + 1]
    assert config == "python:webapp.gunicorn_conf"
    assert importlib.import_module("webapp.gunicorn_conf").worker_class == "gthread"
    assert "app = create_app()" in (ROOT / "webapp" / "wsgi.py").read_text()


def test_worker_beat_and_migrate_are_commands_of_the_cli():
    for name in ("worker", "beat", "migrate"):
        command = SERVICES[name]["command"]
        assert command[0] == "tierlight", name
        group = main
        for word in command[1:]:
            if word.startswith("-"):
                break
            assert word in group.commands, f"{name}: tierlight has no command {word!r}"
            group = group.commands[word]


def test_environment_names_only_real_settings_and_loads():
    for name in APP_SERVICES:
        env = {k: _resolve(str(v)) for k, v in SERVICES[name]["environment"].items()}
        assert set(env) <= set(ENVIRONMENT_VARIABLES), name
        settings = load_settings(env)
        settings.require_secret_key()
        assert settings.database_url.startswith("postgresql+psycopg://")
        assert settings.celery_broker_url.startswith("redis://")


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in ENVIRONMENT_VARIABLES if f"`{name}`" not in readme]
    assert missing == []
