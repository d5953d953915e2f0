"""X12 850, 855, 856 and 997 files map to the exact records of the public contract."""

from __future__ import annotations

from edi import has_errors, parse_document


def records(data: bytes) -> list[dict]:
    document = parse_document(data)
    assert not has_errors(document), document.all_errors()
    return [record for ic in document.interchanges for m in ic.messages for record in m.records]


def test_850_maps_header_lines_ids_prices_and_due_dates(fixture_bytes):
    assert records(fixture_bytes("x12_850_purchase_order.edi")) == [
        {
            "kind": "purchase_order",
            "number": "PO-2024-0042",
            "order_date": "2024-03-01",
            "currency": "CNY",
            "lines": [
                {
                    "line": "1",
                    "part_number": "BRK-100",
                    "supplier_part_number": "SUP-9001",
                    "quantity": "120",
                    "unit": "EA",
                    "due_date": "2024-04-10",
                    "unit_price": "3.75",
                },
                {
                    "line": "2",
                    "part_number": "STL-7",
                    "supplier_part_number": None,
                    "quantity": "40.5",
                    "unit": "KGM",
                    "due_date": "2024-04-15",
                    "unit_price": "12",
                },
                {
                    "line": "3",
                    "part_number": "SUP-55",
                    "supplier_part_number": "SUP-55",
                    "quantity": "8",
                    "unit": "EA",
                    "due_date": "2024-04-15",
                    "unit_price": None,
                },
            ],
        }
    ]


def test_855_maps_line_status_quantity_and_promised_date(fixture_bytes):
    (record,) = records(fixture_bytes("x12_855_order_response.edi"))
    assert {k: v for k, v in record.items() if k != "lines"} == {
        "kind": "order_response",
        "number": "SO-778",
        "order_number": "PO-2024-0042",
        "date": "2024-03-02",
        "status": "changed",
        "status_code": "AC",
    }
    assert record["lines"] == [
        {
            "line": "1",
            "part_number": "BRK-100",
            "supplier_part_number": "SUP-9001",
            "status": "accepted",
            "status_code": "IA",
            "quantity": "120",
            "unit": "EA",
            "promised_date": "2024-04-10",
        },
        {
            "line": "2",
            "part_number": "STL-7",
            "supplier_part_number": None,
            "status": "changed",
            "status_code": "IQ",
            "quantity": "30",
            "unit": "KGM",
            "promised_date": "2024-04-18",
        },
        {
            "line": "3",
            "part_number": "SUP-55",
            "supplier_part_number": "SUP-55",
            "status": "rejected",
            "status_code": "IR",
            "quantity": "0",
            "unit": "EA",
            "promised_date": None,
        },
    ]


def test_856_s_o_p_i_with_ref_lt_carrier_and_tracking(fixture_bytes):
    assert records(fixture_bytes("x12_856_sopi_ref_lt.edi")) == [
        {
            "kind": "ship_notice",
            "number": "ASN-5001",
            "ship_date": "2024-03-06",
            "carrier": "SFEX",
            "tracking": "SF1234567890",
            "lines": [
                {
                    "po_number": "PO-2024-0042",
                    "po_line": "1",
                    "part_number": "BRK-100",
                    "supplier_part_number": "SUP-9001",
                    "quantity": "120",
                    "unit": "EA",
                    "lots": [{"lot_number": "L240301A", "quantity": "120"}],
                },
                {
                    "po_number": "PO-2024-0042",
                    "po_line": "2",
                    "part_number": "STL-7",
                    "supplier_part_number": None,
                    "quantity": "30.5",
                    "unit": "KGM",
                    "lots": [
                        {"lot_number": "L240228C", "quantity": None},
                        {"lot_number": "L240229D", "quantity": None},
                    ],
                },
            ],
        }
    ]


def test_856_lin_lt_nested_lot_levels_missing_parent_and_s_i(fixture_bytes):
    first, second = records(fixture_bytes("x12_856_lin_lt_nested.edi"))
    assert first["number"] == "ASN-5002"
    assert first["ship_date"] == "2024-03-06"  # BSN03 as YYMMDD when there is no DTM*011
    assert first["lines"] == [
        {
            "po_number": "PO-2024-0042",
            "po_line": "1",  # LIN PL id, LIN01 being empty
            "part_number": "BRK-100",
            "supplier_part_number": None,
            "quantity": "60",
            "unit": "EA",
            "lots": [{"lot_number": "L240305B", "quantity": "60"}],
        },
        {
            "po_number": "PO-2024-0042",  # HL*4 has no parent: it hangs under the order
            "po_line": "2",
            "part_number": "STL-7",
            "supplier_part_number": None,
            "quantity": "10",
            "unit": "KGM",
            "lots": [
                {"lot_number": "L240301X", "quantity": "4"},
                {"lot_number": "L240302Y", "quantity": "6"},
            ],
        },
    ]
    assert second["lines"] == [
        {
            "po_number": "PO-2024-0050",  # PRF in the item loop wins over LIN ON
            "po_line": "1",
            "part_number": "CAP-3",
            "supplier_part_number": None,
            "quantity": "5",
            "unit": "EA",
            "lots": [],
        }
    ]


def test_856_lot_in_lin_and_ref_lt_of_the_same_item_is_one_lot(fixture_bytes):
    # Some ERPs name the item's lot twice: LIN ...*LT*<lot> and REF*LT*<lot> under it.
    text = fixture_bytes("x12_856_padded_segments.edi").decode()
    text = text.replace("SN1**4.000*PCE   ~", "SN1**4.000*PCE   ~\r\nREF*LT*B2411-01   ~")
    text = text.replace("SE*9*0001", "SE*10*0001")
    ((line,),) = [record["lines"] for record in records(text.encode())]
    assert line["lots"] == [{"lot_number": "B2411-01", "quantity": "4"}]


def test_997_maps_sets_segment_and_element_errors(fixture_bytes):
    assert records(fixture_bytes("x12_997_with_errors.edi")) == [
        {
            "kind": "functional_ack",
            "functional_id": "SH",
            "group_control_number": "301",
            "status": "partially_accepted",
            "status_code": "P",
            "sets_included": 2,
            "sets_received": 2,
            "sets_accepted": 1,
            "error_codes": [],
            "sets": [
                {
                    "type": "856",
                    "control_number": "0001",
                    "status": "accepted",
                    "status_code": "A",
                    "error_codes": [],
                    "segment_errors": [],
                },
                {
                    "type": "856",
                    "control_number": "0002",
                    "status": "rejected",
                    "status_code": "R",
                    "error_codes": ["5"],
                    "segment_errors": [
                        {
                            "tag": "SN1",
                            "position": 8,
                            "loop": None,
                            "code": "8",
                            "elements": [
                                {
                                    "position": 2,
                                    "component": None,
                                    "reference": None,
                                    "code": "6",
                                    "value": "x5",
                                },
                                {
                                    "position": 3,
                                    "component": 1,
                                    "reference": None,
                                    "code": "7",
                                    "value": "ZZ",
                                },
                            ],
                        }
                    ],
                },
            ],
        }
    ]


def test_two_interchanges_with_their_own_separators(fixture_bytes):
    first, second = records(fixture_bytes("x12_two_interchanges_crlf_bom_junk.edi"))
    assert first["number"] == "PO-A"
    assert first["lines"][0]["part_number"] == "A-1"
    assert second["number"] == "PO-B"
    assert second["lines"] == [
        {
            "line": "1",
            "part_number": "B-1",
            "supplier_part_number": "S-2",
            "quantity": "2.5",
            "unit": "KGM",
            "due_date": "2024-03-20",
            "unit_price": "4",
        }
    ]
