"""OBIS codes: canonical text form, and the standard catalogue that gurux-dlms ships (OBISCodes.txt).

Catalogue rows describe families of codes with gurux's masks: per group a value, a range "0-64",
or a list "1-20,21-40,82"; descriptions use $A..$F for the code's groups, $(E+1) for arithmetic and
$1 for the standard quantity name of group C. Interface classes "*" (or empty) mean any class.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from gurux_dlms.GXStandardObisCodeCollection import GXStandardObisCodeCollection

_GROUPS = "ABCDEF"
_OBIS_TEXT = re.compile(r"^(\d+)[.\-](\d+)[.:](\d+)\.(\d+)\.(\d+)(?:[.*&](\d+))?$")
_HEX = re.compile(r"^[0-9A-Fa-f]{12}$")
_PLACEHOLDER = re.compile(r"\$\(([A-F])([+-]\d+)?\)|\$([A-F])|\$(\d)")
Mask = tuple[tuple[int, int], ...]  # inclusive ranges


def normalise_obis(text: str) -> str:
    """'1.0.1.8.0.255', '1-0:1.8.0.255', '1-0:1.8.0*255', '1-0:1.8.0' (F=255) or '0100010800FF' -> '1.0.1.8.0.255'."""
    value = str(text).strip()
    if not value:
        raise ValueError("OBIS code is empty; expected six groups like 1.0.1.8.0.255")
    if _HEX.match(value):
        return ".".join(str(b) for b in bytes.fromhex(value))
    match = _OBIS_TEXT.match(value)
    if not match:
        groups = len(re.split(r"[.\-:*&]", value))
        raise ValueError(f"'{value}' is not an OBIS code: expected six groups A.B.C.D.E.F like 1.0.1.8.0.255 "
                         f"or 1-0:1.8.0.255" + (f" (found {groups} groups)" if groups != 6 else ""))
    parts = [255 if g is None else int(g) for g in match.groups()]
    for letter, number in zip(_GROUPS, parts, strict=True):
        if number > 255:
            raise ValueError(f"'{value}' is not an OBIS code: group {letter} is {number}, above 255")
    return ".".join(str(p) for p in parts)


@dataclass(frozen=True, slots=True)
class ObisEntry:
    pattern: str  # gurux mask, e.g. "1.0-64.32.7.0.255"; a concrete code after lookup
    class_ids: tuple[int, ...]  # empty: any interface class
    data_types: tuple[int, ...]  # gurux DataType numbers the standard allows; empty: any
    description: str


@dataclass(frozen=True, slots=True)
class _Row:
    pattern: str
    masks: tuple[Mask, ...]
    class_ids: tuple[int, ...]
    data_types: tuple[int, ...]
    template: tuple[str, ...]  # channel, then up to four description parts

    @property
    def specificity(self) -> int:
        return sum(self.specificity_of(i) for i in range(len(self.masks)))

    def specificity_of(self, index: int) -> bool:
        mask = self.masks[index]
        return len(mask) == 1 and mask[0][0] == mask[0][1]

    def matches(self, code: tuple[int, ...], class_id: int | None) -> bool:
        if class_id is not None and self.class_ids and class_id not in self.class_ids:
            return False
        return all(any(low <= n <= high for low, high in mask) for mask, n in zip(self.masks, code, strict=False))


class ObisCatalogue:
    """The standard OBIS catalogue; build it with `catalogue()` (parsed once per process)."""

    def __init__(self, rows: list[_Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, obis: str, class_id: int | None = None) -> list[ObisEntry]:
        """Every row matching the code (and class), most specific first, described for this code."""
        canonical = normalise_obis(obis)
        code = tuple(int(p) for p in canonical.split("."))
        rows = [r for r in self._rows if r.matches(code, class_id)]
        rows.sort(key=lambda r: -r.specificity)  # stable: file order breaks ties, as in gurux
        return [ObisEntry(canonical, r.class_ids, r.data_types, _describe(r, code)) for r in rows]

    def describe(self, obis: str, class_id: int | None = None) -> str | None:
        """The description of the best match, or None when the standard does not know the code."""
        entries = self.lookup(obis, class_id)
        return entries[0].description if entries else None

    def search(self, prefix_or_text: str, limit: int = 20) -> list[ObisEntry]:
        """Rows whose code starts with an OBIS prefix ('1.0.32', '1-0:32.7'), else whose description has every word.

        A whole code answers like `lookup`, with the code itself as the pattern.
        """
        query = prefix_or_text.strip()
        prefix = _as_prefix(query)
        if prefix is not None and len(prefix) == 6:  # a whole code: describe that code
            return self.lookup(query)[:max(limit, 0)] if all(p <= 255 for p in prefix) else []
        words = query.lower().split()
        found: list[ObisEntry] = []
        for row, text in self._expanded():
            if len(found) >= limit:
                break
            if prefix is not None and row.matches(prefix, None):
                found.append(ObisEntry(row.pattern, row.class_ids, row.data_types, _describe(row, prefix)))
            elif prefix is None and all(w in text.lower() for w in words):
                found.append(ObisEntry(row.pattern, row.class_ids, row.data_types, text))
        return found

    @cache  # noqa: B019 - one catalogue per process, never collected
    def _expanded(self) -> list[tuple[_Row, str]]:
        """Rows naming their quantity by $1 split into one row per value of C, so text search finds 'L1 Voltage'."""
        rows: list[_Row] = []
        for row in self._rows:
            c_mask = row.masks[2]
            if "$1" not in row.template or row.specificity_of(2):
                rows.append(row)
                continue
            for c in (c for low, high in c_mask for c in range(low, high + 1)):
                groups = row.pattern.split(".")
                groups[2] = str(c)
                rows.append(_Row(".".join(groups), (*row.masks[:2], ((c, c),), *row.masks[3:]),
                                 row.class_ids, row.data_types, row.template))
        return [(row, _describe(row, ())) for row in rows]


@cache
def catalogue() -> ObisCatalogue:
    text = (files("gurux_dlms") / "OBISCodes.txt").read_text("utf-8")
    return ObisCatalogue([row for line in text.splitlines() if (row := _parse_row(line)) is not None])


def _parse_row(line: str) -> _Row | None:
    if not line.strip() or line.startswith("#"):
        return None
    fields = line.split(";")
    if len(fields) < 5:
        return None
    groups = fields[0].split(".")
    return _Row(
        pattern=fields[0],
        masks=tuple(_parse_mask(g) for g in groups),
        class_ids=_numbers(fields[1]),
        data_types=_numbers(fields[2]),
        template=tuple(f.strip() for f in fields[3:8]),
    )


def _parse_mask(group: str) -> Mask:
    if group == "&":  # gurux: "&" stands for 0, 1 or 7
        return ((0, 0), (1, 1), (7, 7))
    ranges = []
    for item in group.split(","):
        low, _, high = item.partition("-")
        ranges.append((int(low), int(high or low)))
    return tuple(ranges)


def _numbers(field: str) -> tuple[int, ...]:
    return tuple(sorted({int(n) for n in field.split(",") if n.strip().isdigit()}))


def _as_prefix(query: str) -> tuple[int, ...] | None:
    parts = re.split(r"[.\-:*]", query)
    if not query or not all(p.isdigit() for p in parts) or len(parts) > 6:
        return None
    return tuple(int(p) for p in parts)


def _describe(row: _Row, known: tuple[int, ...]) -> str:
    """Fill the template from the known groups (a code or a prefix) and the row's fixed groups; others by letter."""
    def group(letter: str) -> int | None:
        index = _GROUPS.index(letter)
        if index < len(known):
            return known[index]
        return row.masks[index][0][0] if row.specificity_of(index) else None

    def fill(match: re.Match[str]) -> str:
        letter, delta, plain_letter, table = match.groups()
        if table is not None:  # $1: standard name of quantity C; others are not resolvable
            c = group("C")
            if table != "1" or c is None:
                return ""
            a = group("A")
            names = GXStandardObisCodeCollection
            return str((names.getN1CDescription if a == 7 else names.getDescription)("$" + str(c)))
        letter = letter or plain_letter
        value = group(letter)
        if delta is not None:
            return str(value + int(delta)) if value is not None else f"{letter}{delta}"
        return str(value) if value is not None else letter

    channel, *parts = row.template
    if not channel.startswith("Ch."):  # "Manufacturer specific" rows put their text where the channel goes
        channel, parts = "", [channel, *parts]
    filled = [_PLACEHOLDER.sub(fill, p) for p in parts]
    if channel and group("B"):  # channel 0, or any channel of a family, goes without saying
        filled.insert(0, _PLACEHOLDER.sub(fill, channel))
    return re.sub(r"\s+", " ", " ".join(p for p in filled if p)).strip()
