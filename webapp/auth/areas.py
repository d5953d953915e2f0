"""What a person whose role only reports may open: the report forms of its organisation
(progress, measurements, carbon activity data, answers to 8D steps, through pages or the API),
its own account, notifications and e-mails. Every other page and API call is refused here, in
one place, rather than by each view."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from models.errors import Forbidden

#: Blueprints whose every page a reporter may open.
REPORT_FORM_AREAS = frozenset(
    {
        "reporting",
        "quality_measure",
        "carbon_activity",
        "eightd",
        "auth",
        "home",
        "i18n",
        "inbox",
        "me",
        "health",
        "static",
        "api-docs",
    }
)
#: API endpoints of other blueprints that serve the report forms (finding a line, recording).
REPORT_FORM_ENDPOINTS = frozenset(
    {
        "orders_api.Lines",
        "orders_api.LineOne",
        "orders_api.Progress",
        "quality_api.Characteristics",
        "quality_api.Inspections",
        "quality_api.OneInspection",
        "quality_api.VoidInspection",
        "carbon_api.Activity",
        "eightd_api.Cases",
        "eightd_api.OneCase",
        "eightd_api.Step",
        "eightd_api.Attachments",
        "jobs.Job",
    }
)


def serves_report_forms(endpoint: str) -> bool:
    return endpoint in REPORT_FORM_ENDPOINTS or endpoint.split(".")[0] in REPORT_FORM_AREAS


def may_reach(endpoint: str) -> bool:
    """Whether the signed-in person may use ``endpoint``: anyone who may browse, else only
    the report forms."""
    return serves_report_forms(endpoint) or current_user.can("browse")


def keep_reporters_to_their_forms() -> None:
    """Refuse (403) what a signed-in person who may not browse asks beyond the report forms."""
    endpoint = request.endpoint
    if endpoint is not None and current_user.is_authenticated and not may_reach(endpoint):
        raise Forbidden()


def may_open(link: str) -> bool:
    """Whether the signed-in person may open ``link``, a page of this product. A reporter's
    notifications also name its organisation's orders, notices and incidents, which it may
    not open: those are shown without their link."""
    try:
        endpoint, _ = current_app.url_map.bind("").match(urlsplit(link).path, method="GET")
    except HTTPException:
        return False
    return may_reach(endpoint)
