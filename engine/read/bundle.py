"""Read a provider submission bundle (directory, .zip or .xlsx) into a ``Submission``.

The data contract is ``docs/submission-format.md``. The reader accepts what
German spreadsheet tools really produce (``;``, Windows-1252, ``TT.MM.JJJJ``,
decimal comma) and never gives up on a bundle because of bad content: every
bad value becomes an ``InputProblem`` with file, line and column, the rest is
still read. Only a bundle that cannot be read at all raises ``BundleError``.

This module holds the CSV/sheet table specs and the bundle as a whole. Its
parts: ``read_values`` (cell values), ``read_csv`` (CSV text), ``read_sources``
(folder and zip containers), ``read_workbook`` (.xlsx sheets),
``read_contract`` (contract.yaml, invoice.yaml, contract sheet),
``read_references`` (checks across files), ``read_limits`` (limits and the
problem list).

Hostile input is bounded: file size, row count and cell length are limited,
zip members are size- and ratio-checked before anything is decompressed, YAML
is parsed with the safe loader only and refused when it uses custom tags, too
many aliases or expands to too many nodes (alias bombs).

Nothing here logs cell contents; messages quote an offending value because
the auditor needs to see it (values are shortened and control characters
escaped).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional

from pydantic import ValidationError

from engine.read.contract import Refused, parse_contract, parse_invoice, read_yaml_file
from engine.read.csv_text import csv_rows, sniff_encoding
from engine.read.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_PROBLEMS_PER_FILE,
    MAX_ROWS,
    BundleError,
    Limits,
    Problems,
)
from engine.read.references import validate_references
from engine.read.containers import (
    CONTRACT_FILE,
    INVOICE_FILE,
    READ_ERRORS,
    DirSource,
    Source,
    ZipSource,
    ambiguous,
    safe_name,
)
from engine.read.values import (
    BadValue,
    code_parser,
    fte_value,
    minutes_value,
    months_value,
    parse_date,
    parse_decimal,
    parse_int,
    parse_list,
    parse_time,
    plain_text,
    quote,
    shared_id,
)
from engine.read.workbook import key_values, open_workbook, sheet_rows, worksheets
from schemas.submission import (
    ATTENDANCES,
    ELEMENTS,
    EMPLOYMENTS,
    MODES,
    PHASES,
    ROLES,
    Contract,
    Invoice,
    Loc,
    Participant,
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
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_time",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_CELL_CHARS",
    "MAX_LINE_CHARS",
    "MAX_PROBLEMS_PER_FILE",
]

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
        _req("staff_id", shared_id),
        _req("role", code_parser(ROLES)),
        _req("employment", code_parser(EMPLOYMENTS)),
        _req("employer_id", plain_text),
        _req("employed_from", parse_date),
        _Col("employed_to", parse_date),
        _req("fte", fte_value),
        _Col("qualifications", parse_list, default=()),
        _Col("youth_experience_months", months_value, default=0),
        _Col("equivalence_ref", plain_text, column_required=False),
    ), "staff", "staff_id"),
    _FileSpec("participants.csv", "participants", Participant, (
        _req("participant_id", shared_id),
        _req("phase", code_parser(PHASES)),
        _req("from", parse_date),
        _Col("to", parse_date),
        _Col("training_start", parse_date, column_required=False),
        _Col("training_end", parse_date, column_required=False),
        _Col("training_completed_on", parse_date, column_required=False),
        _Col("employment_start", parse_date, column_required=False),
        _Col("extension_reason", plain_text, column_required=False),
    ), "participant", "participant_id"),
    _FileSpec("reference_persons.csv", "reference_persons", ReferencePerson, (
        _req("participant_id", shared_id),
        _req("staff_id", shared_id),
        _req("from", parse_date),
        _Col("to", parse_date),
        _Col("change_reason", plain_text, column_required=False),
    ), "participant", "participant_id"),
    _FileSpec("suspensions.csv", "suspensions", Suspension, (
        _req("participant_id", shared_id),
        _req("from", parse_date),
        _req("to", parse_date),
        _Col("reason", plain_text, column_required=False),
    ), "participant", "participant_id"),
    _FileSpec("services.csv", "services", Service, (
        _req("service_id", plain_text),
        _req("date", parse_date),
        _req("start", parse_time),
        _req("minutes", minutes_value),
        _req("element", code_parser(ELEMENTS)),
        _req("phase", code_parser(PHASES)),
        _req("staff_id", shared_id),
        _req("participant_ids", parse_list),
        _Col("mode", code_parser(MODES), column_required=False),
        _Col("attendance", code_parser(ATTENDANCES), column_required=False, default="present"),
    ), "service", "service_id"),
)
_OPTIONAL_FILES = {"suspensions.csv"}
# sheets of the provider's template (asa-check template) that hold no data: not read, no warning
INSTRUCTION_SHEETS = {"anleitung", "instructions"}

# --- table reading (shared by CSV files and workbook sheets) -------------------

@dataclass
class _TableResult:
    records: list = field(default_factory=list)
    readable: bool = True  # False: file missing or unusable, references into it are not checked
    dropped_ids: set = field(default_factory=set)  # ids of rows dropped for bad values


def _read_table(spec: _FileSpec, file: str, rows: Iterable[tuple[int, list[str]]],
                problems: Problems, limits: Limits, *, pad_short_rows: bool) -> _TableResult:
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
    beyond = [c.strip() for c in header[MAX_COLUMNS:] if c.strip()]
    if beyond:  # never a quiet default for a column put out of reach
        problems.add(file, header_line, "", f"mehr als {MAX_COLUMNS} Spalten; ab Spalte {MAX_COLUMNS + 1} wird "
                     f"nichts gelesen ({quote(beyond[0])} …)",
                     f"more than {MAX_COLUMNS} columns; nothing from column {MAX_COLUMNS + 1} on is read "
                     f"({quote(beyond[0])} …)")
    for i, raw in enumerate(header[:MAX_COLUMNS]):
        name = raw.strip().lower()
        if not name:
            continue
        if name in index:
            problems.add(file, header_line, name, f"Spalte {quote(name)} kommt doppelt vor; die zweite wird ignoriert",
                         f"column {quote(name)} appears twice; the second one is ignored")
        elif name not in known:
            problems.add(file, header_line, name, f"unbekannte Spalte {quote(name)} wird ignoriert",
                         f"unknown column {quote(name)} is ignored", severity="warning")
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
            problems.add(file, header_line, col.name, f"Pflichtspalte {quote(col.name)} fehlt; {tail_de}",
                         f"required column {quote(col.name)} missing; {tail_en}")
    if fatal:
        result.readable = False
        return result

    seen: dict[int, int] = {}  # hash of the row's cells -> index in result.records
    plan = _row_plan(spec, index)
    entity_idx = index.get(spec.entity_col, -1)
    for line, cells in rows:
        if not "".join(cells).strip():  # an empty row (same as: no cell with more than white space)
            continue
        limits.rows_read += 1
        if limits.rows_read > limits.max_rows:  # one budget for the whole submission: memory follows rows
            problems.add(file, line, "", f"mehr als {limits.max_rows} Datenzeilen in der Einreichung; der Rest "
                         "dieser Datei wird nicht gelesen",
                         f"more than {limits.max_rows} data rows in the submission; the rest of this file "
                         "is not read", always=True)
            break
        entity_id = cells[entity_idx].strip()[:100] if 0 <= entity_idx < len(cells) else ""
        entity = (spec.entity_type, entity_id) if entity_id else ("", "")
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.add(file, line, "", f"Zeile hat {len(cells)} Felder, die Kopfzeile {width}; Zeile nicht gelesen",
                         f"row has {len(cells)} fields, the header {width}; row not read", entity=entity)
            continue
        if len(cells) < width and not pad_short_rows:
            lacking = [c.name for c in spec.cols if c.fatal_if_missing and index.get(c.name, -1) >= len(cells)]
            if lacking:  # one problem for the row, not one per empty required cell
                problems.add(file, line, "", f"Zeile hat {len(cells)} Felder, die Kopfzeile {width}; es fehlen "
                             f"Pflichtwerte ({', '.join(lacking)}); Zeile nicht gelesen",
                             f"row has {len(cells)} fields, the header {width}; required values missing "
                             f"({', '.join(lacking)}); row not read", entity=entity)
                if entity_id:
                    result.dropped_ids.add(entity_id)
                continue
            problems.add(file, line, "",
                         f"Zeile hat {len(cells)} Felder, die Kopfzeile {width}; fehlende Felder gelten als leer",
                         f"row has {len(cells)} fields, the header {width}; missing fields are taken as empty",
                         entity=entity)
        record = _build_row(spec, file, line, cells, plan, entity, problems, limits)
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


# values parsed once per distinct cell text and file (a file has few distinct dates, codes, ids)
MEMO_ENTRIES = 20_000
_UNKNOWN = object()


def _row_plan(spec: _FileSpec, index: Mapping[str, int]) -> list[tuple[_Col, int, Optional[dict], bool]]:
    """Per column of one file: (column, its cell's position or -1, memo of accepted values, plain text?).

    The memo maps a cell's text to the value it was accepted as before in this
    file; only accepted values are remembered, so every bad cell is still reported.
    Plain text needs no memo: a filled cell within the length limit is its value.
    """
    return [(c, index.get(c.name, -1), None if c.parse is plain_text else {}, c.parse is plain_text)
            for c in spec.cols]


def _build_row(spec: _FileSpec, file: str, line: int, cells: list[str], plan: list, entity: tuple[str, str],
               problems: Problems, limits: Limits) -> Optional[Record]:
    """One record from one row, or None when a required value is missing or bad."""
    values: dict[str, Any] = {"loc": Loc.trusted({"file": file, "line": line})}  # our own file name and line
    ok = True
    count = len(cells)
    for col, i, known, plain in plan:
        raw = cells[i].strip() if 0 <= i < count else ""
        if known is not None:
            value = known.get(raw, _UNKNOWN)
            if value is not _UNKNOWN:
                values[col.name] = value
                continue
        elif plain and raw and len(raw) <= limits.max_cell_chars:
            values[col.name] = raw
            continue
        try:
            if len(raw) > limits.max_cell_chars:
                # the value itself is not quoted: it may be free text
                raise BadValue(f"Zelle zu lang ({len(raw)} Zeichen, höchstens {limits.max_cell_chars})",
                           f"cell too long ({len(raw)} characters, at most {limits.max_cell_chars})")
            if not raw:
                if col.value_required:
                    raise BadValue("Pflichtwert fehlt", "required value missing")
                value = col.default
            else:
                value = col.parse(raw)
                if col.value_required and value == ():
                    raise BadValue("Pflichtwert fehlt", "required value missing")
            values[col.name] = value
            if known is not None and len(known) < MEMO_ENTRIES:
                known[raw] = value
        except BadValue as bad:
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


def _read_csv_file(source: Source, spec: _FileSpec, problems: Problems, limits: Limits) -> _TableResult:
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
    try:
        with source.open(name) as stream:
            enc = sniff_encoding(stream, name, problems)
        with source.open(name) as stream:
            return _read_table(spec, name, csv_rows(stream, enc, name, problems, limits), problems, limits,
                               pad_short_rows=False)
    except READ_ERRORS as e:
        problems.add(name, 0, "", f"Datei nicht lesbar ({type(e).__name__})", f"file not readable ({type(e).__name__})")
        return _TableResult(readable=False)


# --- bundle --------------------------------------------------------------------

def read_bundle(path: str | Path, *, max_file_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS,
                max_cell_chars: int = MAX_CELL_CHARS, max_line_chars: int = MAX_LINE_CHARS,
                max_problems: int = MAX_PROBLEMS_PER_FILE) -> Submission:
    """Read a bundle (directory, ``.zip`` or ``.xlsx``) into a ``Submission``.

    Bad content never raises: it becomes ``Submission.problems``. ``BundleError``
    is raised only when the bundle cannot be read at all (missing path, unknown
    container, no or unusable contract).
    """
    path = Path(path)
    limits = Limits(max_file_bytes, max_rows, max_cell_chars, max_line_chars, max_problems)
    try:
        return _read_any(path, limits)
    except OSError as e:  # e.g. no permission to list the directory
        raise BundleError(f'"{safe_name(path.name)}" kann nicht gelesen werden ({type(e).__name__})',
                          f'"{safe_name(path.name)}" cannot be read ({type(e).__name__})') from None


def _read_any(path: Path, limits: Limits) -> Submission:
    label = safe_name(path.name)
    if not path.exists():
        raise BundleError(f'Einreichung "{safe_name(str(path))}" nicht gefunden',
                          f'submission "{safe_name(str(path))}" not found')
    if path.is_dir():
        return _read_files(DirSource(path), limits)
    suffix = path.suffix.lower()
    if path.is_file() and suffix == ".zip":  # members are size-checked one by one
        source = ZipSource(path)
        try:
            return _read_files(source, limits)
        finally:
            source.close()
    if path.is_file() and suffix == ".xlsx":
        if path.stat().st_size > limits.max_file_bytes:
            raise BundleError(f'"{label}" ist zu groß', f'"{label}" is too large')
        return _read_workbook(path, limits)
    raise BundleError(f'"{label}" ist weder ein Verzeichnis noch eine .zip- oder .xlsx-Datei',
                      f'"{label}" is neither a directory nor a .zip or .xlsx file')


def _load_contract(source: Source, problems: Problems) -> Contract:
    if source.find(CONTRACT_FILE) is None:
        raise BundleError(f'{CONTRACT_FILE} fehlt in "{source.name}"', f'{CONTRACT_FILE} missing in "{source.name}"')
    try:
        name, tree = read_yaml_file(source, CONTRACT_FILE, problems)
    except Refused as r:
        where = f" Zeile {r.line}" if r.line else ""
        where_en = f" line {r.line}" if r.line else ""
        raise BundleError(f"{CONTRACT_FILE}{where}: {r.de}", f"{CONTRACT_FILE}{where_en}: {r.en}") from None
    return _contract_guard(lambda: parse_contract(tree, name, problems))


def _contract_guard(parse: Callable[[], Contract]) -> Contract:
    """An unexpected error while building the contract is a ``BundleError``, not a crash."""
    try:
        return parse()
    except (BundleError, MemoryError):  # memory: the worker reports it for the bundle
        raise
    except Exception as e:  # noqa: BLE001 - read_bundle must not fail on content
        raise BundleError(f"Vertrag kann nicht gelesen werden (interner Fehler {type(e).__name__})",
                          f"contract cannot be read (internal error {type(e).__name__})") from e


def _load_invoice(source: Source, problems: Problems) -> Optional[Invoice]:
    name = source.find(INVOICE_FILE)
    if name is None:
        return None
    try:
        name, tree = read_yaml_file(source, INVOICE_FILE, problems)
    except Refused as r:
        problems.add(name, r.line, "", f"{r.de}; nicht gelesen", f"{r.en}; not read")
        return None
    return parse_invoice(tree, name, problems)


_KNOWN_FILES = {s.file for s in _SPECS} | {CONTRACT_FILE, INVOICE_FILE, "contract.yml", "invoice.yml"}


def _read_files(source: Source, limits: Limits) -> Submission:
    problems = Problems(limits.max_problems)
    for file, de, en in source.notes:
        problems.add(file, 0, "", de, en, severity="warning")
    for canonical in [CONTRACT_FILE, INVOICE_FILE] + [s.file for s in _SPECS]:
        found = source.candidates(canonical)
        if len(found) > 1:
            ambiguous(problems, found, canonical)
    contract = _load_contract(source, problems)
    for name in sorted(source.names()):
        if name.lower().endswith((".csv", ".yaml", ".yml")) and name.lower() not in _KNOWN_FILES:
            problems.add(safe_name(name), 0, "", f"unbekannte Datei {quote(name)} wird ignoriert",
                         f"unknown file {quote(name)} is ignored", severity="warning")
    tables = {}
    for spec in _SPECS:
        tables[spec.attr] = _guard(spec.file, problems, _TableResult(readable=False),
                                   lambda: _read_csv_file(source, spec, problems, limits))
    invoice = _guard(INVOICE_FILE, problems, None, lambda: _load_invoice(source, problems))
    return _validated_submission(source.name, contract, tables, invoice, problems)


def _read_workbook(path: Path, limits: Limits) -> Submission:
    problems = Problems(limits.max_problems)
    wb = open_workbook(path, limits)
    try:
        sheets = worksheets(wb, problems)
        beside = DirSource(path.parent)
        for sheet, file in (("contract", CONTRACT_FILE), ("invoice", INVOICE_FILE)):
            if sheet in sheets and beside.find(file):
                ambiguous(problems, [sheets[sheet].title, beside.find(file)], file)
        if "contract" in sheets:
            ws = sheets["contract"]
            contract = _contract_guard(lambda: parse_contract(key_values(ws, problems), safe_name(ws.title),
                                                               problems))
        elif beside.find(CONTRACT_FILE):
            contract = _load_contract(beside, problems)
        else:
            raise BundleError(f'"{safe_name(path.name)}": Tabellenblatt "contract" und {CONTRACT_FILE} fehlen',
                              f'"{safe_name(path.name)}": sheet "contract" and {CONTRACT_FILE} missing')
        known = {s.sheet for s in _SPECS} | {"contract", "invoice"} | INSTRUCTION_SHEETS
        for title, ws in sheets.items():
            if title not in known:
                problems.add(safe_name(ws.title), 0, "", f"unbekanntes Tabellenblatt {quote(ws.title)} wird ignoriert",
                             f"unknown sheet {quote(ws.title)} is ignored", severity="warning")
        tables = {}
        for spec in _SPECS:
            ws = sheets.get(spec.sheet)
            if ws is None:
                if spec.file not in _OPTIONAL_FILES:
                    problems.add(spec.sheet, 0, "", f"Pflicht-Tabellenblatt {spec.sheet} fehlt",
                                 f"required sheet {spec.sheet} missing")
                tables[spec.attr] = _TableResult(readable=spec.file in _OPTIONAL_FILES)
                continue
            title = safe_name(ws.title)
            tables[spec.attr] = _guard(title, problems, _TableResult(readable=False),
                                       lambda: _read_table(spec, title, sheet_rows(ws, title, problems), problems,
                                                           limits, pad_short_rows=True))
        if "invoice" in sheets:
            ws = sheets["invoice"]
            invoice = _guard(safe_name(ws.title), problems, None,
                             lambda: parse_invoice(key_values(ws, problems), safe_name(ws.title), problems))
        else:
            invoice = _guard(INVOICE_FILE, problems, None, lambda: _load_invoice(beside, problems))
    finally:
        wb.close()
    return _validated_submission(safe_name(path.name), contract, tables, invoice, problems)


def _guard(file: str, problems: Problems, fallback: Any, read: Callable[[], Any]) -> Any:
    """Run one file's reader; an unexpected error becomes a problem instead of aborting the bundle."""
    try:
        return read()
    except MemoryError:  # the worker reports it for the bundle
        raise
    except Exception as e:  # noqa: BLE001 - read_bundle must not fail on content
        problems.add(file, 0, "", f"Datei konnte nicht gelesen werden (interner Fehler {type(e).__name__})",
                     f"file could not be read (internal error {type(e).__name__})")
        return fallback


def _validated_submission(name: str, contract: Contract, tables: dict[str, _TableResult],
                          invoice: Optional[Invoice], problems: Problems) -> Submission:
    """The tables read, their cross-references validated (ids that must exist), the problems closed."""
    sub = Submission(name=name, contract=contract, invoice=invoice,
                     **{attr: t.records for attr, t in tables.items()})
    unread = {attr for attr, t in tables.items() if not t.readable}
    extra = {attr: t.dropped_ids for attr, t in tables.items()}
    validate_references(sub, unread=unread, extra_ids=extra, problems=problems)
    problems.close()
    sub.problems = list(problems)
    sub.unlisted_service_errors = sorted(problems.unlisted_services)
    return sub
