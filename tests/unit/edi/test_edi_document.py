"""The CLI result of a parse: its JSON shape, its errors and whether it has any."""

from __future__ import annotations

import json

from edi import document_to_dict, has_errors, parse_document, parse_to_dict


def test_cli_result_shape_for_a_clean_file(fixture_bytes):
    result = parse_to_dict(fixture_bytes("x12_850_purchase_order.edi"))
    assert json.loads(json.dumps(result)) == result
    assert result["errors"] == []
    assert not has_errors(result)
    (interchange,) = result["interchanges"]
    assert {k: v for k, v in interchange.items() if k != "messages"} == {
        "standard": "x12",
        "sender": "ANCHORCO",
        "receiver": "SUPPLIER01",
        "control_number": "000000101",
    }
    (message,) = interchange["messages"]
    assert (message["type"], message["control_number"]) == ("850", "0001")
    assert message["records"][0]["kind"] == "purchase_order"


def test_error_entries_carry_the_place_and_an_english_text():
    result = parse_to_dict(b"not an EDI file at all")
    assert result == {
        "interchanges": [],
        "errors": [
            {
                "interchange": None,
                "message": None,
                "segment_position": None,
                "interchange_position": None,
                "segment_tag": None,
                "element": None,
                "code": "unknown_format",
                "text": "The file is not X12 or EDIFACT",
            }
        ],
    }
    assert has_errors(result)


def test_error_text_keeps_its_template_for_translation(fixture_bytes):
    document = parse_document(fixture_bytes("x12_856_one_bad_set.edi"))
    error = document.all_errors()[0]
    assert error.text.template == "%(value)s is not a valid date"
    assert error.text.params == {"value": "20240231"}


def test_unsupported_message_types_are_errors_not_silence():
    data = b"UNB+UNOA:3+S+R+240301:1200+1'UNH+1+INVOIC:D:96A:UN'BGM+380+INV-1+9'UNT+3+1'UNZ+1+1'"
    result = document_to_dict(parse_document(data))
    assert [(e["code"], e["message"], e["segment_tag"]) for e in result["errors"]] == [
        ("unsupported_message", "1", "UNH")
    ]
    assert result["interchanges"][0]["messages"][0]["records"] == []


def test_missing_required_segment_and_element(fixture_bytes):
    text = fixture_bytes("x12_850_purchase_order.edi").decode()
    text = text.replace("BEG*00*SA*PO-2024-0042**20240301~", "BEG*00*SA***20240301~")
    result = parse_to_dict(text.encode())
    assert [(e["code"], e["element"], e["segment_position"]) for e in result["errors"]] == [
        ("missing_element", "BEG03", 2)
    ]
