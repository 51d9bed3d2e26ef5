"""The ledger in the HTML report: per contract year its figures with formulas, a chart and the monthly table."""
from __future__ import annotations

from fractions import Fraction

from engine.ledger import to_decimal
from engine.report.html_parts import escape, table
from engine.report.ledger import claim_rows, prephase_rows, year_rows
from engine.report.messages import fmt_date, fmt_money, fmt_number
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
        out.append(_prephase_months(p, lang))
    return "".join(out)


def _prephase_months(p, lang: str) -> str:
    """The Vorphase by billing month (as ``asa-check ledger --months``): occupancy, places paid, amount."""
    de = lang == "de"
    if not p.months:
        return ""
    out = []
    if p.months_over_places:
        out.append(f"<p class='warning'>{escape('Belegung über den eingekauften Plätzen (nicht vergütet) in' if de else 'Occupancy above the places purchased (not paid) in')}: "
                   f"{escape(', '.join(p.months_over_places))}</p>")
    rows = []
    for m in p.months:
        over = m.occupancy > p.places
        rows.append([(escape(m.month), "nowrap"), (escape(f"{fmt_date(m.first, lang)} – {fmt_date(m.last, lang)}"), "nowrap"),
                     (escape(str(m.occupancy)), "num warning" if over else "num"),
                     (escape(fmt_number(to_decimal(m.payable_places, 2), lang)), "num"),
                     (escape(fmt_money(m.amount, lang)), "num")])
    rows.append(([("Σ", ""), ("", ""), ("", "num"), ("", "num"), (escape(fmt_money(p.total_amount, lang)), "num")],
                 "total"))
    out.append(table([("Monat" if de else "Month", ""), ("Zeitraum" if de else "Period", ""),
                      ("Belegung" if de else "Occupancy", "num"), ("vergütete Plätze" if de else "paid places", "num"),
                      ("Betrag" if de else "Amount", "num")], rows))
    return "".join(out)
