"""contract.yaml, invoice.yaml and the workbook's contract sheet, read into models.

YAML is parsed with the safe loader only and refused when it uses custom tags,
too many aliases or expands to too many nodes (alias bombs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

import yaml

from engine.dates import months_counted
from engine.read.limits import (
    MAX_PERIOD_MONTHS,
    MAX_PERIODS,
    MAX_YAML_ALIASES,
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    BundleError,
    Problems,
)
from engine.read.containers import READ_ERRORS, Source
from engine.read.values import (
    BadValue,
    code_parser,
    cell_text,
    amount_value,
    hour_price,
    hours_value,
    parse_date,
    place_price,
    places_value,
    plain_text,
    quote,
    share_value,
    staffing_value,
    year_number,
)
from schemas.submission import (
    ROLES,
    AccompanyingPhase,
    Contingent,
    Contract,
    Invoice,
    Loc,
    Period,
    PrePhase,
    Record,
)

@dataclass
class Node:
    """A YAML or contract-sheet value with the line it came from.

    ``value`` is a dict (mapping), a list (sequence), ``None`` (empty) or a
    scalar: for YAML the raw text (so ``0042`` stays ``"0042"``), for a sheet
    the cell value. ``src`` is the YAML node, used to construct ``parameters``.
    """

    value: Any
    line: int
    src: Any = None


class Refused(Exception):
    def __init__(self, de: str, en: str, line: int = 0):
        super().__init__(en)
        self.de, self.en, self.line = de, en, line


_SAFE_TAGS = frozenset(t for t in yaml.SafeLoader.yaml_constructors if t) | {"tag:yaml.org,2002:merge"}
_NULL_TAG = "tag:yaml.org,2002:null"


def yaml_tree(data: bytes, file: str, problems: Problems) -> Optional[Node]:
    """Parse YAML safely into a ``Node`` tree; raise ``Refused`` when the file is unusable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        problems.add(file, 0, "", "Datei ist nicht UTF-8; als Windows-1252 gelesen",
                     "file is not UTF-8; read as Windows-1252", severity="warning")
    if _bracket_depth(text) > MAX_YAML_DEPTH:
        raise Refused("YAML zu tief verschachtelt", "YAML nested too deeply")
    try:
        aliases = depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise Refused("YAML zu tief verschachtelt", "YAML nested too deeply", event.start_mark.line + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise Refused(f"zu viele YAML-Aliase (mehr als {MAX_YAML_ALIASES})",
                                   f"too many YAML aliases (more than {MAX_YAML_ALIASES})",
                                   event.start_mark.line + 1)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = " ".join(str(e.problem or e.context or "").split())
        raise Refused(f"kein gültiges YAML ({problem})", f"not valid YAML ({problem})",
                       mark.line + 1 if mark else 0) from None
    except yaml.YAMLError as e:
        raise Refused("kein gültiges YAML", f"not valid YAML ({type(e).__name__})") from None
    except RecursionError:
        raise Refused("YAML zu tief verschachtelt", "YAML nested too deeply") from None
    if root is None:
        return None
    try:
        _check_graph(root, {}, set())
    except RecursionError:
        raise Refused("YAML zu tief verschachtelt", "YAML nested too deeply") from None
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
        raise Refused("rekursiver YAML-Alias", "recursive YAML alias", n.start_mark.line + 1)
    if n.tag not in _SAFE_TAGS:
        tag = n.tag.replace("tag:yaml.org,2002:", "!!")
        raise Refused(f"nicht erlaubter YAML-Tag {quote(tag)} (nur einfache Werte, Listen und Zuordnungen)",
                       f"YAML tag {quote(tag)} not allowed (only plain values, lists and mappings)",
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
        raise Refused(f"YAML zu groß nach Auflösen der Aliase (mehr als {MAX_YAML_NODES} Werte)",
                       f"YAML too large after resolving aliases (more than {MAX_YAML_NODES} values)",
                       n.start_mark.line + 1)
    sizes[key] = size
    return size


def _to_node(n: yaml.Node, line: int, file: str, problems: Problems) -> Node:
    """Convert a checked YAML node; ``line`` is the line of the key that holds it."""
    if isinstance(n, yaml.ScalarNode):
        return Node(None if n.tag == _NULL_TAG else n.value, line, n)
    if isinstance(n, yaml.SequenceNode):
        return Node([_to_node(c, c.start_mark.line + 1, file, problems) for c in n.value], line, n)
    mapping: dict[str, Node] = {}
    for k, v in n.value:
        key_line = k.start_mark.line + 1
        if not isinstance(k, yaml.ScalarNode):
            problems.add(file, key_line, "", "Schlüssel muss ein einfacher Wert sein; ignoriert",
                         "key must be a plain value; ignored")
            continue
        if k.value in mapping:
            problems.add(file, key_line, k.value, f"Schlüssel {quote(k.value)} doppelt; der letzte gilt",
                         f"key {quote(k.value)} appears twice; the last one counts")
        mapping[k.value] = _to_node(v, key_line, file, problems)
    return Node(mapping, line, n)


def _native(node: Node) -> Any:
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


def read_yaml_file(source: Source, filename: str, problems: Problems) -> tuple[str, Optional[Node]]:
    """(name in bundle, tree) of a YAML file; raises ``Refused`` when it cannot be used."""
    name = source.find(filename)
    assert name is not None
    refusal = source.check(name, MAX_YAML_BYTES)
    if refusal:
        raise Refused(*refusal)
    try:
        with source.open(name) as stream:
            data = stream.read(MAX_YAML_BYTES + 1)
    except READ_ERRORS as e:
        raise Refused(f"Datei nicht lesbar ({type(e).__name__})", f"file not readable ({type(e).__name__})")
    return name, yaml_tree(data, name, problems)


# --- contract.yaml / invoice.yaml ----------------------------------------------

_KIND_NAMES = {dict: ("eine Zuordnung", "a mapping"), list: ("eine Liste", "a list")}


class _Fields:
    """Reads typed values out of a ``Node`` mapping and reports what is wrong with them."""

    def __init__(self, file: str, problems: Problems, entity: tuple[str, str] = ("", "")):
        self.file, self.problems, self.entity = file, problems, entity
        self.fatal: list[tuple[int, str, str, str]] = []  # (line, path, de, en) of values the model needs

    def report(self, line: int, path: str, de: str, en: str, *, severity: str = "error") -> None:
        self.problems.add(self.file, line, path, de, en, severity=severity, entity=self.entity)

    def mapping(self, node: Optional[Node], path: str) -> Optional[dict[str, Node]]:
        if node is None or node.value is None:
            return None
        if not isinstance(node.value, dict):
            self.report(node.line, path, "erwartet eine Zuordnung (Schlüssel: Wert)",
                        "expected a mapping (key: value)")
            return None
        return node.value

    def unknown(self, m: dict[str, Node], allowed: Iterable[str], prefix: str) -> None:
        allowed = set(allowed)
        for key, node in m.items():
            if key not in allowed:
                self.report(node.line, prefix + key, f"unbekannter Schlüssel {quote(key)} wird ignoriert",
                            f"unknown key {quote(key)} is ignored", severity="warning")

    def get(self, m: dict[str, Node], key: str, parse: Callable[[Any], Any], prefix: str, parent_line: int,
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
            bad = BadValue(f"erwartet einen einfachen Wert, gefunden {de}", f"expected a plain value, found {en}")
        else:
            try:
                return parse(node.value)
            except BadValue as b:
                bad = b
        self.report(node.line, path, bad.de, bad.en)
        if fatal:
            self.fatal.append((node.line, path, bad.de, bad.en))
        return None


def _items(node: Optional[Node], f: Optional["_Fields"] = None, path: str = "") -> list[Node]:
    """A list, or a single mapping taken as a list of one (``extension`` may be either).

    With ``f``: at most MAX_PERIODS items; more is an error (each period costs the ledger its months)."""
    if node is None or node.value is None:
        return []
    items = node.value if isinstance(node.value, list) else [node]
    if f is not None and len(items) > MAX_PERIODS:
        f.report(items[MAX_PERIODS].line, path, f"mehr als {MAX_PERIODS} Einträge: die weiteren nicht gelesen",
                 f"more than {MAX_PERIODS} entries: the rest not read")
        return items[:MAX_PERIODS]
    return items


def _span_ok(f: "_Fields", line: int, path: str, start, end) -> bool:
    """A period of at most MAX_PERIOD_MONTHS: a longer one (0001-01-01 to 9999-12-31) is outside the data contract
    and would make the ledger build a month for each of its 120,000 months."""
    months = months_counted(start, end)
    if months <= MAX_PERIOD_MONTHS:
        return True
    f.report(line, path, f"Zeitraum von {months} Monaten liegt außerhalb des Datenvertrags (höchstens "
             f"{MAX_PERIOD_MONTHS}); nicht gelesen",
             f"period of {months} months is outside the data contract (at most {MAX_PERIOD_MONTHS}); not read")
    return False


_CONTRACT_KEYS = ("contract_id", "provider_id", "provider_name", "agency", "pre_phases",
                  "accompanying_phase", "parameters")
_PRE_PHASE_KEYS = ("start", "end", "places", "price_per_place_month", "staffing")
_ACCOMPANYING_KEYS = ("start", "end", "extension", "price_per_hour", "minimum_share", "contingents")
_PERIOD_KEYS = ("start", "end")
_CONTINGENT_KEYS = ("year", "start", "end", "hours")
_INVOICE_KEYS = ("contract_year", "billed_hours", "carry_in_hours", "carry_out_hours", "settlement_amount")


def parse_contract(root: Optional[Node], file: str, problems: Problems) -> Contract:
    """Build the contract; raise ``BundleError`` when a value the model needs is missing or bad."""
    f = _Fields(file, problems)
    top = f.mapping(root, "")
    if top is None:
        raise BundleError(f"{file}: erwartet eine Zuordnung mit den Vertragsangaben (Schlüssel: Wert)",
                          f"{file}: expected a mapping with the contract data (key: value)")
    line = root.line
    contract_id = f.get(top, "contract_id", plain_text, "", line, fatal=True)
    if contract_id:
        f.entity = ("contract", contract_id)
    f.unknown(top, _CONTRACT_KEYS, "")
    provider_id = f.get(top, "provider_id", plain_text, "", line, fatal=True)
    provider_name = f.get(top, "provider_name", plain_text, "", line)
    agency = f.get(top, "agency", plain_text, "", line)

    pre_phases = []
    for i, item in enumerate(_items(top.get("pre_phases"), f, "pre_phases"), 1):
        prefix = f"pre_phases[{i}]."
        m = f.mapping(item, prefix[:-1])
        if m is None:
            continue
        f.unknown(m, _PRE_PHASE_KEYS, prefix)
        start = f.get(m, "start", parse_date, prefix, item.line, required=True)
        end = f.get(m, "end", parse_date, prefix, item.line, required=True)
        places = f.get(m, "places", places_value, prefix, item.line, required=True)
        price = f.get(m, "price_per_place_month", place_price, prefix, item.line, required=True)
        staffing = _staffing(f, m.get("staffing"), prefix + "staffing", item.line)
        if start and end and places is not None and _span_ok(f, item.line, prefix[:-1], start, end):
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

    params_node = top.get("parameters")
    parameters = _parameters(f, params_node) if f.mapping(params_node, "parameters") is not None else {}

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


def _key_lines(node: Optional[Node]) -> dict[str, int]:
    """Line of each key of a mapping and of the keys one level below ("key", "key.sub")."""
    out: dict[str, int] = {}
    if node is None or not isinstance(node.value, dict):
        return out
    for key, child in node.value.items():
        if not isinstance(key, str):
            continue  # reported by _parameters
        out[key] = child.line
        if isinstance(child.value, dict):
            out.update({f"{key}.{sub}": grandchild.line for sub, grandchild in child.value.items()
                        if isinstance(sub, str)})
    return out


def _parameters(f: _Fields, node: Node) -> dict:
    """``parameters:`` as plain values; entries whose keys are not text are dropped."""
    try:
        native = _native(node)
    except Exception as e:  # e.g. a date YAML recognises but that does not exist
        f.report(node.line, "parameters", f"Werte nicht lesbar ({type(e).__name__})",
                 f"values not readable ({type(e).__name__})")
        return {}
    if not isinstance(native, dict):  # e.g. !!set {a, b}: a mapping node that builds a set
        f.report(node.line, "parameters", "erwartet eine Zuordnung (Schlüssel: Wert)",
                 "expected a mapping (key: value)")
        return {}
    kept = {}
    for key, value in native.items():
        why = _unusable(value) if isinstance(key, str) else _NOT_TEXT_KEY
        if why is None:
            kept[key] = value
            continue
        named = isinstance(key, str)
        line = node.value[key].line if named and key in node.value else node.line
        shown = f"Parameter {quote(key)}: " if named else ""
        f.report(line, "parameters", f"{shown}{why[0]}; ignoriert, es gilt der Standardwert",
                 f"{'parameter ' + quote(key) + ': ' if named else ''}{why[1]}; ignored, the default applies",
                 severity="warning")
    return kept


_NOT_TEXT_KEY = ("Schlüssel ist kein Text", "key is not text")


def _unusable(value: Any, depth: int = 0) -> Optional[tuple[str, str]]:
    """Why a parameter value cannot be read (a key that is not text), or None.

    Values themselves (kinds, ranges, numbers the engine cannot hold, who may
    set them) are judged by engine/parameters.py against the declaration.
    """
    if depth > MAX_YAML_DEPTH:
        return None
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            return _NOT_TEXT_KEY
        items = list(value.values())
    else:
        items = value if isinstance(value, (list, tuple)) else []
    return next((w for w in (_unusable(v, depth + 1) for v in items) if w is not None), None)


def _staffing(f: _Fields, node: Optional[Node], path: str, parent_line: int) -> dict[str, Decimal]:
    m = f.mapping(node, path)
    if m is None:
        if node is None or node.value is None:
            f.report(parent_line, path, "Pflichtangabe fehlt", "required value missing")
        return {}
    role = code_parser(ROLES)
    result = {}
    for key in m:
        try:
            code = role(key)
        except BadValue as b:
            f.report(m[key].line, f"{path}.{key}", b.de, b.en)
            continue
        value = f.get(m, key, staffing_value, path + ".", m[key].line, required=True)
        if value is not None:
            result[code] = value
    return result


def _accompanying(f: _Fields, m: dict[str, Node], line: int) -> Optional[AccompanyingPhase]:
    prefix = "accompanying_phase."
    f.unknown(m, _ACCOMPANYING_KEYS, prefix)
    start = f.get(m, "start", parse_date, prefix, line, fatal=True)
    end = f.get(m, "end", parse_date, prefix, line, fatal=True)
    extensions = []
    ext_node = m.get("extension")
    many = ext_node is not None and isinstance(ext_node.value, list)
    for i, item in enumerate(_items(ext_node, f, prefix + "extension"), 1):
        path = f"{prefix}extension[{i}]" if many else f"{prefix}extension"
        period = _period(f, item, path, _PERIOD_KEYS, Period)
        if period:
            extensions.append(period)
    price = f.get(m, "price_per_hour", hour_price, prefix, line, required=True)
    share = f.get(m, "minimum_share", share_value, prefix, line)
    contingents = []
    cont_node = m.get("contingents")
    if cont_node is None or cont_node.value is None:
        f.report(line, prefix + "contingents", "Pflichtangabe fehlt", "required value missing")
    for i, item in enumerate(_items(cont_node, f, prefix + "contingents"), 1):
        c = _period(f, item, f"{prefix}contingents[{i}]", _CONTINGENT_KEYS, Contingent,
                    year=year_number, hours=hours_value)
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


def _period(f: _Fields, item: Node, path: str, keys: tuple[str, ...], model: type[Record],
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
    if not _span_ok(f, item.line, path, values["start"], values["end"]):
        return None
    return model(loc=Loc(file=f.file, line=item.line), **values)


def parse_invoice(root: Optional[Node], file: str, problems: Problems) -> Optional[Invoice]:
    f = _Fields(file, problems)
    m = f.mapping(root, "")
    if m is None:
        if root is None or root.value is None:
            f.report(0, "", "Datei ist leer", "file is empty")
        return None
    f.unknown(m, _INVOICE_KEYS, "")
    year = f.get(m, "contract_year", year_number, "", root.line, required=True)
    values = {k: f.get(m, k, hours_value, "", root.line) for k in _INVOICE_KEYS[1:4]}
    values["settlement_amount"] = f.get(m, "settlement_amount", amount_value, "", root.line)
    if year is None:
        return None
    return Invoice(loc=Loc(file=file, line=root.line), contract_year=year, **values)


_SHEET_LISTS = (("pre_phases",), ("accompanying_phase", "contingents"))
_NUMBER_KEY = re.compile(r"[0-9]{1,6}")
# the deepest real key is e.g. parameters.max_group_size.1.valid_from
MAX_SHEET_KEY_PARTS = 8
MAX_SHEET_KEY_CHARS = 200


def sheet_tree(rows: Iterable[tuple[int, tuple]], file: str, problems: Problems) -> Node:
    """A key/value sheet (column A dotted key, column B value) as a ``Node`` tree.

    ``rows``: ``(row number, cells)`` of the sheet, at least two cells wide.

    ``pre_phases.1.start`` addresses the first pre-phase; all-numeric levels
    become lists. Empty keys and keys starting with ``#`` are skipped, as is a
    first row reading ``key | value``.
    """
    root = Node({}, 1)
    for line, row in rows:
        key = cell_text(row[0] if row else None).strip()
        value = row[1] if len(row) > 1 else None
        if not key or key.startswith("#") or (line == 1 and key.lower() == "key"):
            continue
        if isinstance(value, str):
            value = value.strip() or None
        if len(key) > MAX_SHEET_KEY_CHARS or key.count(".") >= MAX_SHEET_KEY_PARTS:
            problems.add(file, line, "", f"Schlüssel zu lang (höchstens {MAX_SHEET_KEY_PARTS} Teile und "
                         f"{MAX_SHEET_KEY_CHARS} Zeichen); Zeile ignoriert",
                         f"key too long (at most {MAX_SHEET_KEY_PARTS} parts and {MAX_SHEET_KEY_CHARS} "
                         "characters); row ignored")
            continue
        parts = [p.strip() for p in key.split(".")]
        bad_index = next((parts[len(lp)] for lp in _SHEET_LISTS
                          if tuple(parts[:len(lp)]) == lp and len(parts) > len(lp)
                          and not re.fullmatch(r"[1-9][0-9]?", parts[len(lp)])), None)
        if bad_index is not None:
            problems.add(file, line, key, f"Schlüssel {quote(key)}: Position {quote(bad_index)} ist keine Nummer "
                         "von 1 bis 99; Zeile ignoriert",
                         f"key {quote(key)}: position {quote(bad_index)} is not a number from 1 to 99; row ignored")
            continue
        node = root
        for depth, part in enumerate(parts):
            if not isinstance(node.value, dict):
                problems.add(file, line, key, f"Schlüssel {quote(key)} widerspricht einer früheren Zeile; ignoriert",
                             f"key {quote(key)} conflicts with an earlier row; ignored")
                break
            last = depth == len(parts) - 1
            if last:
                if part in node.value:
                    problems.add(file, line, key, f"Schlüssel {quote(key)} doppelt; der letzte gilt",
                                 f"key {quote(key)} appears twice; the last one counts")
                node.value[part] = Node(value, line)
            else:
                node = node.value.setdefault(part, Node({}, line))
    return _lists(root)


def _lists(node: Node) -> Node:
    """Turn mappings whose keys are all numbers (1, 2, ...) into lists."""
    if isinstance(node.value, dict):
        children = {k: _lists(v) for k, v in node.value.items()}
        if children and all(_NUMBER_KEY.fullmatch(k) for k in children):
            return Node([children[k] for k in sorted(children, key=int)], node.line)
        return Node(children, node.line)
    return node
