"""Every rule's embedded examples, run through the real durable_rules engine."""
import pytest

from engine.authoring.examples import run_example
from engine.rules import load_rules

RULESET = load_rules()
CASES = [(lr.rule, i, ex) for lr in RULESET.rules for i, ex in enumerate(lr.rule.examples)]


def test_rules_load_without_problems():
    assert RULESET.problems == []
    assert RULESET.rules


@pytest.mark.parametrize("rule,index,example", CASES, ids=[f"{r.id}[{i}]" for r, i, _ in CASES])
def test_example(rule, index, example):
    result = run_example(rule, index, example)
    assert not result.error, result.error
    assert result.actual == result.expected, example.name
