"""Domain operations on organisations and their sites."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.actor import Actor
from models.audit import record_audit
from models.carbon.entities import ActivityRecord
from models.errors import Conflict, NotFound, ValidationFailed
from models.i18n import N_, Msg
from models.orgs.codes import size_class
from models.orgs.entities import Organisation, Site
from models.orgs.schemas import OrganisationSchema, OrganisationUpdateSchema, SiteSchema
from models.roles import require_permission
from models.validation import load


def find_by_credit_code(session: Session, credit_code: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.credit_code == credit_code))


#: The size classes as the forms name them (a message parameter, translated for its reader).
SIZE_NAMES = {
    "micro": N_("Micro"),
    "small": N_("Small"),
    "medium": N_("Medium"),
    "large": N_("Large"),
}
#: What an organisation's profile holds, in the order an audit row lists the changes.
PROFILE = ("name_zh", "name_en", "employees", "annual_revenue_wan", "industry", "size_class")


def _apply(org: Organisation, data: dict[str, Any]) -> None:
    """Set the profile fields given. The size class follows from the employees and the annual
    revenue when both are known; a different one sent with them is refused, not dropped."""
    for key in PROFILE[:-1]:
        if key in data:
            setattr(org, key, data[key])
    org.name_en = org.name_en or ""
    if org.employees is not None and org.annual_revenue_wan is not None:
        derived = size_class(org.employees, org.annual_revenue_wan)
        if data.get("size_class") not in (None, derived):
            raise ValidationFailed.on(
                "size_class",
                N_("With the employees and the annual revenue given, the size class follows "
                   "from them (%(size)s): leave it empty."),
                size=Msg(SIZE_NAMES[derived]),
            )  # fmt: skip
        org.size_class = derived
    elif "size_class" in data:
        org.size_class = data["size_class"]


def _profile(org: Organisation) -> dict[str, str | None]:
    """The profile as an audit row holds it: text, or null."""
    return {key: None if (v := getattr(org, key)) is None else str(v) for key in PROFILE}


def create_organisation(
    session: Session, actor: Actor, kind: str, data: dict[str, Any]
) -> Organisation:
    """A new organisation; a credit code that is already registered is refused."""
    loaded = load(OrganisationSchema(), data)
    if find_by_credit_code(session, loaded["credit_code"]) is not None:
        raise Conflict(N_("An organisation with this credit code is already registered."))
    org = Organisation(kind=kind, credit_code=loaded["credit_code"])
    _apply(org, loaded)
    session.add(org)
    session.flush()
    record_audit(
        session,
        _acting_for(actor, org),
        "organisation.create",
        "organisation",
        org.id,
        {"credit_code": org.credit_code},
    )
    return org


def _acting_for(actor: Actor, org: Organisation) -> Actor:
    """A person registering a new organisation acts in its name, so the organisation's own
    audit trail starts with its creation (the system seeding one stays the system)."""
    if actor.org_id is not None or actor.user_id is None:
        return actor
    return Actor(actor.user_id, org.id, actor.role, actor.channel)


def update_organisation(session: Session, actor: Actor, data: dict[str, Any]) -> Organisation:
    """Change the actor's own organisation (its credit code never changes)."""
    require_permission(actor.role, "manage_organisation")
    org = session.get(Organisation, actor.org_id)
    if org is None:
        raise NotFound()
    loaded = load(OrganisationUpdateSchema(), data, partial=True)
    before = _profile(org)
    _apply(org, loaded)
    after = _profile(org)
    changed = {key: after[key] for key in PROFILE if after[key] != before[key]}
    if changed:
        record_audit(session, actor, "organisation.update", "organisation", org.id, changed)
    return org


def add_site(
    session: Session, actor: Actor, data: dict[str, Any], org_id: int | None = None
) -> Site:
    """A new site of the actor's organisation (or of ``org_id`` while it is being registered)."""
    if org_id is None:
        require_permission(actor.role, "manage_organisation")
    loaded = load(SiteSchema(), data)
    site = Site(org_id=org_id or actor.org_id, **loaded)
    session.add(site)
    session.flush()
    record_audit(session, actor, "site.create", "site", site.id, {"name": site.name})
    return site


def sites_of(session: Session, org_id: int) -> list[Site]:
    return list(session.scalars(select(Site).where(Site.org_id == org_id).order_by(Site.id)))


def _own_site(session: Session, actor: Actor, site_id: int, lock: bool = False) -> Site:
    """A site of the actor's organisation; another organisation's site is not found."""
    query = select(Site).where(Site.id == site_id, Site.org_id == actor.org_id)
    site = session.scalar(query.with_for_update() if lock else query)
    if site is None:
        raise NotFound()
    return site


def update_site(session: Session, actor: Actor, site_id: int, data: dict[str, Any]) -> Site:
    """Change a site of the actor's organisation; only the fields given change, each checked
    as when the site was added."""
    require_permission(actor.role, "manage_organisation")
    site = _own_site(session, actor, site_id)
    loaded = load(SiteSchema(), data, partial=True)
    changed = {key: value for key, value in loaded.items() if getattr(site, key) != value}
    for key, value in changed.items():
        setattr(site, key, value)
    session.flush()
    if changed:
        record_audit(session, actor, "site.update", "site", site.id, changed)
    return site


def remove_site(session: Session, actor: Actor, site_id: int) -> Site:
    """Remove a site of the actor's organisation that nothing refers to.

    Carbon activity data (the only table that refers to a site) is a record of what was
    reported; it is never removed with the site, so such a site is refused. The site's row is
    locked first, so activity data recorded meanwhile is counted (its insert waits for us).
    """
    require_permission(actor.role, "manage_organisation")
    site = _own_site(session, actor, site_id, lock=True)
    used = session.scalar(select(ActivityRecord.id).where(ActivityRecord.site_id == site.id))
    if used is not None:
        raise Conflict(
            N_(
                "This site cannot be removed: carbon activity data is recorded for it, and "
                "that record is kept. Rename the site instead if it has changed."
            )
        )
    record_audit(
        session,
        actor,
        "site.remove",
        "site",
        site.id,
        {"name": site.name, "address": site.address, "region": site.region},
    )
    session.delete(site)
    session.flush()
    return site


def get_organisation(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    return org
