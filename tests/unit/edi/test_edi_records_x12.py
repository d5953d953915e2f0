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


def _856(*body: str) -> bytes:
    """An interchange of one 856 with ``body`` between its BSN and SE."""
    segments = ["ST*856*0001", "BSN*00*ASN-9*20240306*0800", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    envelope = [
        "ISA*00*          *00*          *ZZ*SUPPLIER01     *ZZ*ANCHORCO       *240306*0800*U*"
        "00401*000000302*0*P*>",
        "GS*SH*SUPPLIER01*ANCHORCO*20240306*0800*302*X*004010",
        *segments,
        "GE*1*302",
        "IEA*1*000000302",
    ]
    return ("~\n".join(envelope) + "~\n").encode()


def test_856_lines_keep_the_order_of_their_items_when_an_item_holds_an_item():
    data = _856(
        "HL*1**S", "HL*2*1*O", "PRF*PO-1",
        "HL*3*2*I", "LIN*1*BP*A-1", "SN1**5*EA",
        "HL*4*3*I", "LIN*2*BP*B-2", "SN1**3*EA", "REF*LT*LB",
        "HL*5*2*I", "LIN*3*BP*C-3", "SN1**2*EA",
        "HL*6*5*Q", "REF*LT*LC1", "SN1**2*EA",
    )  # fmt: skip
    ((record,),) = [records(data)]
    assert [(line["po_line"], line["part_number"], line["lots"]) for line in record["lines"]] == [
        ("1", "A-1", []),
        ("2", "B-2", [{"lot_number": "LB", "quantity": "3"}]),
        ("3", "C-3", [{"lot_number": "LC1", "quantity": "2"}]),
    ]


def test_856_level_naming_an_item_whose_levels_ended_is_refused_at_its_hl():
    # HL*5 hangs under item 3, but item 4 came between: its lot cannot be taken silently.
    data = _856(
        "HL*1**S", "HL*2*1*O", "PRF*PO-1",
        "HL*3*2*I", "LIN*1*BP*A-1", "SN1**5*EA",
        "HL*4*2*I", "LIN*2*BP*B-2", "SN1**3*EA",
        "HL*5*3*Q", "REF*LT*LATE", "SN1**5*EA",
    )  # fmt: skip
    document = parse_document(data)
    (message,) = [m for ic in document.interchanges for m in ic.messages]
    assert [
        (e.code, e.segment_tag, e.segment_position, e.element) for e in document.all_errors()
    ] == [("unexpected_segment", "HL", 12, "HL02")]
    assert "HL 5 comes after the levels of its item ended" in str(message.errors[0].text)
    assert message.records == []


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


def test_856_items_of_a_pack_naming_a_lot_ship_that_lot():
    data = _856(
        "HL*1**S", "HL*2*1*O", "PRF*PO-1",
        "HL*3*2*P", "REF*LT*PACKLOT",
        "HL*4*3*I", "LIN*1*BP*A-1", "SN1**5*EA",
        "HL*5*3*I", "LIN*2*BP*B-2", "SN1**3*EA", "REF*LT*OWN",
        "HL*6*2*P",
        "HL*7*6*I", "LIN*3*BP*C-3", "SN1**2*EA",
    )  # fmt: skip
    ((record,),) = [records(data)]
    assert [(line["po_line"], line["lots"]) for line in record["lines"]] == [
        ("1", [{"lot_number": "PACKLOT", "quantity": "5"}]),
        ("2", [{"lot_number": "OWN", "quantity": "3"}]),  # its own lot, not the pack's
        ("3", []),  # its pack names none: the ship notice asks for one
    ]


def test_856_item_in_a_pack_nested_under_an_item_ships_the_pack_lot():
    # Item 5 sits in pack 4, itself under item 3: both items' lines are built at the end of
    # the set, item 3's first; the pack's lot must still be there for item 5.
    data = _856(
        "HL*1**S", "HL*2*1*O", "PRF*PO-1",
        "HL*3*2*I", "LIN*1*BP*A-1", "SN1**5*EA",
        "HL*4*3*P", "REF*LT*PACKLOT",
        "HL*5*4*I", "LIN*2*BP*B-2", "SN1**3*EA",
    )  # fmt: skip
    ((record,),) = [records(data)]
    assert [(line["po_line"], line["lots"]) for line in record["lines"]] == [
        ("1", [{"lot_number": "PACKLOT", "quantity": "5"}]),
        ("2", [{"lot_number": "PACKLOT", "quantity": "3"}]),
    ]
