"""Derived facts are valid fact models, complete, and the derivation is deterministic."""
from pathlib import Path

import pytest

from engine.facts import record_facts
from engine.read import read_bundle

FIX = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize("name", ["compliant", "violating", "cohort-2024"])
def test_derived_facts_validate(name):
    facts = record_facts(read_bundle(FIX / name))
    assert facts
    for fact in facts:
        cls = type(fact)
        assert set(fact.__dict__) == set(cls.model_fields), fact
        assert cls.model_validate(fact.model_dump()) == fact


def test_derivation_is_deterministic():
    a = record_facts(read_bundle(FIX / "violating"))
    b = record_facts(read_bundle(FIX / "violating"))
    assert [f.model_dump() for f in a] == [f.model_dump() for f in b]
