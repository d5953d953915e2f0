"""Output and query schemas of the network API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from models.orgs.codes import SIZE_CLASSES
from models.orgs.entities import LINK_STATES
from models.validation import Integer


class SiteViewSchema(Schema):
    id = Integer()
    name = fields.String()
    address = fields.String(allow_none=True)
    region = fields.String(allow_none=True)


class OrganisationViewSchema(Schema):
    id = Integer()
    kind = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    credit_code = fields.String()
    employees = Integer(allow_none=True)
    annual_revenue_wan = fields.Decimal(as_string=True, allow_none=True)
    size_class = fields.String(allow_none=True)
    industry = fields.String(allow_none=True)
    sites = fields.List(fields.Nested(SiteViewSchema))


class AgreementSchema(Schema):
    id = Integer()
    version = Integer()
    accepted_by_user_id = Integer()
    accepted_at = fields.DateTime()
    categories = fields.Function(lambda a: a.flags())


class LinkSchema(Schema):
    id = Integer()
    buyer_id = Integer()
    supplier_id = Integer()
    buyer_name = fields.Function(lambda link: link.buyer.name_zh)
    supplier_name = fields.Function(lambda link: link.supplier.name_zh)
    status = fields.String()
    since = fields.DateTime(allow_none=True)
    agreement = fields.Nested(AgreementSchema, attribute="current_agreement", allow_none=True)


class SupplierRowSchema(Schema):
    organisation = fields.Nested(OrganisationViewSchema)
    tier = Integer(allow_none=True)
    status = fields.String()
    link_id = fields.Function(lambda row: row.link.id if row.link else None)
    visible_categories = fields.List(fields.String(), attribute="visible")
    buyer_ids = fields.List(Integer())


class DirectoryQuerySchema(Schema):
    tier = Integer(validate=validate.Range(min=1, max=12))
    status = fields.String(validate=validate.OneOf(LINK_STATES))
    industry = fields.String()
    size_class = fields.String(validate=validate.OneOf(SIZE_CLASSES))
    q = fields.String()


class InvitationSchema(Schema):
    id = Integer()
    kind = fields.String()
    email = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    company_hint = fields.String(allow_none=True)
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    status = fields.String()
    link = fields.String()
    result_org_id = Integer(allow_none=True)


class InvitationCreateSchema(Schema):
    kind = fields.String(
        load_default="supplier", validate=validate.OneOf(["supplier", "colleague"])
    )
    email = fields.String(load_default=None, allow_none=True)
    company_hint = fields.String(load_default=None, allow_none=True)
    role = fields.String(load_default=None, allow_none=True)


class PersonSchema(Schema):
    id = Integer(metadata={"description": "the membership's id"})
    user_id = Integer()
    name = fields.Function(lambda m: m.user.name)
    email = fields.Function(lambda m: m.user.email)
    role = fields.String()
    since = fields.DateTime(attribute="created_at")


class RoleSchema(Schema):
    role = fields.String(required=True)


class LinkStatusSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["active", "suspended", "ended"]))


class TreeNodeSchema(Schema):
    id = Integer()
    name = fields.String()
    tier = Integer()
    status = fields.String()
    withheld = Integer()
    children = fields.List(fields.Nested(lambda: TreeNodeSchema()))


class MemberSchema(Schema):
    id = Integer()
    user_id = Integer()
    name = fields.Function(lambda m: m.user.name)
    email = fields.Function(lambda m: m.user.email)
    role = fields.String()


class MemberRoleSchema(Schema):
    role = fields.String(required=True)
