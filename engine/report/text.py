"""Render check results: terminal text (grouped by rule) and JSON."""
from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

from rich.console import Console
from rich.markup import escape

from engine.audit.run import status_counts
from engine.check import tally
from engine.ledger import to_decimal
from engine.report.audit_json import finding_extra, result_extra, run_extra
from engine.report.audit_text import (finding_lines, resolved_lines, rule_stake, status_tag, summary_lines,
                                      waived_lines, waiver_notes)
from engine.report.json_pieces import pieces, placeholder
from engine.report.messages import fmt_money, fmt_number
from engine.report.words import more_findings, rules_version_text, t
from engine.report.safe import printable
from schemas.finding import SEVERITY_RANK, Finding

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def to_json_dict(result, lang: str) -> dict:
    doc = {
        "submission": result.submission,
        "rules_version": result.rules_version,
        "summary": result.summary(),
        "parameter_overrides": [a.as_dict() for a in result.overrides],
        "findings": [finding_dict(f, lang) for f in result.findings],
    }
    if result.omitted:  # findings beyond the limit per rule: counted in the summary, not listed
        doc["omitted"] = {"max_findings_per_rule": result.limit, "by_rule": result.omitted}
    doc.update(result_extra(result, lambda f: finding_dict(f, lang)))
    return doc


def finding_dict(f: Finding, lang: str) -> dict:
    return {
        "id": f.id,
        "rule": f.rule,
        "severity": f.severity,
        "entity": {"type": f.entity.type, "id": f.entity.id},
        "location": {"file": f.location.file, "line": f.location.line}
        | ({"column": f.location.column} if f.location.column else {}),
        "message": f.message[lang],
        "source": f.source,
    } | finding_extra(f)


def render_json(results: list, lang: str, failed: list[tuple[str, str]] = (), info=None) -> str:
    """One shape for one bundle and for many (``schemas/report.py``); ``failed``: (bundle, why) not checked;
    ``info``: engine/audit/run.py AuditInfo (the audit header, waivers)."""
    return b"".join(json_pieces(results, lang, failed, info)).decode("utf-8")


def json_pieces(results: list, lang: str, failed: list[tuple[str, str]] = (), info=None) -> list[bytes]:
    """The JSON report as UTF-8 pieces, one per submission: the same bytes as ``render_json``
    (engine/report/json_pieces.py)."""
    from schemas.report import SCHEMA_VERSION

    marker = placeholder()
    doc = {
        "schema_version": SCHEMA_VERSION,
        "rules_version": results[0].rules_version if results else "",
        "summary": tally([r.summary() for r in results]),
        "submissions": marker,
        "not_checked": [{"submission": name, "error": why} for name, why in failed],
    }
    doc.update(run_extra(info))
    return pieces(doc, marker, ([to_json_dict(r, lang)] for r in results), depth=2)


def _where(f: Finding) -> str:
    if not f.location.file:
        return "–"
    return f"{f.location.file}:{f.location.line}" if f.location.line else f.location.file


def render_text(results: list, lang: str, titles: dict[str, dict[str, str]], color: bool | None = None,
                width: int | None = None, info=None) -> str:
    """Findings grouped by rule (errors first), each with record, place and source."""
    buf = io.StringIO()
    # on a terminal rich folds long lines to its width; in a file or pipe lines stay whole (grep-able)
    # values from the bundle: control characters escaped (printable), markup escaped, no :emoji: codes
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width or (None if color else 100_000),
                      highlight=False, emoji=False, soft_wrap=not color)
    for result in results:
        _render_one(console, result, lang, titles)
    for line in waiver_notes(info, lang):  # expired and stale waivers: once per run
        console.print(line, overflow="fold")
    return buf.getvalue()


def _render_one(console: Console, result, lang: str, titles) -> None:
    console.print(f"[bold]{escape(t('submission', lang))}:[/bold] {_safe(result.submission)}   "
                  f"[dim]{escape(t('rules', lang))}: {escape(rules_version_text(result.rules_version, lang))}[/dim]")
    if result.overrides:  # a clean result never hides a relaxed limit
        console.print(f"[bold yellow]{escape(t('overrides', lang))}:[/bold yellow]")
        for a in result.overrides:
            console.print(f"  - {_safe(a.text(lang))}", overflow="fold")
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        groups[f.rule].append(f)
    order = sorted(groups, key=lambda r: (min(SEVERITY_RANK[f.severity] for f in groups[r]), r))
    for rule_id in order:
        items = groups[rule_id]
        sev = min((f.severity for f in items), key=SEVERITY_RANK.__getitem__)
        mixed = len({f.severity for f in items}) > 1
        title = titles.get(rule_id, {}).get(lang, "")
        console.print()
        total = len(items) + result.omitted_count(rule_id)
        console.print(f"[{SEVERITY_STYLE[sev]}]{escape(t(sev, lang).upper())}[/] [bold]{_safe(rule_id)}[/bold] "
                      f"{_safe(title)} — {total} {escape(t('finding' if total == 1 else 'findings', lang))}"
                      f"{escape(rule_stake(result, rule_id, items, lang))}")
        for f in items:
            tag = f" [{SEVERITY_STYLE[f.severity]}]({escape(t(f.severity, lang))})[/]" if mixed else ""
            console.print(f"  {_safe(_where(f))}  [dim]{_safe(t(f.entity.type, lang))} {_safe(f.entity.id)}[/dim]{tag}"
                          f"{status_tag(f, lang)}")
            console.print(f"    {_safe(f.message[lang])}", overflow="fold")
            for line in finding_lines(f, lang):
                console.print(line, overflow="fold")
        if result.omitted_count(rule_id):
            console.print(f"  {escape(more_findings(result, rule_id, lang))}")
        if items[0].source:
            console.print(f"  [dim]{escape(t('source', lang))}: {_safe(items[0].source)}[/dim]", overflow="fold")
    for line in waived_lines(result, lang) + resolved_lines(result, lang):
        console.print(line, overflow="fold")
    s = result.summary()
    console.print()
    if not result.findings:
        console.print(f"[green]{escape(t('no_findings', lang))}[/green]")
    console.print(f"[bold]{escape(t('summary', lang))}:[/bold] {s['error']} {escape(t('errors', lang))}, "
                  f"{s['warning']} {escape(t('warnings', lang))}, {s['info']} {escape(t('infos', lang))}")
    for line in summary_lines(result, lang):
        console.print(line, overflow="fold")
    console.print()


def _safe(text: str) -> str:
    return escape(printable(text))


def render_overview(results: list, lang: str, failed: list[tuple[str, str]] = ()) -> str:
    """One line per bundle and a total, after the per-bundle reports; then the bundles not checked.

    With a baseline (``--baseline``) a column of the findings new since then (as in the HTML overview).
    """
    names = [printable(r.submission) for r in results]
    width = max(len(n) for n in names)
    unbillable, value = t("unbillable", lang), t("value", lang)
    with_new = any(r.baseline_file for r in results)
    new_head = f"  {t('new', lang):>5}" if with_new else ""
    lines = [f"{t('submission', lang):<{width}}  {t('errors', lang):>8}  {t('warnings', lang):>9}  "
             f"{t('infos', lang):>8}  {unbillable:>17}  {value:>14}{new_head}"]
    hours_total, amount_total, new_total = Decimal("0.00"), Decimal("0.00"), 0
    for name, r in zip(names, results):
        s = r.summary()
        hours, amount = to_decimal(r.stake.hours, 2), r.stake.amount
        hours_total += hours
        amount_total += amount
        new = ""
        if with_new:
            n = status_counts(r)["new"] if r.baseline_file else None
            new_total += n or 0
            new = f"  {'–' if n is None else n:>5}"
        lines.append(f"{name:<{width}}  {s['error']:>8}  {s['warning']:>9}  {s['info']:>8}  "
                     f"{fmt_number(hours, lang) + ' h':>17}  {fmt_money(amount, lang):>14}{new}")
    total = tally([r.summary() for r in results])
    lines.append(f"{'Σ':<{width}}  {total['error']:>8}  {total['warning']:>9}  {total['info']:>8}  "
                 f"{fmt_number(hours_total, lang) + ' h':>17}  {fmt_money(amount_total, lang):>14}"
                 + (f"  {new_total:>5}" if with_new else ""))
    for name, why in failed:
        lines.append(f"{t('bundle_not_checked', lang)}: {printable(name)}: {printable(why)}")
    return "\n".join(lines) + "\n"


def render_summaries(results: list, lang: str, color: bool | None = None) -> str:
    """``--quiet``: one line per bundle, its counts by severity."""
    lines = []
    for r in results:
        s = r.summary()
        lines.append(f"{t('submission', lang)} {printable(r.submission)}: {s['error']} {t('errors', lang)}, "
                     f"{s['warning']} {t('warnings', lang)}, {s['info']} {t('infos', lang)}")
    return "\n".join(lines) + "\n"
