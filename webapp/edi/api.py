"""API: send EDI files and follow them; acknowledgements and orders to fetch; identities."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import Select

from models.edi_docs import documents, identities, outbound, shares
from models.edi_docs.entities import EdiIdentity
from models.edi_docs.schemas import IdentitySchema, OutboundOrderSchema
from models.errors import ValidationFailed
from models.i18n import N_
from webapp.api_base import SelectPage, json_body, json_object
from webapp.auth.session import current_actor
from webapp.database import db_session, unit_of_work
from webapp.edi import actions
from webapp.edi.presenters import (
    document_detail,
    document_summaries,
    download_response,
    outbound_views,
)
from webapp.edi.schemas import (
    DocumentDetailSchema,
    DocumentQuerySchema,
    DocumentSchema,
    IdentityViewSchema,
    OutboundQuerySchema,
    OutboundSchema,
)
from webapp.templating import current_locale

bp = Blueprint(
    "edi_api",
    __name__,
    url_prefix="/api/v1/edi",
    description="EDI: received documents, acknowledgements, outbound orders, identities",
)

UPLOAD_BODY = {
    "required": True,
    "description": "The file as received: a multipart form with a `file` part, or the raw "
    "bytes as the body (any content type but JSON) with `?filename=`.",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    },
}


def _detail(document_id: int) -> dict[str, Any]:
    found = documents.document_for(db_session(), current_user.org_id, document_id)
    return document_detail(
        db_session(), current_user.org_id, current_user.role, found, current_locale()
    )


def _uploaded() -> tuple[str, bytes, str | None]:
    file = request.files.get("file")
    if file is not None:
        return file.filename or "edi.txt", file.read(), file.mimetype
    if request.mimetype == "multipart/form-data":
        raise ValidationFailed.on("file", N_("Attach the file as the part named file."))
    if request.is_json:
        raise ValidationFailed.on(
            "file",
            N_("Send the EDI file itself as the body (or as the part named file), not JSON."),
        )
    return request.args.get("filename") or "edi.txt", request.get_data(), request.mimetype


class DocumentPage(SelectPage):
    """Pages of documents, shown as summaries in the viewer's language."""

    @property
    def items(self) -> list[Any]:
        return document_summaries(
            db_session(), current_user.org_id, super().items, current_locale()
        )


class OutboundPage(SelectPage):
    @property
    def items(self) -> list[Any]:
        return outbound_views(db_session(), super().items, current_locale())


@bp.route("/documents")
class Documents(MethodView):
    decorators = [login_required]

    @bp.arguments(DocumentQuerySchema, location="query")
    @bp.response(200, DocumentSchema(many=True))
    @bp.paginate(DocumentPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Documents my organisation sent or receives, newest first."""
        return shares.documents_query(current_user.org_id, query.get("status"), query.get("role"))

    @bp.doc(requestBody=UPLOAD_BODY)
    @bp.response(202, DocumentDetailSchema)
    @bp.alt_response(
        200, schema=DocumentDetailSchema, description="Sent before: the first document."
    )
    def post(self) -> Any:
        """Send an X12 or EDIFACT file. It is kept as received and processed in the
        background; follow its ``status`` (received, processing, accepted,
        partially_accepted, rejected) and errors on the document."""
        filename, content, content_type = _uploaded()
        document, created = actions.receive(current_actor(), filename, content, content_type)
        return _detail(document.id), 202 if created else 200


@bp.route("/documents/<id:document_id>")
class Document(MethodView):
    decorators = [login_required]

    @bp.response(200, DocumentDetailSchema)
    def get(self, document_id: int) -> dict[str, Any]:
        """One document: status, errors per message and segment, acknowledgements."""
        return _detail(document_id)


@bp.route("/documents/<id:document_id>/content")
class DocumentContent(MethodView):
    decorators = [login_required]

    @bp.response(200, description="The file as received (application/octet-stream).")
    def get(self, document_id: int) -> Response:
        """The file's bytes as received."""
        found = documents.document_for(db_session(), current_user.org_id, document_id)
        return download_response(
            shares.file_for(db_session(), current_user.org_id, found), found.upload.filename
        )


@bp.route("/documents/<id:document_id>/reprocess")
class Reprocess(MethodView):
    decorators = [login_required]

    @bp.response(202, DocumentDetailSchema)
    def post(self, document_id: int) -> dict[str, Any]:
        """Process a rejected or partially accepted document again (after a fix in the
        partner setup, orders or parts); accepted messages are not taken twice. 409 while it
        is being processed or when only a corrected file can change the result; 403 for a
        receiver when the file also holds messages for other organisations."""
        actions.reprocess(current_actor(), document_id)
        return _detail(document_id)


@bp.route("/outbound")
class OutboundFiles(MethodView):
    decorators = [login_required]

    @bp.arguments(OutboundQuerySchema, location="query")
    @bp.response(200, OutboundSchema(many=True))
    @bp.paginate(OutboundPage)
    def get(self, query: dict[str, Any]) -> Select[Any]:
        """Files written by or for my organisation: 997/CONTRL acknowledgements and 850/ORDERS
        purchase orders, newest first (a partner polls here for what is addressed to it)."""
        return outbound.outbound_query(
            current_user.org_id, query.get("kind"), query.get("document_id")
        )

    @json_body(OutboundOrderSchema, "The order to send and, optionally, the standard.")
    @bp.response(201, OutboundSchema)
    def post(self) -> dict[str, Any]:
        """Write one of my purchase orders as an 850 or ORDERS for its EDI supplier."""
        sent = actions.send_order(current_actor(), json_object())
        return outbound_views(db_session(), [sent], current_locale())[0]


@bp.route("/outbound/<id:outbound_id>")
class OutboundFile(MethodView):
    decorators = [login_required]

    @bp.response(200, OutboundSchema)
    def get(self, outbound_id: int) -> dict[str, Any]:
        """One file with its status (set by the partner's 997, TA1 or CONTRL)."""
        found = outbound.outbound_for(db_session(), current_user.org_id, outbound_id)
        return outbound_views(db_session(), [found], current_locale())[0]


@bp.route("/outbound/<id:outbound_id>/content")
class OutboundContent(MethodView):
    decorators = [login_required]

    @bp.response(200, description="The file's bytes (application/octet-stream).")
    def get(self, outbound_id: int) -> Response:
        """The file's bytes."""
        found = outbound.outbound_for(db_session(), current_user.org_id, outbound_id)
        return download_response(outbound.outbound_content(db_session(), found), found.filename)


@bp.route("/identities")
class Identities(MethodView):
    decorators = [login_required]

    @bp.response(200, IdentityViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self) -> Select[Any]:
        """My organisation's EDI identities."""
        return identities.identities_query(current_user.org_id)

    @json_body(IdentitySchema, "X12: qualifier (ISA05), identifier (ISA06), GS id; EDIFACT: UNB.")
    @bp.response(201, IdentityViewSchema)
    def post(self) -> EdiIdentity:
        """Add an identity of my organisation (admins)."""
        with unit_of_work() as session:
            return identities.add_identity(session, current_actor(), json_object())


@bp.route("/identities/<id:identity_id>")
class Identity(MethodView):
    decorators = [login_required]

    @bp.response(204)
    def delete(self, identity_id: int) -> None:
        """Remove an identity of my organisation (admins)."""
        with unit_of_work() as session:
            identities.remove_identity(session, current_actor(), identity_id)


@bp.route("/partner-identities")
class PartnerIdentities(MethodView):
    decorators = [login_required]

    @bp.response(200, IdentityViewSchema(many=True))
    @bp.paginate(SelectPage)
    def get(self) -> Select[Any]:
        """The identities of my active trading partners (to address files to them)."""
        return identities.partner_identities_query(current_user.org_id)
