"""Charts as inline SVG: no script, no external file; they work offline and in print.

``hours_chart``: one contract year, month by month: documented and billable hours
(cumulative) against the available hours (contingent + carry-in) and the minimum
purchase (Mindestabnahme). ``rules_chart``: findings and euros at stake per rule.
Every text is escaped (``escape``); sizes are in user units, the SVG scales to
the page width.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from html import escape as _html_escape

from engine.report.messages import fmt_money, fmt_number
from engine.report.safe import printable
from engine.report.words import t

W, H = 680, 250
LEFT, RIGHT, TOP, BOTTOM = 56, 120, 14, 34
COLORS = {"documented": "#9aa5b1", "billable": "#1f5fa8", "available": "#2e7d32", "minimum": "#c62828",
          "count": "#9aa5b1", "amount": "#1f5fa8"}


def _e(text) -> str:
    return _html_escape(printable(str(text)))


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float((int(value / step) + 1) * step)


def hours_chart(year, lang: str) -> str:
    """Cumulative documented and billable hours per month of a contract year (engine/ledger.py YearLedger)."""
    months = year.months
    cum_doc, cum_bill, d, b = [], [], Fraction(0), Fraction(0)
    for m in months:
        d += m.documented
        b += m.billable
        cum_doc.append(float(d))
        cum_bill.append(float(b))
    available, minimum = float(year.available), float(year.minimum_hours)
    top = _nice_max(max([available, minimum, *cum_doc, *cum_bill, 0.0]))
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = max(len(months), 1)

    def x(i: int) -> float:
        return LEFT + (i + 0.5) * pw / n

    def y(v: float) -> float:
        return TOP + ph - v / top * ph

    title = t("svg_year_chart_title", lang).format(year=year.year)
    out = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'aria-label="{_e(title)}"><title>{_e(title)}</title>',
           f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#bbb"/>']
    for k in range(5):
        v = top * k / 4
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
                   f'<text x="{LEFT - 4}" y="{y(v) + 3:.1f}" text-anchor="end" font-size="9">'
                   f'{_e(fmt_number(v, lang, 0))}</text>')
    for i, m in enumerate(months):
        if n <= 14 or i % 2 == 0:
            out.append(f'<text x="{x(i):.1f}" y="{H - BOTTOM + 12}" text-anchor="middle" font-size="8">'
                       f'{_e(m.month[5:] + "/" + m.month[2:4])}</text>')
    for key, value, label in (("available", available, t("svg_available", lang)),
                              ("minimum", minimum, t("svg_minimum", lang))):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   f'stroke="{COLORS[key]}" stroke-dasharray="5,3" stroke-width="1.5"/>'
                   f'<text x="{LEFT + pw + 4}" y="{y(value) + 3:.1f}" font-size="9" fill="{COLORS[key]}">'
                   f'{_e(label)} {_e(fmt_number(value, lang))} h</text>')
    for key, series in (("documented", cum_doc), ("billable", cum_bill)):
        if series:
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(series))
            out.append(f'<polyline points="{points}" fill="none" stroke="{COLORS[key]}" stroke-width="2"/>')
    legend = (("documented", t("svg_documented_cumulative", lang)),
              ("billable", t("svg_billable_cumulative", lang)),
              ("available", t("svg_available_contingent_carry_in", lang)),
              ("minimum", t("svg_minimum_purchase", lang)))
    lx = LEFT
    for key, label in legend:
        dash = ' stroke-dasharray="5,3"' if key in ("available", "minimum") else ""
        out.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{H - 8}" y2="{H - 8}" stroke="{COLORS[key]}"{dash} '
                   f'stroke-width="2"/><text x="{lx + 22}" y="{H - 5}" font-size="9">{_e(label)}</text>')
        lx += 34 + 5 * len(label)  # about 5 units per character at font size 9
    out.append("</svg>")
    return "".join(out)


def rules_chart(rows: list[tuple[str, int, Decimal]], lang: str) -> str:
    """Per rule: (rule id, findings, euros at stake): a grey bar for the findings, a blue one for the euros."""
    if not rows:
        return ""
    label_w, bar_w, row_h = 200, 300, 22
    height = TOP + row_h * len(rows) + 24
    most = max(n for _, n, _ in rows) or 1
    most_eur = max((a for _, _, a in rows), default=Decimal(0)) or Decimal(1)
    title = t("svg_findings_and_unbillable_amount_per_rule", lang)
    out = [f'<svg class="chart" viewBox="0 0 {W} {height}" width="{W}" height="{height}" role="img" '
           f'aria-label="{_e(title)}"><title>{_e(title)}</title>']
    for i, (rule, count, amount) in enumerate(rows):
        top = TOP + i * row_h
        cw = count / most * bar_w
        aw = float(amount / most_eur) * bar_w
        out.append(f'<text x="{label_w - 6}" y="{top + 13}" text-anchor="end" font-size="9">{_e(rule)}</text>'
                   f'<rect x="{label_w}" y="{top + 2}" width="{cw:.1f}" height="8" fill="{COLORS["count"]}"/>'
                   f'<rect x="{label_w}" y="{top + 11}" width="{aw:.1f}" height="8" fill="{COLORS["amount"]}"/>'
                   f'<text x="{label_w + max(cw, aw) + 6:.1f}" y="{top + 14}" font-size="9">'
                   f'{count} {t("finding" if count == 1 else "findings", lang)}'
                   f'{" · " + _e(fmt_money(amount, lang)) if amount else ""}</text>')
    ly = TOP + row_h * len(rows) + 12
    out.append(f'<rect x="{label_w}" y="{ly - 7}" width="12" height="8" fill="{COLORS["count"]}"/>'
               f'<text x="{label_w + 16}" y="{ly}" font-size="9">{t("findings", lang)}</text>'
               f'<rect x="{label_w + 90}" y="{ly - 7}" width="12" height="8" fill="{COLORS["amount"]}"/>'
               f'<text x="{label_w + 106}" y="{ly}" font-size="9">'
               f'{t("svg_unbillable_eur", lang)}</text></svg>')
    return "".join(out)
