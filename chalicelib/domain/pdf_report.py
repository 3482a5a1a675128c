"""Tabular PDF reports (title, filters, optional chart, paged table) built with reportlab.

``build_pdf`` is pure: it takes already-fetched rows and returns the PDF bytes.
Table cells are drawn as plain strings (never parsed as markup), so user data such
as ``a<b & c`` is rendered verbatim; only the title/subtitle/filter block goes
through ``Paragraph`` and is XML-escaped first.
"""
from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

__all__ = ["Chart", "build_pdf", "format_cell"]

# --- layout constants -------------------------------------------------------------------------
LANDSCAPE_ABOVE_COLUMNS = 6
MARGIN = 15 * mm
FOOTER_Y = 8 * mm
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
CELL_FONT_SIZE = 8.0
CELL_LEADING = 10.0
CELL_PAD_X = 3.0
CELL_PAD_Y = 3.0
MAX_CELL_LINES = 3
MIN_COL_WIDTH = 36.0
ROWS_PER_TABLE = 500  # chunk size: keeps Table layout/splitting cost linear for huge inputs
WIDTH_SAMPLE_ROWS = 300  # rows used to estimate natural column widths
CHART_HEIGHT = 190.0
MAX_X_LABELS = 16
ELLIPSIS = "\u2026"

HEADER_BG = colors.HexColor("#2f4f6f")
ZEBRA = [colors.white, colors.HexColor("#eef2f6")]
GRID = colors.HexColor("#c8d0d8")
SERIES_COLORS = [
    colors.HexColor("#1f77b4"),
    colors.HexColor("#ff7f0e"),
    colors.HexColor("#2ca02c"),
    colors.HexColor("#d62728"),
    colors.HexColor("#9467bd"),
    colors.HexColor("#8c564b"),
    colors.HexColor("#e377c2"),
    colors.HexColor("#7f7f7f"),
]


@dataclass(frozen=True)
class Chart:
    kind: Literal["line", "bar"]
    labels: list[str]  # x axis labels (periods), e.g. "2026-10-01"
    series: dict[str, list[float | None]]  # name -> values aligned with labels; None = gap, not zero
    unit: str = ""  # e.g. "kWh"


# --- cell formatting ------------------------------------------------------------------------------
def format_cell(value: Any) -> str:
    """None -> "", floats with up to 3 decimals (no trailing zeros), dates/datetimes ISO, else str()."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _ascii_widths(font: str) -> list[float]:
    face = getFont(font)
    return [face.stringWidth(chr(c), 1000) for c in range(128)]


_ASCII_WIDTHS = {FONT: _ascii_widths(FONT), FONT_BOLD: _ascii_widths(FONT_BOLD)}


def _width(text: str, font: str, size: float) -> float:
    """``stringWidth`` with a fast path for ASCII text (reportlab's pure-Python fallback is slow)."""
    table = _ASCII_WIDTHS.get(font)
    if table is not None and text.isascii():
        return sum(map(table.__getitem__, map(ord, text))) * size / 1000.0
    return float(stringWidth(text, font, size))


def _fit_line(text: str, font: str, size: float, width: float) -> str:
    """Truncate ``text`` with an ellipsis so it fits ``width``."""
    if _width(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if _width(text[:mid] + ELLIPSIS, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + ELLIPSIS


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a single word that is wider than ``width`` into character chunks."""
    parts: list[str] = []
    current = ""
    for ch in word:
        if current and _width(current + ch, font, size) > width:
            parts.append(current)
            current = ch
        else:
            current += ch
    if current:
        parts.append(current)
    return parts


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = MAX_CELL_LINES) -> str:
    """Wrap ``text`` to ``width`` points; at most ``max_lines`` lines, the last one truncated."""
    if "\n" not in text and _width(text, font, size) <= width:
        return text
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if _width(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if _width(word, font, size) <= width:
                current = word
            else:
                *full, current = _break_word(word, font, size, width) or [""]
                lines.extend(full)
            if len(lines) > max_lines:
                break
        lines.append(current)
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit_line(lines[-1] + ELLIPSIS, font, size, width)
    return "\n".join(lines)


# --- column widths --------------------------------------------------------------------------------
def _column_widths(headers: Sequence[str], sample: Sequence[Sequence[str]], available: float) -> list[float]:
    n = len(headers)
    natural = [_width(h, FONT_BOLD, CELL_FONT_SIZE) + 2 * CELL_PAD_X for h in headers]
    for row in sample:
        for i, text in enumerate(row[:n]):
            longest = max(text.splitlines() or [""], key=len)
            natural[i] = max(natural[i], _width(longest, FONT, CELL_FONT_SIZE) + 2 * CELL_PAD_X)
    natural = [max(w, MIN_COL_WIDTH) for w in natural]
    total = sum(natural)
    if total <= available:
        extra = (available - total) / n
        return [w + extra for w in natural]
    # Water-filling: narrow columns keep their natural width, wide ones share what is left.
    widths: list[float | None] = [None] * n
    remaining, open_cols = available, list(range(n))
    while open_cols:
        share = remaining / len(open_cols)
        narrow = [i for i in open_cols if natural[i] <= share]
        if not narrow:
            for i in open_cols:
                widths[i] = max(share, 1.0)
            break
        for i in narrow:
            widths[i] = natural[i]
            remaining -= natural[i]
        open_cols = [i for i in open_cols if i not in narrow]
    return [w if w is not None else MIN_COL_WIDTH for w in widths]


# --- chart ----------------------------------------------------------------------------------------
def _thinned(labels: Sequence[str]) -> list[str]:
    step = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    return [lab if i % step == 0 else "" for i, lab in enumerate(labels)]


def _runs(values: Sequence[float | None]) -> list[list[float | None]]:
    """Split a series at its gaps: one full-length row per contiguous run, None elsewhere."""
    runs: list[list[float | None]] = []
    start: int | None = None
    for i, v in enumerate([*values, None]):
        if v is not None and start is None:
            start = i
        elif v is None and start is not None:
            row: list[float | None] = [None] * len(values)
            row[start:i] = values[start:i]
            runs.append(row)
            start = None
    return runs


def _chart_drawing(chart: Chart, width: float) -> Drawing | None:
    n = len(chart.labels)
    series = {name: [None if v is None else float(v) for v in vals[:n]] + [None] * (n - len(vals[:n]))
              for name, vals in chart.series.items()}
    if n == 0 or not any(v is not None for vals in series.values() for v in vals):
        return None
    many = n > MAX_X_LABELS
    legend_h = 16.0 if len(series) > 1 else 0.0
    bottom = 42.0 if many else 24.0
    d = Drawing(width, CHART_HEIGHT)
    plot: Any
    if chart.kind == "bar":
        plot = VerticalBarChart()
        plot.data = [list(vals) for vals in series.values()]  # None = no bar (not a zero bar)
        plot.barSpacing = 0.5
        plot.groupSpacing = 2 if n > 40 else 5
        for i in range(len(series)):
            color = SERIES_COLORS[i % len(SERIES_COLORS)]
            plot.bars[i].fillColor = color
            plot.bars[i].strokeColor = None
    else:
        plot = HorizontalLineChart()
        data: list[list[float | None]] = []
        style_colors: list[tuple[Any, bool]] = []
        for i, vals in enumerate(series.values()):
            color = SERIES_COLORS[i % len(SERIES_COLORS)]
            for run in _runs(vals):  # separate rows so the chart never bridges a gap
                data.append(run)
                style_colors.append((color, sum(v is not None for v in run) == 1))
        plot.data = data
        plot.joinedLines = 1
        for i, (color, single) in enumerate(style_colors):
            plot.lines[i].strokeColor = color
            plot.lines[i].strokeWidth = 1.2
            if single:  # an isolated point has no segment to draw: mark it
                marker = makeMarker("FilledCircle")
                marker.size = 3
                marker.fillColor = color
                marker.strokeColor = color
                plot.lines[i].symbol = marker
    plot.x = 44
    plot.y = bottom + legend_h
    plot.width = width - plot.x - 10
    plot.height = CHART_HEIGHT - plot.y - 14
    plot.categoryAxis.categoryNames = _thinned(chart.labels)
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 6
    if many:
        plot.categoryAxis.labels.angle = 30
        plot.categoryAxis.labels.boxAnchor = "ne"
    plot.categoryAxis.tickDown = 2
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 6
    plot.valueAxis.visibleGrid = 1
    plot.valueAxis.gridStrokeColor = GRID
    plot.valueAxis.gridStrokeWidth = 0.3
    all_values = [v for vals in series.values() for v in vals if v is not None]
    if min(all_values) >= 0:
        plot.valueAxis.valueMin = 0
    if max(all_values) == min(all_values) == 0:
        plot.valueAxis.valueMax = 1
    d.add(plot)
    if chart.unit:
        d.add(String(2, CHART_HEIGHT - 8, chart.unit, fontName=FONT, fontSize=7, fillColor=colors.black))
    if len(series) > 1:
        legend = Legend()
        legend.x = plot.x
        legend.y = 6
        legend.boxAnchor = "sw"
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.fontName = FONT
        legend.fontSize = 7
        legend.dx = legend.dy = 6
        legend.deltax = 10
        legend.dxTextSpace = 4
        legend.colorNamePairs = [
            (SERIES_COLORS[i % len(SERIES_COLORS)], _fit_line(name, FONT, 7, 140))
            for i, name in enumerate(series)
        ]
        d.add(legend)
    return d


# --- footer (two-pass "page N of M") --------------------------------------------------------------
def _numbered_canvas_class(title: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab API name
            self._saved_page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_page_states)
            for state in self._saved_page_states:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            page_w, _ = self._pagesize
            suffix = f" \u2014 page {self._pageNumber} of {total}"
            prefix = "HES Core \u2014 "
            room = page_w - 2 * MARGIN - _width(prefix + suffix, FONT, 7)
            text = prefix + _fit_line(title, FONT, 7, max(room, 20)) + suffix
            self.saveState()
            self.setFont(FONT, 7)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawCentredString(page_w / 2, FOOTER_Y, text)
            self.restoreState()

    return NumberedCanvas


# --- table ----------------------------------------------------------------------------------------
def _table_style() -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_FONT_SIZE, CELL_LEADING),
        ("FONT", (0, 1), (-1, -1), FONT, CELL_FONT_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), ZEBRA),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
    ])


def _chunks(rows: list[list[str]], size: int) -> Iterator[list[list[str]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _table_flowables(headers: Sequence[str], rows: Iterable[Sequence[Any]], available: float) -> list[Flowable]:
    n = len(headers)
    texts = [[format_cell(v) for v in row] for row in rows]
    for row in texts:  # normalise ragged rows to the header width
        if len(row) < n:
            row.extend([""] * (n - len(row)))
        elif len(row) > n:
            del row[n:]
    if not texts:
        return []
    widths = _column_widths(headers, texts[:WIDTH_SAMPLE_ROWS], available)
    inner = [w - 2 * CELL_PAD_X for w in widths]
    header_row = [_wrap(h, FONT_BOLD, CELL_FONT_SIZE, inner[i]) for i, h in enumerate(headers)]
    for row in texts:
        for i, text in enumerate(row):
            if text:
                row[i] = _wrap(text, FONT, CELL_FONT_SIZE, inner[i])
    style = _table_style()
    return [
        LongTable([header_row, *chunk], colWidths=widths, repeatRows=1, style=style, hAlign="LEFT")
        for chunk in _chunks(texts, ROWS_PER_TABLE)
    ]


# --- public entry point ---------------------------------------------------------------------------
def build_pdf(
    title: str,
    filters: list[tuple[str, str]],
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    generated_at: datetime,
    chart: Chart | None = None,
    subtitle: str | None = None,
) -> bytes:
    """Render a report as PDF bytes (A4, landscape when there are more than 6 columns).

    A naive ``generated_at`` is taken to be UTC.
    """
    pagesize = landscape(A4) if len(headers) > LANDSCAPE_ABOVE_COLUMNS else A4
    available = pagesize[0] - 2 * MARGIN
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="HES Core",
    )
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("ReportTitle", parent=styles["Title"], fontSize=16, leading=20, alignment=0, spaceAfter=2)
    h2 = ParagraphStyle("ReportSubtitle", parent=styles["Normal"], fontSize=10, leading=13,
                        textColor=colors.HexColor("#444444"), spaceAfter=4)
    label = ParagraphStyle("ReportLabel", parent=styles["Normal"], fontName=FONT_BOLD, fontSize=9, leading=12)
    body = ParagraphStyle("ReportBody", parent=styles["Normal"], fontSize=8.5, leading=11)

    story: list[Flowable] = [Paragraph(escape(title), h1)]
    if subtitle:
        story.append(Paragraph(escape(subtitle), h2))
    story.append(Paragraph("Filters", label))
    if filters:
        for name, value in filters:
            story.append(Paragraph(f"<b>{escape(str(name))}:</b> {escape(str(value))}", body))
    else:
        story.append(Paragraph("none", body))
    stamp = generated_at if generated_at.tzinfo is not None else generated_at.replace(tzinfo=UTC)
    story.append(Spacer(1, 3))
    story.append(Paragraph(f"Generated {escape(stamp.isoformat(timespec='seconds'))}", body))
    story.append(Spacer(1, 8))

    if chart is not None:
        drawing = _chart_drawing(chart, available)
        if drawing is not None:
            story.append(drawing)
        else:
            story.append(Paragraph("No chart data.", body))
        story.append(Spacer(1, 8))

    tables = _table_flowables(headers, rows, available)
    if tables:
        story.extend(tables)
    else:
        story.append(Paragraph("No rows match these filters.", body))

    doc.build(story, canvasmaker=_numbered_canvas_class(title))
    return buf.getvalue()
