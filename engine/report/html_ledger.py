"""The ledger in the HTML report: per contract year its figures with formulas, a chart and the monthly table."""
from __future__ import annotations

from fractions import Fraction

from engine.ledger import to_decimal
from engine.report.html_parts import escape, table
from engine.report.ledger import claim_rows, prephase_rows, year_rows
from engine.report.messages import fmt_date, fmt_number
from engine.report.svg import hours_chart


def _h(value, lang: str) -> str:
    return f"{fmt_number(to_decimal(value, 2), lang)} h"


def ledger_html(ledger, lang: str, anchor: str) -> str:
    de = lang == "de"
    if ledger is None or (not ledger.years and not ledger.prephases):
        return ""
    out = [f"<h3 id='{anchor}-ledger'>{'Stundenkonto' if de else 'Hour ledger'} "
           f"{'Vertrag' if de else 'contract'} {escape(ledger.contract_id)}</h3>"]
    for y in ledger.years:
        out.append(f"<h4>{'Vertragsjahr' if de else 'Contract year'} {y.year}: "
                   f"{escape(fmt_date(y.start, lang))} – {escape(fmt_date(y.end, lang))}</h4>")
        out.append(f"<figure>{hours_chart(y, lang)}</figure>")
        rows = [[escape(label), (escape(value), "num"), escape(formula)] for _k, label, value, formula in year_rows(y, lang)]
        out.append(table([("Position" if de else "Figure", ""), ("Wert" if de else "Value", "num"),
                          ("Berechnung" if de else "Calculation", "")], rows))
        if y.has_claim:
            rows = [[escape(label), (escape(c), "num"), (escape(v), "num"), (escape(d), "num")]
                    for _k, label, c, v, d in claim_rows(y, lang)]
            out.append(f"<p>{'Rechnung' if de else 'Invoice'} (<code>{escape(y.claim_file)}:{y.claim_line}</code>)</p>")
            out.append(table([("Position" if de else "Figure", ""), ("Rechnung" if de else "Claimed", "num"),
                              ("berechnet" if de else "computed", "num"), ("Differenz" if de else "Difference", "num")],
                             rows))
        if y.months:
            rows, cum = [], Fraction(0)
            for m in y.months:
                cum += m.billable
                rows.append([(escape(m.month), "nowrap"), (_h(m.documented, lang), "num"), (_h(m.not_delivered, lang), "num"),
                             (_h(m.dropped, lang), "num"), (_h(m.billable, lang), "num"), (_h(cum, lang), "num")])
            rows.append(([("Σ", ""), (_h(y.documented_hours, lang), "num"), (_h(y.not_delivered_hours, lang), "num"),
                          (_h(y.dropped_hours, lang), "num"), (_h(y.billable_hours, lang), "num"), ("", "num")], "total"))
            out.append(table([("Monat" if de else "Month", ""), ("dokumentiert" if de else "documented", "num"),
                              ("nicht erbracht" if de else "not delivered", "num"),
                              ("nicht abrechenbar" if de else "unbillable", "num"),
                              ("abrechenbar" if de else "billable", "num"),
                              ("abrechenbar kumuliert" if de else "billable cumulative", "num")], rows))
    for p in ledger.prephases:
        out.append(f"<h4>{'Vorphase' if de else 'Pre-phase'} {p.index}: {escape(fmt_date(p.start, lang))} – "
                   f"{escape(fmt_date(p.end, lang))}</h4>")
        rows = [[escape(label), (escape(value), "num"), escape(formula)] for _k, label, value, formula in prephase_rows(p, lang)]
        out.append(table([("Position" if de else "Figure", ""), ("Wert" if de else "Value", "num"),
                          ("Berechnung" if de else "Calculation", "")], rows))
    return "".join(out)
