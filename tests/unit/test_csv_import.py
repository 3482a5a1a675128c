"""CSV parsing of untidy real-world files, without a database."""
from __future__ import annotations

import pytest

from chalicelib.domain.csv_import import Column, decode, normalise_header, parse, template, to_model
from chalicelib.domain.models import CustomerCreate, MeterCreate, SimCreate
from chalicelib.errors import ValidationFailed
from chalicelib.services.imports import CUSTOMER_COLUMNS, METER_COLUMNS, SIM_COLUMNS
from tests.conftest import fixture_bytes


def test_the_meter_sample_with_bom_and_crlf_parses_with_leading_zeros() -> None:
    data = fixture_bytes("meters.csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    parsed = parse(data, METER_COLUMNS)
    assert len(parsed.rows) == 60
    first = parsed.rows[0]
    assert first.row == 2
    assert first.values == {"meter_number": "04312000000", "concentrator_id": "DCU-0001",
                            "meter_type": "Three Phase", "area": "Industrial Park", "status": "", "generating": ""}


def test_every_sample_row_validates() -> None:
    for name, columns, model in (("meters.csv", METER_COLUMNS, MeterCreate), ("sims.csv", SIM_COLUMNS, SimCreate)):
        for row in parse(fixture_bytes(name), columns).rows:
            parsed, errors = to_model(row, model, columns)
            assert errors == [] and parsed is not None


def test_customer_sample_keeps_quoted_commas_and_non_ascii_names() -> None:
    rows = parse(fixture_bytes("customers.csv"), CUSTOMER_COLUMNS).rows
    assert len(rows) == 40
    assert rows[0].values["address"] == "10 Admiralty Way, Industrial Park, Lagos"
    assert rows[1].values["name"] == "Adébáyọ̀ Eze"
    model, errors = to_model(rows[0], CustomerCreate, CUSTOMER_COLUMNS, {"meter_numbers": ["04312000000"]})
    assert errors == [] and model is not None


@pytest.mark.parametrize("header", ["Meter Number", "meter number", "METER_NUMBER", " Meter  Number ", "meter-number"])
def test_headers_match_ignoring_case_and_spacing(header: str) -> None:
    assert normalise_header(header) == "meternumber"


def test_column_order_does_not_matter_and_unknown_columns_are_ignored() -> None:
    data = b"Comment,meter type,CONCENTRATOR ID,meter number\nx,Single Phase,D1,0099\n"
    row = parse(data, METER_COLUMNS).rows[0]
    assert row.values["meter_number"] == "0099" and row.values["meter_type"] == "Single Phase"


def test_missing_required_columns_are_all_named() -> None:
    with pytest.raises(ValidationFailed) as err:
        parse(b"Sim Number\n123456\n", SIM_COLUMNS)
    assert [d["field"] for d in err.value.details] == ["IP Address", "Port"]


def test_blank_lines_are_skipped_but_row_numbers_stay_true() -> None:
    rows = parse(b"Sim Number,IP Address,Port\n\n123456,10.0.0.1,1\n,,\n654321,10.0.0.2,2\n", SIM_COLUMNS).rows
    assert [r.row for r in rows] == [3, 5]


def test_row_errors_name_the_csv_column_and_reason() -> None:
    row = parse(b"Sim Number,IP Address,Port\n12,1.2.3,99999\n", SIM_COLUMNS).rows[0]
    model, errors = to_model(row, SimCreate, SIM_COLUMNS)
    assert model is None
    assert {e["field"]: e["message"] for e in errors} == {
        "Sim Number": "String should have at least 4 characters",
        "IP Address": "not an IPv4 or IPv6 address",
        "Port": "Input should be less than or equal to 65535",
    }
    assert all(e["row"] == 2 for e in errors)


def test_empty_required_cells_are_reported_once() -> None:
    row = parse(b"Meter Number,Concentrator ID,Meter Type\n,D1,\n", METER_COLUMNS).rows[0]
    _, errors = to_model(row, MeterCreate, METER_COLUMNS)
    assert errors == [
        {"row": 2, "field": "Meter Number", "message": "is required"},
        {"row": 2, "field": "Meter Type", "message": "is required"},
    ]


def test_non_utf8_bytes_are_refused_with_the_line_number() -> None:
    with pytest.raises(ValidationFailed) as err:
        decode(b"a,b\nc,d\n\xff\n")
    assert err.value.details[0]["row"] == 3


def test_our_own_formula_guard_is_undone_on_import() -> None:
    row = parse(b"Customer Name,Address,Phone No,Meter Number,Sim Number\nA,B,'+234 80,1,2\n", CUSTOMER_COLUMNS).rows[0]
    assert row.values["phone"] == "+234 80"


def test_templates_carry_the_header_and_an_example_row() -> None:
    text = template([Column("A", "a", True, "1"), Column("B", "b", False, "x,y")])
    assert text == 'A,B\r\n1,"x,y"\r\n'
