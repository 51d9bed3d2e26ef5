"""Independent plain-Python evaluation of the YAML rule conditions (tests only).

Shares the parsing (``schemas/rule.py``) and the parameter periods with the
engine path, but evaluates conditions directly on the fact objects — no
compilation, no De Morgan push-down, no durable_rules.
"""
from __future__ import annotations

import operator

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
