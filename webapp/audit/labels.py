"""Names of the kinds of record the audit trail lists (the part of an action before its dot)."""

from __future__ import annotations

from flask_babel import lazy_gettext

KINDS = {
    "activity": lazy_gettext("Activity data (carbon)"),
    "alert": lazy_gettext("Quality alert"),
    "api_token": lazy_gettext("API key"),
    "attachment": lazy_gettext("Attachment"),
    "bom_line": lazy_gettext("Bill of materials"),
    "carbon_settings": lazy_gettext("Carbon settings"),
    "characteristic": lazy_gettext("Quality characteristic"),
    "edi_document": lazy_gettext("EDI file"),
    "edi_identity": lazy_gettext("EDI identity"),
    "edi_outbound": lazy_gettext("Outgoing EDI file"),
    "eightd": lazy_gettext("8D case"),
    "emission_factor": lazy_gettext("Emission factor"),
    "footprint": lazy_gettext("Product carbon footprint"),
    "incident": lazy_gettext("Quality incident"),
    "inspection": lazy_gettext("Inspection"),
    "invitation": lazy_gettext("Invitation"),
    "job": lazy_gettext("Background job"),
    "line": lazy_gettext("Order line"),
    "link": lazy_gettext("Supply relationship"),
    "lot": lazy_gettext("Lot"),
    "membership": lazy_gettext("Membership"),
    "organisation": lazy_gettext("Organisation"),
    "pact_client": lazy_gettext("PACT client"),
    "pact_event": lazy_gettext("PACT event"),
    "part": lazy_gettext("Part"),
    "progress": lazy_gettext("Progress report"),
    "purchase_order": lazy_gettext("Purchase order"),
    "quality": lazy_gettext("Quality settings"),
    "receipt": lazy_gettext("Receipt"),
    "scorecards": lazy_gettext("Scorecards"),
    "sharing": lazy_gettext("Sharing agreement"),
    "ship_notice": lazy_gettext("Ship notice"),
    "site": lazy_gettext("Site"),
    "upload": lazy_gettext("Upload"),
    "user": lazy_gettext("User account"),
}


def kind_of(action: str) -> str:
    """The record kind an action is about: ``purchase_order`` for ``purchase_order.create``."""
    return action.partition(".")[0]


def kind_label(action: str) -> str:
    """The kind's name in the reader's language (the code itself for a kind not listed)."""
    kind = kind_of(action)
    return str(KINDS.get(kind, kind))


CHANNELS = {
    "web": lazy_gettext("Web page"),
    "api": lazy_gettext("API"),
    "file": lazy_gettext("File upload"),
    "edi": lazy_gettext("EDI"),
    "cli": lazy_gettext("Command line"),
    "system": lazy_gettext("System"),
}


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))
