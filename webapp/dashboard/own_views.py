"""Pages: comments on scores (disputes) and the buyer's scorecard weights and rules."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from models import jobs
from models.errors import ValidationFailed
from models.i18n import N_
from models.orgs.entities import Organisation
from models.scorecards.disputes import answer_dispute, disputes_query, get_dispute, open_dispute
from models.scorecards.entities import DISPUTE_STATES
from models.scorecards.kpis import KPI_CATEGORIES, KPIS
from models.scorecards.settings import RULES, rules_of, update_scorecard_settings
from webapp.auth.session import current_actor, require_permission
from webapp.dashboard.common import template_helpers
from webapp.database import db_session, unit_of_work
from webapp.tasks import enqueue
from worker.tasks.scorecards import RECOMPUTE_JOB, recompute_scorecards

bp = Blueprint("dashboard_own", __name__, url_prefix="/dashboard")
bp.context_processor(template_helpers)


@bp.get("/disputes")
@login_required
def disputes() -> str:
    status = request.args.get("status") or None
    if status is not None and status not in DISPUTE_STATES:
        raise ValidationFailed.on("status", N_("Choose open or answered."))
    rows = list(db_session().scalars(disputes_query(current_user.org_id, status).limit(500)))
    return render_template("dashboard/disputes.html", disputes=rows, status=status)


@bp.post("/disputes", endpoint="open_dispute")
@require_permission("sell")
def open_dispute_page() -> Response | tuple[str, int]:
    data = {key: request.form.get(key, "") for key in
            ("kpi", "period_kind", "period_start", "buyer_org_id", "comment")}  # fmt: skip
    try:
        with unit_of_work() as session:
            dispute = open_dispute(session, current_actor(), data)
    except ValidationFailed as error:
        # The comment comes back in a form to correct and send again: nothing typed is lost.
        page = render_template("dashboard/dispute_error.html", errors=error.errors, form=data)
        return page, 422
    flash(gettext("Your comment was sent to the customer."), "success")
    return redirect(url_for("dashboard_own.dispute", dispute_id=dispute.id))


@bp.get("/disputes/<id:dispute_id>")
@login_required
def dispute(dispute_id: int) -> str:
    found = get_dispute(db_session(), current_user.org_id, dispute_id)
    return render_template(
        "dashboard/dispute.html",
        dispute=found,
        supplier=db_session().get(Organisation, found.supplier_org_id),
        buyer=db_session().get(Organisation, found.buyer_org_id),
        errors={},
        form={},
    )


@bp.post("/disputes/<id:dispute_id>/answer")
@require_permission("manage_suppliers")
def answer(dispute_id: int) -> Response | tuple[str, int]:
    data = {"answer": request.form.get("answer", ""), "outcome": request.form.get("outcome", "")}
    try:
        with unit_of_work() as session:
            answer_dispute(session, current_actor(), dispute_id, data)
    except ValidationFailed as error:
        found = get_dispute(db_session(), current_user.org_id, dispute_id)
        page = render_template(
            "dashboard/dispute.html",
            dispute=found,
            supplier=db_session().get(Organisation, found.supplier_org_id),
            buyer=db_session().get(Organisation, found.buyer_org_id),
            errors=error.errors,
            form=request.form,
        )
        return page, 422
    flash(gettext("Your answer was sent to the supplier."), "success")
    return redirect(url_for("dashboard_own.dispute", dispute_id=dispute_id))


@bp.route("/settings", methods=["GET", "POST"])
@require_permission("manage_organisation")
def settings() -> str | tuple[str, int] | Response:
    """The weights of the transparency index and the rules applied to this buyer's lines."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data: dict[str, object] = {name: request.form.get(name, "") for name in RULES}
        data["weights"] = {k.code: request.form.get(f"weight_{k.code}") or "0" for k in KPIS}
        try:
            with unit_of_work() as session:
                update_scorecard_settings(session, current_actor(), data)
                job = jobs.create_job(session, current_actor(), RECOMPUTE_JOB)
        except ValidationFailed as error:
            errors = {_form_key(key): messages for key, messages in error.errors.items()}
        else:
            enqueue(recompute_scorecards, job.id, job_id=job.id)
            flash(gettext("Saved. The scorecards are being recomputed with your rules."), "success")
            return redirect(url_for("dashboard.index", job=job.id))
    page = render_template(
        "dashboard/settings.html",
        rules=rules_of(db_session(), current_user.org_id),
        form=request.form if errors else None,
        errors=errors,
        kpis=KPIS,
        categories=KPI_CATEGORIES,
    )
    return (page, 422) if errors else page


def _form_key(key: str) -> str:
    """``weights.coverage.value`` (the schema's place) -> ``weight_coverage`` (the form field)."""
    parts = key.split(".")
    return f"weight_{parts[1]}" if parts[0] == "weights" and len(parts) > 1 else key
