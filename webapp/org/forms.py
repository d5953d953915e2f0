"""The forms of /org/: the profile, adding a site, and editing or removing each site.

Each posted form names its ``action``; these helpers turn it into the one domain operation's
input and turn that operation's errors back into the page's field names.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from models.actor import Actor
from models.errors import DomainError, ValidationFailed
from models.orgs import operations
from models.validation import MAX_DB_INT, whole_number_up_to
from webapp.i18n import translate

#: The optional fields of an organisation's profile, blank when not given.
OPTIONAL_PROFILE = ("employees", "annual_revenue_wan", "size_class", "industry")

#: The form field of each error of the new site (its inputs share the page with the profile's).
SITE_FIELDS = {"name": "site_name", "address": "site_address"}


def profile_from_form(form: Any) -> dict[str, Any]:
    """The optional profile fields of a posted form; a blank field is ``None``."""
    return {key: form.get(key) or None for key in OPTIONAL_PROFILE}


def site_field(site_id: int, key: str) -> str:
    """The page's name of a field of the edit form of site ``site_id``."""
    return f"site{site_id}_{key}"


def posted_site_id(form: Any) -> int:
    """The site an edit or removal is about (0, which no site has, when it is not a number)."""
    value = form.get("site_id", "")
    return whole_number_up_to(value, MAX_DB_INT) or 0


def save(session: Session, actor: Actor, action: str, form: Any) -> str:
    """Run the posted form's operation; the message that says it was done."""
    if action == "site":
        operations.add_site(session, actor, _new_site(form))
        return gettext("The site was added.")
    if action == "site_update":
        site_id = posted_site_id(form)
        operations.update_site(session, actor, site_id, _edited_site(form, site_id))
        return gettext("The site was changed.")
    if action == "site_remove":
        operations.remove_site(session, actor, posted_site_id(form))
        return gettext("The site was removed.")
    operations.update_organisation(session, actor, _profile(form))
    return gettext("Saved.")


def page_errors(action: str, form: Any, error: DomainError) -> dict[str, list[str]]:
    """The error at the field of the form that was sent, or above the page when it is about
    no field (a site in use, another organisation's site, a role that may not do this)."""
    if not isinstance(error, ValidationFailed) or not error.errors:
        return {"_schema": [translate(error.message)]}
    if action == "site":
        names = SITE_FIELDS
    elif action == "site_update":
        names = {key: site_field(posted_site_id(form), key) for key in SITE_FIELDS}
    else:
        names = {}
    return {names.get(key, key): messages for key, messages in error.errors.items()}


def _profile(form: Any) -> dict[str, Any]:
    return {
        "name_zh": form.get("name_zh", ""),
        "name_en": form.get("name_en", ""),
        **profile_from_form(form),
    }


def _new_site(form: Any) -> dict[str, Any]:
    return {"name": form.get("site_name", ""), "address": form.get("site_address") or None}


def _edited_site(form: Any, site_id: int) -> dict[str, Any]:
    return {
        "name": form.get(site_field(site_id, "name"), ""),
        "address": form.get(site_field(site_id, "address")) or None,
    }
