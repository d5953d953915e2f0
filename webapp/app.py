"""The Flask app factory: configuration in, extensions, blueprints and error handlers bound."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter

from models.accounts.operations import SESSION_LIFETIME
from models.clock import use_time_zone
from models.config import Settings, load_settings
from models.db import Database
from models.i18n import TRANSLATIONS_DIR
from webapp import features
from webapp.auth.areas import keep_reporters_to_their_forms
from webapp.cookie_session import CookieSessionInterface
from webapp.database import init_database
from webapp.errors import register_error_handlers
from webapp.extensions import api, babel, csrf, limiter, login_manager
from webapp.i18n import select_locale
from webapp.security import protect_forms, refuse_nul_characters, set_security_headers
from webapp.templating import register_template_helpers
from worker import celery_app as celery

ROOT = Path(__file__).parent
MAX_DB_ID = 2**63 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<id:...>``: a positive integer that fits a BIGINT; larger numbers are a plain 404."""

    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(map, *args, min=1, max=MAX_DB_ID, **kwargs)


class EightDStepConverter(BaseConverter):
    """``<step:...>``: an 8D step, D0 to D8, also written in lower case (d5 is D5)."""

    regex = "[Dd][0-8]"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value.upper()


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Build the web app. Does no migration, network call or waiting."""
    settings = settings or load_settings()
    settings.require_secret_key()
    use_time_zone(settings.time_zone)
    database = database or Database.from_url(settings.database_url)

    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.url_map.converters["id"] = DatabaseIdConverter
    app.url_map.converters["step"] = EightDStepConverter
    app.session_interface = CookieSessionInterface()
    app.config.update(_flask_config(settings))
    app.extensions["tierlight.settings"] = settings

    init_database(app, database)
    register_extensions(app)
    features.register(app, api)
    register_error_handlers(app)
    register_template_helpers(app)
    app.after_request(set_security_headers)
    celery.configure(settings, database)
    return app


def _flask_config(settings: Settings) -> dict[str, object]:
    secure_cookies = settings.is_production and settings.public_base_url.startswith("https")
    return {
        "SECRET_KEY": settings.secret_key,
        "TESTING": settings.mode == "test",
        "MAX_CONTENT_LENGTH": settings.max_upload_bytes,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_DURATION": SESSION_LIFETIME,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": settings.default_locale,
        "BABEL_DEFAULT_TIMEZONE": settings.time_zone,
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS_DIR),
        "RATELIMIT_STORAGE_URI": settings.ratelimit_storage_url,
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_TITLE": "Tierlight API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "v1/openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": "Tierlight (链透) supply-chain collaboration API. "
                "Authenticate with `Authorization: Bearer <token>`."
            },
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    }


def register_extensions(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    app.before_request(protect_forms)
    app.before_request(refuse_nul_characters)
    app.before_request(keep_reporters_to_their_forms)
    login_manager.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    api.register_converter(
        EightDStepConverter, lambda _: {"type": "string", "pattern": "^[Dd][0-8]$"}
    )
