"""The figures of the hour ledger as rows, each with its formula spelled out in German or English.

``year_rows``, ``claim_rows`` and ``prephase_rows`` are shared by the ledger's
text and JSON (engine/report/ledger.py) and by the HTML report
(engine/report/html_ledger.py); their words come from engine/report/words.py.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.ledger import PrePhaseLedger, YearLedger, to_cents, to_decimal
from engine.report.messages import fmt_date, fmt_money, fmt_number
from engine.report.words import t
from engine.audit.stake import year_stake

MINUS = "\u2212"


# --- figures as text ----------------------------------------------------------------

def hours_text(value, lang: str) -> str:
    """Hours with two decimals and the unit: ``2.800,00 h`` (de), ``2,800.00 h`` (en)."""
    return f"{fmt_number(to_decimal(value, 2), lang)} h"


def money_text(value, lang: str) -> str:
    """An amount in euros, rounded to the cent."""
    return fmt_money(to_cents(value), lang)


def share_text(value, lang: str) -> str:
    """A share such as the minimum purchase (``0,70``), at least two decimals, no rounding beyond."""
    d = Decimal(str(value))
    if d.as_tuple().exponent > -2:
        d = d.quantize(Decimal("0.01"))
    text = f"{d:f}"
    return text.replace(".", ",") if lang == "de" else text


def places_text(value, lang: str) -> str:
    """A number of places (may be a fraction: 0.7 × 15 places), two decimals."""
    return fmt_number(to_decimal(value, 2), lang)


def hours_str(value) -> str:
    """Hours as a plain decimal string for JSON: ``"3120.50"`` (never a float)."""
    return str(to_decimal(value, 2))


def cents_str(value) -> str:
    """Euros rounded to the cent as a plain decimal string for JSON: ``"20031.25"``."""
    return str(to_cents(value))


def date_text(value: date, lang: str) -> str:
    return fmt_date(value, lang)


def argument_separator(lang: str) -> str:
    """Argument separator in formulas: ';' where the decimal mark is a comma."""
    return "; " if lang == "de" else ", "


def services_text(n: int, lang: str) -> str:
    """``1 Leistung``, ``3 Leistungen`` (``1 service``, ``3 services``)."""
    return f"{n} {t('service' if n == 1 else 'services', lang)}"


# --- figures and formulas ----------------------------------------------------------

def year_rows(y: YearLedger, lang: str) -> list[tuple[str, str, str, str]]:
    """(key, label, value, formula) for every figure of a contract year."""
    def word(key: str, **values) -> str:
        return t(key, lang).format(**values) if values else t(key, lang)

    def hours(value) -> str:
        return hours_text(value, lang)

    def money(value) -> str:
        return money_text(value, lang)

    s = argument_separator(lang)
    rows = []
    rows.append(("contingent", word("lg_contingent"), hours(y.contingent),
                 word("lg_contingent_of_year", year=y.year)))
    carry_in_formula = (word("lg_first_year") if y.carry_in_from is None
                        else word("lg_carry_in_from", year=y.carry_in_from))
    rows.append(("carry_in", word("lg_carry_in"), hours(y.carry_in), carry_in_formula))
    rows.append(("available", word("lg_available"), hours(y.available),
                 f"{hours(y.contingent)} + {hours(y.carry_in)} = {hours(y.available)}"))
    rows.append(("documented", word("lg_documented"), hours(y.documented_hours),
                 word("lg_documented_sum", services=services_text(y.service_count, lang),
                      start=date_text(y.start, lang), end=date_text(y.end, lang))))
    if y.not_delivered_services:
        rows.append(("not_delivered", word("lg_not_delivered"), hours(y.not_delivered_hours),
                     word("lg_not_delivered_why", services=services_text(len(y.not_delivered_services), lang))))
    stake = year_stake(y)
    price = fmt_money(y.price_per_hour, lang)
    for rule, dropped in y.dropped_hours_by_rule.items():
        rows.append((f"dropped:{rule}", word("lg_dropped_by_rule", rule=rule), hours(dropped),
                     f"{hours(dropped)} × {price} = {money(stake.by_rule[rule][1])}"))
    rows.append(("dropped", word("lg_dropped"), hours(y.dropped_hours),
                 word("lg_dropped_why", services=services_text(len(y.dropped_services), lang))))
    rows.append(("dropped_amount", word("lg_dropped_amount"), money(stake.amount),
                 f"{hours(y.dropped_hours)} × {price} = {money(stake.amount)}"))
    absent = f" {MINUS} {hours(y.not_delivered_hours)}" if y.not_delivered_services else ""
    rows.append(("billable", word("lg_billable"), hours(y.billable_hours),
                 f"{hours(y.documented_hours)}{absent} {MINUS} {hours(y.dropped_hours)} = {hours(y.billable_hours)}"))
    rows.append(("payable", word("lg_payable"), hours(y.payable_hours),
                 f"min({hours(y.billable_hours)}{s}{hours(y.available)}) = {hours(y.payable_hours)}"
                 + (word("lg_excess_not_paid") if y.excess_hours > 0 else "")))
    rows.append(("minimum", word("lg_minimum"), hours(y.minimum_hours),
                 f"{share_text(y.minimum_share, lang)} × {hours(y.contingent)} = {hours(y.minimum_hours)}"))
    rows.append(("minimum_payment", word("lg_minimum_payment"), money(y.minimum_payment),
                 f"{hours(y.minimum_hours)} × {price} = {money(y.minimum_payment)}"))
    rows.append(("monthly_installment", word("lg_monthly_installment"), money(y.monthly_installment),
                 f"{hours(y.minimum_hours)} × {price} / {y.installment_months} = {money(y.monthly_installment)}"))
    if y.payable_hours > y.minimum_hours:
        settle = (f"({hours(y.payable_hours)} {MINUS} {hours(y.minimum_hours)}) × {price}"
                  f" = {money(y.settlement_amount)}")
    else:
        settle = word("lg_no_settlement", payable=hours(y.payable_hours), minimum=hours(y.minimum_hours))
    rows.append(("settlement", word("lg_settlement"), money(y.settlement_amount), settle))
    rows.append(("total_payment", word("lg_total_payment"), money(y.total_payment),
                 f"{money(y.minimum_payment)} + {money(y.settlement_amount)} = {money(y.total_payment)}"))
    if y.is_last:
        carry_out = word("lg_last_year_no_carry")
    elif y.carry_in_may_roll:
        carry_out = (f"max(0{s}{hours(y.available)} {MINUS} max({hours(y.payable_hours)}{s}"
                     f"{hours(y.minimum_hours)})) = {hours(y.allowed_carry_out)}")
    else:
        carry_out = (f"max(0{s}{hours(y.contingent)} {MINUS} max({hours(y.payable_hours)} {MINUS} "
                     f"{hours(y.carry_in)}{s}{hours(y.minimum_hours)})) = {hours(y.allowed_carry_out)}"
                     + word("lg_carry_in_first"))
    rows.append(("allowed_carry_out", word("lg_allowed_carry_out"), hours(y.allowed_carry_out), carry_out))
    if y.dropped_hours:
        rows.append(("payment_effect", word("lg_payment_effect"), money(stake.payment_effect),
                     f"max(min({hours(y.billable_hours)} + {hours(y.dropped_hours)}{s}{hours(y.available)})"
                     f"{s}{hours(y.minimum_hours)}) × {price} {MINUS} {money(y.total_payment)} = "
                     f"{money(stake.payment_without)} {MINUS} {money(y.total_payment)} = "
                     f"{money(stake.payment_effect)}"))
    return rows


def claim_rows(y: YearLedger, lang: str) -> list[tuple[str, str, str, str, str]]:
    """(key, label, claimed, computed, claimed − computed) for the invoice.yaml claim."""
    not_claimed = "–"

    def claimed_hours(value):
        return not_claimed if value is None else hours_text(value, lang)

    def signed(claimed, computed, as_text):
        if claimed is None:
            return not_claimed
        diff = claimed - computed
        text = as_text(abs(diff), lang)
        return ("+" if diff > 0 else MINUS if diff < 0 else "") + text

    return [
        ("billed_hours", t("lg_billed_hours", lang), claimed_hours(y.claimed_billed_hours),
         hours_text(y.payable_hours, lang), signed(y.claimed_billed_hours, y.payable_hours, hours_text)),
        ("carry_in", t("lg_claim_carry_in", lang), claimed_hours(y.claimed_carry_in),
         hours_text(y.carry_in, lang), signed(y.claimed_carry_in, y.carry_in, hours_text)),
        ("carry_out", t("lg_claim_carry_out", lang), claimed_hours(y.claimed_carry_out),
         hours_text(y.allowed_carry_out, lang), signed(y.claimed_carry_out, y.allowed_carry_out, hours_text)),
        ("settlement", t("lg_settlement", lang),
         not_claimed if y.claimed_settlement is None else money_text(y.claimed_settlement, lang),
         money_text(y.settlement_amount, lang), signed(y.claimed_settlement, y.settlement_amount, money_text)),
    ]


def prephase_rows(p: PrePhaseLedger, lang: str) -> list[tuple[str, str, str, str]]:
    """(key, label, value, formula) for every figure of a Vorphase."""
    price = fmt_money(p.price_per_place_month, lang)
    minimum_places = places_text(p.minimum_places, lang)
    return [
        ("places", t("lg_places", lang), str(p.places), ""),
        ("minimum_places", t("lg_minimum_places", lang), minimum_places,
         f"{share_text(p.minimum_share, lang)} × {p.places} = {minimum_places}"),
        ("monthly_installment", t("lg_monthly_installment", lang), money_text(p.monthly_installment, lang),
         f"{minimum_places} × {price} = {money_text(p.monthly_installment, lang)}"),
        ("minimum_total", t("lg_minimum_payment", lang), money_text(p.minimum_total, lang),
         t("lg_prephase_minimum_total", lang).format(n=len(p.months), places=minimum_places, price=price,
                                                     total=money_text(p.minimum_total, lang))),
        ("peak_occupancy", t("lg_peak_occupancy", lang), str(p.peak_occupancy), t("lg_peak_occupancy_why", lang)),
        ("total_amount", t("lg_payment_by_occupancy", lang), money_text(p.total_amount, lang),
         t("lg_payment_by_occupancy_sum", lang).format(sep=argument_separator(lang), minimum=minimum_places,
                                                       places=p.places, price=price)),
    ]
