"""The ledger in the HTML report: per contract year its figures with formulas, a chart and the monthly table."""
from __future__ import annotations

from fractions import Fraction

from engine.report.html_parts import escape, table
from engine.ledger import to_decimal
from engine.report.ledger_rows import claim_rows, hours_text, prephase_rows, year_rows
from engine.report.messages import fmt_date, fmt_money, fmt_number
from engine.report.svg import hours_chart
from engine.report.words import t


def ledger_html(ledger, lang: str, anchor: str) -> str:
    if ledger is None or (not ledger.years and not ledger.prephases):
        return ""
    out = [f"<h3 id='{anchor}-ledger'>{t('ht_hour_ledger', lang)} "
           f"{t('contract', lang)} {escape(ledger.contract_id)}</h3>"]
    for y in ledger.years:
        out.append(f"<h4>{t('ht_contract_year', lang)} {y.year}: "
                   f"{escape(fmt_date(y.start, lang))} – {escape(fmt_date(y.end, lang))}</h4>")
        out.append(f"<figure>{hours_chart(y, lang)}</figure>")
        rows = [[escape(label), (escape(value), "num"), escape(formula)] for _k, label, value, formula in year_rows(y, lang)]
        out.append(table([(t("lg_col_figure", lang), ""), (t("lg_col_value", lang), "num"),
                          (t("lg_col_calculation", lang), "")], rows))
        if y.has_claim:
            rows = [[escape(label), (escape(c), "num"), (escape(v), "num"), (escape(d), "num")]
                    for _k, label, c, v, d in claim_rows(y, lang)]
            out.append(f"<p>{t('ht_invoice', lang)} (<code>{escape(y.claim_file)}:{y.claim_line}</code>)</p>")
            out.append(table([(t("lg_col_figure", lang), ""), (t("lg_col_claimed", lang), "num"),
                              (t("ht_computed", lang), "num"), (t("ht_difference", lang), "num")],
                             rows))
        if y.months:
            rows, cum = [], Fraction(0)
            for m in y.months:
                cum += m.billable
                rows.append([(escape(m.month), "nowrap"), (hours_text(m.documented, lang), "num"), (hours_text(m.not_delivered, lang), "num"),
                             (hours_text(m.dropped, lang), "num"), (hours_text(m.billable, lang), "num"), (hours_text(cum, lang), "num")])
            rows.append(([("Σ", ""), (hours_text(y.documented_hours, lang), "num"), (hours_text(y.not_delivered_hours, lang), "num"),
                          (hours_text(y.dropped_hours, lang), "num"), (hours_text(y.billable_hours, lang), "num"), ("", "num")], "total"))
            out.append(table([(t("lg_col_month", lang), ""), (t("ht_documented", lang), "num"),
                              (t("ht_not_delivered", lang), "num"),
                              (t("unbillable", lang), "num"),
                              (t("ht_billable", lang), "num"),
                              (t("ht_billable_cumulative", lang), "num")], rows))
    for p in ledger.prephases:
        out.append(f"<h4>{t('ht_pre_phase', lang)} {p.index}: {escape(fmt_date(p.start, lang))} – "
                   f"{escape(fmt_date(p.end, lang))}</h4>")
        rows = [[escape(label), (escape(value), "num"), escape(formula)] for _k, label, value, formula in prephase_rows(p, lang)]
        out.append(table([(t("lg_col_figure", lang), ""), (t("lg_col_value", lang), "num"),
                          (t("lg_col_calculation", lang), "")], rows))
        out.append(_prephase_months(p, lang))
    return "".join(out)


def _prephase_months(p, lang: str) -> str:
    """The Vorphase by billing month (as ``asa-check ledger --months``): occupancy, places paid, amount."""
    if not p.months:
        return ""
    out = []
    if p.months_over_places:
        out.append(f"<p class='warning'>{escape(t('ht_occupancy_over_places', lang))}: "
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
    out.append(table([(t("lg_col_month", lang), ""), (t("ht_period", lang), ""),
                      (t("ht_occupancy", lang), "num"), (t("ht_paid_places", lang), "num"),
                      (t("ht_amount", lang), "num")], rows))
    return "".join(out)
