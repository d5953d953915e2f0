"""API: my own organisation's profile and its sites, through the same operations as /org/."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from models.orgs import directory, operations
from models.orgs.entities import Site
from models.orgs.schemas import OrganisationUpdateSchema, SiteSchema
from webapp.api_base import json_body, json_object
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.network.schemas import OrganisationViewSchema, SiteViewSchema

bp = Blueprint(
    "org_api",
    __name__,
    url_prefix="/api/v1/organisations/me",
    description="My own organisation and its sites",
)


@bp.route("")
class MyOrganisation(MethodView):
    decorators = [login_required]

    @bp.response(200, OrganisationViewSchema)
    def get(self) -> Any:
        """My own organisation."""
        return directory.profile(
            db_session(), current_user.org_id, current_user.org_id
        ).organisation

    @json_body(OrganisationUpdateSchema, "The fields to change; the credit code never changes.")
    @bp.response(200, OrganisationViewSchema)
    def patch(self) -> Any:
        """Change my organisation's profile (admins), checked as the /org/ form is."""
        with unit_of_work() as session:
            return operations.update_organisation(session, current_actor(), json_object())


@bp.route("/sites")
class Sites(MethodView):
    decorators = [login_required]

    @bp.response(200, SiteViewSchema(many=True))
    def get(self) -> list[Site]:
        """My organisation's sites."""
        return operations.sites_of(db_session(), current_user.org_id)

    @json_body(SiteSchema, "The new site.")
    @bp.response(201, SiteViewSchema)
    def post(self) -> Site:
        """Add a site (admins)."""
        with unit_of_work() as session:
            return operations.add_site(session, current_actor(), json_object())


@bp.route("/sites/<id:site_id>")
class SiteItem(MethodView):
    decorators = [login_required]

    @json_body(SiteSchema, "The fields to change.")
    @bp.response(200, SiteViewSchema)
    def patch(self, site_id: int) -> Site:
        """Change a site (admins); another organisation's site is not found (404)."""
        with unit_of_work() as session:
            return operations.update_site(session, current_actor(), site_id, json_object())

    @bp.response(204)
    def delete(self, site_id: int) -> None:
        """Remove a site (admins); refused (409) while carbon activity data refers to it."""
        with unit_of_work() as session:
            operations.remove_site(session, current_actor(), site_id)
