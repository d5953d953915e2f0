"""Configuration is read once from the environment; bad values name their variable."""

from __future__ import annotations

import pytest

from models.config import ConfigError, load_settings


def test_defaults_are_embedded_sqlite_and_sqlite_broker(tmp_path):
    settings = load_settings({"TIERLIGHT_INSTANCE": str(tmp_path), "TIERLIGHT_MODE": "demo"})
    assert settings.database_url == f"sqlite:///{tmp_path}/tierlight.sqlite"
    assert settings.celery_broker_url == f"sqla+sqlite:///{tmp_path}/celery-broker.sqlite"
    assert settings.celery_result_backend.startswith("db+sqlite:///")
    assert settings.max_upload_mb == 20


def test_postgres_urls_get_the_psycopg_driver():
    settings = load_settings({"DATABASE_URL": "postgres://u@db/tl", "TIERLIGHT_MODE": "test"})
    assert settings.database_url == "postgresql+psycopg://u@db/tl"


def test_redis_broker_doubles_as_result_backend():
    settings = load_settings({"CELERY_BROKER_URL": "redis://r:6379/0", "TIERLIGHT_MODE": "test"})
    assert settings.celery_result_backend == "redis://r:6379/0"


@pytest.mark.parametrize("secret", [None, "", "changeme", "secret", "short-key"])
def test_production_refuses_missing_or_placeholder_secret(secret):
    env = {} if secret is None else {"SECRET_KEY": secret}
    settings = load_settings(env)
    with pytest.raises(ConfigError, match=r"^SECRET_KEY: "):
        settings.require_secret_key()


def test_production_accepts_a_real_secret():
    load_settings({"SECRET_KEY": "f" * 40}).require_secret_key()


@pytest.mark.parametrize("mode", ["demo", "test"])
def test_demo_and_test_mode_need_no_secret(mode, tmp_path):
    settings = load_settings({"TIERLIGHT_MODE": mode, "TIERLIGHT_INSTANCE": str(tmp_path)})
    settings.require_secret_key()
    assert len(settings.secret_key) >= 16


def test_demo_secret_survives_a_restart(tmp_path):
    env = {"TIERLIGHT_MODE": "demo", "TIERLIGHT_INSTANCE": str(tmp_path)}
    assert load_settings(env).secret_key == load_settings(env).secret_key


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x/y"),
        ("CELERY_BROKER_URL", "nonsense"),
        ("MAX_UPLOAD_MB", "lots"),
        ("MAX_UPLOAD_MB", "0"),
        ("CELERY_TASK_ALWAYS_EAGER", "perhaps"),
        ("TIERLIGHT_MODE", "staging"),
        ("DEFAULT_LOCALE", "fr"),
        ("TIME_ZONE", "Beijing"),
    ],
)
def test_bad_value_is_one_line_naming_the_variable(variable, value):
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value})
    message = str(caught.value)
    assert message.startswith(f"{variable}: ")
    assert "\n" not in message
