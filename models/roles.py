"""Roles and what each may do: the one table every permission check reads."""

from __future__ import annotations

from models.errors import Forbidden

ANCHOR_ROLES = ("admin", "procurement", "quality", "carbon", "viewer")
SUPPLIER_ROLES = ("admin", "reporter")

#: permission -> roles that hold it (anchor and supplier roles share the names "admin").
PERMISSIONS: dict[str, frozenset[str]] = {
    "manage_people": frozenset({"admin"}),
    "manage_organisation": frozenset({"admin"}),
    "invite_supplier": frozenset({"admin"}),
    "manage_suppliers": frozenset({"admin", "procurement"}),
    "manage_sharing": frozenset({"admin"}),
    "buy": frozenset({"admin", "procurement"}),
    "sell": frozenset({"admin"}),
    "report": frozenset({"admin", "reporter"}),
    "manage_parts": frozenset({"admin", "procurement", "quality", "carbon"}),
    "manage_quality": frozenset({"admin", "quality"}),
    "manage_carbon": frozenset({"admin", "carbon"}),
    "manage_edi": frozenset({"admin", "procurement"}),
    "view": frozenset(ANCHOR_ROLES + SUPPLIER_ROLES),
    #: open the organisation's pages beyond its report forms (a reporter only fills those in)
    "browse": frozenset(ANCHOR_ROLES),  # a supplier's admin included: the same name
}


def roles_for_kind(kind: str) -> tuple[str, ...]:
    return ANCHOR_ROLES if kind == "anchor" else SUPPLIER_ROLES


def has_permission(role: str | None, permission: str) -> bool:
    return role is not None and role in PERMISSIONS[permission]


def require_permission(role: str | None, permission: str) -> None:
    """Raise :class:`Forbidden` unless ``role`` holds ``permission``."""
    if not has_permission(role, permission):
        raise Forbidden()
