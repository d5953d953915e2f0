"""Starting a deployment: the first anchor organisation and its admin."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.accounts.entities import Membership, User
from models.accounts.operations import create_user
from models.actor import Actor
from models.errors import ValidationFailed
from models.orgs.entities import Organisation
from models.orgs.operations import create_organisation
from models.orgs.schemas import NewUserSchema
from models.validation import load_collecting


def create_anchor(
    session: Session, org_data: dict[str, Any], admin: dict[str, str]
) -> tuple[Organisation, User]:
    """An anchor organisation with its first admin (run by the operator, through the CLI)."""
    actor = Actor.system("cli")
    admin, admin_errors = load_collecting(NewUserSchema(), admin)
    try:
        org = create_organisation(session, actor, "anchor", org_data)
    except ValidationFailed as error:
        raise ValidationFailed({**error.errors, **admin_errors}) from None
    if admin_errors:
        raise ValidationFailed(admin_errors)
    user = create_user(
        session, admin["email"], admin["name"], admin["password"], admin.get("locale")
    )
    session.add(Membership(user_id=user.id, org_id=org.id, role="admin"))
    session.flush()
    return org, user


def add_member(session: Session, org_id: int, user: User, role: str) -> Membership:
    """Attach an existing user to an organisation (bootstrap and demo data only)."""
    member = Membership(user_id=user.id, org_id=org_id, role=role)
    session.add(member)
    session.flush()
    return member
