"""E-mail addresses in the people and onboarding schemas: spaces around an address typed or
pasted into an API call or the CLI are dropped before it is checked, as the forms do."""

from __future__ import annotations

import pytest

from models.errors import ValidationFailed
from models.orgs.schemas import (
    ColleagueInvitationSchema,
    NewUserSchema,
    SupplierInvitationSchema,
)
from models.validation import load

ADMIN = {"name": "A", "password": "a-long-enough-secret"}


def test_spaces_around_an_address_are_dropped_and_it_is_lower_cased():
    assert load(NewUserSchema(), {**ADMIN, "email": " T3@X.cn\t"})["email"] == "t3@x.cn"
    invited = load(ColleagueInvitationSchema(), {"email": " c@x.cn ", "role": "admin"})
    assert invited["email"] == "c@x.cn"
    assert load(SupplierInvitationSchema(), {"email": " s@x.cn "})["email"] == "s@x.cn"


def test_a_blank_supplier_invitation_address_means_none():
    assert load(SupplierInvitationSchema(), {"email": "  "})["email"] is None


@pytest.mark.parametrize("email", ["a@b", "not an email", "x" * 65 + "@e.cn"])
def test_a_malformed_address_is_still_refused(email):
    with pytest.raises(ValidationFailed) as refused:
        load(NewUserSchema(), {**ADMIN, "email": email})
    assert list(refused.value.errors) == ["email"]
