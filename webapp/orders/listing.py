"""One page of order lines, as the order list and the shop floor's pages show them."""

from __future__ import annotations

from flask_login import current_user

from models.orders import overview
from webapp.database import db_session
from webapp.orders.labels import know_stages
from webapp.paging import Paged, page_for


def lines_page(filters: overview.LineFilters) -> Paged:
    """The page of the viewer's lines that ``?page=`` names, with their stage names at hand."""
    session = db_session()
    page = page_for(overview.count_lines(session, current_user.org_id, filters))
    page.rows = overview.line_rows(session, current_user.org_id, filters, page.size, page.offset)
    know_stages(row.line.buyer_org_id for row in page.rows)
    return page
