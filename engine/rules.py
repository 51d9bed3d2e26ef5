"""Load rule files from a directory: YAML (safe) → pydantic ``Rule``.

Problems carry the YAML line of the offending key so that a maintainer sees
``rules/ASA-GROUP-SIZE.yaml:14: condition.all.1.gt: ...`` and not just
"validation failed". ``ledger.yaml`` in the same directory is not a rule: it
holds the parameters of the hour ledger (``LedgerParameters``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from engine.authoring.problems import RuleProblem, schema_problem
from schemas.rule import LedgerParameters, Parameter, Rule

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
MAX_RULE_FILE_BYTES = 1_000_000
LEDGER_FILE = "ledger.yaml"
# Rule files come in pull requests: their shape is bounded before anything is
# built from them (the largest rule holds ~250 values, 10 levels deep).
MAX_RULE_VALUES = 5_000
MAX_RULE_DEPTH = 30


@dataclass(frozen=True)
class BuiltinRule:
    """A rule the engine itself reports (no YAML file): bad input, a rule not evaluated."""
    id: str
    severity: str
    title: dict[str, str]  # {"de": ..., "en": ...}
    short: str  # SARIF shortDescription
    source: str
    billable_effect: str


INPUT_RULE = "ASA-INPUT"
ENGINE_RULE = "ASA-ENGINE"
BUILTIN_RULES = (
    BuiltinRule(INPUT_RULE, "error", {"de": "Eingabedaten fehlerhaft (Datei, Zeile, Spalte)",
                                      "en": "bad input data (file, line, column)"},
                "bad input data", "Datenvertrag der Einreichung (docs/submission-format.md)", "drop"),
    BuiltinRule(ENGINE_RULE, "error", {"de": "Regel konnte nicht ausgewertet werden (nicht geprüft)",
                                       "en": "rule could not be evaluated (not checked)"},
                "rule could not be evaluated", "asa-check (fail closed)", "none"),
)


@dataclass
class LoadedRule:
    rule: Rule
    path: Path
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, *loc) -> int:
        """Line of the deepest known key along ``loc`` (1 when unknown)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


@dataclass
class LoadedLedger:
    """``ledger.yaml``: the ledger's parameters and the lines of their keys."""

    parameters: dict[str, Parameter]
    path: Path
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, *loc) -> int:
        return LoadedRule.line_of(self, *loc)  # type: ignore[arg-type]


@dataclass
class RuleSet:
    rules: list[LoadedRule]
    problems: list[RuleProblem]
    directory: Path
    # None when the directory has no (valid) ledger.yaml: no bundle can be checked then
    ledger: LoadedLedger | None = None

    def by_id(self) -> dict[str, Rule]:
        return {lr.rule.id: lr.rule for lr in self.rules}


def _line_map(node, path=(), out=None) -> dict[tuple, int]:
    """Map each key path of a composed YAML node to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = path + (str(key.value),)
            out[sub] = key.start_mark.line + 1
            _line_map(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = path + (i,)
            out[sub] = item.start_mark.line + 1
            _line_map(item, sub, out)
    return out


def _shape_problem(text: str) -> tuple[int, str, dict] | None:
    """(line, word, values) of the problem when the YAML uses aliases, holds too many values or nests too deep.

    Read as a stream of parser events, which stops at the first problem: an alias
    bomb is never expanded, a 2,000-deep condition never recursed into.
    """
    values = depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            return line, "rp_yaml_aliases", {}
        if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            values += 1
            if values > MAX_RULE_VALUES:
                return line, "rp_too_many_yaml_values", {"max": MAX_RULE_VALUES}
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_RULE_DEPTH:
                return line, "rp_too_deep", {"max": MAX_RULE_DEPTH}
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the same safe loader, in C when built


def construct_plain(node: yaml.Node):
    """Plain values of a composed node, by the safe constructor (parsed once, for values and lines)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _read_yaml(path: Path) -> tuple[object, dict[tuple, int], list[RuleProblem]]:
    """(data, line map, problems) of a YAML mapping file, read safely."""
    name = _display(path)
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            return None, {}, [RuleProblem.of(name, 1, "rp_file_too_large", max=MAX_RULE_FILE_BYTES)]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, {}, [RuleProblem.of(name, 1, "rp_cannot_read", why=str(exc))]
    try:
        refused = _shape_problem(text)
        if refused:
            line, word, values = refused
            return None, {}, [RuleProblem.of(name, line, word, **values)]
        node = yaml.compose(text, Loader=_LOADER)
        data = construct_plain(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, {}, [RuleProblem.of(name, line, "rp_yaml_error", problem=str(getattr(exc, "problem", exc)))]
    if not isinstance(data, dict) or node is None:
        return None, {}, [RuleProblem.of(name, 1, "rp_not_mapping")]
    return data, _line_map(node), []


def _validation_problems(exc: ValidationError, path: Path, lines: dict[tuple, int]) -> list[RuleProblem]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[0].isupper()))
        loc = tuple("in" if p == "in_" else "not" if p == "not_" else p for p in loc)
        where = ".".join(str(p) for p in loc) or "(file)"
        line = LoadedRule(None, path, lines).line_of(*loc)  # type: ignore[arg-type]
        problems.append(RuleProblem.of(_display(path), line, "rp_schema", where=where, **schema_problem(err)))
    return _dedupe(problems)


def load_rule_file(path: Path) -> tuple[LoadedRule | None, list[RuleProblem]]:
    data, lines, problems = _read_yaml(path)
    if problems:
        return None, problems
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        return None, _validation_problems(exc, path, lines)
    return LoadedRule(rule, path, lines), []


def load_ledger_file(path: Path) -> tuple[LoadedLedger | None, list[RuleProblem]]:
    data, lines, problems = _read_yaml(path)
    if problems:
        return None, problems
    try:
        ledger = LedgerParameters.model_validate(data)
    except ValidationError as exc:
        return None, _validation_problems(exc, path, lines)
    return LoadedLedger(dict(ledger.parameters), path, lines), []


@functools.lru_cache(maxsize=None)
def ledger_defaults() -> dict:
    """The default of every parameter in the bundled rules/ledger.yaml (synth/ and fixtures/ bill with them)."""
    loaded, problems = load_ledger_file(DEFAULT_RULES_DIR / LEDGER_FILE)
    if loaded is None:
        raise ValueError(f"{DEFAULT_RULES_DIR / LEDGER_FILE}: {problems[0].message if problems else 'not loaded'}")
    return {name: p.default for name, p in loaded.parameters.items()}


def _dedupe(problems: list[RuleProblem]) -> list[RuleProblem]:
    """Union validation reports the same spot once per union member: keep one."""
    seen, out = set(), []
    for p in problems:
        key = (p.line, p.message.split(":")[0])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def load_rules(directory: Path | str | None = None) -> RuleSet:
    directory = Path(directory) if directory else DEFAULT_RULES_DIR
    rules: list[LoadedRule] = []
    problems: list[RuleProblem] = []
    ledger = None
    for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
        if path.name == LEDGER_FILE:
            ledger, probs = load_ledger_file(path)
            problems.extend(probs)
            continue
        loaded, probs = load_rule_file(path)
        problems.extend(probs)
        if loaded:
            rules.append(loaded)
    rules.sort(key=lambda lr: lr.rule.id)
    return RuleSet(rules, problems, directory, ledger)
