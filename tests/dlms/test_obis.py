"""OBIS text forms and the standard catalogue shipped with gurux-dlms."""
from __future__ import annotations

import pytest

from chalicelib.dlms.obis import catalogue, normalise_obis


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1.0.1.8.0.255", "1.0.1.8.0.255"),
        ("1-0:1.8.0.255", "1.0.1.8.0.255"),
        ("1-0:1.8.0*255", "1.0.1.8.0.255"),
        ("1-0:1.8.0", "1.0.1.8.0.255"),
        (" 0.0.96.1.0.255 ", "0.0.96.1.0.255"),
        ("0100010800FF", "1.0.1.8.0.255"),
        ("001.000.001.008.000.255", "1.0.1.8.0.255"),
    ],
)
def test_text_forms_normalise_to_dotted_six_groups(text: str, canonical: str) -> None:
    assert normalise_obis(text) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "OBIS code is empty"),
        ("1.0.1.8", r"expected six groups .* \(found 4 groups\)"),
        ("1.0.1.8.0.255.1", r"\(found 7 groups\)"),
        ("1.0.1.8.0.256", "group F is 256, above 255"),
        ("1-0:1.8.0*999", "group F is 999, above 255"),
        ("one.zero", "is not an OBIS code"),
        ("1.0.-1.8.0.255", "is not an OBIS code"),
    ],
)
def test_bad_text_gets_a_value_error_that_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_obis(text)


@pytest.mark.parametrize(
    ("obis", "class_id", "description"),
    [
        ("1.0.1.8.0.255", 3, "Sum Li Active power+ (QI+QIV) Time integral 1 Rate 0 (0 is total)"),
        ("1-0:32.7.0.255", 3, "L1 Voltage Inst. value"),
        ("1.0.31.7.0.255", None, "L1 Current Inst. value"),
        ("1.0.14.7.0.255", 3, "Supply frequency Inst. value"),
        ("0.0.1.0.0.255", 8, "Clock object #1"),
        ("0.0.42.0.0.255", 1, "COSEM Logical device name"),
        ("0.0.96.3.10.255", 70, "Disconnect control"),
        ("0.0.19.40.0.255", 115, "Token gateway #0 #0"),
        ("0.1.25.9.0.255", 40, "Ch. 1 Push setup"),
        ("0.0.43.1.3.255", 1, "Invocation counter #3"),
        ("0.0.99.98.1.255", 7, "Event log #2"),
        ("1.1.1.8.2.255", 3, "Ch. 1 Sum Li Active power+ (QI+QIV) Time integral 1 Rate 2 (0 is total)"),
    ],
)
def test_lookup_expands_gurux_wildcard_rows_for_the_code(obis: str, class_id: int | None, description: str) -> None:
    assert catalogue().describe(obis, class_id) == description


def test_lookup_puts_the_most_specific_row_first_and_filters_by_class() -> None:
    entries = catalogue().lookup("1.0.1.8.0.255")
    assert len(entries) >= 2 and entries[0].class_ids == (3, 4)
    assert {e.pattern for e in entries} == {"1.0.1.8.0.255"}
    assert catalogue().describe("0.0.96.3.10.255", class_id=3) is None


def test_unknown_codes_have_no_description_and_bad_codes_are_refused() -> None:
    assert catalogue().describe("99.99.99.99.99.99") is None
    with pytest.raises(ValueError):
        catalogue().describe("1.2.3")


def test_search_by_prefix_fills_in_the_groups_it_knows() -> None:
    (first, *_) = catalogue().search("1-0:32.7", limit=3)
    assert first.pattern == "1.0-64.32.7.0.255"
    assert first.description == "L1 Voltage Inst. value"


def test_search_for_a_whole_code_answers_that_code() -> None:
    (first, *_) = catalogue().search("1-0:32.7.0.255")
    assert (first.pattern, first.description, first.class_ids) == ("1.0.32.7.0.255", "L1 Voltage Inst. value", (3, 4))
    assert catalogue().search("1.0.32.7.0.999") == []


def test_search_by_text_needs_every_word_and_honours_the_limit() -> None:
    found = catalogue().search("L1 voltage inst", limit=5)
    assert 0 < len(found) <= 5
    assert all({"l1", "voltage", "inst"} <= set(e.description.lower().replace(".", " ").split()) for e in found)
    assert catalogue().search("push setup", limit=1)[0].class_ids == (40,)
    assert catalogue().search("no such thing anywhere", limit=5) == []
    assert catalogue().search("voltage", limit=0) == []


def test_the_whole_shipped_file_is_parsed() -> None:
    assert len(catalogue()) > 1300
