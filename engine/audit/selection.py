"""Which findings a run reports: ``--rule``/``--skip-rule`` (ids or globs) and ``--min-severity``.

``--rule``/``--skip-rule`` select the rules of the run: findings of other rules
are left out of every report, its summary, the hours and euros at stake shown
and the exit code (the ledger stays complete; the reports say a selection is in
force). ``ASA-ENGINE`` (a
rule that could not be evaluated) is never left out: nothing unchecked passes
silently. ``--min-severity`` only changes what is listed; the summary still
counts every finding and ``--fail-on`` still sees them all.
"""
from __future__ import annotations

import dataclasses
import fnmatch

from schemas.finding import SEVERITY_RANK

ALWAYS = "ASA-ENGINE"


def matches(rule: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(rule.upper(), p.upper()) for p in patterns)


def unmatched(patterns: list[str], rule_ids: list[str]) -> list[str]:
    """Patterns that name no rule (a typo would otherwise select nothing, silently)."""
    return [p for p in patterns if not any(matches(r, [p]) for r in rule_ids)]


def keep_rule(rule: str, only: list[str], skip: list[str]) -> bool:
    if rule == ALWAYS:
        return True
    if only and not matches(rule, only):
        return False
    return not matches(rule, skip)


def select_rules(result, only: list[str], skip: list[str]):
    """``result`` with the findings (listed and omitted) of the selected rules only."""
    if not only and not skip:
        return result
    return dataclasses.replace(
        result,
        selection={"rule": list(only), "skip_rule": list(skip)},
        stake=result.stake.selected(result.ledger, lambda rule: keep_rule(rule, only, skip)),
        findings=[f for f in result.findings if keep_rule(f.rule, only, skip)],
        omitted={r: n for r, n in result.omitted.items() if keep_rule(r, only, skip)},
        # waivers and the baseline were applied to every finding first (engine/audit/run.py)
        waived=[f for f in result.waived if keep_rule(f.rule, only, skip)],
        resolved=[r for r in result.resolved if keep_rule(str(r.get("rule", "")), only, skip)])


def at_least(result, min_severity: str | None):
    """``result`` listing only findings of ``min_severity`` or worse; its summary keeps counting all."""
    if min_severity is None or min_severity == "info":
        return result
    limit = SEVERITY_RANK[min_severity]
    counts = result.summary()
    shown = dataclasses.replace(result, findings=[f for f in result.findings if SEVERITY_RANK[f.severity] <= limit])
    shown.summary = lambda: counts  # every finding still counted
    return shown
