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
    from engine.authoring.examples import example_facts

    for rule in RULES:
        for example in rule.examples:
            facts = example_facts(rule, example)
            overrides = {rule.id: example.parameters} if example.parameters else {}
            evaluator = EVALUATOR if not overrides else Evaluator(RULES, overrides)
            position = {id(f): n for n, f in enumerate(facts)}
            engine = sorted((r, position[id(f)]) for r, f in evaluator.hits(facts))
            assert engine == reference_hits(RULES, facts, overrides), (rule.id, example.name)
            assert (rule.id in {r for r, _ in engine}) == bool(example.expect), (rule.id, example.name)


# --- the derived periods: interval arithmetic (engine/facts.py) vs day sets (tests/reference_eval.py) -----

from engine.facts import check_date, participant_facts, suspension_facts  # noqa: E402
from engine.dates import months_counted  # noqa: E402
from schemas.submission import Loc, Participant, ReferencePerson, Service, Staff, Submission, Suspension  # noqa: E402
from tests.reference_eval import reference_suspensions, reference_uncovered  # noqa: E402

DAY0 = dt.date(2022, 1, 1)
NEAR = st.integers(0, 120).map(lambda n: DAY0 + dt.timedelta(days=n))
PIDS = st.sampled_from(["TN1", "TN2"])


@st.composite
def periods(draw, make, n):
    out, b = [], None
    for line in range(2, 2 + draw(st.integers(0, n))):
        # often right after the previous period (adjoining), or one day later (a gap of one day)
        after = draw(st.sampled_from([None, None, 1, 2])) if b is not None else None
        a = b + dt.timedelta(days=after) if after else draw(NEAR)
        b = a + dt.timedelta(days=draw(st.integers(0, 60)))
        out.append(make(line, draw(PIDS), a, b, draw(st.booleans())))
    return out


def _susp(line, pid, a, b, _):
    return Suspension(loc=Loc(file="suspensions.csv", line=line), participant_id=pid, **{"from": a}, to=b)


def _ref(line, pid, a, b, open_end):
    return ReferencePerson(loc=Loc(file="reference_persons.csv", line=line), participant_id=pid,
                           staff_id="A1" if line % 2 else "A2", **{"from": a}, to=None if open_end else b)


def _row(line, pid, a, b, open_end):
    return Participant(loc=Loc(file="participants.csv", line=line), participant_id=pid,
                       phase="VP" if line % 2 else "BP", **{"from": a}, to=None if open_end else b)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(periods(_susp, 5))
def test_merged_suspensions_match_day_sets(rows):
    sub = Submission(name="t", suspensions=rows)
    expected = reference_suspensions(sub)
    for f in suspension_facts(sub):
        a, b = expected[f.line]
        assert (f.suspension_from, f.suspension_to) == (a, b)
        assert f.length_months == months_counted(a, b)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(periods(_row, 3), periods(_ref, 4), NEAR, NEAR)
def test_reference_person_coverage_matches_day_sets(rows, refs, left, cutoff):
    staff = [Staff(loc=Loc(file="staff.csv", line=2), staff_id="A1", role="AB", employment="employee",
                   employer_id="T", employed_from=DAY0, fte=1),
             Staff(loc=Loc(file="staff.csv", line=3), staff_id="A2", role="AB", employment="employee",
                   employer_id="T", employed_from=DAY0 + dt.timedelta(days=10), employed_to=left, fte=1)]
    last = Service(loc=Loc(file="services.csv", line=2), service_id="S1", date=cutoff + dt.timedelta(days=60),
                   start=dt.time(10), minutes=60, element="AB", phase="BP", staff_id="A1", participant_ids=("TN1",))
    sub = Submission(name="t", staff=staff, participants=rows, reference_persons=refs, services=[last])
    end = check_date(sub)
    uncovered = 0
    for row, f in zip(rows, participant_facts(sub)):
        assert f.days_without_refperson == reference_uncovered(sub, row, end), (row, f)
        uncovered += f.days_without_refperson
    event("some days uncovered" if uncovered else "all covered")
