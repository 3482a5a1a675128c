"""CSV parsing for master-data imports: pure functions, no database.

Real utility exports are untidy: a UTF-8 byte-order mark, CRLF line endings,
quoted fields with commas, header names in any case and spacing, identifiers
with leading zeros. Everything stays a string until a schema says otherwise.
Row numbers are the spreadsheet's: the header is row 1, the first data row is 2.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from chalicelib.errors import ValidationFailed


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = True
    example: str = ""


@dataclass
class ParsedRow:
    row: int
    values: dict[str, str]


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    errors: list[dict[str, Any]] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", name.strip().lower())


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            "the file is not UTF-8 text; save it as CSV UTF-8 and try again",
            [{"row": line, "field": None, "message": f"byte 0x{data[exc.start]:02x} is not valid UTF-8"}],
        ) from None


def parse(data: bytes, columns: list[Column]) -> ParsedFile:
    """Split a CSV file into rows keyed by field name; report missing columns."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationFailed("the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise ValidationFailed(f"the header row is not valid CSV: {exc}") from None
    positions = {normalise_header(h): i for i, h in enumerate(header) if h.strip()}
    missing = [c for c in columns if c.required and normalise_header(c.header) not in positions]
    if missing:
        raise ValidationFailed(
            "required columns are missing: " + ", ".join(c.header for c in missing),
            [{"row": 1, "field": c.header, "message": "required column is missing"} for c in missing],
        )
    index = {c.field: positions.get(normalise_header(c.header)) for c in columns}
    parsed = ParsedFile(rows=[])
    row_no = 1
    try:
        for record in reader:
            row_no += 1
            if not any(cell.strip() for cell in record):
                continue
            values = {}
            for name, pos in index.items():
                cell = record[pos].strip() if pos is not None and pos < len(record) else ""
                values[name] = _undo_formula_guard(cell)
            parsed.rows.append(ParsedRow(row=row_no, values=values))
    except csv.Error as exc:
        raise ValidationFailed(
            f"row {row_no + 1} is not valid CSV: {exc}", [{"row": row_no + 1, "field": None, "message": str(exc)}]
        ) from None
    return parsed


def to_model(
    row: ParsedRow, model: type[BaseModel], columns: list[Column], extra: dict[str, Any] | None = None
) -> tuple[BaseModel | None, list[dict[str, Any]]]:
    """Validate one row against a schema; errors name the CSV column, not the field."""
    headers = {c.field: c.header for c in columns}
    errors = [
        {"row": row.row, "field": c.header, "message": "is required"}
        for c in columns
        if c.required and row.values.get(c.field, "") == ""
    ]
    data: dict[str, Any] = {k: v for k, v in row.values.items() if v != "" and k in model.model_fields}
    data.update(extra or {})
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        reported = {e["field"] for e in errors}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            header = headers.get(name, name)
            if header not in reported:
                message = "is required" if err["type"] == "missing" else _clean(err["msg"])
                errors.append({"row": row.row, "field": header, "message": message})
        return None, errors
    return (None, errors) if errors else (parsed, [])


def _undo_formula_guard(cell: str) -> str:
    """Our own exports prefix risky cells with an apostrophe; re-importing them must round-trip."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@":
        return cell[1:]
    return cell


def _clean(message: str) -> str:
    return message.removeprefix("Value error, ")


def template(columns: list[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    writer.writerow([c.example for c in columns])
    return out.getvalue()
