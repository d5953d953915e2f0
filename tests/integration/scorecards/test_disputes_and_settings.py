"""Disputes on scores and the buyer's weights and rules: one door each, bad input refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.errors import Conflict, Forbidden, NotFound, ValidationFailed
from models.notify import Notification
from models.scorecards.disputes import answer_dispute, get_dispute, open_dispute
from models.scorecards.entities import ScorecardDispute, ScorecardSettings
from models.scorecards.kpis import DEFAULT_WEIGHTS
from models.scorecards.settings import rules_of, update_scorecard_settings
from tests.integration.scorecards.builders import TODAY

RULES = {
    "coverage_hours": 24,
    "otd_early_days": 2,
    "otd_late_days": 1,
    "stall_days": 2,
    "stall_due_within_days": 10,
    "projection_days": 7,
    "weights": {"coverage": 50, "otd": 50},
}


def dispute(net, **changes) -> dict:
    data = {
        "kpi": "coverage",
        "period_kind": "week",
        "period_start": TODAY.isoformat(),
        "buyer_org_id": net.anchor.id,
        "comment": "We reported on paper; see the scan.",
    }
    data.update(changes)
    return data


def count(session, entity) -> int:
    return session.scalar(select(func.count()).select_from(entity))


def test_a_supplier_comments_on_a_score_and_the_buyer_answers(session, net):
    made = open_dispute(session, net.t1_admin, dispute(net))
    assert made.period_start.weekday() == 0 and made.status == "open"
    assert get_dispute(session, net.anchor.id, made.id) is made
    note = session.scalar(select(Notification).where(Notification.org_id == net.anchor.id))
    assert note is not None and note.kind == "scorecard_dispute"
    answer_dispute(
        session, net.anchor_buyer, made.id, {"answer": "Agreed, fixed.", "outcome": "corrected"}
    )
    assert made.status == "answered" and made.outcome == "corrected"
    with pytest.raises(Conflict):
        answer_dispute(
            session, net.anchor_buyer, made.id, {"answer": "Again", "outcome": "explained"}
        )


def test_a_dispute_with_bad_input_names_the_fields_and_writes_nothing(session, net):
    with pytest.raises(ValidationFailed) as caught:
        open_dispute(
            session, net.t1_admin, dispute(net, kpi="speed", comment="", period_kind="day")
        )
    assert set(caught.value.errors) == {"kpi", "comment", "period_kind"}
    with pytest.raises(ValidationFailed) as caught:
        open_dispute(session, net.t1_admin, dispute(net, buyer_org_id=net.other.id))
    assert caught.value.errors["buyer_org_id"] == ["Choose one of your customers."]
    assert count(session, ScorecardDispute) == 0


def test_only_the_parties_see_a_dispute_and_only_the_buyer_answers(session, net):
    made = open_dispute(session, net.t1_admin, dispute(net))
    with pytest.raises(NotFound):
        get_dispute(session, net.t1b.id, made.id)
    with pytest.raises(Forbidden) as caught:
        answer_dispute(session, net.t1_admin, made.id, {"answer": "Self", "outcome": "explained"})
    assert str(caught.value) == "Only the customer the comment was sent to answers it."
    assert made.status == "open" and made.answer is None
    with pytest.raises(Forbidden):
        open_dispute(session, net.t1_reporter, dispute(net))


def test_the_buyer_changes_its_weights_and_rules(session, net):
    rules = update_scorecard_settings(session, net.anchor_admin, RULES)
    assert rules.coverage_hours == 24 and rules.weights["coverage"] == 50
    assert rules.weights["ppm"] == 0  # a KPI left out of the form weighs nothing
    assert rules_of(session, net.t1.id).weights == DEFAULT_WEIGHTS


def test_bad_rules_are_refused_with_their_fields_and_nothing_is_written(session, net):
    bad = {**RULES, "coverage_hours": 0, "weights": {"coverage": 0}, "stall_days": "x"}
    with pytest.raises(ValidationFailed) as caught:
        update_scorecard_settings(session, net.anchor_admin, bad)
    assert set(caught.value.errors) == {"coverage_hours", "weights", "stall_days"}
    assert caught.value.errors["weights"] == ["Give at least one KPI a weight above zero."]
    with pytest.raises(Forbidden):
        update_scorecard_settings(session, net.anchor_buyer, RULES)
    assert count(session, ScorecardSettings) == 0


def test_a_blank_comment_or_answer_is_refused_and_nothing_is_written(session, net):
    for blank in ("     ", "\n\t  ", "  ab  "):
        with pytest.raises(ValidationFailed) as caught:
            open_dispute(session, net.t1_admin, dispute(net, comment=blank))
        assert set(caught.value.errors) == {"comment"}
    assert count(session, ScorecardDispute) == 0
    made = open_dispute(session, net.t1_admin, dispute(net, comment="  Seen on paper.  "))
    assert made.comment == "Seen on paper."
    with pytest.raises(ValidationFailed) as caught:
        answer_dispute(
            session, net.anchor_buyer, made.id, {"answer": "   ", "outcome": "explained"}
        )
    assert set(caught.value.errors) == {"answer"}
    assert made.status == "open" and made.answer is None
