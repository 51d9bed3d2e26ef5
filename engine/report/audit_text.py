"""The audit's parts of the text report: money at stake, evidence, baseline status, waivers, resolved findings.

Every text from a bundle or a waivers/baseline file goes through ``printable`` and rich's ``escape``.
"""
from __future__ import annotations

from rich.markup import escape

from engine.audit.run import status_counts
from engine.report.ledger_rows import hours_text
from engine.report.messages import fmt_date, fmt_money
from engine.report.safe import printable
from engine.report.why import why_text
from engine.report.words import t
from schemas.finding import Finding


def _safe(text) -> str:
    return escape(printable(str(text)))


def rule_stake(result, rule_id: str, items: list[Finding], lang: str) -> str:
    """" · nicht abrechenbar 2,5 h = 156,25 €" or " · ohne Auswirkung auf die Abrechnung"."""
    got = result.stake.by_rule().get(rule_id)
    if got is not None:
        h, a = got
        return f" · {t('unbillable', lang)} {hours_text(h, lang)} = {fmt_money(a, lang)}"
    if any(f.drops_service and f.severity == "error" for f in items):
        return f" · {t('unbillable', lang)} 0 h"
    return f" · {t('au_no_hours_taken_out_of_billing', lang)}"


def finding_lines(f: Finding, lang: str) -> list[str]:
    """Rich-markup lines below a finding's message: hours and money at stake, status, evidence."""
    out = []
    if f.hours is not None:
        year = (f" ({t('contract_year', lang)} {f.contract_year})" if f.contract_year is not None
                else f" ({t('au_not_in_the_ledger', lang)})")
        out.append(f"    {t('unbillable', lang)}: {hours_text(f.hours, lang)} = "
                   f"{escape(fmt_money(f.amount, lang))}{escape(year)}")
    why = why_text(f.evidence, lang)
    if why:
        out.append(f"    [dim]{t('au_why', lang)}: {_safe(why)}[/dim]")
    return out


def status_tag(f: Finding, lang: str) -> str:
    if f.status == "new":
        return " [bold red][" + (t("new", lang)) + "][/]"
    if f.status == "persisting":
        return " [dim][" + (t("au_persisting", lang)) + "][/dim]"
    return ""


def selection_text(selection: dict, lang: str) -> str:
    """The rule selection in force (``--rule``/``--skip-rule``) as one sentence, or "" without one."""
    if not selection:
        return ""
    which = ", ".join([f"--rule {r}" for r in selection.get("rule", [])]
                      + [f"--skip-rule {r}" for r in selection.get("skip_rule", [])])
    return t("selection_note", lang).format(which=printable(which))


def summary_lines(result, lang: str) -> list[str]:
    stake = result.stake
    note = selection_text(result.selection, lang)
    out = ([f"[yellow]{escape(note)}[/yellow]"] if note else []) + [f"[bold]{t('lg_dropped', lang)}:[/bold] {hours_text(stake.hours, lang)}, "
           f"{t('value', lang)} {escape(fmt_money(stake.amount, lang))} "
           f"({t('au_effect_on_the_payment', lang)}: "
           f"{escape(fmt_money(stake.payment_effect, lang))})"]
    for y in stake.years:
        if y.hours:
            out.append(f"  {t('contract_year', lang)} {y.year}: {hours_text(y.hours, lang)} = "
                       f"{escape(fmt_money(y.amount, lang))}, {t('au_effect', lang)} "
                       f"{escape(fmt_money(y.payment_effect, lang))}")
    if result.waived:
        out.append(f"[bold]{t('au_waived', lang)}:[/bold] {len(result.waived)} "
                   f"{t('findings', lang)}")
    if result.baseline_file:
        c = status_counts(result)
        out.append(f"[bold]{t('au_since_the_baseline', lang)}:[/bold] "
                   f"{c['new']} {t('new', lang)}, {c['persisting']} {t('au_persisting', lang)}, "
                   f"{c['resolved']} {t('au_resolved', lang)}")
    return out


def waived_lines(result, lang: str) -> list[str]:
    if not result.waived:
        return []
    out = ["", f"[bold]{t('au_waived_findings', lang)}[/bold]"]
    for f in sorted(result.waived, key=Finding.sort_key):
        w = f.waiver
        where = f"{f.location.file}:{f.location.line}" if f.location.line else (f.location.file or "–")
        out.append(f"  {_safe(f.rule)}  {_safe(where)}  [dim]{_safe(t(f.entity.type, lang))} {_safe(f.entity.id)}[/dim]"
                   + status_tag(f, lang))
        out.append(f"    {_safe(f.message[lang])}")
        if w is not None:
            out.append(f"    {t('au_waiver', lang)} {_safe(w.id)}: {_safe(w.reason)}; "
                       f"{t('au_approved_by', lang)} {_safe(w.approved_by)}; {_safe(w.reference)}; "
                       f"{t('au_until', lang)} {_safe(fmt_date(w.expires, lang))}")
    return out


def resolved_lines(result, lang: str) -> list[str]:
    if not result.resolved:
        return []
    out = ["", f"[bold]{t('au_resolved_since_the_baseline', lang)}[/bold]"]
    for r in result.resolved:
        entity = r.get("entity") if isinstance(r.get("entity"), dict) else {}
        out.append(f"  {_safe(r.get('rule', ''))}  [dim]{_safe(entity.get('type', ''))} {_safe(entity.get('id', ''))}"
                   f"[/dim]  {_safe(r.get('message', ''))}")
    return out


def waiver_notes(info, lang: str) -> list[str]:
    """Expired and stale waivers of the run (once, after the bundles)."""
    use = info.waivers if info is not None else None
    if use is None:
        return []
    out = []
    for w in use.expired_waivers():
        out.append(f"[yellow]{t('au_waiver_expired_no_longer_applied', lang)}:"
                   f"[/yellow] {_safe(w.id)} ({_safe(w.file)}:{w.line}, {t('au_until', lang)} "
                   f"{_safe(fmt_date(w.expires, lang))}): {use.expired[w.id]} {t('findings', lang)}")
    for w in use.stale():
        out.append(f"[yellow]{t('au_stale_waiver_matched_nothing', lang)}:"
                   f"[/yellow] {_safe(w.id)} ({_safe(w.file)}:{w.line})")
    return out
