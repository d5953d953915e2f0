"""Input schemas for organisations, sites, registration, invitations and sharing."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from models.accounts.passwords import password_problem
from models.accounts.schemas import UserNameSchema
from models.i18n import N_, Msg
from models.orgs.codes import SIZE_CLASSES, normalise_uscc, uscc_check_character, uscc_problem
from models.orgs.entities import CATEGORIES
from models.roles import ANCHOR_ROLES, SUPPLIER_ROLES
from models.validation import MAX_DB_INT4, Integer, Numeric, Text


def _mailbox_fits(value: str) -> None:
    """At most 64 characters before the @ and 254 in all (RFC 5321), or no mail server
    would take it."""
    local, _, _domain = value.rpartition("@")
    if len(local) > 64 or len(value) > 254:
        raise ValidationError(N_("Enter a valid e-mail address."))


EMAIL = [validate.Email(error=N_("Enter a valid e-mail address.")), _mailbox_fits]


class CreditCode(fields.String):
    """A unified social credit code, normalised to upper case and checked (GB 32100-2015)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        code = normalise_uscc(super()._deserialize(value, attr, data, **kwargs))
        problem = uscc_problem(code)
        if problem == "length":
            raise ValidationError(
                Msg(N_("A credit code has 18 characters; this one has %(count)s."), count=len(code))
            )
        if problem == "charset":
            raise ValidationError(
                Msg(N_("A credit code uses digits and capital letters except I, O, S, V and Z."))
            )
        if problem == "check":
            raise ValidationError(
                Msg(
                    N_("The check character (last character) is wrong: expected %(expected)s."),
                    expected=uscc_check_character(code[:17]),
                )
            )
        return code


class SiteSchema(Schema):
    name = Text(required=True, validate=validate.Length(max=200))
    address = Text(load_default=None, validate=validate.Length(max=500))
    region = Text(load_default=None, validate=validate.Length(max=64))


class OrganisationSchema(Schema):
    name_zh = Text(required=True, validate=validate.Length(min=2, max=200))
    name_en = Text(load_default="", validate=validate.Length(max=200))
    credit_code = CreditCode(required=True)
    employees = Integer(
        load_default=None,
        validate=[
            validate.Range(min=1),
            validate.Range(max=MAX_DB_INT4, error=N_("Number too large.")),
        ],
    )
    annual_revenue_wan = Numeric(14, 2, load_default=None, validate=validate.Range(min=0))
    industry = Text(load_default=None, validate=validate.Length(max=120))
    size_class = fields.String(
        load_default=None,
        validate=validate.OneOf(SIZE_CLASSES, error=N_("Choose a size class from the list.")),
    )


class OrganisationUpdateSchema(OrganisationSchema):
    """A change of an organisation's own profile: its credit code never changes."""

    class Meta:
        exclude = ("credit_code",)


class SharingSchema(Schema):
    """Per category: share with the direct buyer, and let it pass upstream to the anchor."""

    progress_buyer = fields.Boolean(load_default=True)
    progress_upstream = fields.Boolean(load_default=False)
    quality_buyer = fields.Boolean(load_default=True)
    quality_upstream = fields.Boolean(load_default=False)
    carbon_buyer = fields.Boolean(load_default=True)
    carbon_upstream = fields.Boolean(load_default=False)
    traceability_buyer = fields.Boolean(load_default=True)
    traceability_upstream = fields.Boolean(load_default=False)

    @post_load
    def _upstream_needs_buyer(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for category in CATEGORIES:
            if data.get(f"{category}_upstream") and not data.get(f"{category}_buyer", True):
                raise ValidationError(
                    Msg(N_("Data that passes upstream must also be shared with the buyer.")),
                    f"{category}_upstream",
                )
        return data


class NewUserSchema(UserNameSchema):
    email = Text(required=True, validate=EMAIL)
    password = fields.String(required=True, load_only=True)
    locale = fields.String(load_default=None, validate=validate.OneOf(["zh_Hans_CN", "en"]))

    @validates("password")
    def _allowed(self, value: str, **_: Any) -> None:
        problem = password_problem(value)
        if problem is not None:
            raise ValidationError(problem)

    @post_load
    def _lower_email(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["email"] = data["email"].lower()
        return data


class RegistrationSchema(Schema):
    """What an invited supplier fills in: its organisation, a first site, its admin, sharing."""

    organisation = fields.Nested(OrganisationSchema, required=True)
    site = fields.Nested(SiteSchema, load_default=None)
    admin = fields.Nested(NewUserSchema, required=True)
    sharing = fields.Nested(SharingSchema, load_default=dict)


class SupplierInvitationSchema(Schema):
    email = Text(load_default=None, validate=EMAIL, allow_none=True)
    company_hint = fields.String(load_default=None, validate=validate.Length(max=200))


class ColleagueInvitationSchema(Schema):
    email = Text(required=True, validate=EMAIL)
    role = fields.String(
        required=True, validate=validate.OneOf(sorted(set(ANCHOR_ROLES + SUPPLIER_ROLES)))
    )
