"""Stored messages keep what each reader needs to read them in their own language."""

from __future__ import annotations

import json

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
