"""Stored messages keep what each reader needs to read them in their own language."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from models.i18n import N_, Localized, Msg, render


def test_a_stored_message_keeps_each_language_of_a_name():
    name = Localized(zh_Hans_CN="苏州精工", en="Suzhou Precision")
    stored = json.loads(json.dumps(Msg(N_("%(supplier)s is at risk"), supplier=name).to_dict()))

    message = Msg.from_dict(stored)

    assert render(message, "en") == "Suzhou Precision is at risk"
    assert render(message, "zh_Hans_CN") == "苏州精工 存在风险"


def test_a_message_stored_before_names_kept_their_languages_still_reads():
    message = Msg.from_dict(
        {"template": N_("%(supplier)s is at risk"), "params": {"supplier": "X"}}
    )
    assert render(message, "en") == "X is at risk"


def test_a_message_with_days_and_decimals_is_stored_as_json_and_reads_the_same():
    said = Msg(
        N_("Give a date from %(first)s to %(last)s."),
        first=date(2000, 1, 1),
        last=date(2099, 12, 31),
    )
    stored = json.loads(json.dumps(said.to_dict()))
    assert str(Msg.from_dict(stored)) == str(said) == "Give a date from 2000-01-01 to 2099-12-31."
    limit = Msg(N_("At most %(limit)s %(unit)s."), limit=Decimal("12.50"), unit="kg")
    assert str(Msg.from_dict(json.loads(json.dumps(limit.to_dict())))) == "At most 12.50 kg."
