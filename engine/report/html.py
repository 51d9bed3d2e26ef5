"""A self-contained HTML report an audit team can file or print (no scripts, no external files).

Per bundle: a header block (contract, provider, phases, data cut-off, check
date, tool and rules version, parameters and overrides, waivers and baseline),
a summary (findings by severity, hours and euros at stake, waived findings,
new/persisting/resolved), findings per rule with their totals, the waived and
resolved findings, and the ledger per contract year with its formulas, the
monthly table and charts (inline SVG). Several bundles: an overview table
linking to each bundle's section first. Print: A4, repeated table headers,
page numbers (engine/report/html_style.py).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from engine.audit import status_counts
from engine.report.audit_text import selection_text
from engine.ledger import to_decimal
from engine.report.html_ledger import ledger_html
from engine.report.html_parts import breakable, escape, table
from engine.report.html_style import CSS, page_css
from engine.report.messages import fmt_date, fmt_money, fmt_number, fmt_value
from engine.report.svg import rules_chart
from engine.report.why import why_text
from engine.report.words import more_findings, rules_version_text, t
from schemas.finding import SEVERITY_RANK, Finding

ZERO = Decimal("0.00")


def _entity(r: dict) -> dict:
    """The entity of a resolved finding as the baseline file has it (any JSON: only a mapping is used)."""
    return r.get("entity") if isinstance(r.get("entity"), dict) else {}


def _where(f: Finding) -> str:
    if not f.location.file:
        return "–"
    return f"{f.location.file}:{f.location.line}" if f.location.line else f.location.file


def _h(value, lang: str) -> str:
    return f"{fmt_number(to_decimal(value, 2), lang)} h"


def _m(value, lang: str) -> str:
    return fmt_money(value, lang)


def render_html(results: list, lang: str, titles: dict[str, dict[str, str]],
                failed: list[tuple[str, str]] = (), info=None) -> str:
    """``info``: engine/audit.py AuditInfo (check date, tool version, waivers, baseline), or None."""
    de = lang == "de"
    names = ", ".join(r.submission for r in results)
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
             f"<title>asa-check – {escape(names)}</title><style>{page_css(lang)}{CSS}</style></head><body>",
             f"<h1>asa-check: {escape(t('report_title', lang))}</h1>"]
    meta = []
    if info is not None:
        meta += [(("Prüfdatum" if de else "Check date"), escape(fmt_date(info.check_date, lang))),
                 (("Werkzeug" if de else "Tool"), f"asa-check {escape(info.tool_version)}")]
    if results:
        meta.append((t("rules", lang), escape(rules_version_text(results[0].rules_version, lang))))
    if info is not None:
        meta.append((("Ausnahmen (Waivers)" if de else "Waivers"),
                     f"<code>{escape(info.waivers_file)}</code>" if info.waivers_file else "–"))
        meta.append((("Vergleichsbasis (Baseline)" if de else "Baseline"),
                     f"<code>{escape(info.baseline_file)}</code>" if info.baseline_file else "–"))
    if meta:
        parts.append(table([("", ""), ("", "")], [[(escape(k), ""), v] for k, v in meta], "kv")
                     .replace("<thead><tr><th></th><th></th></tr></thead>", ""))
    if len(results) > 1:
        parts.append(_overview(results, lang))
    if failed:
        items = "".join(f"<li><code>{breakable(name)}</code>: {breakable(why)}</li>" for name, why in failed)
        parts.append(f"<h2 class='error'>{escape(t('bundle_not_checked', lang))}</h2><ul>{items}</ul>")
    if info is not None and info.waivers is not None:
        parts.append(_waiver_notes(info.waivers, lang))
    for n, result in enumerate(results, start=1):
        parts.append(_one(result, lang, titles, f"b{n}"))
    parts.append("</body></html>\n")
    return "".join(parts)


def _overview(results: list, lang: str) -> str:
    de = lang == "de"
    rows, total = [], {"error": 0, "warning": 0, "info": 0, "hours": Decimal(0), "amount": ZERO, "new": 0}
    for n, r in enumerate(results, start=1):
        s, st = r.summary(), status_counts(r)
        stake = r.stake
        new = st["new"] if r.baseline_file else "–"
        rows.append([f"<a href='#b{n}'>{escape(r.submission)}</a>", (str(s["error"]), "num"),
                     (str(s["warning"]), "num"), (str(s["info"]), "num"),
                     (_h(stake.hours, lang), "num"), (_m(stake.amount, lang), "num"), (str(new), "num")])
        for k in ("error", "warning", "info"):
            total[k] += s[k]
        total["hours"] += to_decimal(stake.hours, 2)
        total["amount"] += stake.amount
        total["new"] += st["new"]
    rows.append(([("Σ", ""), (str(total["error"]), "num"), (str(total["warning"]), "num"),
                  (str(total["info"]), "num"), (_h(total["hours"], lang), "num"), (_m(total["amount"], lang), "num"),
                  (str(total["new"]) if any(r.baseline_file for r in results) else "–", "num")], "total"))
    return (f"<h2>{'Übersicht' if de else 'Overview'}</h2>"
            + table([(t("submission", lang), ""), (t("errors", lang), "num"), (t("warnings", lang), "num"),
                     (t("infos", lang), "num"), ("nicht abrechenbar" if de else "unbillable", "num"),
                     ("Wert" if de else "value", "num"), ("neu" if de else "new", "num")], rows))


def _waiver_notes(use, lang: str) -> str:
    de = lang == "de"
    out = []
    expired = use.expired_waivers()
    if expired:
        out.append(f"<h3 class='warning'>{'Abgelaufene Ausnahmen (gelten nicht mehr)' if de else 'Expired waivers (no longer applied)'}</h3>")
        out.append(table([("Waiver", ""), ("läuft ab" if de else "expires", ""), ("Befunde" if de else "findings", "num"),
                          ("Grund" if de else "reason", ""), ("Datei" if de else "file", "")],
                         [[escape(w.id), escape(fmt_date(w.expires, lang)), (str(use.expired[w.id]), "num"),
                           escape(w.reason), f"<code>{escape(w.file)}:{w.line}</code>"] for w in expired]))
    stale = use.stale()
    if stale:
        out.append(f"<h3 class='warning'>{'Ausnahmen ohne Treffer (veraltet)' if de else 'Stale waivers (matched nothing)'}</h3>")
        out.append(table([("Waiver", ""), ("Auswahl" if de else "selects", ""), ("Datei" if de else "file", "")],
                         [[escape(w.id), escape(w.finding or f"{w.rule} {w.entity}"), f"<code>{escape(w.file)}:{w.line}</code>"]
                          for w in stale]))
    return "".join(out)


def _header(result, lang: str) -> str:
    de = lang == "de"
    c = getattr(result, "contract", None)
    rows = []
    if c is not None:
        phase = c.accompanying_phase
        rows.append(("Vertrag (Maßnahmenummer)" if de else "Contract", escape(c.contract_id)))
        provider = c.provider_name or ""
        rows.append(("Träger" if de else "Provider", escape(f"{provider} ({c.provider_id})" if provider else c.provider_id)))
        if c.agency:
            rows.append(("Agentur" if de else "Agency", escape(c.agency)))
        ext = "".join(f"; {'Verlängerung' if de else 'extension'} {fmt_date(e.start, lang)} – {fmt_date(e.end, lang)}"
                      for e in phase.extensions)
        rows.append(("Begleitende Phase" if de else "Accompanying phase",
                     escape(f"{fmt_date(phase.start, lang)} – {fmt_date(phase.end, lang)}{ext}; "
                            f"{fmt_money(phase.price_per_hour, lang)}/h")))
        pre = "; ".join(f"{fmt_date(p.start, lang)} – {fmt_date(p.end, lang)}, {p.places} "
                        f"{'Plätze' if de else 'places'}" for p in c.pre_phases)
        rows.append(("Vorphasen" if de else "Pre-phases", escape(pre or "–")))
    cutoff = getattr(result, "data_cutoff", None)
    rows.append(("Datenstand (letzte Leistung)" if de else "Data cut-off (last service)",
                 escape(fmt_date(cutoff, lang) if cutoff else "–")))
    rows.append((t("rules", lang), escape(rules_version_text(result.rules_version, lang))))
    if result.ledger is not None and result.ledger.parameters:
        rows.append(("Parameter des Stundenkontos" if de else "Ledger parameters",
                     escape(", ".join(f"{k} = {fmt_value(list(v) if isinstance(v, tuple) else v, lang)}"
                                      for k, v in result.ledger.parameters.items()))))
    rows.append((t("overrides", lang), "<br>".join(escape(a.text(lang)) for a in result.overrides) or "–"))
    return table([("", ""), ("", "")], [[escape(k), v] for k, v in rows], "kv").replace(
        "<thead><tr><th></th><th></th></tr></thead>", "")


def _summary(result, lang: str) -> str:
    de = lang == "de"
    s, stake = result.summary(), result.stake
    rows = [[escape(t("errors", lang).capitalize()), (f"<span class='error'>{s['error']}</span>", "num")],
            [escape(t("warnings", lang).capitalize()), (str(s["warning"]), "num")],
            [escape(t("infos", lang).capitalize()), (str(s["info"]), "num")],
            [escape("Nicht abrechenbare Stunden" if de else "Unbillable hours"), (_h(stake.hours, lang), "num")],
            [escape("Wert zum Stundenpreis" if de else "Value at the hourly price"), (_m(stake.amount, lang), "num")],
            [escape("Auswirkung auf die Vergütung" if de else "Effect on the payment"),
             (_m(stake.payment_effect, lang), "num")],
            [escape("Ausgenommene Befunde (Waivers)" if de else "Waived findings"), (str(len(result.waived)), "num")]]
    if result.baseline_file:
        st = status_counts(result)
        rows += [[escape("neu seit der Vergleichsbasis" if de else "new since the baseline"), (str(st["new"]), "num")],
                 [escape("fortbestehend" if de else "persisting"), (str(st["persisting"]), "num")],
                 [escape("behoben" if de else "resolved"), (str(st["resolved"]), "num")]]
    for y in stake.years:
        rows.append([escape(f"{'Vertragsjahr' if de else 'Contract year'} {y.year}: "
                            f"{'nicht abrechenbar' if de else 'unbillable'} / {'Auswirkung' if de else 'effect'}"),
                     (f"{_h(y.hours, lang)} · {_m(y.amount, lang)} / {_m(y.payment_effect, lang)}", "num")])
    note = selection_text(result.selection, lang)
    return (f"<h3>{escape(t('summary', lang))}</h3>"
            + (f"<p class='warning'>{escape(note)}</p>" if note else "")
            + table([("", ""), ("", "num")], rows, "kv").replace(
                "<thead><tr><th></th><th class='num'></th></tr></thead>", ""))


def _rule_totals(result, groups, order, lang: str, titles, anchor: str) -> str:
    de = lang == "de"
    by_rule = result.stake.by_rule()
    rows, chart = [], []
    for rule_id in order:
        items = groups[rule_id]
        sev = min((f.severity for f in items), key=SEVERITY_RANK.__getitem__)
        n = len(items) + result.omitted_count(rule_id)
        hours, amount = by_rule.get(rule_id, (None, None))
        rows.append([f"<a href='#{anchor}-{escape(rule_id)}'><code class='rule'>{escape(rule_id)}</code></a>",
                     (escape(t(sev, lang)), f"sev {sev}"), escape(titles.get(rule_id, {}).get(lang, "")),
                     (str(n), "num"), (_h(hours, lang) if hours is not None else "–", "num"),
                     (_m(amount, lang) if amount is not None else "–", "num")])
        chart.append((rule_id, n, amount or ZERO))
    stake = result.stake
    rows.append(([("Σ", ""), ("", ""), escape("je Leistung einmal gezählt" if de else "each service counted once"),
                  (str(sum(c for _, c, _ in chart)), "num"), (_h(stake.hours, lang), "num"),
                  (_m(stake.amount, lang), "num")], "total"))
    return (table([(t("rule", lang), ""), (t("severity", lang), ""), (t("title", lang), ""),
                   (t("findings", lang), "num"), ("Stunden" if de else "hours", "num"), ("Wert" if de else "value", "num")],
                  rows)
            + f"<figure>{rules_chart(chart, lang)}<figcaption>"
            + escape("Grau: Zahl der Befunde; blau: Wert der nicht abrechenbaren Stunden zum Stundenpreis."
                     if de else "Grey: number of findings; blue: value of the unbillable hours at the hourly price.")
            + "</figcaption></figure>")


def _finding_rows(items: list[Finding], sev: str, lang: str, with_status: bool, waived: bool = False) -> list:
    de = lang == "de"
    rows = []
    for f in items:
        flag = "" if f.severity == sev else f" <span class='sev {f.severity}'>({escape(t(f.severity, lang))})</span>"
        why = why_text(f.evidence, lang)
        text = breakable(f.message[lang]) + (f"<div class='why'>{'Warum' if de else 'Why'}: {breakable(why)}</div>"
                                             if why else "")
        if waived and f.waiver is not None:
            w = f.waiver
            text += (f"<div class='why'>{escape('Ausnahme' if de else 'Waiver')} {breakable(w.id)}: {breakable(w.reason)}; "
                     f"{escape('genehmigt von' if de else 'approved by')} {breakable(w.approved_by)}; {breakable(w.reference)}; "
                     f"{escape('bis' if de else 'until')} {escape(fmt_date(w.expires, lang))}</div>")
        row = [f"<code>{breakable(_where(f))}</code>{flag}", f"{escape(t(f.entity.type, lang))} {breakable(f.entity.id)}",
               text, (_h(f.hours, lang) if f.hours is not None else "–", "num"),
               (_m(f.amount, lang) if f.amount is not None else "–", "num")]
        if with_status:
            label = {"new": "neu" if de else "new", "persisting": "fortbestehend" if de else "persisting"}.get(f.status, "")
            row.append((escape(label), f.status or ""))
        rows.append(row)
    return rows


SHOWN_PLACES = 8


def _grouped_rows(items: list[Finding], sev: str, lang: str, with_status: bool) -> list:
    """Findings of one rule with the same message (and evidence, severity, status) in one row, totalled."""
    de = lang == "de"
    groups: dict[tuple, list[Finding]] = {}
    for f in items:
        groups.setdefault((f.message[lang], why_text(f.evidence, lang), f.severity, f.status), []).append(f)
    rows = []
    for same in groups.values():
        row = _finding_rows(same[:1], sev, lang, with_status)[0]
        if len(same) > 1:
            more = len(same) - SHOWN_PLACES
            rest = f"<br>… {'und' if de else 'and'} {more} {'weitere' if de else 'more'}" if more > 0 else ""
            row[0] = "<br>".join(f"<code>{breakable(_where(f))}</code>" for f in same[:SHOWN_PLACES]) + rest
            row[1] = "<br>".join(f"{escape(t(f.entity.type, lang))} {breakable(f.entity.id)}"
                                 for f in same[:SHOWN_PLACES]) + rest
            row[2] = f"<strong>{len(same)}×</strong> " + row[2]
            hours = [f.hours for f in same if f.hours is not None]
            amounts = [f.amount for f in same if f.amount is not None]
            row[3] = (_h(sum(hours, Decimal(0)), lang) if hours else "–", "num")
            row[4] = (_m(sum(amounts, ZERO), lang) if amounts else "–", "num")
        rows.append(row)
    return rows


def _columns(lang: str, with_status: bool) -> list[tuple[str, str]]:
    de = lang == "de"
    cols = [(t("place", lang), ""), (t("record", lang), ""), (t("message", lang), ""),
            ("Stunden" if de else "hours", "num"), ("Wert" if de else "value", "num")]
    return cols + ([("Status", "")] if with_status else [])


def _one(result, lang: str, titles, anchor: str) -> str:
    de = lang == "de"
    with_status = bool(result.baseline_file)
    out = [f"<section class='bundle' id='{anchor}'><h2>{escape(t('submission', lang))}: {escape(result.submission)}</h2>",
           _header(result, lang), _summary(result, lang)]
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        groups[f.rule].append(f)
    order = sorted(groups, key=lambda r: (min(SEVERITY_RANK[f.severity] for f in groups[r]), r))
    if not result.findings:
        out.append(f"<p class='ok'>{escape(t('no_findings', lang))}</p>")
    else:
        out.append(f"<h3>{'Befunde je Regel' if de else 'Findings per rule'}</h3>")
        out.append(_rule_totals(result, groups, order, lang, titles, anchor))
    by_rule = result.stake.by_rule()
    for rule_id in order:
        items = groups[rule_id]
        sev = min((f.severity for f in items), key=SEVERITY_RANK.__getitem__)
        out.append(f"<h4 id='{anchor}-{escape(rule_id)}'><span class='sev {sev}'>{escape(t(sev, lang))}</span> "
                   f"<code class='rule'>{escape(rule_id)}</code> {escape(titles.get(rule_id, {}).get(lang, ''))}</h4>")
        if items[0].source:
            out.append(f"<blockquote>{escape(t('source', lang))}: {escape(items[0].source)}</blockquote>")
        rows = _grouped_rows(items, sev, lang, with_status)
        if result.omitted_count(rule_id):
            rows.append([escape(more_findings(result, rule_id, lang)), "", "", ("", "num"), ("", "num")]
                        + ([""] if with_status else []))
        n = len(items) + result.omitted_count(rule_id)
        hours, amount = by_rule.get(rule_id, (None, None))
        effect = "" if hours is not None or items[0].drops_service else (
            "keine Stunden aus der Abrechnung genommen" if de else "no hours taken out of billing")
        rows.append((["Σ", "", f"{'Summe' if de else 'Total'} <span class='rule'>{escape(rule_id)}</span>: "
                      + escape(f"{n} {t('finding' if n == 1 else 'findings', lang)}" + (f"; {effect}" if effect else "")),
                      (_h(hours, lang) if hours is not None else "–", "num"),
                      (_m(amount, lang) if amount is not None else "–", "num")] + ([""] if with_status else []), "total"))
        out.append(table(_columns(lang, with_status), rows))
    if result.waived:
        out.append(f"<h3>{'Ausgenommene Befunde (Waivers)' if de else 'Waived findings'}</h3>")
        rows = _finding_rows(sorted(result.waived, key=Finding.sort_key), "", lang, with_status, waived=True)
        for row, f in zip(rows, sorted(result.waived, key=Finding.sort_key)):
            row[0] = f"<code class='rule'>{escape(f.rule)}</code><br>" + row[0]
        out.append(table(_columns(lang, with_status), rows))
    if result.resolved:
        out.append(f"<h3>{'Behoben seit der Vergleichsbasis' if de else 'Resolved since the baseline'}</h3>")
        rows = [[f"<code class='rule'>{escape(r.get('rule', ''))}</code>", escape(t(str(r.get("severity", "")), lang)),
                 breakable(f"{_entity(r).get('type', '')} {_entity(r).get('id', '')}"),
                 breakable(r.get("message", ""))] for r in result.resolved]
        out.append(table([(t("rule", lang), ""), (t("severity", lang), ""), (t("record", lang), ""),
                          (t("message", lang), "")], rows))
    out.append(ledger_html(result.ledger, lang, anchor))
    out.append("</section>")
    return "".join(out)
