"""A self-contained HTML report an audit team can file or print (no scripts, no external files)."""
from __future__ import annotations

from collections import defaultdict
from html import escape as _html_escape

from engine.report.words import more_findings, t
from engine.report.safe import printable
from schemas.finding import SEVERITY_RANK, Finding

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1rem;margin:1.4rem 0 .3rem} .meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
th,td{border:1px solid #d0d0d0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2} td.num{text-align:right} .sev{font-weight:600;white-space:nowrap}
.error{color:#a40000} .warning{color:#8a5a00} .info{color:#00529b}
blockquote{margin:.3rem 0 .6rem;padding:.3rem .8rem;border-left:4px solid #bbb;color:#333;font-size:.88rem}
.ok{color:#1c6b1c;font-weight:600} code{font-size:.85rem}
@media print{body{margin:1cm} h2{page-break-before:auto} tr{page-break-inside:avoid}}
"""


def escape(text: str) -> str:
    """HTML text: control characters and undecodable bytes shown as escapes (printable), then HTML-escaped."""
    return _html_escape(printable(text))


def _where(f: Finding) -> str:
    if not f.location.file:
        return "–"
    return f"{f.location.file}:{f.location.line}" if f.location.line else f.location.file


def render_html(results: list, lang: str, titles: dict[str, dict[str, str]],
                failed: list[tuple[str, str]] = ()) -> str:
    head = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>asa-check – {escape(', '.join(r.submission for r in results))}</title>"
            f"<style>{CSS}</style></head><body>")
    parts = [head, f"<h1>asa-check: {escape(t('report_title', lang))}</h1>"]
    if results:
        parts.append(f'<p class="meta">{escape(t("rules", lang))}: {escape(results[0].rules_version)}</p>')
    if len(results) > 1:
        parts.append(_overview(results, lang))
    if failed:
        items = "".join(f"<li><code>{escape(name)}</code>: {escape(why)}</li>" for name, why in failed)
        parts.append(f"<h2 class='error'>{escape(t('bundle_not_checked', lang))}</h2><ul>{items}</ul>")
    for result in results:
        parts.append(_one(result, lang, titles))
    parts.append("</body></html>\n")
    return "".join(parts)


def _overview(results: list, lang: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.submission)}</td><td class='num'>{r.summary()['error']}</td>"
        f"<td class='num'>{r.summary()['warning']}</td><td class='num'>{r.summary()['info']}</td></tr>"
        for r in results)
    return (f"<table><tr><th>{escape(t('submission', lang))}</th><th>{escape(t('errors', lang))}</th>"
            f"<th>{escape(t('warnings', lang))}</th><th>{escape(t('infos', lang))}</th></tr>{rows}</table>")


def _one(result, lang: str, titles) -> str:
    s = result.summary()
    out = [f"<h2>{escape(t('submission', lang))}: {escape(result.submission)}</h2>",
           f"<p>{escape(t('summary', lang))}: <span class='error'>{s['error']} {escape(t('errors', lang))}</span>, "
           f"<span class='warning'>{s['warning']} {escape(t('warnings', lang))}</span>, "
           f"<span class='info'>{s['info']} {escape(t('infos', lang))}</span></p>"]
    if result.overrides:  # a clean result never hides a relaxed limit
        out.append(f"<p class='warning'>{escape(t('overrides', lang))}:</p><ul>"
                   + "".join(f"<li>{escape(a.text(lang))}</li>" for a in result.overrides) + "</ul>")
    if not result.findings:
        out.append(f"<p class='ok'>{escape(t('no_findings', lang))}</p>")
        return "".join(out)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        groups[f.rule].append(f)
    order = sorted(groups, key=lambda r: (min(SEVERITY_RANK[f.severity] for f in groups[r]), r))
    out.append(f"<table><tr><th>{escape(t('rule', lang))}</th><th>{escape(t('severity', lang))}</th>"
               f"<th>{escape(t('title', lang))}</th><th>{escape(t('findings', lang))}</th></tr>")
    for rule_id in order:
        sev = min((f.severity for f in groups[rule_id]), key=SEVERITY_RANK.__getitem__)
        out.append(f"<tr><td><a href='#{escape(result.submission)}-{escape(rule_id)}'><code>{escape(rule_id)}</code>"
                   f"</a></td><td class='sev {sev}'>{escape(t(sev, lang))}</td>"
                   f"<td>{escape(titles.get(rule_id, {}).get(lang, ''))}</td>"
                   f"<td class='num'>{len(groups[rule_id]) + result.omitted_count(rule_id)}</td></tr>")
    out.append("</table>")
    for rule_id in order:
        items = groups[rule_id]
        sev = min((f.severity for f in items), key=SEVERITY_RANK.__getitem__)
        out.append(f"<h3 id='{escape(result.submission)}-{escape(rule_id)}'><span class='sev {sev}'>"
                   f"{escape(t(sev, lang))}</span> <code>{escape(rule_id)}</code> "
                   f"{escape(titles.get(rule_id, {}).get(lang, ''))}</h3>")
        if items[0].source:
            out.append(f"<blockquote>{escape(t('source', lang))}: {escape(items[0].source)}</blockquote>")
        out.append(f"<table><tr><th>{escape(t('place', lang))}</th><th>{escape(t('record', lang))}</th>"
                   f"<th>{escape(t('message', lang))}</th><th>id</th></tr>")
        for f in items:
            flag = "" if f.severity == sev else f" <span class='sev {f.severity}'>({escape(t(f.severity, lang))})</span>"
            out.append(f"<tr><td><code>{escape(_where(f))}</code>{flag}</td>"
                       f"<td>{escape(t(f.entity.type, lang))} {escape(f.entity.id)}</td>"
                       f"<td>{escape(f.message[lang])}</td><td><code>{escape(f.id)}</code></td></tr>")
        if result.omitted_count(rule_id):
            out.append(f"<tr><td colspan='4'>{escape(more_findings(result, rule_id, lang))}</td></tr>")
        out.append("</table>")
    return "".join(out)
