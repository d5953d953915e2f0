"""Pages: carbon intensity per supplier, the scope 3 purchased-goods estimate, missing data."""

from __future__ import annotations

import json

from flask import Blueprint, render_template
from flask_babel import gettext
from flask_login import current_user

from models.carbon.reports import intensity_by_supplier, missing_data, scope3_purchased_goods
from models.clock import local_today
from webapp.auth.session import require_permission
from webapp.carbon.common import year_arg
from webapp.database import db_session
from webapp.paging import paged_list, pager_args
from webapp.templating import current_locale

bp = Blueprint("carbon_reports", __name__, url_prefix="/carbon/reports")


@bp.get("/intensity")
@require_permission("view")
def intensity() -> str:
    year = year_arg()
    rows = intensity_by_supplier(db_session(), current_user.org_id, year, current_locale())
    return render_template(
        "carbon/intensity.html", paged=paged_list(rows), pager_args=pager_args(), year=year
    )


@bp.get("/scope3")
@require_permission("view")
def scope3() -> str:
    year = year_arg()
    result = scope3_purchased_goods(db_session(), current_user.org_id, year, current_locale())
    items = [
        {
            "name": gettext("My organisation") if tier == 0 else gettext("Tier %(n)s", n=tier),
            "value": round(kg / 1000, 4),
            "kind": "tier",
        }
        for tier, kg in sorted(result.by_tier.items())
    ]
    chart = json.dumps({"items": items, "unit": "tCO2e"})
    return render_template("carbon/scope3.html", result=result, year=year, chart=chart)


@bp.get("/missing")
@require_permission("view")
def missing() -> str:
    year = year_arg()
    gaps = missing_data(db_session(), current_user.org_id, year, current_locale(), local_today())
    return render_template(
        "carbon/missing.html", paged=paged_list(gaps), pager_args=pager_args(), year=year
    )
