"""Derived facts are valid fact models, complete, and the derivation is deterministic."""
from pathlib import Path

import pytest

from engine.facts import record_facts
from engine.parameters import resolve
from engine.read import read_bundle
from engine.rules import load_rules

FIX = Path(__file__).resolve().parent.parent / "fixtures"
RULES = load_rules()


def facts_of(sub):
    return record_facts(sub, resolve(RULES, sub.contract))


@pytest.mark.parametrize("name", ["compliant", "violating", "cohort-2024"])
def test_derived_facts_validate(name):
    facts = facts_of(read_bundle(FIX / name))
    assert facts
    for fact in facts:
        cls = type(fact)
        assert set(fact.__dict__) == set(cls.model_fields), fact
        assert cls.model_validate(fact.model_dump()) == fact


def test_derivation_is_deterministic():
    a = facts_of(read_bundle(FIX / "violating"))
    b = facts_of(read_bundle(FIX / "violating"))
    assert [f.model_dump() for f in a] == [f.model_dump() for f in b]
