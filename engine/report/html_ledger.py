"""The ledger in the HTML report: per contract year its figures with formulas, a chart and the monthly table."""
from __future__ import annotations

from fractions import Fraction

from engine.report.html_parts import escape, table
from engine.report.ledger_rows import claim_rows, hours_text, prephase_rows, year_rows
from engine.report.messages import fmt_date
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
    return "".join(out)
