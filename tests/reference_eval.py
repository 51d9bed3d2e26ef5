"""Independent plain-Python evaluation of the YAML rule conditions (tests only).

Shares the parsing (``schemas/rule.py``) and the parameter periods with the
engine path, but evaluates conditions directly on the fact objects — no
compilation, no De Morgan push-down, no durable_rules. Below, a day-by-day
reference for the derived periods (reference-person coverage, merged
suspensions) that engine/facts.py computes with intervals.
"""
from __future__ import annotations

import operator
from datetime import date, timedelta

from engine.compile import resolve_param
from schemas.facts import Fact
from schemas.rule import All, AnyOf, Cmp, FieldRef, Not, ParamRef, Rule

OPS = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt,
       "lte": operator.le}


def _operand(rule: Rule, fact: Fact, operand, overrides: dict):
    if isinstance(operand, ParamRef):
        spec = rule.parameters[operand.param]
        on = getattr(fact, spec.dated_by) if spec.dated_by else None
        return resolve_param(rule, operand.param, overrides, on)
    if isinstance(operand, FieldRef):
        return getattr(fact, operand.field)
    return operand


def holds(rule: Rule, node, fact: Fact, overrides: dict) -> bool:
    if isinstance(node, All):
        return all(holds(rule, c, fact, overrides) for c in node.all)
    if isinstance(node, AnyOf):
        return any(holds(rule, c, fact, overrides) for c in node.any)
    if isinstance(node, Not):
        return not holds(rule, node.not_, fact, overrides)
    assert isinstance(node, Cmp)
    value = getattr(fact, node.field)
    if node.op in ("in", "not_in"):
        members = _operand(rule, fact, node.operand, overrides)
        return (value in members) == (node.op == "in")
    return OPS[node.op](value, _operand(rule, fact, node.operand, overrides))


def reference_hits(rules: list[Rule], facts: list[Fact], overrides: dict | None = None) -> list[tuple[str, int]]:
    """(rule id, fact index) for every violation, sorted."""
    overrides = overrides or {}
    return sorted(
        (rule.id, n)
        for n, fact in enumerate(facts)
        for rule in rules
        if rule.applies_to == fact.fact_type and holds(rule, rule.condition, fact, overrides)
    )


# --- day by day: an independent reference for the derived periods (issue 9) ----------------------------

def days(a: date, b: date) -> set[date]:
    """Every day from a to b (both included)."""
    return {a + timedelta(days=i) for i in range((b - a).days + 1)} if a <= b else set()


def reference_uncovered(sub, row, cutoff: date) -> int:
    """Days of a participants.csv row (to its end or the cutoff) without a reference person employed that day."""
    employed = {s.staff_id: days(s.employed_from, s.employed_to or cutoff) for s in sub.staff}
    covered: set[date] = set()
    for r in sub.reference_persons:
        if r.participant_id == row.participant_id:
            covered |= days(r.from_, r.to or cutoff) & employed.get(r.staff_id, set())
    return len(days(row.from_, min(row.to or cutoff, cutoff)) - covered)


def reference_suspensions(sub) -> dict[int, tuple[date, date]]:
    """Line -> (first, last day) of the suspension the row belongs to: rows joined while their days touch."""
    out = {}
    for s in sub.suspensions:
        group = {s.loc.line}
        span = days(s.from_, s.to)
        grown = True
        while grown:  # add every row of the participant overlapping or adjoining the days collected so far
            grown = False
            for o in sub.suspensions:
                if o.participant_id == s.participant_id and o.loc.line not in group:
                    near = days(o.from_ - timedelta(days=1), o.to + timedelta(days=1))
                    if near & span:
                        group.add(o.loc.line)
                        span |= days(o.from_, o.to)
                        grown = True
        out[s.loc.line] = (min(span), max(span))
    return out
