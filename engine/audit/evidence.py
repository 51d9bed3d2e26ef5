"""Why a finding was raised: the record's values its rule read, and each parameter with its origin.

A provider contests findings; the auditor shows the values that decided each one:
"participant_count = 7; max_group_size = 6 (gültig ab 01.08.2024, da cohort_start = 01.08.2024)".
Built while the finding is made (engine/evaluate.py), from the same parameter periods the compiler
used (engine/compile.py ``param_periods``), so the evidence never disagrees with the check.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from engine.compile import fields_used, is_dated_override, param_periods
from schemas.facts import Fact
from schemas.finding import Evidence, ParameterValue
from schemas.rule import Rule

# a record's own date, in this order of preference (waivers may select by a date range)
DATE_FIELDS = ("date", "from_date", "start", "suspension_from", "employed_from")

# (owner, name) -> (set_by, file, line) of the override in force (engine/parameters.py Applied)
Origins = dict[tuple[str, str], tuple[str, str, int]]


def origins_of(applied) -> Origins:
    """The overrides in force for a bundle, by (rule id, parameter name)."""
    out: Origins = {}
    for a in applied:
        name = a.key.rsplit(".", 1)[-1]
        for owner in a.owners:
            out[(owner, name)] = (a.side, a.file, a.line)
    return out


def record_date(fact: Fact) -> dt.date | None:
    for name in DATE_FIELDS:
        value = getattr(fact, name, None)
        if isinstance(value, dt.date):
            return value
    return None


def parameter_value(rule: Rule, name: str, fact: Fact, overrides: dict, origins: Origins) -> ParameterValue:
    spec = rule.parameters[name]
    on = getattr(fact, spec.dated_by, None) if spec.dated_by else None
    on = on if isinstance(on, dt.date) else None
    override = overrides.get(rule.id, {}).get(name)
    chosen = (None, None, spec.default)
    for start, end, value in param_periods(rule, name, overrides):
        if on is None and start is None and end is None:
            chosen = (start, end, value)
            break
        if on is not None and (start is None or on >= start) and (end is None or on <= end):
            chosen = (start, end, value)
            break
    start, end, value = chosen
    dated = start is not None or end is not None
    if override is not None and (dated or not is_dated_override(override)):
        side, file, line = origins.get((rule.id, name), ("", "", 0))
        return ParameterValue(name=name, value=value, origin="override", valid_from=start, valid_to=end,
                              dated_by=spec.dated_by or "" if dated else "", on=on if dated else None,
                              set_by=side, file=file, line=line)
    if dated:
        return ParameterValue(name=name, value=value, origin="dated", valid_from=start, valid_to=end,
                              dated_by=spec.dated_by or "", on=on)
    if spec.dated_by and on is not None and (spec.values or is_dated_override(override)):
        # dated values exist, none covers the record's date: say which date was looked at
        return ParameterValue(name=name, value=value, origin="default", dated_by=spec.dated_by, on=on)
    return ParameterValue(name=name, value=value, origin="default")


def build_evidence(rule: Rule, fact: Fact, overrides: dict, origins: Origins | None = None) -> Evidence:
    names = sorted(fields_used(rule))
    facts: dict[str, Any] = {n: getattr(fact, n) for n in names if hasattr(fact, n)}
    params = tuple(parameter_value(rule, n, fact, overrides, origins or {}) for n in sorted(rule.parameters))
    return Evidence(facts=facts, parameters=params)
