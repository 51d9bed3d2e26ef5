"""Evaluate compiled rules on facts through durable_rules; turn hits into findings.

Fail closed: a rule durable_rules refuses, or a failure while evaluating, becomes
an ``ASA-ENGINE`` finding (severity error) — never a silent pass.
"""
from __future__ import annotations

import hashlib
from collections import Counter

from engine import durable_adapter
from engine.compile import (
    compile_details,
    compile_rule,
    engine_columns,
    fields_used,
    resolve_param,
    ruleset_name,
)
from engine.audit.evidence import Origins, build_evidence, record_date
from engine.report.messages import render
from engine.rules import ENGINE_RULE
from schemas.facts import Fact
from schemas.finding import Entity, Finding, Location
from schemas.rule import Rule

REFUSAL_DE = {
    "long_text": f"Text mit {{v}} Zeichen, höchstens {durable_adapter.MAX_TEXT_CHARS}",
    "bad_text": "Text, der kein gültiges Unicode ist",
    "magnitude": f"Zahl {{v}} nicht unter {durable_adapter.MAX_MAGNITUDE:.0e} im Betrag",
    "fraction": f"Zahl {{v}}, ein Bruchteil ungleich 0 unter {durable_adapter.MIN_FRACTION:g}",
    "not_finite": "{v} ist keine endliche Zahl",
    "type": "ein Wert vom Typ {v}",
    "properties": f"mehr als {durable_adapter.MAX_PROPERTIES} Eigenschaften",
}


def fingerprint(*parts: str) -> str:
    # surrogatepass: a value that is not valid UTF-8 still has its own stable id
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def engine_finding(what: str, entity_id: str, de: str, en: str) -> Finding:
    return Finding(
        id=fingerprint(ENGINE_RULE, what, entity_id),
        rule=ENGINE_RULE,
        severity="error",
        entity=Entity(type="rule", id=entity_id),
        location=Location(file="", line=0),
        message={"de": de, "en": en},
        source="",
    )


class Evaluator:
    """Compiles a rule list once (per parameter overrides) and evaluates fact lists.

    ``limit``: at most that many findings per rule (and of refused records); the
    others are only counted in ``omitted`` ({(rule, severity): n}), and the
    services they make unbillable kept in ``omitted_drops`` for the ledger, so a
    hostile bundle cannot fill memory with findings.
    """

    def __init__(self, rules: list[Rule], overrides: dict | None = None, limit: int | None = None,
                 origins: Origins | None = None):
        self.overrides = overrides or {}
        self.origins = origins or {}  # where each override came from (evidence of findings)
        self.errors: list[Finding] = []
        self.limit = limit
        self.omitted: Counter = Counter()
        self.omitted_drops: list[tuple[str, str]] = []  # (service id, rule id)
        self._kept: Counter = Counter()
        compiled: dict[str, dict] = {}
        for rule in rules:
            try:
                compiled[rule.id] = compile_rule(rule, self.overrides)
                compiled.update(compile_details(rule, self.overrides))
            except Exception as exc:  # CompileError, or a malformed override: fail closed
                self._broken(rule.id, f"{type(exc).__name__}: {exc}")
        self.rules = {r.id: r for r in rules if r.id in compiled}
        used: dict[str, set[str]] = {}
        for rule in self.rules.values():
            used.setdefault(rule.applies_to, set()).update(fields_used(rule))
        self.fields = {fact_type: frozenset(names) for fact_type, names in used.items()}
        self.name = ruleset_name([self.rules[i] for i in sorted(self.rules)], self.overrides)
        try:
            durable_adapter.register(self.name, compiled)
        except durable_adapter.EngineError:
            # find the rules durable_rules refuses, register the rest
            good = {}
            for rule_id, cond in compiled.items():
                if rule_id.split("#")[0] not in self.rules:
                    continue
                try:
                    durable_adapter.register(f"{self.name}_{rule_id}", {rule_id: cond})
                    good[rule_id] = cond
                except durable_adapter.EngineError as exc:
                    self._broken(rule_id, str(exc))
            self.rules = {i: r for i, r in self.rules.items() if i in good}
            good = {i: c for i, c in good.items() if i.split("#")[0] in self.rules}
            self.name = self.name + "_partial"
            durable_adapter.register(self.name, good)

    def _broken(self, rule_id: str, why: str) -> None:
        self.errors.append(engine_finding(
            "compile", rule_id,
            f"Regel {rule_id} konnte nicht übersetzt werden und wurde NICHT geprüft: {why}",
            f"rule {rule_id} could not be compiled and was NOT checked: {why}",
        ))

    def _refused(self, fact: Fact, field: str, kind: str, shown: str) -> Finding:
        """A record holding a value the engine cannot represent: its rules are NOT checked (fail closed)."""
        ids = ", ".join(sorted(r.id for r in self.rules.values() if r.applies_to == fact.fact_type)) or "–"
        why_en = durable_adapter.describe(kind, shown)
        why_de = REFUSAL_DE[kind].format(v=shown)
        return Finding(
            id=fingerprint(ENGINE_RULE, "value", fact.fact_type, fact.key(), field),
            rule=ENGINE_RULE,
            severity="error",
            entity=Entity(type=fact.entity_type or fact.fact_type, id=fact.entity_id() if fact.entity_field else ""),
            location=Location(file=fact.file, line=fact.line, column=field),
            message={
                "de": f"{field}: Wert für die Regel-Engine nicht darstellbar ({why_de}); "
                      f"Regeln für diesen Datensatz NICHT geprüft: {ids}",
                "en": f"{field}: value the rule engine cannot represent ({why_en}); "
                      f"rules NOT checked for this record: {ids}",
            },
            source="",
            # fail closed: a service no rule could check is not billable
            drops_service=fact.fact_type == "service",
        )

    def hits(self, facts: list[Fact]) -> list[tuple[str, Fact]]:
        """(rule id, fact) for every rule a fact violates, in fact order."""
        return [(r, f) for r, f, _ in self._hits(facts)]

    def _hits(self, facts: list[Fact]) -> list[tuple[str, Fact, list[int]]]:
        """(rule id, fact, indexes of the message details that hold)."""
        fids = [f"{fact.fact_type}:{n}" for n, fact in enumerate(facts)]
        by_id: dict[str, Fact] = dict(zip(fids, facts))
        of_class: dict[type, list[int]] = {}
        for n, fact in enumerate(facts):
            of_class.setdefault(type(fact), []).append(n)
        groups = []
        for cls, positions in of_class.items():  # column by column per fact class
            fields, columns = engine_columns(cls, [facts[n] for n in positions], [fids[n] for n in positions],
                                             self.fields.get(cls.fact_type, frozenset()))
            groups.append((fields, positions, columns))
        payload = durable_adapter.Batch(len(facts), groups)
        try:
            raw, refused = durable_adapter.evaluate(self.name, payload)
        except durable_adapter.EngineError as exc:
            self.errors.append(engine_finding(
                "evaluate", "*",
                f"Auswertung abgebrochen, Befunde unvollständig: {exc}",
                f"evaluation failed, findings are incomplete: {exc}",
            ))
            return []
        for fid, field, kind, shown in refused:
            fact = by_id[fid]
            if self._keep(ENGINE_RULE, "error", fact.entity_id() if fact.fact_type == "service" else None):
                self.errors.append(self._refused(fact, field, kind, shown))
        order = {fid: n for n, fid in enumerate(by_id)}
        # durable_rules fires once per satisfied branch of an $or (it expands the
        # condition into alternatives): one violation is one (rule, fact) pair
        details: dict[tuple[str, str], list[int]] = {}
        for r, f in raw:
            if "#" in r:
                rule_id, k = r.split("#")
                details.setdefault((rule_id, f), []).append(int(k))
        main = sorted({(r, f) for r, f in raw if r in self.rules})
        main.sort(key=lambda h: (order[h[1]], h[0]))
        return [(rule_id, by_id[fid], sorted(set(details.get((rule_id, fid), [])))) for rule_id, fid in main]

    def _keep(self, rule_id: str, severity: str, dropped_service: str | None) -> bool:
        """Count a finding against the limit; False (and counted as omitted) beyond it."""
        if self.limit is None or self._kept[rule_id] < self.limit:
            self._kept[rule_id] += 1
            return True
        self.omitted[(rule_id, severity)] += 1
        if dropped_service is not None and severity == "error":
            self.omitted_drops.append((dropped_service, rule_id))
        return False

    def findings(self, facts: list[Fact]) -> list[Finding]:
        out = []
        for rule_id, fact, parts in self._hits(facts):
            rule = self.rules[rule_id]
            dropped = None
            if rule.billable_effect == "drop" and fact.fact_type == "service":
                dropped = str(getattr(fact, rule.entity.field)) if rule.entity else fact.entity_id()
            if self._keep(rule_id, rule.severity, dropped):
                out.append(make_finding(rule, fact, self.overrides, parts, self.origins))
        return out


def message_values(rule: Rule, fact: Fact, overrides: dict) -> dict:
    values = {name: getattr(fact, name) for name in type(fact).model_fields}
    for name, spec in rule.parameters.items():
        on = getattr(fact, spec.dated_by) if spec.dated_by else None
        values[name] = resolve_param(rule, name, overrides, on)
    return values


def _location(rule: Rule, fact: Fact, values: dict) -> Location:
    if rule.location and values.get(rule.location.file):
        return Location(file=str(values[rule.location.file]), line=int(values[rule.location.line]))
    return Location(file=fact.file, line=fact.line)


def render_message(rule: Rule, values: dict, lang: str, parts: list[int]) -> str:
    text = render(getattr(rule.message, lang), values, lang)
    extra = [render(getattr(rule.details[k], lang), values, lang) for k in parts]
    return text + (": " + "; ".join(extra) if extra else "")


def make_finding(rule: Rule, fact: Fact, overrides: dict, parts: list[int] | None = None,
                 origins: Origins | None = None) -> Finding:
    values = message_values(rule, fact, overrides)
    if rule.entity:
        entity = Entity(type=rule.entity.type, id=str(values[rule.entity.field]))
    else:
        entity = Entity(type=fact.entity_type, id=fact.entity_id())
    source = rule.source.citation(marks="„“")
    return Finding(
        id=fingerprint(rule.id, fact.fact_type, fact.key()),
        rule=rule.id,
        severity=rule.severity,
        entity=entity,
        location=_location(rule, fact, values),
        message={lang: render_message(rule, values, lang, parts or []) for lang in ("de", "en")},
        source=source,
        drops_service=rule.billable_effect == "drop" and fact.fact_type == "service",
        date=record_date(fact),
        evidence=build_evidence(rule, fact, overrides, origins),
    )
