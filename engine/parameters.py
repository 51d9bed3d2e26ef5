"""Parameters: every legal number, period and list, resolved once per bundle.

Declared in YAML with their source and authority: rule parameters in
``rules/ASA-*.yaml``, the ledger's in ``rules/ledger.yaml``. ``resolve`` turns
them, the auditor's parameters file and the bundle's ``contract.yaml`` into one
``Parameters`` object per bundle; the rule compiler, the fact derivation and
the ledger all read that object, so they never disagree.

Who may change a value (``authority`` of the declaration):

- ``statute`` (SGB III): nobody;
- ``tender`` (the BA's tender conditions): only the auditor, with a parameters
  file (``--parameters FILE``); ``contract.yaml`` setting one gets an error
  finding at its line and the declared value is used;
- ``contract`` (the individual contract, e.g. ``group_hours``): ``contract.yaml``
  may set it; the auditor's file may too, and wins.

Keys: ``name`` sets the parameter of that name of every rule (and the ledger)
declaring it; ``OWNER: {name: value}`` only that rule's (``ledger`` for the
ledger). Every override in force is an ``Applied`` entry, listed in every report.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Optional

from engine.audit.files import At, AuditorFileError, load_yaml
from engine.compile import is_dated_override, value_kind
from engine.durable_adapter import MAX_OR_BRANCHES, refusal
from engine.read.values import parse_date
from engine.read.values import quote
from engine.report.words import Phrase, Word, t
from schemas.rule import Parameter
from schemas.submission import ATTENDANCES, Contract, InputProblem

LEDGER = "ledger"
AUTHORITY_RANK = {"statute": 0, "tender": 1, "contract": 2}


# --- what the derivation reads ---------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """What a derivation parameter must hold, and its normal form."""

    de: str
    en: str
    parse: Callable[[Any], Any]  # raises ValueError


def _months(v):
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 1200:
        raise ValueError
    return v


def _share(v):
    if isinstance(v, bool) or v is None or isinstance(v, (list, dict, date)):
        raise ValueError
    try:
        d = Decimal(str(v).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if not d.is_finite() or not 0 <= d <= 1:
        raise ValueError
    return d


_TRUE = ("true", "yes", "ja", "1", "on", "wahr")
_FALSE = ("false", "no", "nein", "0", "off", "falsch")


def _bool(v):
    if isinstance(v, bool):
        return v
    text = str(v).strip().lower() if isinstance(v, (str, int)) else ""
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError


def _choice(*options: str) -> Kind:
    def parse(v):
        text = v.strip().lower() if isinstance(v, str) else None
        if text not in options:
            raise ValueError
        return text
    return Kind(" | ".join(options), " | ".join(options), parse)


def _codes(allowed: tuple[str, ...] = ()) -> Kind:
    def parse(v):
        if not isinstance(v, list) or not v or not all(isinstance(c, str) and c.strip() for c in v):
            raise ValueError
        if allowed and not set(v) <= set(allowed):
            raise ValueError
        return tuple(c.strip() for c in v)
    if allowed:
        return Kind(f"nicht leere Liste aus {', '.join(allowed)}", f"non-empty list of {', '.join(allowed)}", parse)
    return Kind("nicht leere Liste von Codes", "non-empty list of codes", parse)


MONTHS = Kind("ganze Zahl von Monaten (1 bis 1200)", "whole number of months (1 to 1200)", _months)
SHARE = Kind("Anteil von 0 bis 1 (z. B. 0,70)", "share from 0 to 1 (e.g. 0.70)", _share)
BOOL = Kind("true | false", "true | false", _bool)
CODES = _codes()

# owner -> name -> kind: every parameter engine/facts.py and engine/ledger.py read (the lint checks
# that each is declared in YAML, with a default of this kind; the values live only in YAML)
DERIVED: dict[str, dict[str, Kind]] = {
    "ASA-AFTERCARE-LIMIT": {"employment_months": MONTHS, "training_months": MONTHS},
    "ASA-STAFF-QUALIFICATION": {"trade_qualifications": CODES, "trainer_aptitude": CODES,
                                "social_degrees": CODES, "comparable_degrees": CODES},
    LEDGER: {"group_hours": _choice("per_service", "per_participant"), "carry_in_may_roll": BOOL,
             "minimum_share": SHARE, "prephase_minimum_share": SHARE, "contract_year_months": MONTHS,
             "billable_attendance": _codes(ATTENDANCES)},
}


# --- settings: values one side gives -------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    key: str  # as written: "max_group_size" or "ASA-GROUP-SIZE.max_group_size"
    owner: Optional[str]  # None: every owner declaring the name
    name: str
    value: Any
    file: str
    line: int


@dataclass(frozen=True)
class AuditorParameters:
    """The auditor's parameters (a file given on the command line, later also from a configuration file)."""

    file: str
    settings: tuple[Setting, ...] = ()


@dataclass(frozen=True)
class Applied:
    """One override in force for a bundle: listed in every report."""

    key: str
    owners: tuple[str, ...]
    authority: str
    value: Any
    law: Any  # the declared default
    law_values: tuple  # declared dated values: ((valid_from, valid_to, value), ...)
    side: str  # "auditor" | "contract"
    file: str
    line: int

    def as_dict(self) -> dict:
        return {"parameter": self.key, "rules": list(self.owners), "authority": self.authority,
                "value": plain(self.value), "declared": plain(self.law),
                "declared_dated": [{"valid_from": plain(a), "valid_to": plain(b), "value": plain(v)}
                                   for a, b, v in self.law_values],
                "set_by": self.side, "file": self.file, "line": self.line}

    def text(self, lang: str) -> str:
        from engine.report.messages import fmt_value

        def show(v):
            if is_dated_override(v):  # the declared default fills the rest (engine/compile.py param_periods)
                rest = fmt_value(list(self.law) if isinstance(self.law, tuple) else self.law, lang)
                periods = "; ".join(_period_text(o.get("valid_from"), o.get("valid_to"), o["value"], lang) for o in v)
                return t("pm_dated_otherwise", lang).format(periods=periods, rest=rest)
            return fmt_value(list(v) if isinstance(v, tuple) else v, lang)

        law = declared_text(self.law, self.law_values, lang)
        side = Word("pm_set_by_auditor" if self.side == "auditor" else "pm_set_by_submission")
        return Phrase("pm_applied", key=self.key, value=show(self.value), law=law,
                      authority=Word(f"pm_authority_{self.authority}"), side=side, file=self.file,
                      line=self.line).text(lang)


def declared_text(default, dated: tuple, lang: str) -> str:
    """The declared value: "8; ab 01.08.2024: 6"."""
    from engine.report.messages import fmt_value

    text = fmt_value(list(default) if isinstance(default, tuple) else default, lang)
    return text + "".join(f"; {_period_text(a, b, v, lang)}" for a, b, v in dated)


def _period_text(a, b, v, lang: str) -> str:
    from engine.report.messages import fmt_value

    parts = []
    if a is not None:
        parts.append(t("pm_from", lang).format(date=fmt_value(a, lang)))
    if b is not None:
        parts.append(t("pm_to", lang).format(date=fmt_value(b, lang)))
    return " ".join(parts) + ": " + fmt_value(v, lang)


def plain(v):
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, tuple):
        return [plain(x) for x in v]
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


# --- the declarations of a rule set ------------------------------------------------------

def declarations(ruleset) -> dict[tuple[str, str], Parameter]:
    """(owner, name) -> declaration, for every rule and the ledger."""
    out = {(lr.rule.id, n): p for lr in ruleset.rules for n, p in lr.rule.parameters.items()}
    if ruleset.ledger is not None:
        out.update({(LEDGER, n): p for n, p in ruleset.ledger.parameters.items()})
    return out


def _targets(setting: Setting, declared) -> list[tuple[str, str]]:
    if setting.owner is not None:
        return [(setting.owner, setting.name)] if (setting.owner, setting.name) in declared else []
    return sorted(k for k in declared if k[1] == setting.name)


def check_value(owner: str, name: str, spec: Parameter, value) -> tuple[bool, Any]:
    """(fits, value in normal form) of an override for one declaration."""
    value = _dated_dates(value)
    if is_dated_override(value):
        if not spec.dated_by:
            return False, value
        ok = all(set(o) <= {"valid_from", "valid_to", "value"}
                 and all(isinstance(o.get(k), date) or o.get(k) is None for k in ("valid_from", "valid_to"))
                 and check_value(owner, name, spec, o["value"])[0] for o in value)
        return ok, value
    kind = DERIVED.get(owner, {}).get(name) if spec.used_by == "derivation" or owner == LEDGER else None
    if kind is not None:
        try:
            return True, kind.parse(value)
        except ValueError:
            return False, value
    return _fits_default(value, spec.default), value


def _fits_default(value, default) -> bool:
    """Same kind as the default, and a value the engine can take (else the rule would go unchecked)."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(default, list):
        # a list becomes one $or branch per value: bounded like a rule file's list
        return (isinstance(value, list) and len(value) <= MAX_OR_BRANCHES
                and all(any(value_kind(v) == value_kind(d) for d in default) and refusal(v) is None for v in value))
    return value_kind(value) == value_kind(default) and (value_kind(value) == "date" or refusal(value) is None)


def _expected(owner: str, name: str, spec: Parameter) -> Phrase:
    kind = DERIVED.get(owner, {}).get(name)
    if kind is not None and (spec.used_by == "derivation" or owner == LEDGER):
        return Phrase("pm_kind", kind_de=kind.de, kind_en=kind.en)
    return Phrase("pm_like", default=repr(spec.default))


def _dated_dates(value):
    """Dated override periods may give their dates as text (2024-08-01 or 01.08.2024)."""
    if not is_dated_override(value):
        return value
    out = []
    for period in value:
        period = dict(period)
        for k in ("valid_from", "valid_to"):
            if isinstance(period.get(k), str):
                try:
                    period[k] = parse_date(period[k])
                except Exception:
                    pass  # stays text: check_value reports it
        out.append(period)
    return out


def settings_of(raw: dict, file: str, lines: dict[str, int], default_line: int, owners: set[str]
                ) -> tuple[list[Setting], list[tuple[int, str, Phrase]]]:
    """Flatten ``{name: v}`` / ``{OWNER: {name: v}}``; problems as (line, key, problem)."""
    settings, problems = [], []
    for key, value in raw.items():
        key = str(key)
        line = lines.get(key, default_line)
        if key in owners:
            if not isinstance(value, dict) or not value:
                problems.append((line, key, Phrase("pm_owner_not_mapping", key=key)))
                continue
            for name, v in value.items():
                settings.append(Setting(f"{key}.{name}", key, str(name), v, file, lines.get(f"{key}.{name}", line)))
        else:
            settings.append(Setting(key, None, key, value, file, line))
    return settings, problems


# --- the auditor's file --------------------------------------------------------------------

class ParameterFileError(AuditorFileError):
    """The auditor's parameters file cannot be used: lines ``file:line: problem``."""


def read_parameter_file(path: str | Path, ruleset) -> AuditorParameters:
    """``parameters: {name: value, RULE-ID: {name: value}}`` from a YAML file; raises ParameterFileError."""
    from engine.rules import _line_map

    path = Path(path)
    name = str(path)
    data, node = load_yaml(path, ParameterFileError)
    raw_lines = _line_map(node) if node is not None else {}
    lines = {".".join(str(p) for p in k[1:]): v for k, v in raw_lines.items() if k[:1] == ("parameters",)}
    return auditor_parameters(data, name, lines, ruleset)


def auditor_parameters(data, file: str, lines: dict[str, int], ruleset) -> AuditorParameters:
    """Validate the auditor's mapping (from a parameters file or a configuration file) against the rules."""
    problems: list[At] = []
    if not isinstance(data, dict) or set(data) != {"parameters"} or not isinstance(data["parameters"], dict):
        raise ParameterFileError([At(file, Phrase("pm_file_not_mapping"))])
    declared = declarations(ruleset)
    owners = {o for o, _ in declared} | {LEDGER}
    settings, shape = settings_of(data["parameters"], file, lines, 1, owners)
    problems += [At(f"{file}:{ln}", problem) for ln, _, problem in shape]
    accepted = []
    for s in settings:
        targets = _targets(s, declared)
        if not targets:
            problems.append(At(f"{file}:{s.line}", Phrase("pm_unknown", key=s.key)))
            continue
        statute = [f"{o}.{n}" for o, n in targets if declared[(o, n)].authority == "statute"]
        if statute:
            problems.append(At(f"{file}:{s.line}", Phrase("pm_statute", key=s.key, owners=", ".join(statute))))
            continue
        bad = [(o, n) for o, n in targets if not check_value(o, n, declared[(o, n)], s.value)[0]]
        if bad:
            problems.append(At(f"{file}:{s.line}",
                               Phrase("pm_wrong_kind", key=s.key, expected=_expected(*bad[0], declared[bad[0]]))))
            continue
        accepted.append(s)
    if problems:
        raise ParameterFileError(problems)
    return AuditorParameters(file, tuple(accepted))


# --- one bundle ------------------------------------------------------------------------------

@dataclass
class Parameters:
    """The values in force for one bundle."""

    declared: dict[tuple[str, str], Parameter]
    # owner -> name -> override value (normal form): the compiler's and the derivation's input
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    applied: list[Applied] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)

    def names(self, owner: str) -> list[str]:
        return sorted(n for o, n in self.declared if o == owner)

    def has(self, owner: str, name: str) -> bool:
        return (owner, name) in self.declared

    def value(self, owner: str, name: str):
        """A derivation parameter's value in force, in normal form (KeyError when not declared)."""
        spec = self.declared[(owner, name)]
        value = self.overrides.get(owner, {}).get(name, spec.default)
        return check_value(owner, name, spec, value)[1]

    def get(self, owner: str, name: str, fallback=None):
        """Like ``value``; ``fallback`` when the owner (a rule not loaded) does not declare it."""
        return self.value(owner, name) if self.has(owner, name) else fallback

    def rule_overrides(self) -> dict[str, dict[str, Any]]:
        return {o: dict(v) for o, v in sorted(self.overrides.items()) if o != LEDGER and v}


def resolve(ruleset, contract: Contract | None, auditor: AuditorParameters | None = None) -> Parameters:
    """The parameters in force for a bundle; ``problems`` are contract.yaml findings (ASA-INPUT)."""
    declared = declarations(ruleset)
    params = Parameters(declared)
    applied: dict[tuple[str, str], Applied] = {}  # (owner, name) -> the override in force
    owners = {o for o, _ in declared} | {LEDGER}

    def apply(s: Setting, targets, values, side: str) -> None:
        for t, v in zip(targets, values):
            params.overrides.setdefault(t[0], {})[t[1]] = v
        specs = [declared[t] for t in targets]
        strictest = min((p.authority for p in specs), key=AUTHORITY_RANK.__getitem__)
        entry = Applied(s.key, tuple(o for o, _ in targets), strictest, s.value, specs[0].default,
                        tuple((d.valid_from, d.valid_to, d.value) for d in specs[0].values), side, s.file, s.line)
        for t in targets:
            applied[t] = entry

    if contract is not None:
        _contract_side(params, contract, declared, owners, apply)
    for s in (auditor.settings if auditor else ()):
        targets = _targets(s, declared)
        checked = [check_value(o, n, declared[(o, n)], s.value) for o, n in targets]
        if targets and all(ok for ok, _ in checked):
            apply(s, targets, [v for _, v in checked], "auditor")
    unique = {id(a): a for a in applied.values()}
    params.applied = sorted(unique.values(), key=lambda a: (a.side != "auditor", a.file, a.line, a.key))
    if contract is not None:
        _minimum_share(params, contract)
    return params


def _contract_side(params: Parameters, contract: Contract, declared, owners, apply) -> None:
    file = contract.loc.file
    line = contract.parameters_line or contract.loc.line
    raw = contract.parameters
    if not isinstance(raw, dict):
        params.problems.append(_problem(file, line, "parameters", Phrase("pm_contract_not_mapping"), "warning"))
        return
    settings, shape = settings_of(raw, file, contract.parameter_lines, line, owners)
    for ln, key, problem in shape:
        params.problems.append(_problem(file, ln, f"parameters.{key}", Phrase("pm_ignored", problem=problem),
                                        "warning"))  # key: a rule id, never free text
    for s in settings:
        col = f"parameters.{s.key}"
        targets = _targets(s, declared)
        if not targets:
            params.problems.append(_problem(file, s.line, "parameters",
                                            Phrase("pm_unknown_ignored", key=quote(s.key)), "warning"))
            continue
        fixed = [t for t in targets if declared[t].authority != "contract"]
        if fixed:
            spec = declared[fixed[0]]
            dated = tuple((d.valid_from, d.valid_to, d.value) for d in spec.values)
            statute = spec.authority == "statute"
            params.problems.append(_problem(file, s.line, col, Phrase(
                "pm_fixed", key=s.key, by=Word("pm_by_statute" if statute else "pm_by_tender"),
                authority=spec.authority, who=Word("pm_who_statute" if statute else "pm_who_tender"),
                law_de=declared_text(spec.default, dated, "de"), law_en=declared_text(spec.default, dated, "en")),
                "error"))
            continue
        checked = [check_value(o, n, declared[(o, n)], s.value) for o, n in targets]
        if not all(ok for ok, _ in checked):
            bad = next(t for t, (ok, _) in zip(targets, checked) if not ok)
            params.problems.append(_problem(file, s.line, col, Phrase(
                "pm_wrong_kind_declared_used", key=s.key, expected=_expected(*bad, declared[bad])), "warning"))
            continue
        apply(s, targets, [v for _, v in checked], "contract")


def _minimum_share(params: Parameters, contract: Contract) -> None:
    """``accompanying_phase.minimum_share`` may state the share; it may not change it (tender)."""
    phase = contract.accompanying_phase
    if phase.minimum_share is None or not params.has(LEDGER, "minimum_share"):
        return
    in_force = params.value(LEDGER, "minimum_share")
    if phase.minimum_share != in_force:
        params.problems.append(_problem(
            contract.loc.file, phase.minimum_share_line or phase.loc.line, "accompanying_phase.minimum_share",
            Phrase("pm_minimum_share", share=phase.minimum_share, in_force=in_force), "error"))


def _problem(file: str, line: int, column: str, problem: Phrase, severity: str) -> InputProblem:
    return InputProblem(file=file, line=line, column=column, de=problem.text("de"), en=problem.text("en"),
                        severity=severity)

