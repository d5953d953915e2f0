"""Input schemas of the EDI features: identities, sending an order as EDI."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from models.edi_docs.entities import STANDARDS
from models.i18n import N_, Msg
from models.validation import Integer

#: Characters an envelope id may hold: none of them is a separator in X12 or EDIFACT.
ID_CHARACTERS = validate.Regexp(
    r"^[A-Za-z0-9 .\-_/&#@()]+$",
    error=N_("Use letters, digits, spaces and . - _ / & # @ ( ) only."),
)
STANDARD = validate.OneOf(STANDARDS, error=N_("Choose X12 or EDIFACT."))
#: (qualifier, identifier, application id) lengths allowed by each standard.
LIMITS = {"x12": (2, 15, 15), "edifact": (4, 35, 35)}


class IdentitySchema(Schema):
    """An organisation's envelope identity: X12 ISA qualifier, ISA id and GS id, or EDIFACT
    UNB id and qualifier (the qualifier is optional in EDIFACT, two characters in X12)."""

    standard = fields.String(required=True, validate=STANDARD)
    qualifier = fields.String(load_default="", validate=validate.Length(max=4))
    identifier = fields.String(required=True, validate=[validate.Length(min=1), ID_CHARACTERS])
    application_id = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=35)
    )

    @post_load
    def _strip(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["qualifier"] = (data.get("qualifier") or "").strip().upper()
        data["identifier"] = data["identifier"].strip()
        application = (data.get("application_id") or "").strip()
        data["application_id"] = application or None
        return data

    @validates_schema(skip_on_field_errors=False)
    def _fits_the_standard(self, data: dict[str, Any], **_: Any) -> None:
        standard = data.get("standard")
        if standard not in LIMITS:
            return
        max_qualifier, max_id, max_application = LIMITS[standard]
        qualifier = (data.get("qualifier") or "").strip()
        problems: dict[str, list[str]] = {}
        if standard == "x12" and len(qualifier) != 2:
            problems["qualifier"] = [Msg(N_("An X12 qualifier (ISA05/ISA07) has 2 characters."))]
        elif len(qualifier) > max_qualifier or (qualifier and not qualifier.isalnum()):
            problems["qualifier"] = [
                Msg(N_("A qualifier has up to %(count)s letters or digits."), count=max_qualifier)
            ]
        if len((data.get("identifier") or "").strip()) > max_id:
            problems["identifier"] = [
                Msg(N_("An identifier has at most %(count)s characters here."), count=max_id)
            ]
        application = (data.get("application_id") or "").strip()
        if application and standard == "edifact":
            problems["application_id"] = [Msg(N_("Only X12 has an application id (GS)."))]
        elif len(application) > max_application or (
            application and not ID_CHARACTERS.regex.match(application)
        ):
            problems["application_id"] = [
                Msg(N_("An application id has at most %(count)s characters."), count=15)
            ]
        if problems:
            raise ValidationError(problems)


class OutboundOrderSchema(Schema):
    """Send one purchase order to its supplier as an EDI file."""

    purchase_order_id = Integer(required=True, strict=True, validate=validate.Range(min=1))
    standard = fields.String(load_default=None, allow_none=True, validate=STANDARD)
