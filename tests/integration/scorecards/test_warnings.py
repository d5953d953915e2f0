"""Early warnings: lines at risk and troubled sub-tiers, told to the buyer once, with reasons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models.accounts.entities import User
from models.i18n import Msg, render
from models.notify import Notification, OutboxEmail
from models.scorecards.alerts import dispatch_warnings, send_digest
from models.scorecards.entities import ScorecardWarning
from models.scorecards.messages import reason
from models.scorecards.warnings import refresh_warnings
from tests.integration.scorecards.builders import (
    NOW,
    TODAY,
    hours_ago,
    incident,
    line,
    report,
)


def active(session, **where) -> dict[str, ScorecardWarning]:
    query = select(ScorecardWarning).where(ScorecardWarning.resolved_at.is_(None))
    for name, value in where.items():
        query = query.where(getattr(ScorecardWarning, name) == value)
    return {w.kind: w for w in session.scalars(query)}


def test_an_expected_finish_after_the_promise_warns_and_says_why(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=5))
    report(session, made, 40, hours_ago(2), expected=TODAY + timedelta(days=8))
    refresh_warnings(session, NOW)
    found = active(session, line_id=made.id)
    assert set(found) == {"expected_late"}
    warning = found["expected_late"]
    assert warning.buyer_org_id == net.anchor.id and warning.late_days == 3
    assert "2026-03-26" in reason(warning) and "2026-03-23" in reason(warning)
    assert "2026-03-26" in render(reason(warning), "zh_Hans_CN")


def test_a_later_report_that_catches_up_resolves_the_warning(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=5))
    report(session, made, 40, hours_ago(20), expected=TODAY + timedelta(days=8))
    refresh_warnings(session, NOW)
    report(session, made, 60, hours_ago(1), expected=TODAY + timedelta(days=4))
    refresh_warnings(session, NOW)
    assert active(session, line_id=made.id) == {}
    assert session.scalar(select(func.count()).select_from(ScorecardWarning)) == 1


def test_a_corrected_report_replaces_the_one_it_supersedes(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=5))
    wrong = report(session, made, 40, hours_ago(2), expected=TODAY + timedelta(days=9))
    report(session, made, 40, hours_ago(3), expected=TODAY + timedelta(days=4), supersedes=wrong)
    refresh_warnings(session, NOW)
    assert "expected_late" not in active(session, line_id=made.id)


def test_silence_on_a_line_due_soon_is_a_stall_but_not_on_a_line_due_later(session, net):
    soon = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=10))
    report(session, soon, 40, hours_ago(24 * 5))
    later = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=40))
    report(session, later, 40, hours_ago(24 * 5))
    refresh_warnings(session, NOW)
    assert set(active(session, line_id=soon.id)) == {"stalled"}
    assert "since 2026-03-13" in reason(active(session, line_id=soon.id)["stalled"])
    assert active(session, line_id=later.id) == {}


def test_the_reported_pace_projects_a_late_finish(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=3), quantity=100)
    report(session, made, 10, hours_ago(24 * 4))
    report(session, made, 30, hours_ago(1))  # 20 pieces in 4 days: 70 more need 14 days
    refresh_warnings(session, NOW)
    found = active(session, line_id=made.id)
    assert set(found) == {"projected_late"}
    assert 9 < found["projected_late"].late_days < 12


def test_an_open_line_past_its_promise_is_overdue(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY - timedelta(days=2))
    report(session, made, 90, hours_ago(2))
    refresh_warnings(session, NOW)
    assert "overdue" in active(session, line_id=made.id)


def test_a_critical_incident_below_a_supplier_puts_it_at_risk_for_its_buyers(session, net):
    incident(session, net.t1, net.t2)
    incident(session, net.t1, net.t2, severity="minor")
    refresh_warnings(session, NOW)
    found = active(session, kind="subtier_incident")
    assert found["subtier_incident"].supplier_org_id == net.t1.id
    assert found["subtier_incident"].buyer_org_id == net.anchor.id
    assert found["subtier_incident"].incident_count == 1


def test_an_incident_at_a_sub_tier_keeping_its_quality_data_to_its_buyer_is_not_counted(
    session, net
):
    """``hidden`` shares quality data with t1 only: the anchor, two links above it, may not
    learn of its incidents, not even as a number in t1's warning."""
    incident(session, net.t1, net.hidden)
    refresh_warnings(session, NOW)
    assert active(session, kind="subtier_incident") == {}

    incident(session, net.t1, net.t2)
    refresh_warnings(session, NOW)
    found = active(session, kind="subtier_incident")["subtier_incident"]
    assert (found.buyer_org_id, found.supplier_org_id) == (net.anchor.id, net.t1.id)
    assert found.incident_count == 1


def test_warnings_reach_the_buyer_once_in_app_and_by_mail_and_in_a_daily_digest(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=5))
    report(session, made, 40, hours_ago(2), expected=TODAY + timedelta(days=8))
    refresh_warnings(session, NOW)
    assert dispatch_warnings(session, "https://tl.test") == 1
    refresh_warnings(session, NOW)
    assert dispatch_warnings(session, "https://tl.test") == 0
    notes = list(session.scalars(select(Notification).where(Notification.org_id == net.anchor.id)))
    assert [n.kind for n in notes] == ["scorecard_warning"]
    mails = list(session.scalars(select(OutboxEmail).where(OutboxEmail.org_id == net.anchor.id)))
    assert sorted(m.to_address for m in mails) == sorted(
        [f"admin{a}@anchor.test" for a in _tag(net)] + [f"buyer{a}@anchor.test" for a in _tag(net)]
    )
    assert "2026-03-26" in mails[0].body and "https://tl.test/dashboard" in mails[0].body
    assert send_digest(session, TODAY) >= 1
    assert send_digest(session, TODAY) == 0
    digests = session.scalar(
        select(func.count()).where(
            Notification.org_id == net.anchor.id, Notification.kind == "scorecard_digest"
        )
    )
    assert digests == 1


def test_many_new_line_warnings_of_one_supplier_are_one_notification_with_their_count(session, net):
    """An upload of many late lines told the buyer once per line (5,000 notifications)."""
    many = [line(session, net.anchor, net.t1, due=TODAY - timedelta(days=2)) for _ in range(5)]
    other = line(session, net.anchor, net.t1b, due=TODAY - timedelta(days=2))
    net.t1.name_zh, net.t1.name_en = "一级精工", "Tier One Precision"
    refresh_warnings(session, NOW)

    announced = dispatch_warnings(session)

    notes = list(session.scalars(select(Notification).where(Notification.org_id == net.anchor.id)))
    grouped = [n for n in notes if n.link == f"/dashboard/at-risk?supplier={net.t1.id}"]
    assert len(grouped) == 1 and announced == len(notes)
    assert {n.link for n in notes} - {grouped[0].link} == {f"/dashboard/suppliers/{net.t1b.id}"}
    # Each reader sees the supplier's name in their language.
    assert (
        render(Msg.from_dict(grouped[0].title), "en")
        == "Tier One Precision: 5 order lines are at risk"
    )
    assert render(Msg.from_dict(grouped[0].title), "zh_Hans_CN") == "一级精工：5 个订单行有风险"
    assert {line.id for line in many} <= {
        w.line_id for w in session.scalars(select(ScorecardWarning)) if w.notified_at is not None
    }
    assert active(session, line_id=other.id)["overdue"].notified_at is not None
    mail = session.scalars(select(OutboxEmail).where(OutboxEmail.org_id == net.anchor.id)).first()
    # Its readers have no language of their own: the list in both, each with its own colons.
    assert "- 一级精工：5 个订单行有风险：" in mail.body
    assert "- Tier One Precision: 5 order lines are at risk: " in mail.body
    assert dispatch_warnings(session) == 0


def test_a_reader_who_chose_english_gets_early_warning_mails_in_english_only(session, net):
    """Early-warning e-mails and digests were written in Chinese for every reader who had
    not chosen English, where the product's other e-mails give such a reader both languages."""
    for _ in range(5):
        line(session, net.anchor, net.t1, due=TODAY - timedelta(days=2))
    net.t1.name_zh, net.t1.name_en = "一级精工", "Tier One Precision"
    admin = session.scalar(select(User).where(User.email == f"admin{_tag(net)[0]}@anchor.test"))
    admin.locale = "en"
    refresh_warnings(session, NOW)
    dispatch_warnings(session)
    send_digest(session, TODAY)

    mails = session.scalars(select(OutboxEmail).where(OutboxEmail.org_id == net.anchor.id))
    by_kind = {(m.kind, m.to_address == admin.email): m for m in mails}
    english = by_kind["scorecard_warning", True]
    assert "- Tier One Precision: 5 order lines are at risk: " in english.body
    assert "一级精工" not in english.body and "---" not in english.body
    both = by_kind["scorecard_warning", False]
    assert "- 一级精工：5 个订单行有风险：" in both.body
    assert "- Tier One Precision: 5 order lines are at risk: " in both.body
    digest = by_kind["scorecard_digest", True]
    assert "- Overdue: 5" in digest.body and "逾期" not in digest.body
    assert "- Overdue: 5" in by_kind["scorecard_digest", False].body


def test_a_warning_that_comes_back_is_announced_again(session, net):
    made = line(session, net.anchor, net.t1, due=TODAY + timedelta(days=5))
    report(session, made, 40, hours_ago(30), expected=TODAY + timedelta(days=8))
    refresh_warnings(session, NOW)
    dispatch_warnings(session)
    report(session, made, 50, hours_ago(20), expected=TODAY + timedelta(days=4))
    refresh_warnings(session, NOW)
    report(session, made, 60, hours_ago(1), expected=TODAY + timedelta(days=9))
    refresh_warnings(session, NOW)
    assert dispatch_warnings(session) == 1


def _tag(net) -> list[str]:
    return [net.anchor.name_en.split()[-1]]
