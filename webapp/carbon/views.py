"""Pages: the carbon overview, footprint lists, a footprint's breakdown and its PACT export."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import func, select

from models.carbon.breakdown import breakdown as footprint_breakdown
from models.carbon.breakdown import org_names, tier_shares, viewer_context
from models.carbon.constants import ALLOCATION_NAMES, FUEL_LABELS, GRID_REGIONS
from models.carbon.entities import ProductFootprint
from models.carbon.footprints import get_footprint, preceding_ids, visible_footprints_query
from models.carbon.pact_export import export_document, export_problem
from models.carbon.reports import latest_footprints
from models.errors import ValidationFailed
from models.orders.entities import Part
from webapp.auth.session import require_permission
from webapp.carbon.common import KIND_LABELS, year_arg
from webapp.database import db_session
from webapp.errors import json_error
from webapp.paging import paged_rows, pager_args
from webapp.templating import current_locale

bp = Blueprint("carbon", __name__, url_prefix="/carbon")

#: How a declared footprint reached us, as the footprint page says it.
SOURCE_LABELS = {
    "form": lazy_gettext("the web form"),
    "api": lazy_gettext("the API"),
    "file": lazy_gettext("a spreadsheet"),
    "edi": lazy_gettext("EDI"),
    "pact": lazy_gettext("a PACT document"),
    "demo": lazy_gettext("the demo data"),
}


def _rows(part_filter: Any, year: int) -> list[dict[str, Any]]:
    """Latest visible footprints of the parts matching ``part_filter``, with tier shares."""
    session = db_session()
    visible, tier_of = viewer_context(session, current_user.org_id)
    parts = {p.id: p for p in session.scalars(select(Part).where(part_filter))}
    facts = latest_footprints(session, set(parts), year, visible)
    rows = []
    for part_id, fact in facts.items():
        tiers = tier_shares(fact.origins, current_user.org_id, visible, tier_of)
        rows.append(
            {
                "part": parts[part_id],
                "fact": fact,
                "deep_share": sum(t.share for t in tiers if t.tier >= 2),
                "maker": fact.org_id,
            }
        )
    return sorted(rows, key=lambda r: r["part"].part_number)


@bp.get("/")
@require_permission("view")
def overview() -> str:
    year = year_arg()
    org = current_user.org_id
    made = func.coalesce(Part.supplier_org_id, Part.owner_org_id)
    bought = _rows((Part.owner_org_id == org) & (made != org), year)
    mine = _rows(made == org, year)
    names = _names({r["maker"] for r in bought})
    return render_template("carbon/overview.html", year=year, bought=bought, mine=mine, names=names)


def _names(org_ids: set[int]) -> dict[int, str]:
    return org_names(db_session(), org_ids, current_locale())


@bp.get("/footprints")
@require_permission("view")
def footprints() -> str:
    year = year_arg()
    page = paged_rows(
        visible_footprints_query(current_user.org_id)
        .add_columns(Part)
        .join(Part, Part.id == ProductFootprint.part_id)
        .where(ProductFootprint.year == year)
        .order_by(ProductFootprint.status, Part.part_number, ProductFootprint.id.desc())
    )
    return render_template(
        "carbon/footprints.html",
        paged=page,
        pager_args=pager_args(),
        kind_labels=KIND_LABELS,
        year=year,
        names=_names({f.org_id for f, _p in page.rows}),
    )


@bp.get("/footprints/<id:footprint_id>")
@require_permission("view")
def footprint(footprint_id: int) -> str:
    session = db_session()
    found = get_footprint(session, current_user.org_id, footprint_id)
    view = footprint_breakdown(session, current_user.org_id, found, current_locale())
    linked = [b.pf_id for b in view.bars if b.pf_id]
    links = dict(
        session.execute(
            select(ProductFootprint.pf_id, ProductFootprint.id).where(
                ProductFootprint.pf_id.in_(linked)
            )
        ).all()
    )
    history = preceding_ids(session, found)
    history_ids = dict(
        session.execute(
            select(ProductFootprint.pf_id, ProductFootprint.id).where(
                ProductFootprint.pf_id.in_(history)
            )
        ).all()
    )
    return render_template(
        "carbon/footprint.html",
        fp=found,
        part=session.get(Part, found.part_id),
        view=view,
        links=links,
        history=[(pf, history_ids.get(pf)) for pf in history],
        chart=json.dumps(_chart(view)),
        maker=_names({found.org_id}).get(found.org_id, ""),
        fuel_labels=FUEL_LABELS,
        allocation_names=ALLOCATION_NAMES,
        regions=GRID_REGIONS,
        source=SOURCE_LABELS.get(found.source, found.source),
        exports={version: export_problem(session, found, version) for version in (3, 2)},
    )


def _chart(view: Any) -> dict[str, Any]:
    labels = {
        "scope1": gettext("Own scope 1"),
        "scope2": gettext("Own scope 2"),
        "declared": gettext("Declared by the maker"),
    }
    items = []
    for bar in view.bars:
        if bar.kind == "input":
            label = f"{bar.label} · {view.names.get(bar.org_id, '')}"
        elif bar.kind == "withheld":
            label = gettext("Suppliers not shown (%(count)s inputs)", count=bar.count)
        else:
            label = labels[bar.kind]
        items.append({"name": label, "value": round(bar.kg, 6), "kind": bar.kind})
    return {"items": items, "unit": "kgCO2e"}


@bp.get("/footprints/<id:footprint_id>/pact/<int:version>")
@require_permission("view")
def export(footprint_id: int, version: int) -> Response | tuple[str, int]:
    """The PACT JSON file; a footprint PACT cannot take answers the API's JSON error."""
    session = db_session()
    found = get_footprint(session, current_user.org_id, footprint_id)
    if version not in (2, 3):
        return "", 404
    try:
        document = export_document(session, found, version)
    except ValidationFailed as error:
        return json_error(error)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=pcf-{found.pf_id}-v{version}.json"},
    )
