"""Production stages a line's progress is reported in: the anchor's own list, else the default.

An anchor may set ``progress_stages`` in its organisation settings as a list of
``{"code": ..., "name_zh": ..., "name_en": ...}``. Lines ordered by the anchor, and by its
suppliers down the chain, use that list; everything else uses :data:`DEFAULT_STAGES`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, aliased

from models.orgs.entities import MAX_CHAIN_DEPTH, Organisation, SupplierLink


@dataclass(frozen=True)
class Stage:
    code: str
    name_zh: str
    name_en: str

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_zh


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("material", "备料", "Material ready"),
    Stage("production", "生产中", "In production"),
    Stage("inspection", "检验", "Inspection"),
    Stage("ready", "待发货", "Ready to ship"),
    Stage("shipped", "已发货", "Shipped"),
)


def _from_setting(value: Any) -> tuple[Stage, ...] | None:
    if not isinstance(value, list) or not value:
        return None
    stages = tuple(
        Stage(
            str(item["code"]),
            str(item.get("name_zh") or item["code"]),
            str(item.get("name_en") or item.get("name_zh") or item["code"]),
        )
        for item in value
        if isinstance(item, dict) and item.get("code")
    )
    return stages or None


def stages_for_buyer(session: Session, buyer_org_id: int) -> tuple[Stage, ...]:
    """The stage list for lines ordered by ``buyer_org_id``.

    The buyer's own list when it is an anchor with one; otherwise the list of the nearest anchor
    above it (over active links) that has one; otherwise the default.
    """
    buyer = session.get(Organisation, buyer_org_id)
    if buyer is None:
        return DEFAULT_STAGES
    if buyer.kind == "anchor":
        return _own_stages(buyer)
    return _nearest_stages(_anchor_settings_above(session, [buyer_org_id])[buyer_org_id])


def stages_for_buyers(
    session: Session, buyer_org_ids: Iterable[int]
) -> dict[int, tuple[Stage, ...]]:
    """:func:`stages_for_buyer` of each of these buyers, in two queries whatever their number
    (a list of lines of many buyers asked one by one took a query per buyer)."""
    wanted = set(buyer_org_ids)
    found = {org_id: DEFAULT_STAGES for org_id in wanted}
    below_anchors = []
    for buyer in session.scalars(select(Organisation).where(Organisation.id.in_(wanted))):
        if buyer.kind == "anchor":
            found[buyer.id] = _own_stages(buyer)
        else:
            below_anchors.append(buyer.id)
    for org_id, settings in _anchor_settings_above(session, below_anchors).items():
        found[org_id] = _nearest_stages(settings)
    return found


def _own_stages(anchor: Organisation) -> tuple[Stage, ...]:
    return _from_setting(anchor.setting("progress_stages", None)) or DEFAULT_STAGES


def _nearest_stages(settings_above: list[dict[str, Any] | None]) -> tuple[Stage, ...]:
    for settings in settings_above:
        stages = _from_setting((settings or {}).get("progress_stages"))
        if stages:
            return stages
    return DEFAULT_STAGES


def _anchor_settings_above(
    session: Session, org_ids: list[int]
) -> defaultdict[int, list[dict[str, Any] | None]]:
    """For each of ``org_ids``, the settings of the anchors above it, nearest first."""
    links = aliased(SupplierLink)
    base = select(
        SupplierLink.supplier_id.label("start"),
        SupplierLink.buyer_id.label("org_id"),
        literal(1).label("depth"),
    ).where(SupplierLink.supplier_id.in_(org_ids), SupplierLink.status == "active")
    above = base.cte("above", recursive=True)
    above = above.union(
        select(above.c.start, links.buyer_id, above.c.depth + 1).where(
            links.supplier_id == above.c.org_id,
            links.status == "active",
            above.c.depth < MAX_CHAIN_DEPTH,
        )
    )
    rows = session.execute(
        select(above.c.start, Organisation.settings)
        .join(above, above.c.org_id == Organisation.id)
        .where(Organisation.kind == "anchor")
        .order_by(above.c.start, above.c.depth, Organisation.id)
    )
    found: defaultdict[int, list[dict[str, Any] | None]] = defaultdict(list)
    for org_id, settings in rows:
        found[org_id].append(settings)
    return found


def stage_of(stages: tuple[Stage, ...], code: str) -> Stage | None:
    return next((stage for stage in stages if stage.code == code), None)
