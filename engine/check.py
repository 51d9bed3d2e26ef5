"""The check pipeline: read → validate → derive facts → evaluate → findings.

Two stages: record facts first; then the ledger, which needs to know which
services the first stage made unbillable, gives the contract-year facts.
"""
from __future__ import annotations

import hashlib
import json
import math
from datetime import date
from dataclasses import dataclass
from pathlib import Path

from engine.compile import is_dated_override, value_kind
from engine.evaluate import Evaluator, engine_finding, fingerprint
from engine.facts import record_facts
from engine.ledger import Ledger, compute_ledger, year_facts
from engine.read import BundleError, read_bundle
from engine.rules import RuleSet
from schemas.finding import Entity, Finding, Location
from schemas.submission import InputProblem, Submission

INPUT_RULE = "ASA-INPUT"
LEDGER_PARAMETERS = {"group_hours", "carry_in_may_roll", "prephase_minimum_share"}


@dataclass
class CheckResult:
    submission: str
    rules_version: str
    findings: list[Finding]
    ledger: Ledger | None = None
    facts_checked: int = 0
    bundle_path: str = ""

    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[f.severity] += 1
        return counts


def rules_version(ruleset: RuleSet) -> str:
    """Content hash of the rule set: reports say exactly which rules produced them."""
    blob = json.dumps([lr.rule.model_dump(mode="json", by_alias=True) for lr in ruleset.rules], sort_keys=True)
    return f"{len(ruleset.rules)} rules, sha256:{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def input_finding(p: InputProblem) -> Finding:
    return Finding(
        id=fingerprint(INPUT_RULE, p.file, str(p.line), p.column, p.en),
        rule=INPUT_RULE,
        severity=p.severity,
        entity=Entity(type=p.entity_type or "file", id=p.entity_id or p.file),
        location=Location(file=p.file, line=p.line, column=p.column),
        message={"de": (f"{p.column}: " if p.column else "") + p.de, "en": (f"{p.column}: " if p.column else "") + p.en},
        source="Datenvertrag der Einreichung (docs/submission-format.md)",
        drops_service=p.severity == "error" and p.entity_type == "service",
    )


def _overrides(sub: Submission, ruleset: RuleSet) -> tuple[dict, list[InputProblem]]:
    """contract.yaml ``parameters:``: ``{name: value}`` or ``{RULE-ID: {name: value}}``.

    A value of the wrong kind (text for a number …) would make a condition
    silently false, so it is reported and the default is used instead.
    """
    raw = sub.contract.parameters if sub.contract else {}
    rule_ids = {lr.rule.id: lr.rule for lr in ruleset.rules}
    specs: dict[str, list] = {}
    for lr in ruleset.rules:
        for name, spec in lr.rule.parameters.items():
            specs.setdefault(name, []).append(spec)
    problems, overrides = [], {}
    line = (sub.contract.parameters_line or sub.contract.loc.line) if sub.contract else 0
    if not isinstance(raw, dict):
        return {}, [_param_problem("parameters", line, "mapping")]
    for key, value in raw.items():
        value = _dated_dates(value)
        if key in rule_ids and not isinstance(value, dict):
            problems.append(_param_problem(str(key), line, "mapping"))
        elif key in rule_ids:
            accepted = {}
            for name, v in value.items():
                v = _dated_dates(v)
                spec = rule_ids[key].parameters.get(name)
                if spec is None:
                    problems.append(_param_problem(f"{key}.{name}", line, "unknown"))
                elif not _fits(v, spec.default):
                    problems.append(_param_problem(f"{key}.{name}", line, "kind", spec.default))
                else:
                    accepted[name] = v
            overrides[key] = accepted
        elif key in specs:
            if all(_fits(value, s.default) for s in specs[key]):
                overrides[key] = value
            else:
                problems.append(_param_problem(str(key), line, "kind", specs[key][0].default))
        elif key in LEDGER_PARAMETERS:
            if _ledger_param_ok(key, value):
                overrides[key] = value
            else:
                problems.append(_param_problem(str(key), line, "ledger"))
        else:
            problems.append(_param_problem(str(key), line, "unknown"))
    return overrides, problems


def _dated_dates(value):
    """Dated override periods may give their dates as text (2024-08-01 or 01.08.2024)."""
    if not is_dated_override(value):
        return value
    from engine.read import parse_date

    out = []
    for period in value:
        period = dict(period)
        for k in ("valid_from", "valid_to"):
            if isinstance(period.get(k), str):
                try:
                    period[k] = parse_date(period[k])
                except Exception:
                    pass  # stays text: _fits reports it
        out.append(period)
    return out


def _ledger_param_ok(key: str, value) -> bool:
    from decimal import Decimal

    from engine.ledger import prephase_share

    if key == "group_hours":
        return str(value).strip().lower() in ("per_service", "per_participant")
    if key == "carry_in_may_roll":
        return isinstance(value, bool) or str(value).strip().lower() in (
            "true", "false", "yes", "no", "ja", "nein", "1", "0", "on", "off", "wahr", "falsch")
    sentinel = Decimal(-1)
    return prephase_share(value, sentinel) != sentinel


def _fits(value, default) -> bool:
    """Same kind as the default; dated overrides ``[{valid_from, valid_to, value}]`` per value."""
    if is_dated_override(value):
        return all(_fits(o["value"], default) and set(o) <= {"valid_from", "valid_to", "value"}
                   and all(isinstance(o.get(k), date) or o.get(k) is None for k in ("valid_from", "valid_to"))
                   for o in value)
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(default, list):
        return isinstance(value, list) and all(any(value_kind(v) == value_kind(d) for d in default) for v in value)
    return value_kind(value) == value_kind(default)


def _param_problem(name: str, line: int, why: str, default=None) -> InputProblem:
    if why == "ledger":
        de = (f"Parameter \"{name}\" hat keinen gültigen Wert (group_hours: per_service | per_participant; "
              "carry_in_may_roll: true | false; prephase_minimum_share: 0 bis 1); es gilt der Standardwert")
        en = (f"parameter \"{name}\" has no valid value (group_hours: per_service | per_participant; "
              "carry_in_may_roll: true | false; prephase_minimum_share: 0 to 1); the default is used")
    elif why == "mapping":
        de = (f"\"{name}\": erwartet eine Zuordnung, z. B. parameters: {{max_group_size: 8}} oder "
              "{ASA-GROUP-SIZE: {max_group_size: 8}}; wird ignoriert")
        en = (f"\"{name}\": expected a mapping, e.g. parameters: {{max_group_size: 8}} or "
              "{ASA-GROUP-SIZE: {max_group_size: 8}}; ignored")
    elif why == "unknown":
        de = f"unbekannter Parameter \"{name}\" wird ignoriert (siehe asa-check rules list)"
        en = f"unknown parameter \"{name}\" is ignored (see asa-check rules list)"
    else:
        de = f"Parameter \"{name}\" hat nicht die erwartete Art (wie {default!r}); es gilt der Standardwert"
        en = f"parameter \"{name}\" is not of the expected kind (like {default!r}); the default is used"
    return InputProblem(file="contract.yaml", line=line, column="parameters", de=de, en=en, severity="warning")


def rule_file_findings(ruleset: RuleSet) -> list[Finding]:
    """A rule file that does not load is not checked: say so (fail closed)."""
    return [
        engine_finding("load", f"{p.file}:{p.line}",
                       f"Regeldatei {p.file}:{p.line} fehlerhaft, Regel NICHT geprüft: {p.message}",
                       f"rule file {p.file}:{p.line} is broken, rule NOT checked: {p.message}")
        for p in ruleset.problems
    ]


def check_submission(sub: Submission, ruleset: RuleSet) -> CheckResult:
    overrides, param_problems = _overrides(sub, ruleset)
    findings = [input_finding(p) for p in list(sub.problems) + param_problems]
    evaluator = Evaluator([lr.rule for lr in ruleset.rules], overrides)

    facts = record_facts(sub)
    findings.extend(evaluator.findings(facts))

    dropped: dict[str, list[str]] = {sid: [INPUT_RULE] for sid in sub.unlisted_service_errors}
    for f in findings:
        if f.drops_service and f.severity == "error":
            dropped.setdefault(f.entity.id, []).append(f.rule)
    ledger = compute_ledger(sub, dropped) if sub.contract else None
    if ledger is not None and ledger.unmatched_claim_year is not None and sub.invoice is not None:
        findings.append(input_finding(InputProblem(
            file=sub.invoice.loc.file, line=sub.invoice.loc.line, column="contract_year",
            de=f"Vertragsjahr {ledger.unmatched_claim_year} hat kein Kontingent in contract.yaml; "
               "die Rechnung wurde nicht geprüft",
            en=f"contract year {ledger.unmatched_claim_year} has no contingent in contract.yaml; "
               "the invoice was not checked",
            entity_type="invoice", entity_id=str(ledger.unmatched_claim_year))))
    if ledger is not None:
        ledger_facts = year_facts(ledger, sub)
        findings.extend(evaluator.findings(ledger_facts))
        facts.extend(ledger_facts)

    findings.extend(evaluator.errors)
    findings.extend(rule_file_findings(ruleset))
    unique = {f.id: f for f in findings}
    ordered = sorted(unique.values(), key=Finding.sort_key)
    return CheckResult(sub.name, rules_version(ruleset), ordered, ledger, len(facts))


class CheckFailed(BundleError):
    """An unexpected error while checking one bundle: reported for that bundle, exit 2, no traceback."""


def check_bundle(path: str | Path, ruleset: RuleSet, **limits) -> CheckResult:
    """Raises ``engine.read.BundleError`` when the bundle cannot be read or checked at all.

    ``limits``: ``max_file_bytes``, ``max_rows``, ``max_cell_chars`` of the reader.
    """
    sub = read_bundle(path, **limits)
    try:
        result = check_submission(sub, ruleset)
    except Exception as exc:  # fail closed: no partial report pretends to be complete
        where = f"{type(exc).__name__}: {exc}"[:300]
        raise CheckFailed(f"interner Fehler beim Prüfen, keine Befunde ausgegeben ({where}); bitte melden",
                          f"internal error while checking, no findings reported ({where}); please report") from exc
    result.bundle_path = str(path)
    return result
