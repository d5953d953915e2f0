"""API: the supplier directory, tier tree, links, sharing agreements and invitations."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint, Page

from models.accounts.entities import Membership
from models.accounts.operations import members, remove_member, set_member_role
from models.orgs import directory, invitations, sharing
from models.orgs.entities import SupplierLink
from models.orgs.schemas import RegistrationSchema, SharingSchema
from webapp.api_base import json_body, json_object
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.network.schemas import (
    AgreementSchema,
    DirectoryQuerySchema,
    InvitationCreateSchema,
    InvitationSchema,
    LinkSchema,
    LinkStatusSchema,
    OrganisationViewSchema,
    PersonSchema,
    RoleSchema,
    SupplierRowSchema,
    TreeNodeSchema,
)
from webapp.network.views import invitation_view
from webapp.templating import current_locale

bp = Blueprint(
    "network_api",
    __name__,
    url_prefix="/api/v1",
    description="Organisations, supplier links, sharing agreements, invitations",
)


def _base_url() -> str:
    return current_app.extensions["tierlight.settings"].public_base_url


@bp.route("/suppliers")
class Suppliers(MethodView):
    decorators = [login_required]

    @bp.arguments(DirectoryQuerySchema, location="query")
    @bp.response(200, SupplierRowSchema(many=True))
    @bp.paginate(Page)
    def get(self, query: dict[str, Any]) -> list[directory.SupplierRow]:
        """My suppliers at every tier I may know of, with the categories I may see."""
        return directory.suppliers(
            db_session(),
            current_user.org_id,
            tier=query.get("tier"),
            status=query.get("status"),
            industry=query.get("industry"),
            size_class=query.get("size_class"),
            search=query.get("q"),
        )


@bp.route("/organisations/<id:org_id>")
class OrganisationProfile(MethodView):
    decorators = [login_required]

    @bp.response(200, SupplierRowSchema)
    def get(self, org_id: int) -> directory.SupplierRow:
        """One organisation in my network; 404 when I may not know it."""
        return directory.profile(db_session(), current_user.org_id, org_id)


@bp.route("/network/tree")
class Tree(MethodView):
    decorators = [login_required]

    @bp.response(200, TreeNodeSchema)
    def get(self) -> dict[str, Any]:
        """My supply tree; suppliers I may not know are counted as withheld."""
        return directory.tier_tree(db_session(), current_user.org_id, current_locale())


@bp.route("/links")
class Links(MethodView):
    decorators = [login_required]

    @bp.response(200, LinkSchema(many=True))
    @bp.paginate(Page)
    def get(self) -> list[SupplierLink]:
        """Links where my organisation is the buyer or the supplier."""
        return sharing.links_of(db_session(), current_user.org_id)


@bp.route("/people")
class People(MethodView):
    decorators = [login_required]

    @bp.response(200, PersonSchema(many=True))
    @bp.paginate(Page)
    def get(self) -> list[Membership]:
        """The people of my organisation and their roles."""
        return members(db_session(), current_user.org_id)


@bp.route("/people/<id:membership_id>")
class Person(MethodView):
    decorators = [login_required]

    @bp.arguments(RoleSchema)
    @bp.response(200, PersonSchema)
    def patch(self, data: dict[str, str], membership_id: int) -> Membership:
        """Change a colleague's role (admins)."""
        with unit_of_work() as session:
            return set_member_role(session, current_actor(), membership_id, data["role"])

    @bp.response(204)
    def delete(self, membership_id: int) -> None:
        """Take a colleague out of my organisation (admins): their sessions and API tokens
        for it stop working."""
        with unit_of_work() as session:
            remove_member(session, current_actor(), membership_id)


@bp.route("/links/<id:link_id>")
class Link(MethodView):
    decorators = [login_required]

    @bp.arguments(LinkStatusSchema)
    @bp.response(200, LinkSchema)
    def patch(self, data: dict[str, str], link_id: int) -> SupplierLink:
        """The buyer suspends, reactivates or ends a supplier link."""
        with unit_of_work() as session:
            return sharing.set_link_status(session, current_actor(), link_id, data["status"])


@bp.route("/links/<id:link_id>/agreements")
class Agreements(MethodView):
    decorators = [login_required]

    @bp.response(200, AgreementSchema(many=True))
    def get(self, link_id: int) -> list[Any]:
        """Every version of the link's sharing agreement, newest first."""
        link = sharing.link_for(db_session(), current_user.org_id, link_id)
        return sharing.agreement_history(db_session(), link.id)

    @json_body(SharingSchema, "Per category: share with the buyer, let it pass upstream.")
    @bp.response(201, AgreementSchema)
    def post(self, link_id: int) -> Any:
        """The supplier accepts a new version of its agreement with this buyer."""
        with unit_of_work() as session:
            return sharing.update_sharing(session, current_actor(), link_id, json_object())


@bp.route("/invitations")
class Invitations(MethodView):
    decorators = [login_required]

    @bp.response(200, InvitationSchema(many=True))
    @bp.paginate(Page)
    def get(self) -> list[dict[str, Any]]:
        """Invitations my organisation sent, with their states."""
        return [
            invitation_view(i) for i in invitations.invitations_of(db_session(), current_actor())
        ]

    @bp.arguments(InvitationCreateSchema)
    @bp.response(201, InvitationSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Invite a supplier (kind supplier) or a colleague with a role (kind colleague)."""
        with unit_of_work() as session:
            if data["kind"] == "colleague":
                invitation = invitations.invite_colleague(
                    session,
                    current_actor(),
                    {"email": data["email"], "role": data["role"]},
                    _base_url(),
                )
            else:
                invitation = invitations.invite_supplier(
                    session,
                    current_actor(),
                    {"email": data["email"], "company_hint": data["company_hint"]},
                    _base_url(),
                )
        return invitation_view(invitation)


@bp.route("/invitations/<id:invitation_id>")
class InvitationItem(MethodView):
    decorators = [login_required]

    @bp.response(200, InvitationSchema)
    def delete(self, invitation_id: int) -> dict[str, Any]:
        """Withdraw a pending invitation."""
        with unit_of_work() as session:
            return invitation_view(
                invitations.revoke_invitation(session, current_actor(), invitation_id)
            )


@bp.route("/invitations/<token>/accept")
class AcceptInvitation(MethodView):
    @json_body(RegistrationSchema, "A new supplier: organisation, first site, admin, sharing.")
    @bp.response(201, OrganisationViewSchema)
    def post(self, token: str) -> Any:
        """Register a new supplier organisation with an invitation token (no sign-in).

        When the organisation is already registered, sign in as its admin and use
        ``accept-existing`` instead.
        """
        with unit_of_work() as session:
            org, _user = invitations.register_supplier(session, token, json_object(), "api")
        return org


@bp.route("/invitations/<token>/accept-existing")
class AcceptForExisting(MethodView):
    decorators = [login_required]

    @json_body(SharingSchema, "The sharing agreement with the inviting buyer.")
    @bp.response(201, OrganisationViewSchema)
    def post(self, token: str) -> Any:
        """Accept an invitation for my existing supplier organisation."""
        with unit_of_work() as session:
            return invitations.accept_as_existing(session, current_actor(), token, json_object())
