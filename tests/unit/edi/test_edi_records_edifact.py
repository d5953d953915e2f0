"""EDIFACT ORDERS, DESADV, ORDRSP, QALITY and CONTRL map to the exact records of the contract."""

from __future__ import annotations

from edi import has_errors, parse_document, read


def records(data: bytes) -> list[dict]:
    document = parse_document(data)
    assert not has_errors(document), document.all_errors()
    return [record for ic in document.interchanges for m in ic.messages for record in m.records]


def test_orders_without_una_resolves_release_characters(fixture_bytes):
    assert records(fixture_bytes("edifact_orders_no_una_release.edi")) == [
        {
            "kind": "purchase_order",
            "number": "PO-2024-0099",
            "order_date": "2024-03-01",
            "currency": "EUR",
            "lines": [
                {
                    "line": "1",
                    "part_number": "RING+SEAL",
                    "supplier_part_number": "S-RS-01",
                    "quantity": "250",
                    "unit": "PCE",
                    "due_date": "2024-04-15",
                    "unit_price": "0.42",
                },
                {
                    "line": "2",
                    "part_number": "GSK-9",
                    "supplier_part_number": None,
                    "quantity": "12.5",
                    "unit": "KGM",
                    "due_date": "2024-04-20",
                    "unit_price": "7",
                },
            ],
        }
    ]


def test_release_character_escapes_every_separator(fixture_bytes):
    (interchange,) = read(fixture_bytes("edifact_orders_no_una_release.edi")).interchanges
    ftx = next(s for s in interchange.messages[0].segments() if s.tag == "FTX")
    assert ftx.value(4) == "Deliver to gate 3: dock +1's ramp ?"


def test_desadv_gin_batches_pia_nb_sub_lines_and_decimal_comma(fixture_bytes):
    assert records(fixture_bytes("edifact_desadv_decimal_comma.edi")) == [
        {
            "kind": "ship_notice",
            "number": "DN-7001",
            "ship_date": "2024-03-10",
            "carrier": "SFEX",
            "tracking": None,
            "lines": [
                {
                    "po_number": "PO-2024-0099",
                    "po_line": "1",
                    "part_number": "RING+SEAL",
                    "supplier_part_number": "S-RS-01",
                    "quantity": "250",
                    "unit": "PCE",
                    "lots": [
                        {"lot_number": "B2403-01", "quantity": "200"},
                        {"lot_number": "B2403-02", "quantity": "50"},
                    ],
                },
                {
                    "po_number": "PO-2024-0099",
                    "po_line": "2",
                    "part_number": "GSK-9",
                    "supplier_part_number": None,
                    "quantity": "12.5",
                    "unit": "KGM",
                    "lots": [{"lot_number": "B2403-77", "quantity": "12.5"}],
                },
                {
                    "po_number": "PO-2024-0099",
                    "po_line": None,
                    "part_number": "CAP-3",
                    "supplier_part_number": None,
                    "quantity": "40",
                    "unit": "PCE",
                    "lots": [
                        {"lot_number": "B2403-90", "quantity": "15"},
                        {"lot_number": "B2403-91", "quantity": "25"},
                    ],
                },
            ],
        }
    ]


def test_desadv_lot_in_pia_nb_and_gin_bx_of_the_same_line_is_one_lot(fixture_bytes):
    # Some systems name the batch twice: PIA+1+<lot>:NB and a GIN+BX+<lot> with its QTY.
    text = fixture_bytes("edifact_desadv_decimal_comma.edi").decode()
    text = text.replace("RFF+LI:2'", "RFF+LI:2'\nGIN+BX+B2403-77'")
    text = text.replace("UNT+28+1'", "UNT+29+1'")
    (record,) = records(text.encode())
    assert record["lines"][1]["lots"] == [{"lot_number": "B2403-77", "quantity": "12.5"}]


def test_ordrsp_line_actions_confirmed_quantities_and_promised_dates(fixture_bytes):
    (record,) = records(fixture_bytes("edifact_ordrsp.edi"))
    assert {k: v for k, v in record.items() if k != "lines"} == {
        "kind": "order_response",
        "number": "RSP-88",
        "order_number": "PO-2024-0099",
        "date": "2024-03-02",
        "status": "changed",
        "status_code": "4",
    }
    summary = [
        (line["line"], line["status"], line["status_code"], line["quantity"], line["promised_date"])
        for line in record["lines"]
    ]
    assert summary == [
        ("1", "accepted", "5", "250", "2024-04-12"),
        ("2", "changed", "3", "10", "2024-04-25"),
        ("3", "rejected", "7", "40", None),
        ("4", "changed", None, "100", None),
    ]
    assert record["lines"][1]["unit"] == "KGM"
    assert record["lines"][0]["part_number"] == "RING+SEAL"


def test_qality_characteristics_limits_subgroups_and_statistics(fixture_bytes):
    (record,) = records(fixture_bytes("edifact_qality.edi"))
    assert record["kind"] == "quality_report"
    assert (record["number"], record["date"]) == ("QR-301", "2024-03-11")
    first, second = record["items"]
    assert {k: v for k, v in first.items() if k != "characteristics"} == {
        "line": "1",
        "part_number": "BRK-100",
        "supplier_part_number": None,
        "lot_number": "L240301A",
        "quantity": "5",
        "unit": "PCE",
    }
    bore = {
        "code": "D01",
        "name": "Bore diameter",
        "unit": "MMT",
        "lower_limit": "11.95",
        "upper_limit": "12.05",
        "test_method": None,
        "date": None,
    }
    assert first["characteristics"] == [
        {**bore, "subgroup": "1", "measurements": ["12.01", "11.98", "12.03"], "statistics": {}},
        {**bore, "subgroup": "2", "measurements": ["12", "11.97"], "statistics": {"MEA": "11.985"}},
        {
            "code": "T02",
            "name": "Surface roughness",
            "unit": "4H",
            "lower_limit": "0",
            "upper_limit": "1.6",
            "test_method": "ISO4287",
            "subgroup": None,
            "date": None,
            "measurements": ["0.8", "1.1"],
            "statistics": {},
        },
    ]
    assert second["lot_number"] == "L240228C"
    assert second["characteristics"] == [
        {
            "code": "WT",
            "name": None,
            "unit": "KGM",
            "lower_limit": None,
            "upper_limit": None,
            "test_method": None,
            "subgroup": None,
            "date": None,
            "measurements": ["30.5", "30.4"],
            "statistics": {},
        }
    ]


def test_contrl_maps_interchange_and_message_actions(fixture_bytes):
    assert records(fixture_bytes("edifact_contrl.edi")) == [
        {
            "kind": "contrl",
            "interchange": "ORD0001",
            "sender": "ANCHORCO",
            "receiver": "SUPPLIER01",
            "action": "accepted",
            "action_code": "7",
            "error_code": None,
            "groups": [],
            "messages": [
                {
                    "control_number": "1",
                    "type": "ORDERS",
                    "action": "rejected",
                    "action_code": "4",
                    "error_code": "12",
                    "segment_errors": [
                        {
                            "position": 9,
                            "error_code": "12",
                            "elements": [{"position": 2, "component": 2, "error_code": "12"}],
                        }
                    ],
                },
                {
                    "control_number": "2",
                    "type": "ORDERS",
                    "action": "accepted",
                    "action_code": "7",
                    "error_code": None,
                    "segment_errors": [],
                },
            ],
        }
    ]


def test_syntax_4_groups_and_repetition_separator(fixture_bytes):
    document = parse_document(fixture_bytes("edifact_syntax4_groups.edi"))
    assert not has_errors(document)
    (interchange,) = document.interchanges
    assert interchange.version == "UNOC:4"
    assert interchange.separators.repetition == "*"
    assert [(g.functional_id, g.control_number, len(g.messages)) for g in interchange.groups] == [
        ("ORDERS", "GRP1", 2),
        ("ORDERS", "GRP2", 1),
    ]
    assert [m.records[0]["number"] for m in interchange.messages] == [
        "PO-2024-0100",
        "PO-2024-0101",
        "PO-2024-0102",
    ]
    ftx = next(s for s in interchange.messages[0].segments() if s.tag == "FTX")
    assert [r[0] for r in ftx.repetitions(4)] == ["First note", "Second* note"]
    assert ftx.value(4) == "First note"
