"""Waivers: the auditor's recorded decisions to accept findings, with reason and expiry.

A waivers file (``--waivers FILE``; never from the provider's bundle) is YAML::

    waivers:
      - id: W-2025-01                  # optional; default "W<n>" by position
        rule: ASA-SUSPENSION-REASON    # with entity: every finding of this rule on this record
        entity: TN007
        from: 2023-01-01               # optional: only findings whose record date lies in from..to
        to: 2023-06-30
        submission: 955-0042-21        # optional: only this bundle (name or contract id)
        reason: Unterbrechung von der Agentur genehmigt
        approved_by: Team Prüfung, M. Muster
        reference: Schreiben vom 14.03.2023, Az. 4711
        expires: 2026-12-31
      - finding: 3f2a9c0d1e2b4a5c      # or one finding by its id
        reason: ...

A waived finding is reported in its own section with the waiver and does not
count for the exit code. A waiver past ``expires`` (the check date is after
it) no longer applies: its findings count again and the report names it as
expired; a waiver that matched nothing is reported as stale. A malformed file
is a usage error naming line and field.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from engine.audit.files import AuditorFileError, load_yaml
from engine.report.words import Phrase
from schemas.finding import Finding, WaiverRef

REQUIRED = ("reason", "approved_by", "reference", "expires")
KEYS = {"id", "finding", "rule", "entity", "from", "to", "submission", *REQUIRED}


class WaiverFileError(AuditorFileError):
    """The waivers file cannot be used (a usage error naming file:line: field)."""


@dataclass(frozen=True)
class Waiver:
    id: str
    reason: str
    approved_by: str
    reference: str
    expires: dt.date
    file: str
    line: int
    finding: str = ""
    rule: str = ""
    entity: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    submission: str = ""

    def ref(self) -> WaiverRef:
        return WaiverRef(id=self.id, reason=self.reason, approved_by=self.approved_by, reference=self.reference,
                         expires=self.expires, file=self.file, line=self.line)

    def selects(self, f: Finding, names: tuple[str, ...]) -> bool:
        if self.submission and self.submission not in names:
            return False
        if self.finding:
            return f.id == self.finding
        if f.rule != self.rule or f.entity.id != self.entity:
            return False
        if self.date_from is None and self.date_to is None:
            return True
        if f.date is None:
            return False
        return (self.date_from is None or f.date >= self.date_from) and (self.date_to is None or f.date <= self.date_to)

    def expired(self, today: dt.date) -> bool:
        return today > self.expires


@dataclass
class WaiverUse:
    """What the waivers did in one run: matched findings per waiver, expired ones, stale ones."""

    waivers: list[Waiver]
    file: str
    applied: dict[str, int] = field(default_factory=dict)  # waiver id -> findings waived
    expired: dict[str, int] = field(default_factory=dict)  # waiver id -> findings it would have waived

    def stale(self) -> list[Waiver]:
        return [w for w in self.waivers if not self.applied.get(w.id) and not self.expired.get(w.id)]

    def expired_waivers(self) -> list[Waiver]:
        return [w for w in self.waivers if w.id in self.expired]


def _date(value, where: str, key: str) -> tuple[dt.date | None, Phrase | None]:
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    return None, Phrase("wv_not_a_date", where=where, key=key)


def _text(value) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None
    text = str(value).strip()
    return text or None


def read_waivers(path: str | Path) -> list[Waiver]:
    """The waivers of ``path``; raises WaiverFileError naming file:line: field for every problem."""
    path = Path(path)
    name = str(path)
    data, node = load_yaml(path, WaiverFileError)
    if not isinstance(data, dict) or set(data) != {"waivers"} or not isinstance(data["waivers"], list):
        raise WaiverFileError([Phrase("wv_not_a_list", where=f"{name}:1")])
    items = next(v for k, v in node.value if k.value == "waivers").value
    problems: list[Phrase] = []
    out: list[Waiver] = []
    seen: set[str] = set()
    for n, (raw, item_node) in enumerate(zip(data["waivers"], items), start=1):
        line = item_node.start_mark.line + 1
        where = f"{name}:{line}"
        if not isinstance(raw, dict):
            problems.append(Phrase("wv_not_a_mapping", where=where, n=n))
            continue
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in item_node.value}
        bad = len(problems)
        for key in sorted(set(map(str, raw)) - KEYS):
            problems.append(Phrase("wv_unknown_field", where=f"{name}:{lines.get(key, line)}", key=key,
                                   allowed=", ".join(sorted(KEYS))))
        fields: dict[str, str] = {}
        for key in ("id", "finding", "rule", "entity", "submission", "reason", "approved_by", "reference"):
            if key in raw:
                text = _text(raw[key])
                if text is None:
                    at = f"{name}:{lines.get(key, line)}"
                    problems.append(Phrase("wv_not_text", where=at, key=key))
                else:
                    fields[key] = text
        for key in REQUIRED:
            if key not in raw:
                problems.append(Phrase("wv_required", where=where, key=key, n=n))
        dates: dict[str, dt.date | None] = {}
        for key in ("from", "to", "expires"):
            if key in raw:
                value, problem = _date(raw[key], f"{name}:{lines.get(key, line)}", key)
                if problem:
                    problems.append(problem)
                dates[key] = value
        if "finding" in fields and ({"rule", "entity", "from", "to"} & set(raw)):
            problems.append(Phrase("wv_finding_or_rule", where=where))
        elif "finding" not in fields and not ("rule" in fields and "entity" in fields):
            problems.append(Phrase("wv_neither", where=where, n=n))
        if dates.get("from") and dates.get("to") and dates["from"] > dates["to"]:
            problems.append(Phrase("wv_to_before_from", where=where))
        wid = fields.get("id", f"W{n}")
        if wid in seen:
            at = f"{name}:{lines.get('id', line)}"
            problems.append(Phrase("wv_id_twice", where=at, id=wid))
        seen.add(wid)
        if len(problems) > bad:
            continue
        out.append(Waiver(id=wid, reason=fields["reason"], approved_by=fields["approved_by"],
                          reference=fields["reference"], expires=dates["expires"], file=name, line=line,
                          finding=fields.get("finding", ""), rule=fields.get("rule", ""),
                          entity=fields.get("entity", ""), date_from=dates.get("from"), date_to=dates.get("to"),
                          submission=fields.get("submission", "")))
    if problems:
        raise WaiverFileError(problems)
    return out


def apply_waivers(results: list, waivers: list[Waiver], file: str, today: dt.date) -> WaiverUse:
    """Move the findings a waiver in force selects from ``result.findings`` to ``result.waived``.

    The first waiver (in file order) that selects a finding is the one recorded on it.
    """
    use = WaiverUse(waivers, file)
    for result in results:
        names = tuple(n for n in (result.submission, getattr(result, "contract_id", "")) if n)
        kept, waived = [], []
        for f in result.findings:
            chosen = None
            for w in waivers:
                if not w.selects(f, names):
                    continue
                if w.expired(today):
                    use.expired[w.id] = use.expired.get(w.id, 0) + 1
                    continue
                chosen = w
                break
            if chosen is None:
                kept.append(f)
            else:
                use.applied[chosen.id] = use.applied.get(chosen.id, 0) + 1
                waived.append(f.model_copy(update={"waiver": chosen.ref()}))
        result.findings = kept
        result.waived = waived
    return use
