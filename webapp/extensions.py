"""Flask extension instances, created unbound here and bound to an app in the factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from webapp.api_base import TierlightApi

api = TierlightApi()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)

F = TypeVar("F", bound=Callable[..., Any])
_LIMITED = "_tierlight_rate_limited"


def rate_limit(limit: str | Callable[[], str], **options: Any) -> Callable[[F], F]:
    """``limiter.limit`` that also marks the view as limited (see :func:`_unlimited_view`)."""

    def decorate(view: F) -> F:
        limited = limiter.limit(limit, **options)(view)
        setattr(limited, _LIMITED, True)
        return limited

    return decorate


@limiter.request_filter
def _unlimited_view() -> bool:
    """Requests for a view without a limit of its own skip the limiter.

    Every limit is set on its view with :func:`rate_limit` (sign-in, password reset,
    invitations); none applies by default. Looking for default, application and blueprint
    limits that are not there took a tenth of the CPU of a phone's progress report.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, _LIMITED, False)
