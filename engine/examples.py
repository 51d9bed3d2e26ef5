"""Run a rule's embedded examples through the real engine (durable_rules path)."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from engine.evaluate import Evaluator
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


def example_facts(rule: Rule, example: Example) -> list[Fact]:
    """Build the example's facts; fields left out take the fact type's defaults."""
    facts = []
    for raw in example.facts:
        data = dict(raw)
        fact_type = data.pop("type", rule.applies_to)
        if fact_type not in FACT_TYPES:
            raise ValueError(f"unknown fact type '{fact_type}'")
        facts.append(FACT_TYPES[fact_type](**data))
    return facts


def run_example(rule: Rule, index: int, example: Example) -> ExampleResult:
    expected = sorted(str(e) for e in example.expect)
    try:
        facts = example_facts(rule, example)
        overrides = {rule.id: example.parameters} if example.parameters else {}
        evaluator = Evaluator([rule], overrides)
        findings = evaluator.findings(facts)
        if evaluator.errors:
            return ExampleResult(rule.id, index, example.name, expected, [], evaluator.errors[0].message["en"])
    except (ValueError, ValidationError) as exc:
        return ExampleResult(rule.id, index, example.name, expected, [], f"bad example: {exc}".splitlines()[0])
    actual = sorted(f.entity.id for f in findings if f.rule == rule.id)
    return ExampleResult(rule.id, index, example.name, expected, actual)


def run_examples(rules: list[Rule]) -> list[ExampleResult]:
    return [run_example(rule, i, ex) for rule in rules for i, ex in enumerate(rule.examples)]
