"""What rules do on a corpus: coverage (which rules fire) and the impact diff of a rule change.

Finding ids are fingerprints of (rule, fact type, record key), independent of
the rule text, so the same finding under the old and the new rules matches.
"""
from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from engine.batch import expand
from engine.check import MAX_FINDINGS_PER_RULE, check_bundle
from engine.read.bundle import BundleError
from engine.rules import RuleSet, load_rules
from engine.report.safe import printable
from engine.report.words import t
from schemas.finding import Finding



def corpus_bundles(paths: list[Path]) -> list[Path]:
    """Bundles under the given paths (as for ``asa-check check``), only those that exist."""
    return [p for p in expand(paths) if p.is_file() or (p / "contract.yaml").exists()]


@dataclass
class CorpusRun:
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # bundle -> findings
    unreadable: dict[str, dict[str, str]] = field(default_factory=dict)  # bundle -> why, {"de": …, "en": …}
    omitted: Counter = field(default_factory=Counter)  # rule -> findings counted, not listed


def run_corpus(ruleset: RuleSet, bundles: list[Path], max_findings: int | None = MAX_FINDINGS_PER_RULE) -> CorpusRun:
    run = CorpusRun()
    for b in bundles:
        try:
            result = check_bundle(b, ruleset, max_findings=max_findings)
        except BundleError as exc:
            run.unreadable[str(b)] = {"de": exc.de, "en": exc.en}
            continue
        except MemoryError:
            run.unreadable[str(b)] = {lang: t("out_of_memory", lang) for lang in ("de", "en")}
            continue
        run.findings[str(b)] = result.findings
        for rule_id in result.omitted:
            run.omitted[rule_id] += result.omitted_count(rule_id)
    return run


def coverage(ruleset: RuleSet, bundles: list[Path]) -> tuple[Counter, CorpusRun]:
    run = run_corpus(ruleset, bundles)
    counts = Counter({lr.rule.id: 0 for lr in ruleset.rules})
    for findings in run.findings.values():
        counts.update(f.rule for f in findings)
    counts.update(run.omitted)
    return counts, run


def render_coverage(counts: Counter, run: CorpusRun, ruleset: RuleSet, lang: str = "de") -> str:
    ids = {lr.rule.id for lr in ruleset.rules}
    rule, found = t("col_rule", lang), t("col_findings", lang)
    width = max([len(i) for i in counts] + [len(rule)])
    lines = [f"{rule:<{width}}  {found:>8}", f"{'-' * width}  {'-' * max(8, len(found))}"]
    for rule_id in sorted(counts):
        mark = "" if counts[rule_id] or rule_id not in ids else t("never_fired", lang)
        lines.append(f"{rule_id:<{width}}  {counts[rule_id]:>8}{mark}")
    fired = sum(1 for i in ids if counts[i])
    lines.append("")
    lines.append(t("rules_fired", lang).format(fired=fired, total=len(ids), bundles=len(run.findings))
                 + (t("unreadable_count", lang).format(n=len(run.unreadable)) if run.unreadable else ""))
    for b, why in sorted(run.unreadable.items()):
        lines.append(printable(f"{t('unreadable', lang)}: {b}: {why[lang]}"))
    return "\n".join(lines) + "\n"


def rules_from(spec: str, repo: Path | None = None) -> tuple[RuleSet, tempfile.TemporaryDirectory | None]:
    """A rules directory, or a git revision (``main``, ``HEAD~1``) whose ``rules/`` is used."""
    path = Path(spec)
    if path.is_dir():
        return load_rules(path), None
    repo = repo or Path.cwd()
    try:
        blob = subprocess.run(["git", "archive", "--format=tar", spec, "rules"], cwd=repo,
                              capture_output=True, check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        raise ValueError(f"'{spec}' is neither a rules directory nor a git revision with rules/") from exc
    tmp = tempfile.TemporaryDirectory(prefix="asa-rules-")
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(tmp.name, filter="data")
    return load_rules(Path(tmp.name) / "rules"), tmp


@dataclass
class Change:
    bundle: str
    added: list[Finding]
    removed: list[Finding]


def diff(old: RuleSet, new: RuleSet, bundles: list[Path]) -> list[Change]:
    # every finding, none capped: which ones a limit would list depends on the rules compared
    before, after = run_corpus(old, bundles, None), run_corpus(new, bundles, None)
    changes = []
    for b in sorted(set(before.findings) | set(after.findings)):
        o = {f.id: f for f in before.findings.get(b, [])}
        n = {f.id: f for f in after.findings.get(b, [])}
        added = sorted((n[i] for i in n.keys() - o.keys()), key=Finding.sort_key)
        removed = sorted((o[i] for i in o.keys() - n.keys()), key=Finding.sort_key)
        changes.append(Change(b, added, removed))
    return changes


def render_diff(changes: list[Change], lang: str) -> str:
    lines = []
    per_rule: Counter = Counter()
    for ch in changes:
        for f in ch.added:
            per_rule[(f.rule, "+")] += 1
        for f in ch.removed:
            per_rule[(f.rule, "-")] += 1
    if not per_rule:
        return t("no_change", lang) + "\n"
    summary = []
    for rule_id in sorted({r for r, _ in per_rule}):
        parts = [f"+{per_rule[(rule_id, '+')]}" if per_rule[(rule_id, '+')] else "",
                 f"-{per_rule[(rule_id, '-')]}" if per_rule[(rule_id, '-')] else ""]
        summary.append(f"{' '.join(p for p in parts if p)} {rule_id}")
    lines.append("; ".join(summary))
    for ch in changes:
        if not (ch.added or ch.removed):
            continue
        lines.append("")
        lines.append(printable(f"{ch.bundle}: +{len(ch.added)} -{len(ch.removed)}"))
        for sign, items in (("+", ch.added), ("-", ch.removed)):
            for f in items:
                where = f"{f.location.file}:{f.location.line}" if f.location.file else "-"
                lines.append(printable(f"  {sign} {f.rule} {where} {t(f.entity.type, lang)} {f.entity.id}: "
                                       f"{f.message[lang]}"))
    return "\n".join(lines) + "\n"
