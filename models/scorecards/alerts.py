"""Telling buyers about warnings: in-app at once, one e-mail per buyer per batch, a daily digest.

Each new warning (or a warning back after it was resolved) becomes one in-app notification
whose ``dedupe_key`` names the warning and its episode, so it is never repeated; the buyer's
admins and buyers get one e-mail listing the batch. Marking a warning notified happens in the
same transaction as its notification and e-mail, so a crash repeats neither nor loses them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from models.accounts.entities import Membership, User
from models.base import utcnow
from models.clock import local_today
from models.i18n import N_, Msg, in_each_locale, render
from models.notify import notify, queue_email
from models.orders.entities import OrderLine, PurchaseOrder
from models.orgs.entities import Organisation, localized_name
from models.scorecards.entities import ScorecardWarning
from models.scorecards.messages import KIND_LABELS, line_title, lines_title, reason, supplier_title
from models.scorecards.sql import is_postgres

W = ScorecardWarning
RECIPIENT_ROLES = ("admin", "procurement")
BATCH = 500
EMAIL_ITEMS = 20
#: New warnings on more lines than this of one supplier are announced as one notification
#: with the count of lines (an upload of 5,000 late lines is one message, not 5,000).
GROUP_ABOVE = 3

#: One item of an e-mail's list ("- X: Y"), its colon the reader's.
_ITEM = N_("- %(what)s: %(detail)s")


def recipients(session: Session, org_id: int) -> list[User]:
    """The buyer's people who hear about warnings (admins and procurement)."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.org_id == org_id,
                Membership.role.in_(RECIPIENT_ROLES),
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )


def _pending(session: Session, limit: int) -> list[Any]:
    supplier = aliased(Organisation)
    query = (
        select(W, supplier.name_zh, supplier.name_en, PurchaseOrder.number, OrderLine.line_no)
        .join(supplier, supplier.id == W.supplier_org_id)
        .outerjoin(OrderLine, OrderLine.id == W.line_id)
        .outerjoin(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .where(W.notified_at.is_(None), W.resolved_at.is_(None))
        .order_by(W.id)
        .limit(limit)
    )
    if is_postgres(session):
        query = query.with_for_update(of=W, skip_locked=True)
    return list(session.execute(query))


def title_of(warning: ScorecardWarning, supplier: str, order: str | None, line: int | None) -> Msg:
    if warning.line_id is None:
        return supplier_title(supplier)
    return line_title(supplier, order or "", line or 0)


def dispatch_warnings(session: Session, base_url: str = "", limit: int = BATCH) -> int:
    """Announce up to ``limit`` new warnings (a supplier's many new line warnings count as
    one); returns how many were announced."""
    by_buyer: dict[int, list[tuple[Msg, Msg]]] = defaultdict(list)
    now = utcnow()
    grouped = _announce_line_groups(session, now, by_buyer)
    rows = _pending(session, limit)
    for warning, name_zh, name_en, order, line_no in rows:
        title = title_of(warning, localized_name(name_zh, name_en), order, line_no)
        why = reason(warning)
        notify(
            session,
            warning.buyer_org_id,
            "scorecard_warning",
            title,
            why,
            link=f"/dashboard/suppliers/{warning.supplier_org_id}",
            dedupe_key=f"scorecard-warning:{warning.id}:{warning.first_seen_at:%Y%m%d%H%M%S}",
        )
        warning.notified_at = now
        by_buyer[warning.buyer_org_id].append((title, why))
    for buyer_id, items in by_buyer.items():
        _email(session, buyer_id, items, base_url)
    return len(rows) + grouped


def _announce_line_groups(
    session: Session, now: Any, by_buyer: dict[int, list[tuple[Msg, Msg]]]
) -> int:
    """One notification per buyer and supplier with new warnings on more than
    :data:`GROUP_ABOVE` lines, linking to that supplier's lines at risk; those warnings are
    marked notified. Returns how many groups were announced."""
    new_lines = (W.notified_at.is_(None), W.resolved_at.is_(None), W.line_id.is_not(None))
    lines = func.count(W.line_id.distinct())
    groups = session.execute(
        select(
            W.buyer_org_id,
            W.supplier_org_id,
            Organisation.name_zh,
            Organisation.name_en,
            lines,
            func.max(W.id),
        )
        .join(Organisation, Organisation.id == W.supplier_org_id)
        .where(*new_lines)
        .group_by(W.buyer_org_id, W.supplier_org_id, Organisation.name_zh, Organisation.name_en)
        .having(lines > GROUP_ABOVE)
    ).all()
    for buyer_id, supplier_id, name_zh, name_en, count, last_id in groups:
        title = lines_title(localized_name(name_zh, name_en), count)
        why = Msg(N_("Open the lines at risk to see each reason."))
        notify(
            session, buyer_id, "scorecard_warning", title, why,
            link=f"/dashboard/at-risk?supplier={supplier_id}",
            dedupe_key=f"scorecard-warnings:{buyer_id}:{supplier_id}:{last_id}",
        )  # fmt: skip
        session.execute(
            update(W)
            .where(*new_lines, W.buyer_org_id == buyer_id, W.supplier_org_id == supplier_id)
            .where(W.id <= last_id)
            .values(notified_at=now)
            .execution_options(synchronize_session=False)
        )
        by_buyer[buyer_id].append((title, why))
    return len(groups)


def _email(session: Session, buyer_id: int, items: list[tuple[Msg, Msg]], base_url: str) -> None:
    body = Msg(
        N_("Some order lines or suppliers are at risk:\n\n%(items)s\n\n"
           "Open the dashboard: %(link)s"),
        items=in_each_locale(partial(_listed, items)), link=f"{base_url}/dashboard",
    )  # fmt: skip
    subject = Msg(N_("Tierlight: %(count)s new early warnings"), count=len(items))
    for user in recipients(session, buyer_id):
        # A reader who chose no language gets both, as every e-mail of the product does.
        queue_email(session, user.email, subject, body, "scorecard_warning",
                    locale=user.locale, org_id=buyer_id)  # fmt: skip


def _listed(items: list[tuple[Msg, Msg]], locale: str) -> str:
    """The e-mail's list of new warnings, the first :data:`EMAIL_ITEMS` and how many more."""
    lines = [
        render(Msg(_ITEM, what=title, detail=why), locale) for title, why in items[:EMAIL_ITEMS]
    ]
    more = len(items) - EMAIL_ITEMS
    if more > 0:
        lines.append(render(Msg(N_("... and %(count)s more."), count=more), locale))
    return "\n".join(lines)


def send_digest(session: Session, today: date | None = None, base_url: str = "") -> int:
    """One daily summary per buyer with active warnings (in-app and e-mail); run twice a day,
    it sends once. Returns how many buyers got one."""
    today = today or local_today()
    counts = session.execute(
        select(W.buyer_org_id, W.kind, func.count())
        .where(W.resolved_at.is_(None))
        .group_by(W.buyer_org_id, W.kind)
    )
    per_buyer: dict[int, dict[str, int]] = defaultdict(dict)
    for buyer_id, kind, count in counts:
        per_buyer[buyer_id][kind] = int(count)
    sent = 0
    for buyer_id, kinds in sorted(per_buyer.items()):
        total = sum(kinds.values())
        title = Msg(N_("Daily early-warning digest: %(count)s active warnings"), count=total)
        note = notify(
            session, buyer_id, "scorecard_digest", title, None, link="/dashboard",
            dedupe_key=f"scorecard-digest:{buyer_id}:{today.isoformat()}",
        )  # fmt: skip
        if note is None:
            continue
        body = Msg(
            N_("Active early warnings by reason:\n\n%(items)s\n\nOpen the dashboard: %(link)s"),
            items=in_each_locale(partial(_by_reason, kinds)), link=f"{base_url}/dashboard",
        )  # fmt: skip
        for user in recipients(session, buyer_id):
            queue_email(session, user.email, title, body, "scorecard_digest",
                        locale=user.locale, org_id=buyer_id)  # fmt: skip
        sent += 1
    return sent


def _by_reason(kinds: dict[str, int], locale: str) -> str:
    """The digest's list: each reason with its count of active warnings."""
    return "\n".join(
        render(Msg(_ITEM, what=Msg(KIND_LABELS[kind]), detail=count), locale)
        for kind, count in sorted(kinds.items())
    )
