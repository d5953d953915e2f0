"""Input schemas of the scorecard writes: the buyer's rules and weights, disputes and answers."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from models.i18n import N_, Msg
from models.scorecards.entities import DISPUTE_OUTCOMES, PERIOD_KINDS
from models.scorecards.kpis import KPI_CODES
from models.validation import Day, Integer, Text


def _some_weight(weights: dict[str, int]) -> None:
    if not any(weights.values()):
        raise ValidationError(Msg(N_("Give at least one KPI a weight above zero.")))


class ScorecardSettingsSchema(Schema):
    """The rules a buyer applies to its own order lines, and the weights of its index."""

    class Meta:
        unknown = EXCLUDE

    coverage_hours = Integer(required=True, validate=validate.Range(min=1, max=24 * 14))
    otd_early_days = Integer(required=True, validate=validate.Range(min=0, max=60))
    otd_late_days = Integer(required=True, validate=validate.Range(min=0, max=60))
    stall_days = Integer(required=True, validate=validate.Range(min=1, max=60))
    stall_due_within_days = Integer(required=True, validate=validate.Range(min=0, max=365))
    projection_days = Integer(required=True, validate=validate.Range(min=2, max=60))
    weights = fields.Dict(
        keys=fields.String(validate=validate.OneOf(KPI_CODES)),
        values=Integer(validate=validate.Range(min=0, max=100)),
        required=True,
        validate=_some_weight,
    )


class DisputeSchema(Schema):
    """A supplier's comment on one score of one period, to one of its buyers."""

    kpi = fields.String(required=True, validate=validate.OneOf(KPI_CODES))
    period_kind = fields.String(required=True, validate=validate.OneOf(PERIOD_KINDS))
    period_start = Day(required=True)
    buyer_org_id = Integer(required=True)
    comment = Text(required=True, validate=validate.Length(min=3, max=4000))


class DisputeAnswerSchema(Schema):
    answer = Text(required=True, validate=validate.Length(min=3, max=4000))
    outcome = fields.String(required=True, validate=validate.OneOf(DISPUTE_OUTCOMES))
