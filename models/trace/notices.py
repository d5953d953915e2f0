"""What incidents tell organisations: in-app notifications and e-mails to their admins.

Each organisation is told only what concerns it: its own lots in the scope and the neighbour
(a buyer or supplier it already deals with) that forwarded the alert, never who else is in the
chain. Messages are stored as templates, so each reader sees them in their own language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts.entities import Membership, User
from models.i18n import N_, Msg
from models.notify import notify, queue_email
from models.orgs.entities import Organisation
from models.trace.entities import ContainmentOrg, Incident

SCOPE_TITLES = {
    "minor": N_("Quality incident %(ref)s (minor): lots of yours are in its scope"),
    "major": N_("Quality incident %(ref)s (major): lots of yours are in its scope"),
    "critical": N_("Quality incident %(ref)s (critical): lots of yours are in its scope"),
    "safety": N_("Safety incident %(ref)s: lots of yours are in its scope"),
}
SCOPE_BODY = N_(
    "In the containment scope of incident %(ref)s — lots you made: %(made)s; lots you "
    "received: %(received)s; finished lots among them: %(finished)s. The alert was forwarded "
    "to you by %(forwarder)s. Hold and check each lot listed here: %(link)s"
)
SCOPE_BODY_DIRECT = N_(
    "In the containment scope of incident %(ref)s — lots you made: %(made)s; lots you "
    "received: %(received)s; finished lots among them: %(finished)s. Hold and check each lot "
    "listed here: %(link)s"
)
STATE_TITLES = {
    "send": N_("Incident %(ref)s was sent to you: please acknowledge it"),
    "acknowledge": N_("Incident %(ref)s was acknowledged by the supplier"),
    "accept": N_("Incident %(ref)s was accepted by the supplier: the 8D follows"),
    "decline": N_("Incident %(ref)s was declined by the supplier"),
    "close": N_("Incident %(ref)s was closed"),
}
STATE_BODY = N_("Incident %(ref)s: %(title)s. Open it here: %(link)s")
READY_TITLE = N_(
    "Containment scope of %(ref)s computed — finished lots: %(finished)s; organisations: %(orgs)s"
)
#: The words of these messages before they were put so as to read right for any number (not
#: "1 lots"). Notifications keep the template they were written with; these keep the ones
#: written before in the catalogue, so that they still read in Chinese.
FORMER_TEMPLATES = (
    N_(
        "%(made)s lots you made and %(received)s lots you received are in the containment scope "
        "of incident %(ref)s; %(finished)s of them are finished lots. The alert was forwarded to "
        "you by %(forwarder)s. Please hold these lots and check them: %(link)s"
    ),
    N_(
        "%(made)s lots you made and %(received)s lots you received are in the containment scope "
        "of incident %(ref)s; %(finished)s of them are finished lots. Please hold these lots and "
        "check them: %(link)s"
    ),
    N_("Containment scope of %(ref)s: %(finished)s finished lots, %(orgs)s organisations"),
)


def incident_link(incident_id: int) -> str:
    return f"/trace/incidents/{incident_id}"


def admins_of(session: Session, org_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active admins of each organisation, in one query."""
    result: dict[int, list[User]] = defaultdict(list)
    rows = session.execute(
        select(Membership.org_id, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.org_id.in_(list(org_ids)),
            Membership.role == "admin",
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    for org_id, user in rows:
        result[org_id].append(user)
    return result


def notify_state_change(
    session: Session, incident: Incident, action: str, by_org_id: int, base_url: str = ""
) -> None:
    """Tell the other party of the incident (in-app, and its admins by e-mail) what changed."""
    other = (
        incident.supplier_org_id if by_org_id == incident.opener_org_id else incident.opener_org_id
    )
    if other == by_org_id:
        return
    link = incident_link(incident.id)
    title = Msg(STATE_TITLES[action], ref=incident.reference)
    body = Msg(STATE_BODY, ref=incident.reference, title=incident.title, link=base_url + link)
    notify(session, other, f"incident_{action}", title, body, link)
    for user in admins_of(session, [other]).get(other, []):
        queue_email(session, user.email, title, body, f"incident_{action}", user.locale, other)


def notify_scope(
    session: Session,
    incident: Incident,
    snapshot_id: int,
    involved: list[ContainmentOrg],
    names: dict[int, Organisation],
    base_url: str = "",
) -> int:
    """Tell every involved organisation (but the opener) what concerns it; returns how many."""
    link = incident_link(incident.id)
    title_template = SCOPE_TITLES[incident.severity]
    admins = admins_of(session, [row.org_id for row in involved])
    told = 0
    for row in involved:
        if row.org_id == incident.opener_org_id:
            continue
        params = {
            "ref": incident.reference,
            "made": row.lots_made,
            "received": row.lots_received,
            "finished": row.finished_lots,
            "link": base_url + link,
        }
        forwarder = names.get(row.forwarded_by_org_id) if row.forwarded_by_org_id else None
        body = (
            Msg(SCOPE_BODY, forwarder=forwarder.local_name_in_sentence(), **params)
            if forwarder is not None
            else Msg(SCOPE_BODY_DIRECT, **params)
        )
        title = Msg(title_template, ref=incident.reference)
        key = f"incident:{incident.id}:snapshot:{snapshot_id}:org:{row.org_id}"
        if notify(session, row.org_id, "incident_scope", title, body, link, dedupe_key=key):
            for user in admins.get(row.org_id, []):
                queue_email(
                    session, user.email, title, body, "incident_scope", user.locale, row.org_id
                )
        told += 1
    return told


def notify_opener(
    session: Session, incident: Incident, snapshot_id: int, finished: int, orgs: int
) -> None:
    notify(
        session,
        incident.opener_org_id,
        "incident_scope_ready",
        Msg(READY_TITLE, ref=incident.reference, finished=finished, orgs=orgs),
        link=incident_link(incident.id),
        dedupe_key=f"incident:{incident.id}:snapshot:{snapshot_id}:ready",
    )
