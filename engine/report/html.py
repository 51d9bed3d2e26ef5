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

from engine.audit.run import status_counts
from engine.report.audit_text import selection_text
from engine.ledger import to_decimal
from engine.report.html_ledger import ledger_html
from engine.report.html_parts import breakable, escape, table
from engine.report.html_style import CSS, page_css
from engine.report.ledger_rows import hours_text
from engine.report.messages import fmt_date, fmt_money, fmt_value
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


def render_html(results: list, lang: str, titles: dict[str, dict[str, str]],
                failed: list[tuple[str, str]] = (), info=None) -> str:
    """``info``: engine/audit/run.py AuditInfo (check date, tool version, waivers, baseline), or None."""
    names = ", ".join(r.submission for r in results)
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
             f"<title>asa-check – {escape(names)}</title><style>{page_css(lang)}{CSS}</style></head><body>",
             f"<h1>asa-check: {escape(t('report_title', lang))}</h1>"]
    meta = []
    if info is not None:
        meta += [((t("ht_check_date", lang)), escape(fmt_date(info.check_date, lang))),
                 ((t("ht_tool", lang)), f"asa-check {escape(info.tool_version)}")]
    if results:
        meta.append((t("rules", lang), escape(rules_version_text(results[0].rules_version, lang))))
    if info is not None:
        meta.append(((t("ht_waivers", lang)),
                     f"<code>{escape(info.waivers_file)}</code>" if info.waivers_file else "–"))
        meta.append(((t("ht_baseline", lang)),
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
    rows, total = [], {"error": 0, "warning": 0, "info": 0, "hours": Decimal(0), "amount": ZERO, "new": 0}
    for n, r in enumerate(results, start=1):
        s, st = r.summary(), status_counts(r)
        stake = r.stake
        new = st["new"] if r.baseline_file else "–"
        rows.append([f"<a href='#b{n}'>{escape(r.submission)}</a>", (str(s["error"]), "num"),
                     (str(s["warning"]), "num"), (str(s["info"]), "num"),
                     (hours_text(stake.hours, lang), "num"), (fmt_money(stake.amount, lang), "num"), (str(new), "num")])
        for k in ("error", "warning", "info"):
            total[k] += s[k]
        total["hours"] += to_decimal(stake.hours, 2)
        total["amount"] += stake.amount
        total["new"] += st["new"]
    rows.append(([("Σ", ""), (str(total["error"]), "num"), (str(total["warning"]), "num"),
                  (str(total["info"]), "num"), (hours_text(total["hours"], lang), "num"), (fmt_money(total["amount"], lang), "num"),
                  (str(total["new"]) if any(r.baseline_file for r in results) else "–", "num")], "total"))
    return (f"<h2>{t('lg_overview', lang)}</h2>"
            + table([(t("submission", lang), ""), (t("errors", lang), "num"), (t("warnings", lang), "num"),
                     (t("infos", lang), "num"), (t("unbillable", lang), "num"),
                     (t("value", lang), "num"), (t("new", lang), "num")], rows))


def _waiver_notes(use, lang: str) -> str:
    out = []
    expired = use.expired_waivers()
    if expired:
        out.append(f"<h3 class='warning'>{t('ht_expired_waivers_no_longer_applied', lang)}</h3>")
        out.append(table([("Waiver", ""), (t("ht_expires", lang), ""), (t("findings", lang), "num"),
                          (t("ht_reason", lang), ""), (t("file", lang), "")],
                         [[escape(w.id), escape(fmt_date(w.expires, lang)), (str(use.expired[w.id]), "num"),
                           escape(w.reason), f"<code>{escape(w.file)}:{w.line}</code>"] for w in expired]))
    stale = use.stale()
    if stale:
        out.append(f"<h3 class='warning'>{t('ht_stale_waivers_matched_nothing', lang)}</h3>")
        out.append(table([("Waiver", ""), (t("ht_selects", lang), ""), (t("file", lang), "")],
                         [[escape(w.id), escape(w.finding or f"{w.rule} {w.entity}"), f"<code>{escape(w.file)}:{w.line}</code>"]
                          for w in stale]))
    return "".join(out)


def _header(result, lang: str) -> str:
    c = getattr(result, "contract", None)
    rows = []
    if c is not None:
        phase = c.accompanying_phase
        rows.append((t("ht_contract", lang), escape(c.contract_id)))
        provider = c.provider_name or ""
        rows.append((t("ht_provider", lang), escape(f"{provider} ({c.provider_id})" if provider else c.provider_id)))
        if c.agency:
            rows.append((t("ht_agency", lang), escape(c.agency)))
        ext = "".join(f"; {t('ht_extension', lang)} {fmt_date(e.start, lang)} – {fmt_date(e.end, lang)}"
                      for e in phase.extensions)
        rows.append((t("ht_accompanying_phase", lang),
                     escape(f"{fmt_date(phase.start, lang)} – {fmt_date(phase.end, lang)}{ext}; "
                            f"{fmt_money(phase.price_per_hour, lang)}/h")))
        pre = "; ".join(f"{fmt_date(p.start, lang)} – {fmt_date(p.end, lang)}, {p.places} "
                        f"{t('ht_places', lang)}" for p in c.pre_phases)
        rows.append((t("ht_pre_phases", lang), escape(pre or "–")))
    cutoff = getattr(result, "data_cutoff", None)
    rows.append((t("ht_data_cut_off_last_service", lang),
                 escape(fmt_date(cutoff, lang) if cutoff else "–")))
    rows.append((t("rules", lang), escape(rules_version_text(result.rules_version, lang))))
    if result.ledger is not None and result.ledger.parameters:
        rows.append((t("ht_ledger_parameters", lang),
                     escape(", ".join(f"{k} = {fmt_value(list(v) if isinstance(v, tuple) else v, lang)}"
                                      for k, v in result.ledger.parameters.items()))))
    rows.append((t("overrides", lang), "<br>".join(escape(a.text(lang)) for a in result.overrides) or "–"))
    return table([("", ""), ("", "")], [[escape(k), v] for k, v in rows], "kv").replace(
        "<thead><tr><th></th><th></th></tr></thead>", "")


def _summary(result, lang: str) -> str:
    s, stake = result.summary(), result.stake
    rows = [[escape(t("errors", lang).capitalize()), (f"<span class='error'>{s['error']}</span>", "num")],
            [escape(t("warnings", lang).capitalize()), (str(s["warning"]), "num")],
            [escape(t("infos", lang).capitalize()), (str(s["info"]), "num")],
            [escape(t("ht_unbillable_hours", lang)), (hours_text(stake.hours, lang), "num")],
            [escape(t("ht_value_at_the_hourly_price", lang)), (fmt_money(stake.amount, lang), "num")],
            [escape(t("ht_effect_on_the_payment", lang)),
             (fmt_money(stake.payment_effect, lang), "num")],
            [escape(t("au_waived_findings", lang)), (str(len(result.waived)), "num")]]
    if result.baseline_file:
        st = status_counts(result)
        rows += [[escape(t("ht_new_since_the_baseline", lang)), (str(st["new"]), "num")],
                 [escape(t("au_persisting", lang)), (str(st["persisting"]), "num")],
                 [escape(t("au_resolved", lang)), (str(st["resolved"]), "num")]]
    for y in stake.years:
        rows.append([escape(f"{t('ht_contract_year', lang)} {y.year}: "
                            f"{t('unbillable', lang)} / {t('au_effect', lang)}"),
                     (f"{hours_text(y.hours, lang)} · {fmt_money(y.amount, lang)} / {fmt_money(y.payment_effect, lang)}", "num")])
    note = selection_text(result.selection, lang)
    return (f"<h3>{escape(t('summary', lang))}</h3>"
            + (f"<p class='warning'>{escape(note)}</p>" if note else "")
            + table([("", ""), ("", "num")], rows, "kv").replace(
                "<thead><tr><th></th><th class='num'></th></tr></thead>", ""))


def _rule_totals(result, groups, order, lang: str, titles, anchor: str) -> str:
    by_rule = result.stake.by_rule()
    rows, chart = [], []
    for rule_id in order:
        items = groups[rule_id]
        sev = min((f.severity for f in items), key=SEVERITY_RANK.__getitem__)
        n = len(items) + result.omitted_count(rule_id)
        hours, amount = by_rule.get(rule_id, (None, None))
        rows.append([f"<a href='#{anchor}-{escape(rule_id)}'><code class='rule'>{escape(rule_id)}</code></a>",
                     (escape(t(sev, lang)), f"sev {sev}"), escape(titles.get(rule_id, {}).get(lang, "")),
                     (str(n), "num"), (hours_text(hours, lang) if hours is not None else "–", "num"),
                     (fmt_money(amount, lang) if amount is not None else "–", "num")])
        chart.append((rule_id, n, amount or ZERO))
    stake = result.stake
    rows.append(([("Σ", ""), ("", ""), escape(t("ht_each_service_counted_once", lang)),
                  (str(sum(c for _, c, _ in chart)), "num"), (hours_text(stake.hours, lang), "num"),
                  (fmt_money(stake.amount, lang), "num")], "total"))
    return (table([(t("rule", lang), ""), (t("severity", lang), ""), (t("title", lang), ""),
                   (t("findings", lang), "num"), (t("col_hours", lang), "num"), (t("value", lang), "num")],
                  rows)
            + f"<figure>{rules_chart(chart, lang)}<figcaption>"
            + escape(t("ht_rules_chart_caption", lang))
            + "</figcaption></figure>")


def _finding_rows(items: list[Finding], sev: str, lang: str, with_status: bool, waived: bool = False) -> list:
    rows = []
    for f in items:
        flag = "" if f.severity == sev else f" <span class='sev {f.severity}'>({escape(t(f.severity, lang))})</span>"
        why = why_text(f.evidence, lang)
        text = breakable(f.message[lang]) + (f"<div class='why'>{t('au_why', lang)}: {breakable(why)}</div>" if why else "")
        if waived and f.waiver is not None:
            w = f.waiver
            text += (f"<div class='why'>{escape(t('ht_waiver', lang))} {breakable(w.id)}: {breakable(w.reason)}; "
                     f"{escape(t('au_approved_by', lang))} {breakable(w.approved_by)}; {breakable(w.reference)}; "
                     f"{escape(t('au_until', lang))} {escape(fmt_date(w.expires, lang))}</div>")
        row = [f"<code>{breakable(_where(f))}</code>{flag}", f"{escape(t(f.entity.type, lang))} {breakable(f.entity.id)}",
               text, (hours_text(f.hours, lang) if f.hours is not None else "–", "num"),
               (fmt_money(f.amount, lang) if f.amount is not None else "–", "num")]
        if with_status:
            label = {"new": t("new", lang), "persisting": t("au_persisting", lang)}.get(f.status, "")
            row.append((escape(label), f.status or ""))
        rows.append(row)
    return rows


SHOWN_PLACES = 8


def _grouped_rows(items: list[Finding], sev: str, lang: str, with_status: bool) -> list:
    """Findings of one rule with the same message (and evidence, severity, status) in one row, totalled."""
    groups: dict[tuple, list[Finding]] = {}
    for f in items:
        groups.setdefault((f.message[lang], why_text(f.evidence, lang), f.severity, f.status), []).append(f)
    rows = []
    for same in groups.values():
        row = _finding_rows(same[:1], sev, lang, with_status)[0]
        if len(same) > 1:
            more = len(same) - SHOWN_PLACES
            rest = f"<br>… {t('ht_and', lang)} {more} {t('ht_more', lang)}" if more > 0 else ""
            row[0] = "<br>".join(f"<code>{breakable(_where(f))}</code>" for f in same[:SHOWN_PLACES]) + rest
            row[1] = "<br>".join(f"{escape(t(f.entity.type, lang))} {breakable(f.entity.id)}"
                                 for f in same[:SHOWN_PLACES]) + rest
            row[2] = f"<strong>{len(same)}×</strong> " + row[2]
            hours = [f.hours for f in same if f.hours is not None]
            amounts = [f.amount for f in same if f.amount is not None]
            row[3] = (hours_text(sum(hours, Decimal(0)), lang) if hours else "–", "num")
            row[4] = (fmt_money(sum(amounts, ZERO), lang) if amounts else "–", "num")
        rows.append(row)
    return rows


def _columns(lang: str, with_status: bool) -> list[tuple[str, str]]:
    cols = [(t("place", lang), ""), (t("record", lang), ""), (t("message", lang), ""),
            (t("col_hours", lang), "num"), (t("value", lang), "num")]
    return cols + ([("Status", "")] if with_status else [])


def _one(result, lang: str, titles, anchor: str) -> str:
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
        out.append(f"<h3>{t('ht_findings_per_rule', lang)}</h3>")
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
            t("au_no_hours_taken_out_of_billing", lang))
        rows.append((["Σ", "", f"{t('lg_total', lang)} <span class='rule'>{escape(rule_id)}</span>: "
                      + escape(f"{n} {t('finding' if n == 1 else 'findings', lang)}" + (f"; {effect}" if effect else "")),
                      (hours_text(hours, lang) if hours is not None else "–", "num"),
                      (fmt_money(amount, lang) if amount is not None else "–", "num")] + ([""] if with_status else []), "total"))
        out.append(table(_columns(lang, with_status), rows))
    if result.waived:
        out.append(f"<h3>{t('au_waived_findings', lang)}</h3>")
        rows = _finding_rows(sorted(result.waived, key=Finding.sort_key), "", lang, with_status, waived=True)
        for row, f in zip(rows, sorted(result.waived, key=Finding.sort_key)):
            row[0] = f"<code class='rule'>{escape(f.rule)}</code><br>" + row[0]
        out.append(table(_columns(lang, with_status), rows))
    if result.resolved:
        out.append(f"<h3>{t('au_resolved_since_the_baseline', lang)}</h3>")
        rows = [[f"<code class='rule'>{escape(r.get('rule', ''))}</code>", escape(t(str(r.get("severity", "")), lang)),
                 breakable(f"{_entity(r).get('type', '')} {_entity(r).get('id', '')}"),
                 breakable(r.get("message", ""))] for r in result.resolved]
        out.append(table([(t("rule", lang), ""), (t("severity", lang), ""), (t("record", lang), ""),
                          (t("message", lang), "")], rows))
    out.append(ledger_html(result.ledger, lang, anchor))
    out.append("</section>")
    return "".join(out)
