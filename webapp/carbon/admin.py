"""Pages: emission factors and their versions, allocation settings, PACT API credentials,
and the full roll-up of a year as a background job."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from models import jobs
from models.carbon.constants import ALLOCATION_LABELS, FUEL_LABELS, FUELS, GRID_REGIONS
from models.carbon.factors import anchor_of, current_factors, factor_history, record_factor
from models.carbon.pact_clients import create_pact_client, revoke_pact_client
from models.carbon.pact_clients import pact_clients as clients_of
from models.carbon.rollup_scope import ROLLUP_JOB, check_rollup_year
from models.carbon.settings import allocation_method, set_allocation_method
from models.clock import local_today
from models.errors import ValidationFailed
from webapp.auth.session import current_actor, require_permission
from webapp.carbon.common import factor_text, year_arg
from webapp.carbon.forms import factor_data
from webapp.database import db_session, unit_of_work
from webapp.i18n import translate
from webapp.tasks import start_or_join
from worker.tasks.carbon import run_footprint_rollup

bp = Blueprint("carbon_admin", __name__, url_prefix="/carbon/admin")


def _factor_page(values: dict, errors: dict) -> str:
    return render_template(
        "carbon/factors.html",
        factors=current_factors(db_session(), anchor_of(db_session(), current_user.org_id)),
        fuels=FUELS,
        fuel_labels=FUEL_LABELS,
        regions=GRID_REGIONS,
        values=values,
        errors=errors,
        method=allocation_method(db_session(), current_user.org_id),
        methods=ALLOCATION_LABELS,
        recent=jobs.recent_jobs(db_session(), current_user.org_id, 5, ROLLUP_JOB),
        factor_text=factor_text,
    )


@bp.route("/factors", methods=["GET", "POST"])
@require_permission("view")
def factors() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return _factor_page({}, {})
    try:
        with unit_of_work() as session:
            factor = record_factor(session, current_actor(), factor_data(request.form))
            year = max(factor.year, 2000)
    except ValidationFailed as error:
        return _factor_page(request.form, error.errors), 422
    flash(
        gettext(
            "Factor saved as a new version. Recompute the footprints of the years it applies to."
        ),
        "success",
    )
    return redirect(url_for("carbon_admin.factors", year=year))


@bp.get("/factors/<id:factor_id>")
@require_permission("view")
def factor(factor_id: int) -> str:
    return render_template(
        "carbon/factor.html",
        versions=factor_history(db_session(), current_user.org_id, factor_id),
        fuel_labels=FUEL_LABELS,
        regions=GRID_REGIONS,
        factor_text=factor_text,
    )


@bp.post("/settings")
@require_permission("manage_carbon")
def settings() -> Response:
    try:
        with unit_of_work() as session:
            set_allocation_method(
                session,
                current_actor(),
                {"allocation_method": request.form.get("allocation_method", "")},
            )
    except ValidationFailed:
        flash(gettext("Choose an allocation method."), "error")
        return redirect(url_for("carbon_admin.factors"))
    flash(gettext("Saved. Recompute the footprints to apply it."), "success")
    return redirect(url_for("carbon_admin.factors"))


@bp.post("/recompute")
@require_permission("manage_carbon")
def recompute() -> Response:
    try:
        year = year_arg()
        check_rollup_year(year, local_today())
    except ValidationFailed as error:
        flash(" ".join(translate(message) for message in error.errors["year"]), "error")
        return redirect(url_for("carbon_admin.factors"))
    start_or_join(run_footprint_rollup, ROLLUP_JOB, {"year": year}, year)
    flash(gettext("The footprints of %(year)s are being recomputed.", year=year), "success")
    return redirect(url_for("carbon_admin.factors"))


@bp.route("/pact-clients", methods=["GET", "POST"])
@require_permission("manage_carbon")
def pact_clients() -> str | tuple[str, int]:
    secret = client = None
    errors: dict = {}
    if request.method == "POST":
        try:
            with unit_of_work() as session:
                client, secret = create_pact_client(
                    session, current_actor(), {"name": request.form.get("name", "").strip()}
                )
        except ValidationFailed as error:
            errors = error.errors
    page = render_template(
        "carbon/pact_clients.html",
        clients=clients_of(db_session(), current_user.org_id),
        new_client=client,
        new_secret=secret,
        errors=errors,
        base_url=request.host_url.rstrip("/"),
    )
    return (page, 422) if errors else page


@bp.post("/pact-clients/<id:client_pk>/revoke")
@require_permission("manage_carbon")
def revoke(client_pk: int) -> Response:
    with unit_of_work() as session:
        revoke_pact_client(session, current_actor(), client_pk)
    return redirect(url_for("carbon_admin.pact_clients"))
