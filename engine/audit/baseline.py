"""Baselines: what is new since the last run (``--baseline PREVIOUS.json``, ``--fail-on-new``).

The baseline is a JSON report of an earlier run (``check --format json``, one
bundle or many). Each finding of this run is marked ``new`` or
``persisting``; the baseline's findings not found again are listed as
resolved. Findings match on their stable fingerprint (rule, fact type,
record identity: the finding id), never on line numbers, so a row inserted
above does not make every finding new, and a finding on another record is
never taken for an old one. Input findings (ASA-INPUT) whose id includes the
line are matched on rule, file, column, record and message instead.

Bundles pair by submission name; when both runs hold exactly one bundle they
pair whatever their names (a monthly run in a new folder). A baseline rule
whose findings this run lists only partly (``--max-findings``) resolves
nothing: its unlisted findings are not known.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from engine.report.words import WordsError
from engine.rules import INPUT_RULE
from engine.evaluate import fingerprint
from schemas.finding import Finding

MAX_FILE_BYTES = 200_000_000


class BaselineError(WordsError):
    """The baseline file cannot be used: a usage error naming the file."""


def match_key(f: Finding) -> str:
    """The finding's stable fingerprint: its id, or for input findings an id without the line number."""
    if f.rule != INPUT_RULE:
        return f.id
    return fingerprint(INPUT_RULE, f.location.file, f.location.column, f.entity.type, f.entity.id,
                       f.message.get("en", ""))


@dataclass
class Baseline:
    file: str
    # submission name -> fingerprint -> the baseline's finding (as in its JSON)
    submissions: dict[str, dict[str, dict]] = field(default_factory=dict)
    omitted: dict[str, set[str]] = field(default_factory=dict)  # submission -> rules capped in the baseline


def _key(f) -> str | None:
    """A baseline finding's fingerprint (or id) when it is a non-empty text; any other JSON gives None."""
    if not isinstance(f, dict):
        return None
    key = f.get("fingerprint") or f.get("id")
    return key if isinstance(key, str) and key else None


def read_baseline(path: str | Path) -> Baseline:
    path = Path(path)
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BaselineError("bl_too_large", where=name)
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: deep nesting
        where = f"{name}:{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else name
        raise BaselineError("bl_not_json_why", where=where, why=type(exc).__name__) from None
    if not isinstance(doc, dict):
        raise BaselineError("bl_not_json", where=name)
    docs = doc.get("submissions") if "submissions" in doc else [doc]
    if not isinstance(docs, list):
        raise BaselineError("bl_submissions_not_list", where=name)
    base = Baseline(name)
    for n, sub in enumerate(docs):
        findings = sub.get("findings") if isinstance(sub, dict) else None
        if not isinstance(findings, list):
            raise BaselineError("bl_findings_not_list", where=name, n=n + 1)
        listed: dict[str, dict] = {}
        for k, f in enumerate(findings):
            if _key(f) is None:
                raise BaselineError("bl_id_missing", where=name, n=n + 1, k=k + 1)
            listed[_key(f)] = f
        for f in sub.get("waived", []) if isinstance(sub.get("waived"), list) else []:
            if _key(f) is not None:
                listed[_key(f)] = f
        sub_name = str(sub.get("submission", ""))
        base.submissions[sub_name] = listed
        by_rule = (sub.get("omitted") or {}).get("by_rule") if isinstance(sub.get("omitted"), dict) else None
        base.omitted[sub_name] = set(by_rule) if isinstance(by_rule, dict) else set()
    return base


def compare(results: list, baseline: Baseline) -> None:
    """Mark every finding (listed and waived) new or persisting; set ``result.resolved``."""
    single = len(results) == 1 and len(baseline.submissions) == 1
    for result in results:
        old = next(iter(baseline.submissions.values())) if single else baseline.submissions.get(result.submission, {})
        seen: set[str] = set()

        def mark(findings: list[Finding]) -> list[Finding]:
            out = []
            for f in findings:
                key = match_key(f)
                seen.add(key)
                out.append(f.model_copy(update={"status": "persisting" if key in old else "new"}))
            return out

        result.findings = mark(result.findings)
        result.waived = mark(getattr(result, "waived", []))
        capped = set(result.omitted)
        result.resolved = [f for key, f in old.items() if key not in seen and str(f.get("rule")) not in capped]
        result.baseline_file = baseline.file
