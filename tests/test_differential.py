"""durable_rules engine vs. the independent reference evaluation on random facts.

ASA_DIFF_EXAMPLES=10000 python -m pytest tests/test_differential.py  (the slow run)
"""
import datetime as dt
import os
import typing

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.evaluate import Evaluator
from engine.rules import load_rules
from schemas.facts import FACT_TYPES, FAR_FUTURE, FAR_PAST
from tests.reference_eval import reference_hits

RULES = [lr.rule for lr in load_rules().rules]
EXAMPLES = int(os.environ.get("ASA_DIFF_EXAMPLES", "200"))

WORDS = ["", "AB", "SP", "SFU", "LK", "VP", "BP", "employee", "freelance", "agency", "subcontractor",
         "present", "absent_unannounced", "absent_announced", "cancelled_by_provider",
         "presence", "phone", "video", "company",
         "parental_leave", "sick_pay", "other", "S1", "S2", "TN1", "M1", "T-1"]
DATES = st.one_of(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.sampled_from([FAR_FUTURE, FAR_PAST, dt.date(2024, 7, 31), dt.date(2024, 8, 1), dt.date(2021, 9, 1),
                     dt.date(2024, 2, 29), dt.date(2024, 3, 1)]),
)


def _field_strategy(tp):
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.one_of(st.integers(-1, 40), st.sampled_from([0, 1, 2, 6, 7, 8, 9, 12, 24, 25, 36]))
    if tp is float:
        return st.one_of(st.sampled_from([0.0, 0.01, 0.02, 1.0, 1.5, 2800.0, 4000.0, 4000.01]),
                         st.floats(-10, 5000, allow_nan=False, width=32).map(lambda x: round(x, 2)))
    if tp is dt.date:
        return DATES
    return st.sampled_from(WORDS)


def _fact_strategy(cls):
    hints = typing.get_type_hints(cls)
    fields = {n: _field_strategy(hints[n]) for n in cls.model_fields if n not in ("file", "line")}
    return st.builds(cls, **fields)


def _near_example():
    """A fact from some rule's example with a few fields replaced: lands near the limits."""
    seeds = [(ex_fact.get("type", r.applies_to), {k: v for k, v in ex_fact.items() if k != "type"})
             for r in RULES for ex in r.examples for ex_fact in ex.facts]

    @st.composite
    def build(draw):
        ftype, base = draw(st.sampled_from(seeds))
        cls = FACT_TYPES[ftype]
        hints = typing.get_type_hints(cls)
        names = [n for n in cls.model_fields if n not in ("file", "line")]
        data = dict(base)
        for name in draw(st.lists(st.sampled_from(names), max_size=3)):
            data[name] = draw(_field_strategy(hints[name]))
        return cls(**data)

    return build()


FACTS = st.lists(st.one_of([_fact_strategy(c) for c in FACT_TYPES.values()] + [_near_example()] * 4),
                 min_size=1, max_size=25)
EVALUATOR = Evaluator(RULES)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FACTS)
def test_engine_matches_reference(facts):
    position = {id(f): n for n, f in enumerate(facts)}  # by identity: equal facts may repeat
    engine = sorted((rule_id, position[id(fact)]) for rule_id, fact in EVALUATOR.hits(facts))
    assert not EVALUATOR.errors
    assert engine == reference_hits(RULES, facts)
    event("with violations" if engine else "no violation")
    for rule_id in sorted({r for r, _ in engine}):
        event(f"fired {rule_id}")


OVERRIDDEN = [(r, ex) for r in RULES for ex in r.examples if ex.parameters]


@settings(max_examples=max(20, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(OVERRIDDEN), FACTS)
def test_engine_matches_reference_with_overrides(rule_example, facts):
    """The same with a rule's example parameters in force (overrides reach both paths alike)."""
    rule, example = rule_example
    overrides = {rule.id: example.parameters}
    evaluator = Evaluator(RULES, overrides)
    position = {id(f): n for n, f in enumerate(facts)}
    engine = sorted((rule_id, position[id(fact)]) for rule_id, fact in evaluator.hits(facts))
    assert not evaluator.errors
    assert engine == reference_hits(RULES, facts, overrides)


def test_every_rule_fires_and_rests_alike_on_its_own_examples():
    """Every rule, the new ones included, on both sides of its boundaries: engine == reference."""
    from engine.examples import example_facts

    for rule in RULES:
        for example in rule.examples:
            facts = example_facts(rule, example)
            overrides = {rule.id: example.parameters} if example.parameters else {}
            evaluator = EVALUATOR if not overrides else Evaluator(RULES, overrides)
            position = {id(f): n for n, f in enumerate(facts)}
            engine = sorted((r, position[id(f)]) for r, f in evaluator.hits(facts))
            assert engine == reference_hits(RULES, facts, overrides), (rule.id, example.name)
            assert (rule.id in {r for r, _ in engine}) == bool(example.expect), (rule.id, example.name)
