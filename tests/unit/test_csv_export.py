from datetime import UTC, datetime

import pytest

from chalicelib.domain.csv_export import safe_cell, write_csv


@pytest.mark.parametrize("value", ["=1+1", "+234", "-5", "@SUM(A1)", "\tx"])
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_ordinary_values_are_written_as_they_are() -> None:
    assert safe_cell("04312000000") == "04312000000"
    assert safe_cell(None) == ""
    assert safe_cell(["1", "2"]) == "1;2"
    assert safe_cell(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "2026-01-02T03:04:00+00:00"


def test_write_csv_quotes_commas_and_uses_crlf() -> None:
    assert write_csv(["a", "b"], [["x,y", 1]]) == 'a,b\r\n"x,y",1\r\n'
