"""Typed configuration, read once from the environment when a process starts.

Every setting has an embedded default so that a bare ``tierlight demo`` runs on one machine:
SQLite files under the instance folder, a Celery broker on a SQLite file, e-mail kept in the
outbox. Production sets ``DATABASE_URL``, ``CELERY_BROKER_URL`` and a real ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from models.clock import DEFAULT_TIME_ZONE, zone_named

Mode = Literal["production", "demo", "test"]
MODES: tuple[Mode, ...] = ("production", "demo", "test")

PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "dev",
        "development",
        "placeholder",
        "please-change-me",
        "replace-me",
        "your-secret-key",
        "xxx",
    }
)
MIN_SECRET_LENGTH = 16


#: Every environment variable the settings read (documented in the README).
ENVIRONMENT_VARIABLES = (
    "TIERLIGHT_MODE",
    "TIERLIGHT_INSTANCE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECRET_KEY",
    "PUBLIC_BASE_URL",
    "MAX_UPLOAD_MB",
    "MAX_PHOTO_MB",
    "RATELIMIT_STORAGE_URL",
    "LOGIN_RATE_LIMIT",
    "DEFAULT_LOCALE",
    "TIME_ZONE",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "PACT_ALLOW_PRIVATE_TARGETS",
)


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable in one line."""


@dataclass(frozen=True)
class MailSettings:
    """Outgoing mail. Without ``SMTP_HOST`` messages stay in the outbox (shown as a page)."""

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    sender: str = "Tierlight <no-reply@tierlight.local>"


@dataclass(frozen=True)
class Settings:
    """Everything a Tierlight process needs to know about its environment."""

    mode: Mode = "production"
    instance_path: Path = Path("instance")
    database_url: str = ""
    celery_broker_url: str = ""
    celery_result_backend: str = ""
    celery_always_eager: bool = False
    secret_key: str = ""
    public_base_url: str = "http://127.0.0.1:5000"
    max_upload_mb: int = 20
    max_photo_mb: int = 5
    ratelimit_storage_url: str = "memory://"
    login_rate_limit: str = "10 per minute"
    default_locale: str = "zh_Hans_CN"
    time_zone: str = DEFAULT_TIME_ZONE
    mail: MailSettings = field(default_factory=MailSettings)
    pact_allow_private_targets: bool = False

    @property
    def is_production(self) -> bool:
        return self.mode == "production"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def max_photo_bytes(self) -> int:
        return self.max_photo_mb * 1024 * 1024

    def require_secret_key(self) -> None:
        """Refuse a missing or placeholder ``SECRET_KEY`` outside demo and test mode."""
        if self.mode != "production":
            return
        key = self.secret_key.strip()
        if key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "SECRET_KEY: set a random value of at least 16 characters "
                "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
            )

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name}: must be at least {minimum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: expected true or false, got {raw!r}")


def _url(env: Mapping[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip() or default
    scheme = urlsplit(raw).scheme
    if not scheme or not any(scheme == s or scheme.startswith(s + "+") for s in schemes):
        raise ConfigError(
            f"{name}: expected a URL starting with one of {', '.join(s + '://' for s in schemes)}"
            f", got {raw!r}"
        )
    return raw


def normalise_database_url(url: str) -> str:
    """Accept the ``postgres://`` spelling that hosting platforms hand out."""
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_settings(environ: Mapping[str, str] | None = None, mode: Mode | None = None) -> Settings:
    """Build the settings from ``environ`` (default ``os.environ``); raise :class:`ConfigError`."""
    env = os.environ if environ is None else environ
    chosen = mode or env.get("TIERLIGHT_MODE", "production").strip() or "production"
    if chosen not in MODES:
        raise ConfigError(f"TIERLIGHT_MODE: expected one of {', '.join(MODES)}, got {chosen!r}")
    instance = Path(env.get("TIERLIGHT_INSTANCE", "").strip() or "instance").resolve()

    database_url = normalise_database_url(
        _url(
            env,
            "DATABASE_URL",
            f"sqlite:///{instance / 'tierlight.sqlite'}",
            ("sqlite", "postgresql", "postgres"),
        )
    )
    broker = _url(
        env,
        "CELERY_BROKER_URL",
        f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}",
        ("sqla", "redis", "rediss", "amqp", "memory", "filesystem"),
    )
    default_backend = (
        broker
        if broker.startswith("redis")
        else f"db+sqlite:///{instance / 'celery-results.sqlite'}"
    )
    backend = _url(
        env, "CELERY_RESULT_BACKEND", default_backend, ("db", "redis", "rediss", "cache", "rpc")
    )

    secret = env.get("SECRET_KEY", "")
    if not secret and chosen == "test":
        secret = "test-secret-key-not-for-production"
    if not secret and chosen == "demo":
        secret = _demo_secret(instance)

    return Settings(
        mode=chosen,  # type: ignore[arg-type]
        instance_path=instance,
        database_url=database_url,
        celery_broker_url=broker,
        celery_result_backend=backend,
        celery_always_eager=_bool(env, "CELERY_TASK_ALWAYS_EAGER", False),
        secret_key=secret,
        public_base_url=env.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
        or "http://127.0.0.1:5000",
        max_upload_mb=_int(env, "MAX_UPLOAD_MB", 20),
        max_photo_mb=_int(env, "MAX_PHOTO_MB", 5),
        ratelimit_storage_url=_url(
            env, "RATELIMIT_STORAGE_URL", "memory://", ("memory", "redis", "rediss")
        ),
        login_rate_limit=env.get("LOGIN_RATE_LIMIT", "").strip() or "10 per minute",
        default_locale=_locale(env),
        time_zone=_time_zone(env),
        mail=MailSettings(
            smtp_host=env.get("SMTP_HOST", "").strip() or None,
            smtp_port=_int(env, "SMTP_PORT", 587),
            smtp_user=env.get("SMTP_USER", "").strip() or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_bool(env, "SMTP_STARTTLS", True),
            sender=env.get("MAIL_FROM", "").strip() or "Tierlight <no-reply@tierlight.local>",
        ),
        pact_allow_private_targets=_bool(env, "PACT_ALLOW_PRIVATE_TARGETS", False),
    )


def _locale(env: Mapping[str, str]) -> str:
    raw = env.get("DEFAULT_LOCALE", "").strip() or "zh_Hans_CN"
    if raw not in {"zh_Hans_CN", "en"}:
        raise ConfigError(f"DEFAULT_LOCALE: expected zh_Hans_CN or en, got {raw!r}")
    return raw


def _time_zone(env: Mapping[str, str]) -> str:
    raw = env.get("TIME_ZONE", "").strip() or DEFAULT_TIME_ZONE
    try:
        zone_named(raw)
    except ValueError as error:
        raise ConfigError(f"TIME_ZONE: {error}") from None
    return raw


def _demo_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so demo logins survive a restart."""
    path = instance / "demo-secret-key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    return key
