"""The audit around a check: waivers and baseline applied to the results, and what the reports say of them.

``prepare(results, waivers_file, baseline_file, today)`` is called by the CLI
after the check and before any report; it returns the ``AuditInfo`` the
reports print in their header (check date, tool version, waivers and baseline
used, stale and expired waivers).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import metadata

from engine.audit.baseline import compare
from engine.audit.waivers import WaiverUse, apply_waivers
from schemas.finding import SEVERITY_RANK


def tool_version() -> str:
    try:
        return metadata.version("asa-check")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"


@dataclass
class AuditInfo:
    check_date: dt.date
    tool_version: str = field(default_factory=tool_version)
    waivers: WaiverUse | None = None
    baseline_file: str = ""
    # --rule/--skip-rule in force: {"rule": [...], "skip_rule": [...]}; empty: every rule (engine/audit/selection.py)
    rule_selection: dict = field(default_factory=dict)

    @property
    def waivers_file(self) -> str:
        return self.waivers.file if self.waivers else ""


def prepare(results: list, waivers=None, baseline=None, today: dt.date | None = None,
            waivers_file=None) -> AuditInfo:
    """Apply the waivers (engine/audit/waivers.py ``read_waivers``), then the baseline (engine/audit/baseline.py
    ``read_baseline``) to ``results`` in place; ``today``: the check date (default: today).
    """
    info = AuditInfo(today or dt.date.today())
    if waivers is not None:
        info.waivers = apply_waivers(results, waivers, str(waivers_file or (waivers[0].file if waivers else "")),
                                     info.check_date)
    if baseline is not None:
        compare(results, baseline)
        info.baseline_file = baseline.file
    return info


def status_counts(result) -> dict[str, int]:
    """new / persisting among the findings in force, resolved from the baseline."""
    counts = {"new": 0, "persisting": 0, "resolved": len(result.resolved)}
    for f in result.findings:
        if f.status:
            counts[f.status] += 1
    return counts


def fails(results: list, fail_on: str, only_new: bool) -> bool:
    """Exit 1? A finding in force (not waived) of ``fail_on`` or worse; with ``only_new`` a new one only."""
    limit = SEVERITY_RANK[fail_on]
    for r in results:
        for f in r.findings:
            if SEVERITY_RANK[f.severity] <= limit and (not only_new or f.status != "persisting"):
                return True
        if not only_new:  # findings beyond the listing limit count too (a baseline cannot match them)
            if any(n and SEVERITY_RANK[sev] <= limit for sev, n in r.summary().items()):
                return True
        elif any(SEVERITY_RANK[sev] <= limit and n for by in r.omitted.values() for sev, n in by.items()):
            return True  # unlisted findings cannot be shown to be old: fail closed
    return False
