"""Compile YAML rule conditions to durable_rules condition dicts.

Parameters are resolved at compile time: a plain parameter becomes a literal; a
dated parameter (``values`` with ``valid_from``/``valid_to``, selected by the
fact field ``dated_by``) becomes an ``$or`` of period-guarded comparisons, so the
value in force on the record's date is used inside the engine.

``not`` is pushed down to the comparisons (De Morgan), since durable_rules has no
negation of a whole expression. Facts are total (every field present), so
negating a comparison is exact.
"""
from __future__ import annotations

import hashlib
import json
import typing
from datetime import date
from operator import attrgetter
from typing import Any

from schemas.facts import FACT_TYPES, Fact
from schemas.rule import All, AnyOf, Cmp, Cond, FieldRef, Not, ParamRef, Rule

NEGATE = {"eq": "ne", "ne": "eq", "gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt", "in": "not_in", "not_in": "in"}
DR_OP = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "ne": "$neq"}


class CompileError(Exception):
    pass


def engine_value(value: Any) -> Any:
    """A Python value as the engine sees it: dates become day numbers."""
    if isinstance(value, date):
        return value.toordinal()
    return value


_LAYOUTS: dict[tuple, tuple[tuple[str, bool], ...]] = {}


def _layout(cls: type[Fact], only: frozenset[str] | None) -> tuple[tuple[str, bool], ...]:
    """(field, is a date) of a fact class, computed once: this runs for every fact."""
    layout = _LAYOUTS.get((cls, only))
    if layout is None:
        hints = typing.get_type_hints(cls)
        layout = tuple((n, hints[n] is date) for n in cls.model_fields
                       if n not in ("file", "line") and (only is None or n in only))
        _LAYOUTS[(cls, only)] = layout
    return layout


def fact_to_engine(fact: Fact, fact_id: str, only: frozenset[str] | None = None) -> dict:
    """The engine's view of a fact; ``only``: just the fields the rules read (less JSON per fact)."""
    d = {"type": fact.fact_type, "id": fact_id}
    values = fact.__dict__
    for name, is_date in _layout(type(fact), only):
        value = values[name]
        d[name] = value.toordinal() if is_date else value
    return d


def engine_columns(cls: type[Fact], facts: list[Fact], fact_ids: list[str],
                   only: frozenset[str] | None = None) -> tuple[tuple[str, ...], list[list]]:
    """``fact_to_engine`` for many facts of one class at once: (fields, one column per field), same order."""
    layout = _layout(cls, only)
    columns: list[list] = [[cls.fact_type] * len(facts), fact_ids]
    for name, is_date in layout:
        column = map(attrgetter(name), facts)
        columns.append(list(map(date.toordinal, column)) if is_date else list(column))
    return ("type", "id") + tuple(name for name, _ in layout), columns


def fields_used(rule: Rule) -> set[str]:
    """Fact fields a rule's condition and details read (incl. the dates selecting dated parameters)."""
    used: set[str] = set()
    for _, node in rule.comparisons():
        used.add(node.field)
        if isinstance(node.operand, FieldRef):
            used.add(node.operand.field)
        if isinstance(node.operand, ParamRef) and node.operand.param in rule.parameters:
            dated_by = rule.parameters[node.operand.param].dated_by
            if dated_by:
                used.add(dated_by)
    return used


def param_periods(rule: Rule, name: str, overrides: dict) -> list[tuple[date | None, date | None, Any]]:
    """Periods of a parameter: [(from, to, value)], the default filling the rest.

    ``overrides``: ``{rule id: {name: value}}`` (engine/parameters.py resolves who
    may set what). An override replaces the whole parameter: a plain value, or a
    list of ``{valid_from, valid_to, value}``.
    """
    spec = rule.parameters[name]
    override = overrides.get(rule.id, {}).get(name)
    if override is not None:
        if is_dated_override(override):
            return [(o.get("valid_from"), o.get("valid_to"), o["value"]) for o in override] + [(None, None, spec.default)]
        return [(None, None, override)]
    periods = [(v.valid_from, v.valid_to, v.value) for v in spec.values]
    return periods + [(None, None, spec.default)]


def value_kind(v: Any) -> str:
    """The kind of a parameter or literal value: list, bool, number, date, text — or other."""
    if isinstance(v, list):
        return "list"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, date):
        return "date"
    return "text" if isinstance(v, str) else "other"


def is_dated_override(value: Any) -> bool:
    """``[{valid_from, valid_to, value}, …]`` rather than a plain (possibly list) value."""
    return isinstance(value, list) and bool(value) and all(isinstance(o, dict) and "value" in o for o in value)


def resolve_param(rule: Rule, name: str, overrides: dict, on: date | None) -> Any:
    """The value in force on ``on`` (used for messages and by the reference evaluator)."""
    for start, end, value in param_periods(rule, name, overrides):
        if on is None and start is None and end is None:
            return value
        if on is not None and (start is None or on >= start) and (end is None or on <= end):
            return value
    return rule.parameters[name].default


def _engine_comparison(field: str, op: str, operand: Any) -> dict:
    if isinstance(operand, FieldRef):
        value: Any = {"$m": operand.field}
    else:
        value = engine_value(operand)
    if op == "eq":
        return {field: value}
    if op == "in":
        if not operand:  # an empty list (e.g. from an override): never; facts are total
            return {"$nex": {field: 1}}
        return {"$or": [{field: engine_value(v)} for v in operand]}
    if op == "not_in":
        if not operand:
            return {"$ex": {field: 1}}
        return {"$and": [{"$neq": {field: engine_value(v)}} for v in operand]}
    return {DR_OP[op]: {field: value}}


class _Compiler:
    def __init__(self, rule: Rule, overrides: dict):
        self.rule = rule
        self.overrides = overrides

    def _check_field(self, name: str) -> None:
        # durable_rules never matches a missing field: an unknown field would be a silent pass
        if name not in FACT_TYPES[self.rule.applies_to].model_fields or name in ("file", "line"):
            raise CompileError(f"unknown field '{name}' of fact type {self.rule.applies_to}")

    def cond(self, node: Cond, negate: bool = False) -> dict:
        if isinstance(node, All):
            parts = [self.cond(c, negate) for c in node.all]
            return {"$or" if negate else "$and": parts}
        if isinstance(node, AnyOf):
            parts = [self.cond(c, negate) for c in node.any]
            return {"$and" if negate else "$or": parts}
        if isinstance(node, Not):
            return self.cond(node.not_, not negate)
        if isinstance(node, Cmp):
            self._check_field(node.field)
            if isinstance(node.operand, FieldRef):
                self._check_field(node.operand.field)
            op = NEGATE[node.op] if negate else node.op
            operand = node.operand
            if isinstance(operand, ParamRef):
                return self.param_cmp(node.field, op, operand.param)
            return _engine_comparison(node.field, op, operand)
        raise CompileError(f"unknown condition node {node!r}")

    def param_cmp(self, field: str, op: str, name: str) -> dict:
        if name not in self.rule.parameters:
            raise CompileError(f"unknown parameter '{name}'")
        periods = param_periods(self.rule, name, self.overrides)
        dated_by = self.rule.parameters[name].dated_by
        if not dated_by or len(periods) == 1:
            value = next(v for s, e, v in periods if s is None and e is None)
            return _engine_comparison(field, op, value)
        # first matching period wins: guard each later period against the earlier ones
        branches, earlier = [], []
        for start, end, value in periods:
            guard = []
            if start is not None:
                guard.append({"$gte": {dated_by: engine_value(start)}})
            if end is not None:
                guard.append({"$lte": {dated_by: engine_value(end)}})
            outside_earlier = [
                {"$or": [g for g in (
                    [{"$lt": {dated_by: engine_value(s)}}] if s is not None else []) + (
                    [{"$gt": {dated_by: engine_value(e)}}] if e is not None else [])]}
                for s, e in earlier
            ]
            branches.append({"$and": guard + outside_earlier + [_engine_comparison(field, op, value)]})
            earlier.append((start, end))
            if start is None and end is None:
                break
        return {"$or": branches}


def compile_rule(rule: Rule, overrides: dict | None = None) -> dict:
    """Condition dict for one rule, restricted to its fact type."""
    if rule.applies_to not in FACT_TYPES:
        raise CompileError(f"unknown fact type '{rule.applies_to}'")
    body = _Compiler(rule, overrides or {}).cond(rule.condition)
    return {"$and": [{"type": rule.applies_to}, body]}


def compile_details(rule: Rule, overrides: dict | None = None) -> dict[str, dict]:
    """One engine rule per message detail: the rule's condition and the detail's."""
    if rule.applies_to not in FACT_TYPES:
        raise CompileError(f"unknown fact type '{rule.applies_to}'")
    out = {}
    for k, detail in enumerate(rule.details):
        c = _Compiler(rule, overrides or {})
        out[f"{rule.id}#{k}"] = {"$and": [{"type": rule.applies_to}, c.cond(rule.condition), c.cond(detail.when)]}
    return out


def ruleset_name(rules: list[Rule], overrides: dict) -> str:
    """Name by content: the same rules and overrides give the same registered ruleset."""
    blob = json.dumps([[r.model_dump(mode="json", by_alias=True) for r in rules], overrides], sort_keys=True, default=str)
    return "asa_" + hashlib.sha256(blob.encode()).hexdigest()[:16]
