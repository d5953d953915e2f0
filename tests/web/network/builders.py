"""Small builders for onboarding tests, written through the domain operations."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.accounts.entities import User
from models.accounts.operations import create_user
from models.actor import Actor
from models.orgs.bootstrap import add_member, create_anchor
from models.orgs.codes import uscc_check_character
from models.orgs.entities import CATEGORIES, Organisation
from models.orgs.operations import create_organisation

PASSWORD = "test-pass-123"


def credit_code(n: int) -> str:
    first17 = f"91320000MA1T{n:05d}"
    return first17 + uscc_check_character(first17)


def anchor(session: Session, n: int = 1) -> tuple[Organisation, User]:
    org, user = create_anchor(
        session,
        {"name_zh": f"锚点汽车{n}", "name_en": f"Anchor {n}", "credit_code": credit_code(n)},
        {"email": f"admin{n}@anchor.test", "name": f"Admin {n}", "password": PASSWORD},
    )
    session.commit()
    return org, user


def supplier(session: Session, n: int, role: str = "admin") -> tuple[Organisation, User]:
    org = create_organisation(
        session,
        Actor.system("cli"),
        "supplier",
        {"name_zh": f"供应商{n}", "credit_code": credit_code(n)},
    )
    user = create_user(session, f"{role}{n}@supplier.test", f"User {n}", PASSWORD)
    add_member(session, org.id, user, role)
    session.commit()
    return org, user


def registration(n: int, **organisation: str) -> dict:
    """The registration form of a new supplier, as a browser posts it."""
    form = {
        "name_zh": f"新供应商{n}",
        "name_en": f"New supplier {n}",
        "credit_code": credit_code(n),
        "employees": "40",
        "annual_revenue_wan": "800",
        "industry": "C3670",
        "site_name": "一号车间",
        "site_address": "苏州",
        "admin_name": f"Owner {n}",
        "admin_email": f"owner{n}@new.test",
        "admin_password": PASSWORD,
    }
    form.update(organisation)
    form.update({f"{c}_buyer": "on" for c in CATEGORIES})
    return form
