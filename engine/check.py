"""The check pipeline: read → validate → derive facts → evaluate → findings.

Two stages: record facts first; then the ledger, which needs to know which
services the first stage made unbillable, gives the contract-year facts.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from engine.audit.evidence import origins_of
from engine.report.safe import int_text
from engine.audit.stake import Stake, attach, stake_of
from engine.evaluate import Evaluator, engine_finding, fingerprint
from engine.facts import record_facts
from engine.ledger import Ledger, compute_ledger, year_facts
from engine.parameters import Applied, AuditorParameters, resolve
from engine.read.bundle import BundleError, read_bundle
from engine.rules import INPUT_RULE, LEDGER_FILE, RuleSet
from schemas.finding import SEVERITIES, SEVERITY_RANK, Entity, Finding, Location
from schemas.submission import Contract, InputProblem, Submission

# findings listed per rule and bundle (--max-findings); the rest are counted
MAX_FINDINGS_PER_RULE = 1000


def tally(counts: list[dict[str, int]]) -> dict[str, int]:
    """Findings per severity, summed over ``{severity: n}`` counts (of findings, rules or bundles)."""
    total = dict.fromkeys(SEVERITIES, 0)
    for by_severity in counts:
        for severity, n in by_severity.items():
            total[severity] += n
    return total


@dataclass
class CheckResult:
    submission: str
    rules_version: str
    findings: list[Finding]
    ledger: Ledger | None = None
    facts_checked: int = 0
    bundle_path: str = ""
    # every parameter override in force (auditor's file, contract.yaml): listed in every report
    overrides: list[Applied] = field(default_factory=list)
    # findings beyond the limit per rule, counted only: {rule: {severity: n}}
    omitted: dict[str, dict[str, int]] = field(default_factory=dict)
    limit: int | None = None
    # the audit (issue 12): money at stake from the ledger (engine/audit/stake.py), the contract for the report's
    # header, the latest service date (data cut-off); waived findings (engine/audit/waivers.py), resolved ones and
    # the baseline used (engine/audit/baseline.py). ``findings`` holds the findings in force, without the waived.
    stake: Stake = field(default_factory=Stake)
    contract: Contract | None = None
    data_cutoff: date | None = None
    waived: list[Finding] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)
    baseline_file: str = ""
    # --rule/--skip-rule in force (engine/audit/selection.py): {"rule": [...], "skip_rule": [...]}; empty: every rule
    selection: dict[str, list[str]] = field(default_factory=dict)

    @property
    def contract_id(self) -> str:
        return self.contract.contract_id if self.contract is not None else ""

    def summary(self) -> dict[str, int]:
        """Counts of all findings in force, the listed and the omitted ones (waived findings not counted)."""
        return tally([{f.severity: 1} for f in self.findings] + list(self.omitted.values()))

    def omitted_count(self, rule: str) -> int:
        return sum(self.omitted.get(rule, {}).values())


def rules_version(ruleset: RuleSet) -> str:
    """Content hash of the rule set: reports say exactly which rules produced them."""
    ledger = {n: p.model_dump(mode="json") for n, p in ruleset.ledger.parameters.items()} if ruleset.ledger else None
    blob = json.dumps([[lr.rule.model_dump(mode="json", by_alias=True) for lr in ruleset.rules], ledger],
                      sort_keys=True)
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


def rule_file_findings(ruleset: RuleSet) -> list[Finding]:
    """A rule file that does not load is not checked: say so (fail closed)."""
    return [
        engine_finding("load", f"{p.file}:{p.line}",
                       f"Regeldatei {p.file}:{p.line} fehlerhaft, Regel NICHT geprüft: {p.text('de')}",
                       f"rule file {p.file}:{p.line} is broken, rule NOT checked: {p.message}")
        for p in ruleset.problems
    ]


def check_submission(sub: Submission, ruleset: RuleSet, parameters: AuditorParameters | None = None,
                     max_findings: int | None = MAX_FINDINGS_PER_RULE) -> CheckResult:
    """``parameters``: the auditor's (engine/parameters.py); contract.yaml may set only contract parameters.

    ``max_findings``: findings listed per rule; beyond it they are counted (``CheckResult.omitted``).
    """
    if ruleset.ledger is None:  # fail closed: without the ledger's parameters nothing can be derived
        missing = engine_finding("load", LEDGER_FILE,
                                 f"{LEDGER_FILE} fehlt oder ist fehlerhaft im Regelverzeichnis {ruleset.directory}: "
                                 "ohne die Parameter des Stundenkontos wurde NICHTS geprüft",
                                 f"{LEDGER_FILE} is missing or broken in the rules directory {ruleset.directory}: "
                                 "without the ledger's parameters NOTHING was checked")
        findings = sorted([missing] + rule_file_findings(ruleset), key=Finding.sort_key)
        return CheckResult(sub.name, rules_version(ruleset), findings)
    params = resolve(ruleset, sub.contract, parameters)
    findings = [input_finding(p) for p in list(sub.problems) + params.problems]
    evaluator = Evaluator([lr.rule for lr in ruleset.rules], params.rule_overrides(), limit=max_findings,
                          origins=origins_of(params.applied))

    facts = record_facts(sub, params)
    findings.extend(evaluator.findings(facts))

    dropped: dict[str, list[str]] = {sid: [INPUT_RULE] for sid in sub.unlisted_service_errors}
    for f in findings:
        if f.drops_service and f.severity == "error":
            dropped.setdefault(f.entity.id, []).append(f.rule)
    for service_id, rule_id in evaluator.omitted_drops:  # not listed, still unbillable
        dropped.setdefault(service_id, []).append(rule_id)
    ledger = compute_ledger(sub, dropped, params) if sub.contract else None
    if ledger is not None and ledger.unmatched_claim_year is not None and sub.invoice is not None:
        year = int_text(ledger.unmatched_claim_year)
        findings.append(input_finding(InputProblem(
            file=sub.invoice.loc.file, line=sub.invoice.loc.line, column="contract_year",
            de=f"Vertragsjahr {year} hat kein Kontingent in contract.yaml; die Rechnung wurde nicht geprüft",
            en=f"contract year {year} has no contingent in contract.yaml; the invoice was not checked",
            entity_type="invoice", entity_id=year)))
    if ledger is not None:
        ledger.overrides = list(params.applied)
        ledger_facts = year_facts(ledger, sub)
        findings.extend(evaluator.findings(ledger_facts))
        facts.extend(ledger_facts)

    findings.extend(evaluator.errors)
    findings.extend(rule_file_findings(ruleset))
    unique = {f.id: f for f in findings}
    listed, omitted = cap_per_rule(list(unique.values()), max_findings)
    omitted.update(evaluator.omitted)
    by_rule: dict[str, dict[str, int]] = {}
    for (rule_id, severity), n in sorted(omitted.items()):
        by_rule.setdefault(rule_id, {})[severity] = n
    listed = attach(sorted(listed, key=Finding.sort_key), ledger)
    return CheckResult(sub.name, rules_version(ruleset), listed, ledger, len(facts),
                       overrides=list(params.applied), omitted=by_rule, limit=max_findings,
                       stake=stake_of(ledger, dropped), contract=sub.contract,
                       data_cutoff=max((s.date for s in sub.services), default=None))


def cap_per_rule(findings: list[Finding], limit: int | None) -> tuple[list[Finding], Counter]:
    """At most ``limit`` findings per rule (the most severe first), and the count of the rest per (rule, severity)."""
    omitted: Counter = Counter()
    if limit is None:
        return findings, omitted
    kept: Counter = Counter()
    listed = []
    for f in sorted(findings, key=lambda f: (f.rule, SEVERITY_RANK[f.severity], f.sort_key())):
        if f.rule == INPUT_RULE:  # capped per file by the reader, which says how many more there were
            listed.append(f)
        elif kept[f.rule] < limit:
            kept[f.rule] += 1
            listed.append(f)
        else:
            omitted[(f.rule, f.severity)] += 1
    return listed, omitted


class CheckFailed(BundleError):
    """An unexpected error while checking one bundle: reported for that bundle, exit 2, no traceback."""


def check_bundle(path: str | Path, ruleset: RuleSet, parameters: AuditorParameters | None = None,
                 max_findings: int | None = MAX_FINDINGS_PER_RULE, **limits) -> CheckResult:
    """Raises ``engine.read.bundle.BundleError`` when the bundle cannot be read or checked at all.

    ``parameters``: the auditor's overrides (``--parameters FILE``); ``limits``:
    ``max_file_bytes``, ``max_rows``, ``max_cell_chars`` of the reader.
    """
    sub = read_bundle(path, **limits)
    try:
        result = check_submission(sub, ruleset, parameters, max_findings=max_findings)
    except MemoryError:
        raise  # the worker reports it for this bundle (engine/workers.py)
    except Exception as exc:  # fail closed: no partial report pretends to be complete
        where = f"{type(exc).__name__}: {exc}"[:300]
        raise CheckFailed(f"interner Fehler beim Prüfen, keine Befunde ausgegeben ({where}); bitte melden",
                          f"internal error while checking, no findings reported ({where}); please report") from exc
    result.bundle_path = str(path)
    return result
