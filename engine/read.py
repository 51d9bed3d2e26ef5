"""Read a provider submission bundle (directory, .zip or .xlsx) into a ``Submission``.

The data contract is ``docs/submission-format.md``. The reader accepts what
German spreadsheet tools really produce (``;``, Windows-1252, ``TT.MM.JJJJ``,
decimal comma) and never gives up on a bundle because of bad content: every
bad value becomes an ``InputProblem`` with file, line and column, the rest is
still read. Only a bundle that cannot be read at all raises ``BundleError``.

Hostile input is bounded: file size, row count and cell length are limited,
zip members are size- and ratio-checked before anything is decompressed, YAML
is parsed with the safe loader only and refused when it uses custom tags, too
many aliases or expands to too many nodes (alias bombs).

Nothing here logs cell contents; messages quote an offending value because
the auditor needs to see it (values are shortened and control characters
escaped).
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Optional

import yaml
from pydantic import ValidationError

from schemas.submission import (
    ATTENDANCES,
    ELEMENTS,
    EMPLOYMENTS,
    MODES,
    PHASES,
    ROLES,
    AccompanyingPhase,
    Contingent,
    Contract,
    InputProblem,
    Invoice,
    Loc,
    Participant,
    Period,
    PrePhase,
    ReferencePerson,
    Record,
    Service,
    Staff,
    Submission,
    Suspension,
)

__all__ = [
    "BundleError",
    "read_bundle",
    "validate_references",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_CELL_CHARS",
]

# --- limits ------------------------------------------------------------------

MAX_FILE_BYTES = 200 * 1024 * 1024  # per file (CSV file, zip member, workbook)
MAX_ROWS = 2_000_000  # data rows per CSV file / sheet
MAX_CELL_CHARS = 10_000  # characters per cell
MAX_COLUMNS = 200  # cells per row looked at (a sheet may be formatted out to column XFD)
MAX_YAML_BYTES = 256 * 1024  # contract.yaml / invoice.yaml are a few hundred bytes; PyYAML is slow
MAX_YAML_DEPTH = 50  # nesting; PyYAML's scanner is quadratic in flow nesting ([[[[...)
MAX_YAML_ALIASES = 200  # a real contract.yaml has none
MAX_YAML_NODES = 100_000  # nodes after expanding aliases
MAX_ZIP_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 100  # total uncompressed / compressed size of a zip

CONTRACT_FILE = "contract.yaml"
INVOICE_FILE = "invoice.yaml"


class BundleError(Exception):
    """The bundle cannot be read at all. ``str(e)`` is German, ``e.en`` English."""

    def __init__(self, de: str, en: str):
        super().__init__(de)
        self.de = de
        self.en = en


# --- value parsing -----------------------------------------------------------

class _Bad(Exception):
    """A value could not be parsed; carries the German and English message."""

    def __init__(self, de: str, en: str):
        super().__init__(en)
        self.de = de
        self.en = en


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _q(value: Any, limit: int = 60) -> str:
    """Quote a value for a message: shortened, control characters escaped."""
    s = value if isinstance(value, str) else _cell_str(value)
    if len(s) > 20 * limit:  # an over-long value may be free text: not quoted at all
        return f"[{len(s)} chars]"
    if len(s) > limit:
        s = s[:limit] + "…"
    s = _CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()), s)
    return f'"{s}"'


def _cell_str(v: Any) -> str:
    """Text form of a spreadsheet cell value, in the format the parsers accept."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M:%S" if v.second else "%H:%M")
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return str(Decimal(repr(v)))
    return str(v)


# [0-9], not \d: \d also matches other scripts' digits, which int() would accept
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DE_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_DECIMAL = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
_NUMBER_KEY = re.compile(r"[0-9]{1,6}")


def parse_date(v: Any) -> date:
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.date()
    elif isinstance(v, date):
        return v
    s = _cell_str(v).strip()
    m = _ISO_DATE.fullmatch(s)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DE_DATE.fullmatch(s)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise _Bad(
        f"Datum {_q(s)} ungültig (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)",
        f"invalid date {_q(s)} (expected DD.MM.YYYY or YYYY-MM-DD)",
    )


def parse_time(v: Any) -> time:
    if isinstance(v, time):
        return v
    s = _cell_str(v).strip()
    m = _TIME.fullmatch(s)
    if m:
        try:
            return time(int(m[1]), int(m[2]), int(m[3] or 0))
        except ValueError:
            pass
    raise _Bad(
        f"Uhrzeit {_q(s)} ungültig (erwartet HH:MM)",
        f"invalid time {_q(s)} (expected HH:MM)",
    )


def parse_decimal(v: Any) -> Decimal:
    if isinstance(v, Decimal) and v.is_finite():
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    s = _cell_str(v).strip()
    if _DECIMAL.fullmatch(s):
        return Decimal(s.replace(",", "."))
    raise _Bad(
        f"Zahl {_q(s)} ungültig (erwartet z. B. 1,5 oder 1.5)",
        f"invalid number {_q(s)} (expected e.g. 1.5 or 1,5)",
    )


def parse_int(v: Any) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    s = _cell_str(v).strip()
    if _DECIMAL.fullmatch(s):
        d = Decimal(s.replace(",", "."))
        if d == d.to_integral_value():
            return int(d)
    raise _Bad(
        f"Ganzzahl {_q(s)} ungültig (erwartet z. B. 45)",
        f"invalid whole number {_q(s)} (expected e.g. 45)",
    )


def parse_list(v: Any) -> tuple[str, ...]:
    return tuple(p.strip() for p in _cell_str(v).split("|") if p.strip())


def _code_parser(codes: tuple[str, ...]) -> Callable[[Any], str]:
    """Codes are matched case-insensitively and returned in their canonical spelling."""
    lookup = {c.lower(): c for c in codes}

    def parse(v: Any) -> str:
        s = _cell_str(v).strip()
        if s.lower() in lookup:
            return lookup[s.lower()]
        allowed = ", ".join(codes)
        raise _Bad(
            f"unbekannter Code {_q(s)} (erlaubt: {allowed})",
            f"unknown code {_q(s)} (allowed: {allowed})",
        )

    return parse


def _text(v: Any) -> str:
    return _cell_str(v).strip()


def _range(parse: Callable[[Any], Any], ok: Callable[[Any], bool], de: str, en: str):
    """Wrap a parser with a range check; ``de``/``en`` describe the allowed range."""

    def parse_checked(v: Any) -> Any:
        x = parse(v)
        if not ok(x):
            raise _Bad(
                f"Wert {_q(v)} außerhalb des zulässigen Bereichs (erwartet {de})",
                f"value {_q(v)} out of range (expected {en})",
            )
        return x

    return parse_checked


_minutes = _range(parse_int, lambda x: 0 < x <= 1440, "Minuten von 1 bis 1440 (ein Tag)",
                  "minutes from 1 to 1440 (one day)")
_nonneg_int = _range(parse_int, lambda x: x >= 0, "eine Zahl ≥ 0", "a number ≥ 0")
_year_int = _range(parse_int, lambda x: x >= 1, "eine Zahl ≥ 1", "a number ≥ 1")
_fte = _range(parse_decimal, lambda x: 0 < x <= 1, "0 < Wert ≤ 1", "0 < value ≤ 1")
_nonneg_dec = _range(parse_decimal, lambda x: x >= 0, "einen Wert ≥ 0", "a value ≥ 0")
_positive_dec = _range(parse_decimal, lambda x: x > 0, "einen Wert > 0", "a value > 0")
_share = _range(parse_decimal, lambda x: 0 <= x <= 1, "0 ≤ Wert ≤ 1", "0 ≤ value ≤ 1")


# --- CSV file specs ------------------------------------------------------------

@dataclass(frozen=True)
class _Col:
    name: str  # column name in the file (lower case)
    parse: Callable[[Any], Any]
    column_required: bool = True  # the column must be present
    value_required: bool = False  # the cell must be filled, else the row is dropped
    default: Any = None  # value for an empty or bad optional cell

    @property
    def fatal_if_missing(self) -> bool:
        return self.column_required and self.value_required


def _req(name: str, parse: Callable[[Any], Any]) -> _Col:
    return _Col(name, parse, column_required=True, value_required=True)


@dataclass(frozen=True)
class _FileSpec:
    file: str  # canonical file name, e.g. "staff.csv"
    attr: str  # Submission attribute
    model: type[Record]
    cols: tuple[_Col, ...]
    entity_type: str
    entity_col: str  # column whose raw value identifies the record in problems

    @property
    def sheet(self) -> str:
        return self.file[: -len(".csv")]


_SPECS: tuple[_FileSpec, ...] = (
    _FileSpec("staff.csv", "staff", Staff, (
        _req("staff_id", _text),
        _req("role", _code_parser(ROLES)),
        _req("employment", _code_parser(EMPLOYMENTS)),
        _req("employer_id", _text),
        _req("employed_from", parse_date),
        _Col("employed_to", parse_date),
        _req("fte", _fte),
        _Col("qualifications", parse_list, default=()),
        _Col("youth_experience_months", _nonneg_int, default=0),
        _Col("equivalence_ref", _text, column_required=False),
    ), "staff", "staff_id"),
    _FileSpec("participants.csv", "participants", Participant, (
        _req("participant_id", _text),
        _req("phase", _code_parser(PHASES)),
        _req("from", parse_date),
        _Col("to", parse_date),
        _Col("training_start", parse_date, column_required=False),
        _Col("training_end", parse_date, column_required=False),
        _Col("training_completed_on", parse_date, column_required=False),
        _Col("employment_start", parse_date, column_required=False),
        _Col("extension_reason", _text, column_required=False),
    ), "participant", "participant_id"),
    _FileSpec("reference_persons.csv", "reference_persons", ReferencePerson, (
        _req("participant_id", _text),
        _req("staff_id", _text),
        _req("from", parse_date),
        _Col("to", parse_date),
        _Col("change_reason", _text, column_required=False),
    ), "participant", "participant_id"),
    _FileSpec("suspensions.csv", "suspensions", Suspension, (
        _req("participant_id", _text),
        _req("from", parse_date),
        _req("to", parse_date),
        _Col("reason", _text, column_required=False),
    ), "participant", "participant_id"),
    _FileSpec("services.csv", "services", Service, (
        _req("service_id", _text),
        _req("date", parse_date),
        _req("start", parse_time),
        _req("minutes", _minutes),
        _req("element", _code_parser(ELEMENTS)),
        _req("phase", _code_parser(PHASES)),
        _req("staff_id", _text),
        _req("participant_ids", parse_list),
        _Col("mode", _code_parser(MODES), column_required=False),
        _Col("attendance", _code_parser(ATTENDANCES), column_required=False, default="present"),
    ), "service", "service_id"),
)
_OPTIONAL_FILES = {"suspensions.csv"}


@dataclass
class _Limits:
    max_file_bytes: int
    max_rows: int
    max_cell_chars: int


class _Problems(list):
    """The problem list of one bundle, with a shorthand to add one."""

    def add(self, file: str, line: int, column: str, de: str, en: str, *,
            severity: str = "error", entity: tuple[str, str] = ("", "")) -> None:
        self.append(InputProblem(file=file, line=line, column=column, de=de, en=en,
                                 severity=severity, entity_type=entity[0], entity_id=entity[1]))


# --- table reading (shared by CSV files and workbook sheets) -------------------

@dataclass
class _TableResult:
    records: list = field(default_factory=list)
    readable: bool = True  # False: file missing or unusable, references into it are not checked
    dropped_ids: set = field(default_factory=set)  # ids of rows dropped for bad values


def _read_table(spec: _FileSpec, file: str, rows: Iterable[tuple[int, list[str]]],
                problems: _Problems, limits: _Limits, *, pad_short_rows: bool) -> _TableResult:
    """Build records from ``(line, cells)`` rows; the first non-empty row is the header.

    ``pad_short_rows``: rows from a workbook may end early without that being an
    error; a CSV row with fewer cells than the header is reported.
    """
    result = _TableResult()
    rows = iter(rows)
    header_line, header = 0, None
    for line, cells in rows:
        if any(c.strip() for c in cells):
            header_line, header = line, cells
            break
    if header is None:
        problems.add(file, 0, "", "Datei ist leer (keine Kopfzeile)", "file is empty (no header row)")
        result.readable = False
        return result

    known = {c.name: c for c in spec.cols}
    index: dict[str, int] = {}
    for i, raw in enumerate(header[:MAX_COLUMNS]):
        name = raw.strip().lower()
        if not name:
            continue
        if name in index:
            problems.add(file, header_line, name, f"Spalte {_q(name)} kommt doppelt vor; die zweite wird ignoriert",
                         f"column {_q(name)} appears twice; the second one is ignored")
        elif name not in known:
            problems.add(file, header_line, name, f"unbekannte Spalte {_q(name)} wird ignoriert",
                         f"unknown column {_q(name)} is ignored", severity="warning")
            index[name] = -1  # remember it, so a repeated unknown column is reported only once
        else:
            index[name] = i
    width = max((i for i, c in enumerate(header) if c.strip()), default=-1) + 1

    fatal = False
    for col in spec.cols:
        if col.column_required and index.get(col.name, -1) < 0:
            fatal |= col.value_required
            tail_de = "die Datei kann nicht gelesen werden" if col.value_required else "Werte gelten als leer"
            tail_en = "the file cannot be read" if col.value_required else "values are taken as empty"
            problems.add(file, header_line, col.name, f"Pflichtspalte {_q(col.name)} fehlt; {tail_de}",
                         f"required column {_q(col.name)} missing; {tail_en}")
    if fatal:
        result.readable = False
        return result

    seen: dict[int, int] = {}  # hash of the row's cells -> index in result.records
    count = 0
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > limits.max_rows:
            problems.add(file, line, "", f"mehr als {limits.max_rows} Zeilen; der Rest wird nicht gelesen",
                         f"more than {limits.max_rows} rows; the rest is not read")
            break
        entity_idx = index.get(spec.entity_col, -1)
        entity_id = cells[entity_idx].strip()[:100] if 0 <= entity_idx < len(cells) else ""
        entity = (spec.entity_type, entity_id) if entity_id else ("", "")
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.add(file, line, "", f"Zeile hat {len(cells)} Felder, die Kopfzeile {width}; Zeile nicht gelesen",
                         f"row has {len(cells)} fields, the header {width}; row not read", entity=entity)
            continue
        if len(cells) < width and not pad_short_rows:
            problems.add(file, line, "",
                         f"Zeile hat {len(cells)} Felder, die Kopfzeile {width}; fehlende Felder gelten als leer",
                         f"row has {len(cells)} fields, the header {width}; missing fields are taken as empty",
                         entity=entity)
        record = _build_row(spec, file, line, cells, index, entity, problems, limits)
        if record is None:
            if entity_id:
                result.dropped_ids.add(entity_id)
            continue
        # exact repeat of an earlier row: cheap hash of the cells first, full compare only on a match
        key = hash(tuple(cells))
        first = seen.get(key)
        if first is not None and _same_record(result.records[first], record):
            first_line = result.records[first].loc.line
            problems.add(file, line, "", f"Zeile wiederholt Zeile {first_line} exakt; sie wird ignoriert",
                         f"row repeats line {first_line} exactly; it is ignored", severity="warning", entity=entity)
            continue
        seen.setdefault(key, len(result.records))
        result.records.append(record)
    return result


def _same_record(a: Record, b: Record) -> bool:
    return all(v == getattr(b, k) for k, v in a if k != "loc")


def _build_row(spec: _FileSpec, file: str, line: int, cells: list[str], index: Mapping[str, int],
               entity: tuple[str, str], problems: _Problems, limits: _Limits) -> Optional[Record]:
    """One record from one row, or None when a required value is missing or bad."""
    values: dict[str, Any] = {"loc": Loc(file=file, line=line)}
    ok = True
    for col in spec.cols:
        i = index.get(col.name, -1)
        raw = cells[i].strip() if 0 <= i < len(cells) else ""
        try:
            if len(raw) > limits.max_cell_chars:
                # the value itself is not quoted: it may be free text
                raise _Bad(f"Zelle zu lang ({len(raw)} Zeichen, höchstens {limits.max_cell_chars})",
                           f"cell too long ({len(raw)} characters, at most {limits.max_cell_chars})")
            if not raw:
                if col.value_required:
                    raise _Bad("Pflichtwert fehlt", "required value missing")
                values[col.name] = col.default
                continue
            value = col.parse(raw)
            if col.value_required and value == ():
                raise _Bad("Pflichtwert fehlt", "required value missing")
            values[col.name] = value
        except _Bad as bad:
            problems.add(file, line, col.name, bad.de, bad.en, entity=entity)
            if col.value_required:
                ok = False
            else:
                values[col.name] = col.default
    if not ok:
        return None
    try:
        return spec.model(**values)
    except ValidationError as e:  # a gap between the specs above and the model; never crash
        problems.add(file, line, "", "Zeile nicht lesbar", f"row not readable ({e.error_count()} errors)",
                     entity=entity)
        return None


# --- CSV text ----------------------------------------------------------------

_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))


@dataclass
class _Encoding:
    codec: str
    replace_nul: bool = False
    skip_bytes: int = 0  # a UTF-8 byte order mark in front of a Windows-1252 file


def _sniff_encoding(stream: BinaryIO, file: str, problems: _Problems) -> _Encoding:
    """Decide the encoding in one streaming pass: UTF-8 if every line decodes, else Windows-1252.

    A UTF-16/32 file (recognised by its byte order mark) is read correctly but
    reported; NUL bytes or bytes undefined in Windows-1252 are reported with the
    first line they occur on and replaced when decoding.
    """
    first = stream.readline()
    for bom, codec, label in _BOMS:
        if first.startswith(bom):
            problems.add(file, 1, "", f"falsche Kodierung: Datei ist {label} (erwartet UTF-8 oder Windows-1252)",
                         f"wrong encoding: file is {label} (expected UTF-8 or Windows-1252)")
            return _Encoding(codec)
    utf8_ok, nul_line, undefined_line = True, 0, 0
    for lineno, raw in enumerate(itertools.chain([first], stream), 1):
        if not nul_line and b"\x00" in raw:
            nul_line = lineno
        if utf8_ok:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                # a UTF-8 sequence never contains b"\n", so a line decodes on its own
                utf8_ok = False
        if not undefined_line and _CP1252_UNDEFINED.intersection(raw):
            undefined_line = lineno
    if nul_line:
        problems.add(file, nul_line, "", "falsche Kodierung: NUL-Bytes in der Datei (erwartet UTF-8 oder Windows-1252)",
                     "wrong encoding: NUL bytes in the file (expected UTF-8 or Windows-1252)")
    if utf8_ok:
        return _Encoding("utf-8-sig", replace_nul=bool(nul_line))
    if undefined_line:
        problems.add(file, undefined_line, "",
                     "falsche Kodierung: Bytes weder UTF-8 noch Windows-1252; unlesbare Zeichen ersetzt",
                     "wrong encoding: bytes neither UTF-8 nor Windows-1252; unreadable characters replaced")
    return _Encoding("cp1252", replace_nul=bool(nul_line),
                     skip_bytes=len(codecs.BOM_UTF8) if first.startswith(codecs.BOM_UTF8) else 0)


_SEP_HINT = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def _csv_rows(stream: BinaryIO, enc: _Encoding, file: str, problems: _Problems,
              limits: _Limits) -> Iterator[tuple[int, list[str]]]:
    """``(physical line, cells)`` per CSV record; the delimiter is taken from the header line."""
    stream.read(enc.skip_bytes)
    text = io.TextIOWrapper(stream, encoding=enc.codec, errors="replace", newline="")
    lines: Iterator[str] = iter(text)
    if enc.replace_nul:
        lines = (ln.replace("\x00", "\ufffd") for ln in lines)
    head: list[str] = []
    for ln in lines:
        head.append(ln)
        if ln.strip():
            break
    first = head[-1] if head else ""
    hint = _SEP_HINT.fullmatch(first)
    if hint and hint[1] in ";,\t":  # Excel's "sep=;" line; keep the line count
        delimiter = hint[1]
        head[-1] = "\n"
    else:
        delimiter = "," if first.count(",") > first.count(";") else ";"
    if csv.field_size_limit() <= limits.max_cell_chars:
        csv.field_size_limit(limits.max_cell_chars + 1)
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter, skipinitialspace=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.add(file, start, "", f"CSV-Zeile nicht lesbar ({e})", f"CSV line not readable ({e})")
            if reader.line_num < start:
                return
            continue
        yield start, row


# --- bundle containers -------------------------------------------------------

_YAML_ALT = {CONTRACT_FILE: "contract.yml", INVOICE_FILE: "invoice.yml"}


class _Source:
    """Files of a directory or zip bundle, found by case-insensitive name."""

    name: str

    def find(self, filename: str) -> Optional[str]:
        names = self.names()
        lower = {n.lower(): n for n in sorted(names)}  # lower case sorts last: an exact name wins
        for candidate in (filename, _YAML_ALT.get(filename)):
            if candidate and candidate.lower() in lower:
                return lower[candidate.lower()]
        return None

    def names(self) -> list[str]:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    def open(self, name: str) -> BinaryIO:
        raise NotImplementedError

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        """(de, en) why the file must not be read, or None."""
        size = self.size(name)
        if size > limit:
            return (f"Datei zu groß ({size} Bytes, höchstens {limit})",
                    f"file too large ({size} bytes, at most {limit})")
        return None


class _DirSource(_Source):
    def __init__(self, root: Path):
        self.root = root
        self.name = root.resolve().name
        self._files = {p.name: p for p in root.iterdir() if not p.name.startswith(".")}

    def names(self) -> list[str]:
        return list(self._files)

    def size(self, name: str) -> int:
        return self._files[name].stat().st_size

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        if not stat.S_ISREG(self._files[name].stat().st_mode):  # e.g. a link to /dev/zero
            return "keine normale Datei", "not a regular file"
        return super().check(name, limit)

    def open(self, name: str) -> BinaryIO:
        return open(self._files[name], "rb")


class _ZipSource(_Source):
    """A zip bundle: files at the zip root or inside one top-level folder."""

    def __init__(self, path: Path):
        self.name = path.name
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise BundleError(f'"{path.name}" ist keine lesbare .zip-Datei ({type(e).__name__})',
                              f'"{path.name}" is not a readable .zip file ({type(e).__name__})') from None
        infos = _check_zip(self.zf, path.name)
        members = {}
        for info in infos:
            n = info.filename.replace("\\", "/")
            base = n.rsplit("/", 1)[-1]
            if info.is_dir() or n.startswith("__MACOSX/") or base.startswith(".") or not base:
                continue
            members[n] = info
        prefix = ""
        if not any("/" not in n and n.lower() in (CONTRACT_FILE, "contract.yml") for n in members):
            tops = {n.split("/", 1)[0] for n in members}
            if len(tops) == 1 and all("/" in n for n in members):
                prefix = tops.pop() + "/"
        self._members = {n[len(prefix):]: i for n, i in members.items()
                         if n.startswith(prefix) and "/" not in n[len(prefix):]}

    def names(self) -> list[str]:
        return list(self._members)

    def size(self, name: str) -> int:
        return self._members[name].file_size

    def check(self, name: str, limit: int) -> Optional[tuple[str, str]]:
        if self._members[name].flag_bits & 0x1:
            return "Datei ist verschlüsselt", "file is encrypted"
        return super().check(name, limit)

    def open(self, name: str) -> BinaryIO:
        # ZipExtFile never returns more than the declared (already checked) size
        return self.zf.open(self._members[name])

    def close(self) -> None:
        self.zf.close()


def _check_zip(zf: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """Refuse zip bombs before anything is decompressed (sizes from the central directory)."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise BundleError(f'"{label}" enthält zu viele Dateien ({len(infos)}, höchstens {MAX_ZIP_MEMBERS})',
                          f'"{label}" contains too many files ({len(infos)}, at most {MAX_ZIP_MEMBERS})')
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise BundleError(
            f'"{label}" ist verdächtig stark komprimiert (Verhältnis über {MAX_COMPRESSION_RATIO}:1); nicht gelesen',
            f'"{label}" is suspiciously highly compressed (ratio above {MAX_COMPRESSION_RATIO}:1); not read')
    return infos


_READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError)


def _read_csv_file(source: _Source, spec: _FileSpec, problems: _Problems, limits: _Limits) -> _TableResult:
    name = source.find(spec.file)
    if name is None:
        if spec.file in _OPTIONAL_FILES:
            return _TableResult()
        problems.add(spec.file, 0, "", f"Pflichtdatei {spec.file} fehlt", f"required file {spec.file} missing")
        return _TableResult(readable=False)
    refusal = source.check(name, limits.max_file_bytes)
    if refusal:
        problems.add(name, 0, "", f"{refusal[0]}; nicht gelesen", f"{refusal[1]}; not read")
        return _TableResult(readable=False)
    local = _Problems()
    try:
        with source.open(name) as stream:
            enc = _sniff_encoding(stream, name, local)
        with source.open(name) as stream:
            result = _read_table(spec, name, _csv_rows(stream, enc, name, local, limits), local, limits,
                                 pad_short_rows=False)
    except _READ_ERRORS as e:
        local.add(name, 0, "", f"Datei nicht lesbar ({type(e).__name__})", f"file not readable ({type(e).__name__})")
        result = _TableResult(readable=False)
    problems.extend(local)
    return result


# --- YAML ----------------------------------------------------------------------

@dataclass
class _Node:
    """A YAML or contract-sheet value with the line it came from.

    ``value`` is a dict (mapping), a list (sequence), ``None`` (empty) or a
    scalar: for YAML the raw text (so ``0042`` stays ``"0042"``), for a sheet
    the cell value. ``src`` is the YAML node, used to construct ``parameters``.
    """

    value: Any
    line: int
    src: Any = None


class _Refused(Exception):
    def __init__(self, de: str, en: str, line: int = 0):
        super().__init__(en)
        self.de, self.en, self.line = de, en, line


_SAFE_TAGS = frozenset(t for t in yaml.SafeLoader.yaml_constructors if t) | {"tag:yaml.org,2002:merge"}
_NULL_TAG = "tag:yaml.org,2002:null"


def _yaml_tree(data: bytes, file: str, problems: _Problems) -> Optional[_Node]:
    """Parse YAML safely into a ``_Node`` tree; raise ``_Refused`` when the file is unusable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        problems.add(file, 0, "", "Datei ist nicht UTF-8; als Windows-1252 gelesen",
                     "file is not UTF-8; read as Windows-1252", severity="warning")
    if _bracket_depth(text) > MAX_YAML_DEPTH:
        raise _Refused("YAML zu tief verschachtelt", "YAML nested too deeply")
    try:
        aliases = depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise _Refused("YAML zu tief verschachtelt", "YAML nested too deeply", event.start_mark.line + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise _Refused(f"zu viele YAML-Aliase (mehr als {MAX_YAML_ALIASES})",
                                   f"too many YAML aliases (more than {MAX_YAML_ALIASES})",
                                   event.start_mark.line + 1)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(str(e.problem or e.context or "").split())
        raise _Refused(f"kein gültiges YAML ({problem})", f"not valid YAML ({problem})",
                       mark.line + 1 if mark else 0) from None
    except yaml.YAMLError as e:
        raise _Refused("kein gültiges YAML", f"not valid YAML ({type(e).__name__})") from None
    except RecursionError:
        raise _Refused("YAML zu tief verschachtelt", "YAML nested too deeply") from None
    if root is None:
        return None
    try:
        _check_graph(root, {}, set())
    except RecursionError:
        raise _Refused("YAML zu tief verschachtelt", "YAML nested too deeply") from None
    return _to_node(root, root.start_mark.line + 1, file, problems)


def _bracket_depth(text: str) -> int:
    """Deepest nesting of flow brackets, checked before PyYAML sees the text.

    Brackets inside quoted strings are counted too; that only errs towards
    refusing a file that nobody writes by hand.
    """
    depth = deepest = 0
    for m in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _check_graph(n: yaml.Node, sizes: dict[int, int], active: set[int]) -> int:
    """Expanded size of a composed node; refuses unsafe tags, recursive aliases and bombs.

    Memoised per node, so shared (aliased) nodes are visited once: linear time
    even for a document that would expand to billions of nodes.
    """
    key = id(n)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise _Refused("rekursiver YAML-Alias", "recursive YAML alias", n.start_mark.line + 1)
    if n.tag not in _SAFE_TAGS:
        tag = n.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(f"nicht erlaubter YAML-Tag {_q(tag)} (nur einfache Werte, Listen und Zuordnungen)",
                       f"YAML tag {_q(tag)} not allowed (only plain values, lists and mappings)",
                       n.start_mark.line + 1)
    active.add(key)
    if isinstance(n, yaml.SequenceNode):
        size = 1 + sum(_check_graph(c, sizes, active) for c in n.value)
    elif isinstance(n, yaml.MappingNode):
        size = 1 + sum(_check_graph(k, sizes, active) + _check_graph(v, sizes, active) for k, v in n.value)
    else:
        size = 1
    active.discard(key)
    if size > MAX_YAML_NODES:
        raise _Refused(f"YAML zu groß nach Auflösen der Aliase (mehr als {MAX_YAML_NODES} Werte)",
                       f"YAML too large after resolving aliases (more than {MAX_YAML_NODES} values)",
                       n.start_mark.line + 1)
    sizes[key] = size
    return size


def _to_node(n: yaml.Node, line: int, file: str, problems: _Problems) -> _Node:
    """Convert a checked YAML node; ``line`` is the line of the key that holds it."""
    if isinstance(n, yaml.ScalarNode):
        return _Node(None if n.tag == _NULL_TAG else n.value, line, n)
    if isinstance(n, yaml.SequenceNode):
        return _Node([_to_node(c, c.start_mark.line + 1, file, problems) for c in n.value], line, n)
    mapping: dict[str, _Node] = {}
    for k, v in n.value:
        key_line = k.start_mark.line + 1
        if not isinstance(k, yaml.ScalarNode):
            problems.add(file, key_line, "", "Schlüssel muss ein einfacher Wert sein; ignoriert",
                         "key must be a plain value; ignored")
            continue
        if k.value in mapping:
            problems.add(file, key_line, k.value, f"Schlüssel {_q(k.value)} doppelt; der letzte gilt",
                         f"key {_q(k.value)} appears twice; the last one counts")
        mapping[k.value] = _to_node(v, key_line, file, problems)
    return _Node(mapping, line, n)


def _native(node: _Node) -> Any:
    """Plain Python value of a node (YAML via the safe constructor)."""
    if isinstance(node.src, yaml.Node):
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_document(node.src)
        finally:
            loader.dispose()
    if isinstance(node.value, dict):
        return {k: _native(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_native(v) for v in node.value]
    return node.value


def _read_yaml_file(source: _Source, filename: str, problems: _Problems) -> tuple[str, Optional[_Node]]:
    """(name in bundle, tree) of a YAML file; raises ``_Refused`` when it cannot be used."""
    name = source.find(filename)
    assert name is not None
    refusal = source.check(name, MAX_YAML_BYTES)
    if refusal:
        raise _Refused(*refusal)
    try:
        with source.open(name) as stream:
            data = stream.read(MAX_YAML_BYTES + 1)
    except _READ_ERRORS as e:
        raise _Refused(f"Datei nicht lesbar ({type(e).__name__})", f"file not readable ({type(e).__name__})")
    return name, _yaml_tree(data, name, problems)


# --- contract.yaml / invoice.yaml ----------------------------------------------

_KIND_NAMES = {dict: ("eine Zuordnung", "a mapping"), list: ("eine Liste", "a list")}


class _Fields:
    """Reads typed values out of a ``_Node`` mapping and reports what is wrong with them."""

    def __init__(self, file: str, problems: _Problems, entity: tuple[str, str] = ("", "")):
        self.file, self.problems, self.entity = file, problems, entity
        self.fatal: list[tuple[int, str, str, str]] = []  # (line, path, de, en) of values the model needs

    def report(self, line: int, path: str, de: str, en: str, *, severity: str = "error") -> None:
        self.problems.add(self.file, line, path, de, en, severity=severity, entity=self.entity)

    def mapping(self, node: Optional[_Node], path: str) -> Optional[dict[str, _Node]]:
        if node is None or node.value is None:
            return None
        if not isinstance(node.value, dict):
            self.report(node.line, path, "erwartet eine Zuordnung (Schlüssel: Wert)",
                        "expected a mapping (key: value)")
            return None
        return node.value

    def unknown(self, m: dict[str, _Node], allowed: Iterable[str], prefix: str) -> None:
        allowed = set(allowed)
        for key, node in m.items():
            if key not in allowed:
                self.report(node.line, prefix + key, f"unbekannter Schlüssel {_q(key)} wird ignoriert",
                            f"unknown key {_q(key)} is ignored", severity="warning")

    def get(self, m: dict[str, _Node], key: str, parse: Callable[[Any], Any], prefix: str, parent_line: int,
            *, required: bool = False, fatal: bool = False) -> Any:
        """The parsed value, or None when it is missing (reported if required) or bad (reported)."""
        path = prefix + key
        node = m.get(key)
        if node is None or node.value is None or (isinstance(node.value, str) and not node.value.strip()):
            if required or fatal:
                line = node.line if node is not None else parent_line
                self.report(line, path, "Pflichtangabe fehlt", "required value missing")
                if fatal:
                    self.fatal.append((line, path, "Pflichtangabe fehlt", "required value missing"))
            return None
        if isinstance(node.value, (dict, list)):
            de, en = _KIND_NAMES[type(node.value)]
            bad = _Bad(f"erwartet einen einfachen Wert, gefunden {de}", f"expected a plain value, found {en}")
        else:
            try:
                return parse(node.value)
            except _Bad as b:
                bad = b
        self.report(node.line, path, bad.de, bad.en)
        if fatal:
            self.fatal.append((node.line, path, bad.de, bad.en))
        return None


def _items(node: Optional[_Node]) -> list[_Node]:
    """A list, or a single mapping taken as a list of one (``extension`` may be either)."""
    if node is None or node.value is None:
        return []
    return node.value if isinstance(node.value, list) else [node]


_CONTRACT_KEYS = ("contract_id", "provider_id", "provider_name", "agency", "pre_phases",
                  "accompanying_phase", "parameters")
_PRE_PHASE_KEYS = ("start", "end", "places", "price_per_place_month", "staffing")
_ACCOMPANYING_KEYS = ("start", "end", "extension", "price_per_hour", "minimum_share", "contingents")
_PERIOD_KEYS = ("start", "end")
_CONTINGENT_KEYS = ("year", "start", "end", "hours")
_INVOICE_KEYS = ("contract_year", "billed_hours", "carry_in_hours", "carry_out_hours", "settlement_amount")


def _parse_contract(root: Optional[_Node], file: str, problems: _Problems) -> Contract:
    """Build the contract; raise ``BundleError`` when a value the model needs is missing or bad."""
    f = _Fields(file, problems)
    top = f.mapping(root, "")
    if top is None:
        raise BundleError(f"{file}: erwartet eine Zuordnung mit den Vertragsangaben (Schlüssel: Wert)",
                          f"{file}: expected a mapping with the contract data (key: value)")
    line = root.line
    contract_id = f.get(top, "contract_id", _text, "", line, fatal=True)
    if contract_id:
        f.entity = ("contract", contract_id)
    f.unknown(top, _CONTRACT_KEYS, "")
    provider_id = f.get(top, "provider_id", _text, "", line, fatal=True)
    provider_name = f.get(top, "provider_name", _text, "", line)
    agency = f.get(top, "agency", _text, "", line)

    pre_phases = []
    for i, item in enumerate(_items(top.get("pre_phases")), 1):
        prefix = f"pre_phases[{i}]."
        m = f.mapping(item, prefix[:-1])
        if m is None:
            continue
        f.unknown(m, _PRE_PHASE_KEYS, prefix)
        start = f.get(m, "start", parse_date, prefix, item.line, required=True)
        end = f.get(m, "end", parse_date, prefix, item.line, required=True)
        places = f.get(m, "places", _nonneg_int, prefix, item.line, required=True)
        price = f.get(m, "price_per_place_month", _nonneg_dec, prefix, item.line, required=True)
        staffing = _staffing(f, m.get("staffing"), prefix + "staffing", item.line)
        if start and end and places is not None:
            pre_phases.append(PrePhase(loc=Loc(file=file, line=item.line), index=i, start=start, end=end,
                                       places=places, price_per_place_month=price or Decimal("0"),
                                       staffing=staffing))

    acc_node = top.get("accompanying_phase")
    acc = f.mapping(acc_node, "accompanying_phase")
    accompanying = None
    if acc is None:
        if acc_node is None or acc_node.value is None:
            f.report(line, "accompanying_phase", "Pflichtangabe fehlt", "required value missing")
            f.fatal.append((line, "accompanying_phase", "Pflichtangabe fehlt", "required value missing"))
        else:
            f.fatal.append((acc_node.line, "accompanying_phase", "erwartet eine Zuordnung", "expected a mapping"))
    else:
        accompanying = _accompanying(f, acc, acc_node.line)

    parameters: dict = {}
    params_node = top.get("parameters")
    if f.mapping(params_node, "parameters") is not None:
        try:
            parameters = _native(params_node)
        except Exception as e:  # e.g. a date YAML recognises but that does not exist
            f.report(params_node.line, "parameters", f"Werte nicht lesbar ({type(e).__name__})",
                     f"values not readable ({type(e).__name__})")

    if f.fatal or accompanying is None:
        raise BundleError(
            f"{file}: Vertrag kann nicht gelesen werden – "
            + "; ".join(f"Zeile {ln}: {path}: {de}" for ln, path, de, _ in f.fatal),
            f"{file}: contract cannot be read – "
            + "; ".join(f"line {ln}: {path}: {en}" for ln, path, _, en in f.fatal))
    return Contract(loc=Loc(file=file, line=line), contract_id=contract_id, provider_id=provider_id,
                    provider_name=provider_name, agency=agency, pre_phases=pre_phases,
                    accompanying_phase=accompanying, parameters=parameters,
                    parameters_line=params_node.line if params_node is not None else 0,
                    parameter_lines=_key_lines(params_node))


def _key_lines(node: Optional[_Node]) -> dict[str, int]:
    """Line of each key of a mapping and of the keys one level below ("key", "key.sub")."""
    out: dict[str, int] = {}
    if node is None or not isinstance(node.value, dict):
        return out
    for key, child in node.value.items():
        out[key] = child.line
        if isinstance(child.value, dict):
            out.update({f"{key}.{sub}": grandchild.line for sub, grandchild in child.value.items()})
    return out


def _staffing(f: _Fields, node: Optional[_Node], path: str, parent_line: int) -> dict[str, Decimal]:
    m = f.mapping(node, path)
    if m is None:
        if node is None or node.value is None:
            f.report(parent_line, path, "Pflichtangabe fehlt", "required value missing")
        return {}
    role = _code_parser(ROLES)
    result = {}
    for key in m:
        try:
            code = role(key)
        except _Bad as b:
            f.report(m[key].line, f"{path}.{key}", b.de, b.en)
            continue
        value = f.get(m, key, _positive_dec, path + ".", m[key].line, required=True)
        if value is not None:
            result[code] = value
    return result


def _accompanying(f: _Fields, m: dict[str, _Node], line: int) -> Optional[AccompanyingPhase]:
    prefix = "accompanying_phase."
    f.unknown(m, _ACCOMPANYING_KEYS, prefix)
    start = f.get(m, "start", parse_date, prefix, line, fatal=True)
    end = f.get(m, "end", parse_date, prefix, line, fatal=True)
    extensions = []
    ext_node = m.get("extension")
    many = ext_node is not None and isinstance(ext_node.value, list)
    for i, item in enumerate(_items(ext_node), 1):
        path = f"{prefix}extension[{i}]" if many else f"{prefix}extension"
        period = _period(f, item, path, _PERIOD_KEYS, Period)
        if period:
            extensions.append(period)
    price = f.get(m, "price_per_hour", _nonneg_dec, prefix, line, required=True)
    share = f.get(m, "minimum_share", _share, prefix, line)
    contingents = []
    cont_node = m.get("contingents")
    if cont_node is None or cont_node.value is None:
        f.report(line, prefix + "contingents", "Pflichtangabe fehlt", "required value missing")
    for i, item in enumerate(_items(cont_node), 1):
        c = _period(f, item, f"{prefix}contingents[{i}]", _CONTINGENT_KEYS, Contingent,
                    year=_year_int, hours=_nonneg_dec)
        if c:
            contingents.append(c)
    if not (start and end):
        return None
    values: dict[str, Any] = {}
    if price is not None:
        values["price_per_hour"] = price
    if share is not None:
        values["minimum_share"] = share
        values["minimum_share_line"] = m["minimum_share"].line
    return AccompanyingPhase(loc=Loc(file=f.file, line=line), start=start, end=end, extensions=extensions,
                             contingents=contingents, **values)


def _period(f: _Fields, item: _Node, path: str, keys: tuple[str, ...], model: type[Record],
            **extra: Callable[[Any], Any]) -> Optional[Record]:
    """A start/end record (extension, contingent) from a mapping; None when incomplete."""
    m = f.mapping(item, path)
    if m is None:
        return None
    f.unknown(m, keys, path + ".")
    parsers = {"start": parse_date, "end": parse_date, **extra}
    values = {k: f.get(m, k, p, path + ".", item.line, required=True) for k, p in parsers.items()}
    if any(v is None for v in values.values()):
        return None
    return model(loc=Loc(file=f.file, line=item.line), **values)


def _parse_invoice(root: Optional[_Node], file: str, problems: _Problems) -> Optional[Invoice]:
    f = _Fields(file, problems)
    m = f.mapping(root, "")
    if m is None:
        if root is None or root.value is None:
            f.report(0, "", "Datei ist leer", "file is empty")
        return None
    f.unknown(m, _INVOICE_KEYS, "")
    year = f.get(m, "contract_year", _year_int, "", root.line, required=True)
    values = {k: f.get(m, k, _nonneg_dec, "", root.line) for k in _INVOICE_KEYS[1:4]}
    values["settlement_amount"] = f.get(m, "settlement_amount", parse_decimal, "", root.line)
    if year is None:
        return None
    return Invoice(loc=Loc(file=file, line=root.line), contract_year=year, **values)


# --- workbook (.xlsx) ----------------------------------------------------------

def _sheet_rows(ws) -> Iterator[tuple[int, list[str]]]:
    max_col = min(ws.max_column or MAX_COLUMNS, MAX_COLUMNS)
    for line, row in enumerate(ws.iter_rows(min_row=1, max_col=max_col, values_only=True), 1):
        yield line, [_cell_str(v) for v in row]


_SHEET_LISTS = (("pre_phases",), ("accompanying_phase", "contingents"))


def _sheet_tree(ws, file: str, problems: _Problems) -> _Node:
    """A key/value sheet (column A dotted key, column B value) as a ``_Node`` tree.

    ``pre_phases.1.start`` addresses the first pre-phase; all-numeric levels
    become lists. Empty keys and keys starting with ``#`` are skipped, as is a
    first row reading ``key | value``.
    """
    root = _Node({}, 1)
    for line, row in enumerate(ws.iter_rows(min_row=1, max_col=2, values_only=True), 1):
        key = _cell_str(row[0] if row else None).strip()
        value = row[1] if len(row) > 1 else None
        if not key or key.startswith("#") or (line == 1 and key.lower() == "key"):
            continue
        if isinstance(value, str):
            value = value.strip() or None
        parts = [p.strip() for p in key.split(".")]
        bad_index = next((parts[len(lp)] for lp in _SHEET_LISTS
                          if tuple(parts[:len(lp)]) == lp and len(parts) > len(lp)
                          and not re.fullmatch(r"[1-9][0-9]?", parts[len(lp)])), None)
        if bad_index is not None:
            problems.add(file, line, key, f"Schlüssel {_q(key)}: Position {_q(bad_index)} ist keine Nummer "
                         "von 1 bis 99; Zeile ignoriert",
                         f"key {_q(key)}: position {_q(bad_index)} is not a number from 1 to 99; row ignored")
            continue
        node = root
        for depth, part in enumerate(parts):
            if not isinstance(node.value, dict):
                problems.add(file, line, key, f"Schlüssel {_q(key)} widerspricht einer früheren Zeile; ignoriert",
                             f"key {_q(key)} conflicts with an earlier row; ignored")
                break
            last = depth == len(parts) - 1
            if last:
                if part in node.value:
                    problems.add(file, line, key, f"Schlüssel {_q(key)} doppelt; der letzte gilt",
                                 f"key {_q(key)} appears twice; the last one counts")
                node.value[part] = _Node(value, line)
            else:
                node = node.value.setdefault(part, _Node({}, line))
    return _lists(root)


def _lists(node: _Node) -> _Node:
    """Turn mappings whose keys are all numbers (1, 2, ...) into lists."""
    if isinstance(node.value, dict):
        children = {k: _lists(v) for k, v in node.value.items()}
        if children and all(_NUMBER_KEY.fullmatch(k) for k in children):
            return _Node([children[k] for k in sorted(children, key=int)], node.line)
        return _Node(children, node.line)
    return node


def _open_workbook(path: Path, limits: _Limits):
    """Open a workbook read-only (streaming), after the same zip-bomb checks as a zip bundle."""
    import openpyxl  # imported here: only workbook bundles need it

    try:
        with zipfile.ZipFile(path) as zf:
            for info in _check_zip(zf, path.name):
                if info.file_size > limits.max_file_bytes:
                    raise BundleError(f'"{path.name}": Arbeitsmappe zu groß', f'"{path.name}": workbook too large')
        # data_only: a formula cell is read as its last computed value
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except BundleError:
        raise
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise BundleError(f'"{path.name}" ist keine lesbare .xlsx-Datei ({type(e).__name__})',
                          f'"{path.name}" is not a readable .xlsx file ({type(e).__name__})') from None


# --- bundle --------------------------------------------------------------------

def read_bundle(path: str | Path, *, max_file_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS,
                max_cell_chars: int = MAX_CELL_CHARS) -> Submission:
    """Read a bundle (directory, ``.zip`` or ``.xlsx``) into a ``Submission``.

    Bad content never raises: it becomes ``Submission.problems``. ``BundleError``
    is raised only when the bundle cannot be read at all (missing path, unknown
    container, no or unusable contract).
    """
    path = Path(path)
    limits = _Limits(max_file_bytes, max_rows, max_cell_chars)
    try:
        return _read_any(path, limits)
    except OSError as e:  # e.g. no permission to list the directory
        raise BundleError(f'"{path.name}" kann nicht gelesen werden ({type(e).__name__})',
                          f'"{path.name}" cannot be read ({type(e).__name__})') from None


def _read_any(path: Path, limits: _Limits) -> Submission:
    if not path.exists():
        raise BundleError(f'Einreichung "{path}" nicht gefunden', f'submission "{path}" not found')
    if path.is_dir():
        return _read_files(_DirSource(path), limits)
    suffix = path.suffix.lower()
    if path.is_file() and suffix == ".zip":  # members are size-checked one by one
        source = _ZipSource(path)
        try:
            return _read_files(source, limits)
        finally:
            source.close()
    if path.is_file() and suffix == ".xlsx":
        if path.stat().st_size > limits.max_file_bytes:
            raise BundleError(f'"{path.name}" ist zu groß', f'"{path.name}" is too large')
        return _read_workbook(path, limits)
    raise BundleError(f'"{path.name}" ist weder ein Verzeichnis noch eine .zip- oder .xlsx-Datei',
                      f'"{path.name}" is neither a directory nor a .zip or .xlsx file')


def _load_contract(source: _Source, problems: _Problems) -> Contract:
    if source.find(CONTRACT_FILE) is None:
        raise BundleError(f'{CONTRACT_FILE} fehlt in "{source.name}"', f'{CONTRACT_FILE} missing in "{source.name}"')
    try:
        name, tree = _read_yaml_file(source, CONTRACT_FILE, problems)
    except _Refused as r:
        where = f" Zeile {r.line}" if r.line else ""
        where_en = f" line {r.line}" if r.line else ""
        raise BundleError(f"{CONTRACT_FILE}{where}: {r.de}", f"{CONTRACT_FILE}{where_en}: {r.en}") from None
    return _contract_guard(lambda: _parse_contract(tree, name, problems))


def _contract_guard(parse: Callable[[], Contract]) -> Contract:
    """An unexpected error while building the contract is a ``BundleError``, not a crash."""
    try:
        return parse()
    except (BundleError, MemoryError):  # memory: the worker reports it for the bundle
        raise
    except Exception as e:  # noqa: BLE001 - read_bundle must not fail on content
        raise BundleError(f"Vertrag kann nicht gelesen werden (interner Fehler {type(e).__name__})",
                          f"contract cannot be read (internal error {type(e).__name__})") from e


def _load_invoice(source: _Source, problems: _Problems) -> Optional[Invoice]:
    name = source.find(INVOICE_FILE)
    if name is None:
        return None
    try:
        name, tree = _read_yaml_file(source, INVOICE_FILE, problems)
    except _Refused as r:
        problems.add(name, r.line, "", f"{r.de}; nicht gelesen", f"{r.en}; not read")
        return None
    return _parse_invoice(tree, name, problems)


_KNOWN_FILES = {s.file for s in _SPECS} | {CONTRACT_FILE, INVOICE_FILE, "contract.yml", "invoice.yml"}


def _read_files(source: _Source, limits: _Limits) -> Submission:
    problems = _Problems()
    contract = _load_contract(source, problems)
    for name in sorted(source.names()):
        if name.lower().endswith((".csv", ".yaml", ".yml")) and name.lower() not in _KNOWN_FILES:
            problems.add(name, 0, "", f"unbekannte Datei {_q(name)} wird ignoriert",
                         f"unknown file {_q(name)} is ignored", severity="warning")
    tables = {}
    for spec in _SPECS:
        tables[spec.attr] = _guard(spec.file, problems, _TableResult(readable=False),
                                   lambda: _read_csv_file(source, spec, problems, limits))
    invoice = _guard(INVOICE_FILE, problems, None, lambda: _load_invoice(source, problems))
    return _finish(source.name, contract, tables, invoice, problems)


def _read_workbook(path: Path, limits: _Limits) -> Submission:
    problems = _Problems()
    wb = _open_workbook(path, limits)
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        beside = _DirSource(path.parent)
        if "contract" in sheets:
            if beside.find(CONTRACT_FILE):
                problems.add("contract", 0, "", f"{CONTRACT_FILE} neben der Arbeitsmappe wird ignoriert",
                             f"{CONTRACT_FILE} beside the workbook is ignored", severity="warning")
            ws = sheets["contract"]
            contract = _contract_guard(lambda: _parse_contract(_sheet_tree(ws, ws.title, problems), ws.title,
                                                               problems))
        elif beside.find(CONTRACT_FILE):
            contract = _load_contract(beside, problems)
        else:
            raise BundleError(f'"{path.name}": Tabellenblatt "contract" und {CONTRACT_FILE} fehlen',
                              f'"{path.name}": sheet "contract" and {CONTRACT_FILE} missing')
        known = {s.sheet for s in _SPECS} | {"contract", "invoice"}
        for title, ws in sheets.items():
            if title not in known:
                problems.add(ws.title, 0, "", f"unbekanntes Tabellenblatt {_q(ws.title)} wird ignoriert",
                             f"unknown sheet {_q(ws.title)} is ignored", severity="warning")
        tables = {}
        for spec in _SPECS:
            ws = sheets.get(spec.sheet)
            if ws is None:
                if spec.file not in _OPTIONAL_FILES:
                    problems.add(spec.sheet, 0, "", f"Pflicht-Tabellenblatt {spec.sheet} fehlt",
                                 f"required sheet {spec.sheet} missing")
                tables[spec.attr] = _TableResult(readable=spec.file in _OPTIONAL_FILES)
                continue
            tables[spec.attr] = _guard(ws.title, problems, _TableResult(readable=False),
                                       lambda: _read_table(spec, ws.title, _sheet_rows(ws), problems, limits,
                                                           pad_short_rows=True))
        if "invoice" in sheets:
            ws = sheets["invoice"]
            invoice = _guard(ws.title, problems, None,
                             lambda: _parse_invoice(_sheet_tree(ws, ws.title, problems), ws.title, problems))
        else:
            invoice = _guard(INVOICE_FILE, problems, None, lambda: _load_invoice(beside, problems))
    finally:
        wb.close()
    return _finish(path.name, contract, tables, invoice, problems)


def _guard(file: str, problems: _Problems, fallback: Any, read: Callable[[], Any]) -> Any:
    """Run one file's reader; an unexpected error becomes a problem instead of aborting the bundle."""
    try:
        return read()
    except MemoryError:  # the worker reports it for the bundle
        raise
    except Exception as e:  # noqa: BLE001 - read_bundle must not fail on content
        problems.add(file, 0, "", f"Datei konnte nicht gelesen werden (interner Fehler {type(e).__name__})",
                     f"file could not be read (internal error {type(e).__name__})")
        return fallback


def _finish(name: str, contract: Contract, tables: dict[str, _TableResult], invoice: Optional[Invoice],
            problems: _Problems) -> Submission:
    sub = Submission(name=name, contract=contract, invoice=invoice, problems=list(problems),
                     **{attr: t.records for attr, t in tables.items()})
    unread = {attr for attr, t in tables.items() if not t.readable}
    extra = {attr: t.dropped_ids for attr, t in tables.items()}
    sub.problems.extend(validate_references(sub, unread=unread, extra_ids=extra))
    return sub


# --- references and periods ------------------------------------------------------

def _de_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def validate_references(sub: Submission, *, unread: Iterable[str] = (),
                        extra_ids: Optional[Mapping[str, Iterable[str]]] = None) -> list[InputProblem]:
    """Duplicate ids, references to unknown staff/participants and periods that end before they start.

    ``unread``: tables (``"staff"``, ``"participants"``) that could not be read;
    references into them are not checked, since every one would be reported.
    ``extra_ids``: ids of rows that exist but were dropped for bad values
    (per table), so references to them are not reported as unknown.
    """
    problems = _Problems()
    unread = set(unread)
    extra = {k: set(v) for k, v in (extra_ids or {}).items()}

    def duplicates(records, key, label, entity_type):
        first: dict[Any, Record] = {}
        for r in records:
            k = key(r)
            if k in first:
                shown = k if isinstance(k, str) else " / ".join(k)
                problems.add(r.loc.file, r.loc.line, label, f"{label} {_q(shown)} kommt mehrfach vor "
                             f"(zuerst in Zeile {first[k].loc.line})",
                             f"{label} {_q(shown)} appears more than once (first on line {first[k].loc.line})",
                             entity=(entity_type, k if isinstance(k, str) else k[0]))
            else:
                first[k] = r

    duplicates(sub.staff, lambda r: r.staff_id, "staff_id", "staff")
    duplicates(sub.services, lambda r: r.service_id, "service_id", "service")
    duplicates(sub.participants, lambda r: (r.participant_id, r.phase), "participant_id/phase", "participant")

    staff_ids = {s.staff_id for s in sub.staff} | extra.get("staff", set())
    participant_ids = {p.participant_id for p in sub.participants} | extra.get("participants", set())
    staff_file = sub.staff[0].loc.file if sub.staff else "staff.csv"
    participants_file = sub.participants[0].loc.file if sub.participants else "participants.csv"

    def unknown(r, column, value, known, table, target_file, entity):
        if table in unread or value in known:
            return
        problems.add(r.loc.file, r.loc.line, column, f"{column} {_q(value)} nicht in {target_file}",
                     f"{column} {_q(value)} not found in {target_file}", entity=entity)

    for s in sub.services:
        entity = ("service", s.service_id)
        unknown(s, "staff_id", s.staff_id, staff_ids, "staff", staff_file, entity)
        for pid in s.participant_ids:
            unknown(s, "participant_ids", pid, participant_ids, "participants", participants_file, entity)
    for rp in sub.reference_persons:
        entity = ("participant", rp.participant_id)
        unknown(rp, "participant_id", rp.participant_id, participant_ids, "participants", participants_file, entity)
        unknown(rp, "staff_id", rp.staff_id, staff_ids, "staff", staff_file, entity)
    for su in sub.suspensions:
        unknown(su, "participant_id", su.participant_id, participant_ids, "participants", participants_file,
                ("participant", su.participant_id))

    def period(r, start, end, column, entity):
        if start is not None and end is not None and end < start:
            problems.add(r.loc.file, r.loc.line, column,
                         f"Ende {_de_date(end)} liegt vor Beginn {_de_date(start)}",
                         f"end {end.isoformat()} is before start {start.isoformat()}", entity=entity)

    for s in sub.staff:
        period(s, s.employed_from, s.employed_to, "employed_to", ("staff", s.staff_id))
    for p in sub.participants:
        period(p, p.from_, p.to, "to", ("participant", p.participant_id))
        period(p, p.training_start, p.training_end, "training_end", ("participant", p.participant_id))
    for rp in sub.reference_persons:
        period(rp, rp.from_, rp.to, "to", ("participant", rp.participant_id))
    for su in sub.suspensions:
        period(su, su.from_, su.to, "to", ("participant", su.participant_id))
    c = sub.contract
    if c is not None:
        entity = ("contract", c.contract_id)
        for pp in c.pre_phases:
            period(pp, pp.start, pp.end, f"pre_phases[{pp.index}].end", entity)
        acc = c.accompanying_phase
        period(acc, acc.start, acc.end, "accompanying_phase.end", entity)
        for i, e in enumerate(acc.extensions, 1):
            period(e, e.start, e.end, "accompanying_phase.extension.end", entity)
        for i, ct in enumerate(acc.contingents, 1):
            period(ct, ct.start, ct.end, f"accompanying_phase.contingents[{i}].end", entity)
    return list(problems)
