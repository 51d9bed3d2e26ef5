"""The check pipeline: read → validate → derive facts → evaluate → findings.

Two stages: record facts first; then the ledger, which needs to know which
services the first stage made unbillable, gives the contract-year facts.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from engine.evaluate import Evaluator, engine_finding, fingerprint
from engine.facts import record_facts
from engine.ledger import Ledger, compute_ledger, year_facts
from engine.read import read_bundle
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
    """contract.yaml ``parameters:``: ``{name: value}`` or ``{RULE-ID: {name: value}}``."""
    raw = sub.contract.parameters if sub.contract else {}
    known = {name for lr in ruleset.rules for name in lr.rule.parameters} | LEDGER_PARAMETERS
    rule_ids = {lr.rule.id: lr.rule for lr in ruleset.rules}
    problems, overrides = [], {}
    line = sub.contract.loc.line if sub.contract else 0
    for key, value in (raw or {}).items():
        if key in rule_ids and isinstance(value, dict):
            for name in value:
                if name not in rule_ids[key].parameters:
                    problems.append(_param_problem(f"{key}.{name}", line))
            overrides[key] = {n: v for n, v in value.items() if n in rule_ids[key].parameters}
        elif key in known:
            overrides[key] = value
        else:
            problems.append(_param_problem(str(key), line))
    return overrides, problems


def _param_problem(name: str, line: int) -> InputProblem:
    return InputProblem(
        file="contract.yaml", line=line, column="parameters",
        de=f"unbekannter Parameter \"{name}\" wird ignoriert (siehe asa-check rules list)",
        en=f"unknown parameter \"{name}\" is ignored (see asa-check rules list)",
        severity="warning",
    )


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

    dropped: dict[str, list[str]] = {}
    for f in findings:
        if f.drops_service and f.severity == "error":
            dropped.setdefault(f.entity.id, []).append(f.rule)
    ledger = compute_ledger(sub, dropped) if sub.contract else None
    if ledger is not None:
        ledger_facts = year_facts(ledger, sub)
        findings.extend(evaluator.findings(ledger_facts))
        facts.extend(ledger_facts)

    findings.extend(evaluator.errors)
    findings.extend(rule_file_findings(ruleset))
    unique = {f.id: f for f in findings}
    ordered = sorted(unique.values(), key=Finding.sort_key)
    return CheckResult(sub.name, rules_version(ruleset), ordered, ledger, len(facts))


def check_bundle(path: str | Path, ruleset: RuleSet, **limits) -> CheckResult:
    """Raises ``engine.read.BundleError`` when the bundle cannot be read at all.

    ``limits``: ``max_file_bytes``, ``max_rows``, ``max_cell_chars`` of the reader.
    """
    result = check_submission(read_bundle(path, **limits), ruleset)
    result.bundle_path = str(path)
    return result
