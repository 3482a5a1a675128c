"""PDF report builder: structure and text checked by reading the PDF back with pypdf."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from chalicelib.domain.pdf_report import Chart, build_pdf, format_cell

GENERATED = datetime(2026, 10, 2, 8, 30, tzinfo=timezone(timedelta(hours=2)))
HEADERS = ["Meter", "Period", "Import kWh", "Export kWh", "Status", "Note"]


def _rows(n: int) -> list[tuple[object, ...]]:
    return [
        (f"0431800{i:04d}", datetime(2026, 10, 1, tzinfo=UTC), i * 1.25, None, "ok", f"note {i}")
        for i in range(n)
    ]


def _read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def many_rows_pdf() -> tuple[PdfReader, list[tuple[object, ...]]]:
    rows = _rows(120)
    pdf = build_pdf(
        "Daily energy",
        [("Meter group", "North feeder"), ("From", "2026-10-01")],
        HEADERS,
        rows,
        GENERATED,
        subtitle="Import and export per meter",
    )
    return _read(pdf), rows


def test_text_contains_title_filters_generated_and_every_meter(many_rows_pdf):
    reader, rows = many_rows_pdf
    text = _text(reader)
    assert "Daily energy" in text
    assert "Import and export per meter" in text
    assert "North feeder" in text
    assert "Generated 2026-10-02T08:30:00+02:00" in text
    missing = [r[0] for r in rows if str(r[0]) not in text]
    assert missing == []
    assert "page 1 of" in reader.pages[0].extract_text()


def test_many_rows_span_pages_with_footer_total_and_repeated_header(many_rows_pdf):
    reader, _ = many_rows_pdf
    n = len(reader.pages)
    assert n > 1
    for i, page in enumerate(reader.pages, start=1):
        assert f"page {i} of {n}" in page.extract_text()
    page2 = reader.pages[1].extract_text()
    for header in HEADERS:
        assert header in page2
    assert "HES Core" in page2


def test_portrait_for_six_columns_and_landscape_for_eight():
    portrait = _read(build_pdf("P", [], HEADERS, _rows(3), GENERATED))
    box = portrait.pages[0].mediabox
    assert float(box.width) < float(box.height)

    headers = [f"Col {i}" for i in range(8)]
    rows = [[f"0431800{i:04d}", *range(7)] for i in range(5)]
    wide = _read(build_pdf("Wide", [], headers, rows, GENERATED))
    box = wide.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = _text(wide)
    assert "Col 7" in text and "04318000004" in text


def test_zero_rows_renders_no_rows_message_and_none_filters():
    reader = _read(build_pdf("Empty report", [], HEADERS, [], GENERATED))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert "No rows match these filters." in text
    assert "none" in text
    assert "Meter" not in text  # no empty table header


def test_chart_with_gaps_builds_and_shows_labels_and_legend():
    labels = [f"2026-10-{d:02d}" for d in range(1, 31)]
    series: dict[str, list[float | None]] = {
        "import": [1.0, 2.0, None, None, 4.0, *([3.0] * 25)],
        "export": [None] * 10 + [2.0] + [None] + [1.5] * 18,  # includes an isolated point
    }
    for kind in ("line", "bar"):
        chart = Chart(kind=kind, labels=labels, series=series, unit="kWh")  # type: ignore[arg-type]
        reader = _read(build_pdf("Chart report", [], HEADERS, _rows(5), GENERATED, chart=chart))
        text = reader.pages[0].extract_text()
        assert "kWh" in text
        assert "import" in text and "export" in text  # legend for > 1 series
        assert "2026-10-01" in text
        assert "2026-10-03" in text
        assert "2026-10-04" not in text  # 30 labels are thinned out (every 2nd shown)
        assert "04318000004" in text  # table still follows the chart


def test_chart_with_only_gaps_does_not_crash():
    chart = Chart(kind="line", labels=["a", "b"], series={"x": [None, None]})
    text = _text(_read(build_pdf("Gaps only", [], HEADERS, _rows(1), GENERATED, chart=chart)))
    assert "No chart data." in text
    assert "04318000000" in text


def test_markup_characters_are_kept_in_cells_title_and_filters():
    rows = [("a<b & c", "<b>not bold</b>", "x > y")]
    reader = _read(build_pdf("Q&A <draft>", [("Name", "R&D <lab>")], ["A", "B", "C"], rows, GENERATED))
    text = _text(reader)
    for expected in ("a<b & c", "<b>not bold</b>", "x > y", "Q&A <draft>", "R&D <lab>"):
        assert expected in text


def test_long_cell_text_is_wrapped_or_truncated_within_the_page():
    long_word = "X" * 2000
    rows = [("04318000001", long_word, "word " * 400)]
    reader = _read(build_pdf("Long", [], ["Meter", "Blob", "Words"], rows, GENERATED))
    assert len(reader.pages) == 1  # capped at a few lines per cell
    text = _text(reader)
    assert "04318000001" in text
    assert "\u2026" in text  # truncation marker
    assert long_word not in text.replace("\n", "")


def test_format_cell():
    assert format_cell(None) == ""
    assert format_cell(1.0) == "1"
    assert format_cell(0.1 + 0.2) == "0.3"
    assert format_cell(2.34567) == "2.346"
    assert format_cell(-0.0001) == "0"
    assert format_cell(12) == "12"
    assert format_cell(datetime(2026, 10, 1, 0, 15, tzinfo=UTC)) == "2026-10-01T00:15:00+00:00"
    assert format_cell(True) == "True"


def test_a_large_table_spans_many_pages_and_keeps_its_last_row():
    """(Build time is measured by bench/api_bench.py, not asserted here.)"""
    rows = _rows(5_000)
    reader = _read(build_pdf("Big", [], HEADERS, rows, GENERATED))
    assert len(reader.pages) > 100
    assert f"0431800{4_999:04d}" in reader.pages[-1].extract_text()
