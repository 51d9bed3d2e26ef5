"""The audit's parts of the text report: money at stake, evidence, baseline status, waivers, resolved findings.

Every text from a bundle or a waivers/baseline file goes through ``printable`` and rich's ``escape``.
"""
from __future__ import annotations

from rich.markup import escape

from engine.audit import status_counts
from engine.ledger import to_decimal
from engine.report.messages import fmt_date, fmt_money, fmt_number
from engine.report.safe import printable
from engine.report.why import why_text
from engine.report.words import t
from schemas.finding import Finding


def _safe(text) -> str:
    return escape(printable(str(text)))


def hours(value, lang: str) -> str:
    return f"{fmt_number(to_decimal(value, 2), lang)} h"


def rule_stake(result, rule_id: str, items: list[Finding], lang: str) -> str:
    """" · nicht abrechenbar 2,5 h = 156,25 €" or " · ohne Auswirkung auf die Abrechnung"."""
    de = lang == "de"
    got = result.stake.by_rule().get(rule_id)
    if got is not None:
        h, a = got
        return f" · {'nicht abrechenbar' if de else 'unbillable'} {hours(h, lang)} = {fmt_money(a, lang)}"
    if any(f.drops_service and f.severity == "error" for f in items):
        return f" · {'nicht abrechenbar' if de else 'unbillable'} 0 h"
    return f" · {'keine Stunden aus der Abrechnung genommen' if de else 'no hours taken out of billing'}"


def finding_lines(f: Finding, lang: str) -> list[str]:
    """Rich-markup lines below a finding's message: hours and money at stake, status, evidence."""
    de = lang == "de"
    out = []
    if f.hours is not None:
        year = (f" ({'Vertragsjahr' if de else 'contract year'} {f.contract_year})" if f.contract_year is not None
                else f" ({'nicht im Stundenkonto' if de else 'not in the ledger'})")
        out.append(f"    {'nicht abrechenbar' if de else 'unbillable'}: {hours(f.hours, lang)} = "
                   f"{escape(fmt_money(f.amount, lang))}{escape(year)}")
    why = why_text(f.evidence, lang)
    if why:
        out.append(f"    [dim]{'Warum' if de else 'Why'}: {_safe(why)}[/dim]")
    return out


def status_tag(f: Finding, lang: str) -> str:
    if f.status == "new":
        return " [bold red][" + ("neu" if lang == "de" else "new") + "][/]"
    if f.status == "persisting":
        return " [dim][" + ("fortbestehend" if lang == "de" else "persisting") + "][/dim]"
    return ""


def selection_text(selection: dict, lang: str) -> str:
    """The rule selection in force (``--rule``/``--skip-rule``) as one sentence, or "" without one."""
    if not selection:
        return ""
    which = ", ".join([f"--rule {r}" for r in selection.get("rule", [])]
                      + [f"--skip-rule {r}" for r in selection.get("skip_rule", [])])
    return t("selection_note", lang).format(which=printable(which))


def summary_lines(result, lang: str) -> list[str]:
    de = lang == "de"
    stake = result.stake
    note = selection_text(result.selection, lang)
    out = ([f"[yellow]{escape(note)}[/yellow]"] if note else []) + [f"[bold]{'Nicht abrechenbar' if de else 'Unbillable'}:[/bold] {hours(stake.hours, lang)}, "
           f"{'Wert' if de else 'value'} {escape(fmt_money(stake.amount, lang))} "
           f"({'Auswirkung auf die Vergütung' if de else 'effect on the payment'}: "
           f"{escape(fmt_money(stake.payment_effect, lang))})"]
    for y in stake.years:
        if y.hours:
            out.append(f"  {'Vertragsjahr' if de else 'contract year'} {y.year}: {hours(y.hours, lang)} = "
                       f"{escape(fmt_money(y.amount, lang))}, {'Auswirkung' if de else 'effect'} "
                       f"{escape(fmt_money(y.payment_effect, lang))}")
    if result.waived:
        out.append(f"[bold]{'Ausgenommen (Waivers)' if de else 'Waived'}:[/bold] {len(result.waived)} "
                   f"{'Befunde' if de else 'findings'}")
    if result.baseline_file:
        c = status_counts(result)
        out.append(f"[bold]{'Seit der Vergleichsbasis' if de else 'Since the baseline'}:[/bold] "
                   f"{c['new']} {'neu' if de else 'new'}, {c['persisting']} {'fortbestehend' if de else 'persisting'}, "
                   f"{c['resolved']} {'behoben' if de else 'resolved'}")
    return out


def waived_lines(result, lang: str) -> list[str]:
    de = lang == "de"
    if not result.waived:
        return []
    out = ["", f"[bold]{'Ausgenommene Befunde (Waivers)' if de else 'Waived findings'}[/bold]"]
    for f in sorted(result.waived, key=Finding.sort_key):
        w = f.waiver
        where = f"{f.location.file}:{f.location.line}" if f.location.line else (f.location.file or "–")
        out.append(f"  {_safe(f.rule)}  {_safe(where)}  [dim]{_safe(t(f.entity.type, lang))} {_safe(f.entity.id)}[/dim]"
                   + status_tag(f, lang))
        out.append(f"    {_safe(f.message[lang])}")
        if w is not None:
            out.append(f"    {'Ausnahme' if de else 'waiver'} {_safe(w.id)}: {_safe(w.reason)}; "
                       f"{'genehmigt von' if de else 'approved by'} {_safe(w.approved_by)}; {_safe(w.reference)}; "
                       f"{'bis' if de else 'until'} {_safe(fmt_date(w.expires, lang))}")
    return out


def resolved_lines(result, lang: str) -> list[str]:
    de = lang == "de"
    if not result.resolved:
        return []
    out = ["", f"[bold]{'Behoben seit der Vergleichsbasis' if de else 'Resolved since the baseline'}[/bold]"]
    for r in result.resolved:
        entity = r.get("entity") if isinstance(r.get("entity"), dict) else {}
        out.append(f"  {_safe(r.get('rule', ''))}  [dim]{_safe(entity.get('type', ''))} {_safe(entity.get('id', ''))}"
                   f"[/dim]  {_safe(r.get('message', ''))}")
    return out


def waiver_notes(info, lang: str) -> list[str]:
    """Expired and stale waivers of the run (once, after the bundles)."""
    de = lang == "de"
    use = info.waivers if info is not None else None
    if use is None:
        return []
    out = []
    for w in use.expired_waivers():
        out.append(f"[yellow]{'Ausnahme abgelaufen, gilt nicht mehr' if de else 'waiver expired, no longer applied'}:"
                   f"[/yellow] {_safe(w.id)} ({_safe(w.file)}:{w.line}, {'bis' if de else 'until'} "
                   f"{_safe(fmt_date(w.expires, lang))}): {use.expired[w.id]} {'Befunde' if de else 'findings'}")
    for w in use.stale():
        out.append(f"[yellow]{'Ausnahme ohne Treffer (veraltet)' if de else 'stale waiver (matched nothing)'}:"
                   f"[/yellow] {_safe(w.id)} ({_safe(w.file)}:{w.line})")
    return out
