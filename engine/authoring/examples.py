"""Run a rule's embedded examples through the real engine (durable_rules path)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pydantic import ValidationError

from engine.evaluate import Evaluator
from engine.report.junit import Case, Outcome, Suite, junit_xml
from engine.report.safe import printable
from engine.report.words import t
from schemas.facts import FACT_TYPES, Fact
from schemas.rule import Example, Rule


@dataclass
class ExampleResult:
    rule_id: str
    index: int
    name: str
    expected: list[str]
    actual: list[str]
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and self.expected == self.actual


def example_facts(rule: Rule, example: Example, lang: str = "en") -> list[Fact]:
    """Build the example's facts; fields left out take the fact type's defaults."""
    facts = []
    for raw in example.facts:
        data = dict(raw)
        fact_type = data.pop("type", rule.applies_to)
        if fact_type not in FACT_TYPES:
            raise ValueError(t("unknown_fact_type", lang).format(type=fact_type))
        facts.append(FACT_TYPES[fact_type](**data))
    return facts


def run_example(rule: Rule, index: int, example: Example, lang: str = "en") -> ExampleResult:
    expected = sorted(str(e) for e in example.expect)
    try:
        facts = example_facts(rule, example, lang)
        overrides = {rule.id: example.parameters} if example.parameters else {}
        evaluator = Evaluator([rule], overrides)
        findings = evaluator.findings(facts)
        if evaluator.errors:
            return ExampleResult(rule.id, index, example.name, expected, [], evaluator.errors[0].message[lang])
    except (ValueError, ValidationError) as exc:
        problem = t("bad_example", lang).format(problem=exc)
        return ExampleResult(rule.id, index, example.name, expected, [], problem.splitlines()[0])
    actual = sorted(f.entity.id for f in findings if f.rule == rule.id)
    return ExampleResult(rule.id, index, example.name, expected, actual)


def run_examples(rules: list[Rule], lang: str = "en") -> list[ExampleResult]:
    return [run_example(rule, i, ex, lang) for rule in rules for i, ex in enumerate(rule.examples)]


# --- boundary pinning --------------------------------------------------------

def _mutants(rule: Rule):
    """(parameter, period number or None, value, moved value, mutated rule) moving each numeric limit of the condition one step up and down.

    Derivation parameters (``used_by: derivation``) shape the facts, not the
    condition: the examples state facts, so their boundaries are pinned by the
    tests of the derivation (tests/test_parameters.py) instead.
    """
    data = rule.model_dump(mode="json", by_alias=True, exclude_none=True)
    for pname, spec in rule.parameters.items():
        if spec.used_by == "derivation":
            continue
        slots = [("default", None, spec.default)] + [("values", i, v.value) for i, v in enumerate(spec.values)]
        for slot, i, value in slots:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            step = 1 if isinstance(value, int) else 0.01
            for delta in (step, -step):
                new = value + delta
                mutated = json_copy(data)
                target = mutated["parameters"][pname]
                if slot == "default":
                    target["default"] = new
                else:
                    target["values"][i]["value"] = new
                yield pname, None if slot == "default" else i + 1, value, round(new, 6), Rule.model_validate(mutated)


def json_copy(data):
    import json

    return json.loads(json.dumps(data))


def boundary_problems(rule: Rule, lang: str = "de") -> list[str]:
    """Limits whose move by one step no example notices: the examples do not pin them."""
    problems = []
    for pname, period, value, moved, mutant in _mutants(rule):
        results = [run_example(mutant, i, ex) for i, ex in enumerate(mutant.examples)]
        if all(r.passed for r in results):
            where = "" if period is None else " " + t("period_n", lang).format(n=period)
            label = f"{pname}{where} {value} → {moved}"
            problems.append(f"{rule.id}: " + t("limit_not_pinned", lang).format(label=label))
    return problems


def run_all(rules: list[Rule], lang: str = "de") -> tuple[list[ExampleResult], list[str]]:
    results = run_examples(rules, lang)
    boundary = [p for rule in rules for p in boundary_problems(rule, lang)]
    return results, boundary


def render_results(results: list[ExampleResult], boundary: list[str], fmt: str, lang: str = "de") -> str:
    if fmt == "junit":
        return _junit(results, boundary, lang)
    lines = []
    for r in results:
        status = t("example_ok", lang) if r.passed else t("example_fail", lang)
        lines.append(f"{status} {r.rule_id} [{r.index}] {r.name}")
        if not r.passed:
            lines.append(f"       {r.error}" if r.error else
                         "       " + t("expected_got", lang).format(expected=r.expected, actual=r.actual))
    for b in boundary:
        lines.append(f"{t('example_fail', lang)} {b}")
    failed = sum(not r.passed for r in results) + len(boundary)
    lines.append(t("passed_failed", lang).format(passed=len(results) + len(boundary) - failed, failed=failed))
    return "\n".join(printable(line) for line in lines) + "\n"  # rule files come in pull requests


def _junit(results: list[ExampleResult], boundary: list[str], lang: str) -> str:
    # names and messages come from rule files (pull requests): printable keeps the XML valid
    results = [dataclasses.replace(r, rule_id=printable(r.rule_id), name=printable(r.name), error=printable(r.error),
                                   expected=[printable(e) for e in r.expected], actual=[printable(a) for a in r.actual])
               for r in results]
    boundary = [printable(b) for b in boundary]
    by_rule: dict[str, list[ExampleResult]] = {}
    for r in results:
        by_rule.setdefault(r.rule_id, []).append(r)
    suites = []
    for rule_id, items in by_rule.items():
        bprobs = [b for b in boundary if b.startswith(rule_id + ":")]
        cases = []
        for r in items:
            msg = r.error or t("expected_got", lang).format(expected=r.expected, actual=r.actual)
            cases.append(Case(rule_id, f"[{r.index}] {r.name}", failures=[] if r.passed else [Outcome(msg, msg)]))
        cases.append(Case(rule_id, t("limits_pinned_case", lang), failures=[Outcome(b, b) for b in bprobs]))
        suites.append(Suite(rule_id, len(items) + 1, sum(not r.passed for r in items) + bool(bprobs), cases))
    others = [b for b in boundary if not any(b.startswith(rule_id + ":") for rule_id in by_rule)]
    if others:  # rule files that did not load
        rule_files = t("rule_files_suite", lang)
        cases = [Case(rule_files, b.split(": ")[0], failures=[Outcome(b, b)]) for b in others]
        suites.append(Suite(rule_files, len(others), len(others), cases))
    return junit_xml("asa-check rules test", suites)
