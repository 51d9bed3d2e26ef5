"""Render a ``Ledger`` as text, JSON or CSV, in German or English.

``render_ledger(ledger, fmt, lang, months, year)``:

- ``text``: a summary table, then per contract year a table of figures in
  which every figure's formula is spelled out once, with the numbers filled in
  ("Mindestabnahme = 0,70 × 4.000 h = 2.800 h"), the invoice comparison when
  invoice.yaml targets the year, and with ``months`` a table per month; then
  the Vorphasen. Rendered by ``rich`` into a string (width 120, no colour, no
  terminal codes), so the output is plain text wherever it goes.
- ``json``: a JSON object; money and hours are strings ("20031.25",
  "3120.50") so no figure passes through a float; the formulas are included as
  text in ``lang``.
- ``csv``: one row per contract year, or per month of each contract year with
  ``months``; ``;`` and decimal comma for ``de``, ``,`` and ``.`` for ``en``;
  no thousands separators; headers in ``lang``. Vorphasen are not part of the
  CSV (other columns); use text or JSON for them.

``year`` limits the output to that contract year (Vorphasen are left out);
an unknown year raises ``LedgerYearError`` (a ``ValueError``).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table

from engine.stake import year_stake
from engine.ledger import Ledger, PrePhaseLedger, YearLedger, to_cents, to_decimal
from engine.report.messages import fmt_date, fmt_money, fmt_number, fmt_value
from engine.parameters import plain
from engine.report.safe import csv_cell, int_text, json_int, json_safe, printable, valid_utf8

FORMATS = ("text", "json", "csv")
MINUS = "\u2212"


class LedgerYearError(ValueError):
    pass


# --- small formatters -----------------------------------------------------------

def _h(value, lang: str) -> str:
    return f"{fmt_number(to_decimal(value, 2), lang)} h"


def _m(value, lang: str) -> str:
    return fmt_money(to_cents(value), lang)


def _share(value, lang: str) -> str:
    d = Decimal(str(value))
    if d.as_tuple().exponent > -2:
        d = d.quantize(Decimal("0.01"))
    text = f"{d:f}"
    return text.replace(".", ",") if lang == "de" else text


def _places(value, lang: str) -> str:
    return fmt_number(to_decimal(value, 2), lang)


def _d(value: date, lang: str) -> str:
    return fmt_date(value, lang)


def _sep(lang: str) -> str:
    """Argument separator in formulas: ';' where the decimal mark is a comma."""
    return "; " if lang == "de" else ", "


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _t(lang: str, de: str, en: str) -> str:
    return de if lang == "de" else en


# --- figures and formulas ----------------------------------------------------------

def year_rows(y: YearLedger, lang: str) -> list[tuple[str, str, str, str]]:
    """(key, label, value, formula) for every figure of a contract year."""
    L = lambda de, en: _t(lang, de, en)  # noqa: E731
    s = _sep(lang)
    rows = []
    rows.append(("contingent", L("Stundenkontingent", "Hour contingent"), _h(y.contingent, lang),
                 L(f"Kontingent Vertragsjahr {y.year}", f"contingent of contract year {y.year}")))
    carry_in_formula = (
        L("erstes Vertragsjahr", "first contract year") if y.carry_in_from is None
        else L(f"= zulässiger Übertrag aus Vertragsjahr {y.carry_in_from}",
               f"= allowed carry-out of contract year {y.carry_in_from}")
    )
    rows.append(("carry_in", L("Übertrag aus dem Vorjahr", "Carry-in from previous year"),
                 _h(y.carry_in, lang), carry_in_formula))
    rows.append(("available", L("Verfügbare Stunden", "Available hours"), _h(y.available, lang),
                 f"{_h(y.contingent, lang)} + {_h(y.carry_in, lang)} = {_h(y.available, lang)}"))
    rows.append(("documented", L("Dokumentierte Stunden", "Documented hours"), _h(y.documented_hours, lang),
                 L(f"Summe aus {_count(y.service_count, 'Leistung', 'Leistungen')} (BP) "
                   f"{_d(y.start, lang)} – {_d(y.end, lang)}",
                   f"sum of {_count(y.service_count, 'service', 'services')} (BP) "
                   f"{_d(y.start, lang)} – {_d(y.end, lang)}")))
    if y.not_delivered_services:
        rows.append(("not_delivered", L("Nicht erbracht (abgesagt, ausgefallen)", "Not delivered (cancelled)"),
                     _h(y.not_delivered_hours, lang),
                     L(f"{_count(len(y.not_delivered_services), 'Leistung', 'Leistungen')} mit nicht abrechenbarer "
                       "Anwesenheit (attendance)",
                       f"{_count(len(y.not_delivered_services), 'service', 'services')} with an attendance that is "
                       "not billable")))
    stake = year_stake(y)
    price = fmt_money(y.price_per_hour, lang)
    for rule, hours in y.dropped_hours_by_rule.items():
        rows.append((f"dropped:{rule}", L(f"  davon nicht abrechenbar: {rule}", f"  unbillable: {rule}"),
                     _h(hours, lang), f"{_h(hours, lang)} × {price} = {_m(stake.by_rule[rule][1], lang)}"))
    rows.append(("dropped", L("Nicht abrechenbar", "Unbillable"), _h(y.dropped_hours, lang),
                 L(f"{_count(len(y.dropped_services), 'Leistung', 'Leistungen')} mit Fehlerbefund "
                   "(jede einmal gezählt)",
                   f"{_count(len(y.dropped_services), 'service', 'services')} with an error finding "
                   "(each counted once)")))
    rows.append(("dropped_amount", L("Wert der nicht abrechenbaren Stunden", "Value of the unbillable hours"),
                 _m(stake.amount, lang), f"{_h(y.dropped_hours, lang)} × {price} = {_m(stake.amount, lang)}"))
    absent = f" {MINUS} {_h(y.not_delivered_hours, lang)}" if y.not_delivered_services else ""
    rows.append(("billable", L("Abrechenbare Stunden", "Billable hours"), _h(y.billable_hours, lang),
                 f"{_h(y.documented_hours, lang)}{absent} {MINUS} {_h(y.dropped_hours, lang)} = "
                 f"{_h(y.billable_hours, lang)}"))
    rows.append(("payable", L("Vergütbare Stunden", "Payable hours"), _h(y.payable_hours, lang),
                 f"min({_h(y.billable_hours, lang)}{s}{_h(y.available, lang)}) = {_h(y.payable_hours, lang)}"
                 + (L(" (über den verfügbaren Stunden wird nichts vergütet)",
                      " (hours beyond the available hours are not paid)") if y.excess_hours > 0 else "")))
    rows.append(("minimum", L("Mindestabnahme", "Minimum purchase"), _h(y.minimum_hours, lang),
                 f"{_share(y.minimum_share, lang)} × {_h(y.contingent, lang)} = {_h(y.minimum_hours, lang)}"))
    rows.append(("minimum_payment", L("Mindestvergütung", "Minimum payment"), _m(y.minimum_payment, lang),
                 f"{_h(y.minimum_hours, lang)} × {price} = {_m(y.minimum_payment, lang)}"))
    rows.append(("monthly_installment", L("Monatlicher Abschlag", "Monthly installment"),
                 _m(y.monthly_installment, lang),
                 f"{_h(y.minimum_hours, lang)} × {price} / {y.installment_months} = {_m(y.monthly_installment, lang)}"))
    if y.payable_hours > y.minimum_hours:
        settle = (f"({_h(y.payable_hours, lang)} {MINUS} {_h(y.minimum_hours, lang)}) × {price}"
                  f" = {_m(y.settlement_amount, lang)}")
    else:
        settle = L(f"0 (vergütbare Stunden {_h(y.payable_hours, lang)} ≤ Mindestabnahme {_h(y.minimum_hours, lang)})",
                   f"0 (payable hours {_h(y.payable_hours, lang)} ≤ minimum {_h(y.minimum_hours, lang)})")
    rows.append(("settlement", L("Ausgleichszahlung", "Settlement payment"), _m(y.settlement_amount, lang), settle))
    rows.append(("total_payment", L("Vergütung des Jahres", "Payment for the year"), _m(y.total_payment, lang),
                 f"{_m(y.minimum_payment, lang)} + {_m(y.settlement_amount, lang)} = {_m(y.total_payment, lang)}"))
    if y.is_last:
        co = L("0 (letztes Vertragsjahr der Laufzeit)", "0 (last contract year of the term)")
    elif y.carry_in_may_roll:
        co = (f"max(0{s}{_h(y.available, lang)} {MINUS} max({_h(y.payable_hours, lang)}{s}"
              f"{_h(y.minimum_hours, lang)})) = {_h(y.allowed_carry_out, lang)}")
    else:
        co = (f"max(0{s}{_h(y.contingent, lang)} {MINUS} max({_h(y.payable_hours, lang)} {MINUS} "
              f"{_h(y.carry_in, lang)}{s}{_h(y.minimum_hours, lang)})) = {_h(y.allowed_carry_out, lang)}"
              + L(" (Übertrag wird zuerst verbraucht, Rest verfällt)",
                  " (carry-in used first, the rest lapses)"))
    rows.append(("allowed_carry_out", L("Zulässiger Übertrag ins Folgejahr", "Allowed carry-out to next year"),
                 _h(y.allowed_carry_out, lang), co))
    if y.dropped_hours:
        rows.append(("payment_effect", L("Auswirkung der Befunde auf die Vergütung", "Effect of the findings on the payment"),
                     _m(stake.payment_effect, lang),
                     L(f"max(min({_h(y.billable_hours, lang)} + {_h(y.dropped_hours, lang)}{s}{_h(y.available, lang)})"
                       f"{s}{_h(y.minimum_hours, lang)}) × {price} {MINUS} {_m(y.total_payment, lang)} = "
                       f"{_m(stake.payment_without, lang)} {MINUS} {_m(y.total_payment, lang)} = "
                       f"{_m(stake.payment_effect, lang)}",
                       f"max(min({_h(y.billable_hours, lang)} + {_h(y.dropped_hours, lang)}{s}{_h(y.available, lang)})"
                       f"{s}{_h(y.minimum_hours, lang)}) × {price} {MINUS} {_m(y.total_payment, lang)} = "
                       f"{_m(stake.payment_without, lang)} {MINUS} {_m(y.total_payment, lang)} = "
                       f"{_m(stake.payment_effect, lang)}")))
    return rows


def claim_rows(y: YearLedger, lang: str) -> list[tuple[str, str, str, str, str]]:
    """(key, label, claimed, computed, claimed − computed) for the invoice.yaml claim."""
    L = lambda de, en: _t(lang, de, en)  # noqa: E731
    na = "–"

    def hours(v):
        return na if v is None else _h(v, lang)

    def signed(claimed, computed, fmt):
        if claimed is None:
            return na
        diff = claimed - computed
        text = fmt(abs(diff), lang)
        return ("+" if diff > 0 else MINUS if diff < 0 else "") + text

    return [
        ("billed_hours", L("Abgerechnete Stunden", "Billed hours"), hours(y.claimed_billed_hours),
         _h(y.payable_hours, lang), signed(y.claimed_billed_hours, y.payable_hours, _h)),
        ("carry_in", L("Übertrag aus dem Vorjahr", "Carry-in"), hours(y.claimed_carry_in),
         _h(y.carry_in, lang), signed(y.claimed_carry_in, y.carry_in, _h)),
        ("carry_out", L("Übertrag ins Folgejahr", "Carry-out"), hours(y.claimed_carry_out),
         _h(y.allowed_carry_out, lang), signed(y.claimed_carry_out, y.allowed_carry_out, _h)),
        ("settlement", L("Ausgleichszahlung", "Settlement payment"),
         na if y.claimed_settlement is None else _m(y.claimed_settlement, lang),
         _m(y.settlement_amount, lang), signed(y.claimed_settlement, y.settlement_amount, _m)),
    ]


def prephase_rows(p: PrePhaseLedger, lang: str) -> list[tuple[str, str, str, str]]:
    L = lambda de, en: _t(lang, de, en)  # noqa: E731
    price = fmt_money(p.price_per_place_month, lang)
    n = len(p.months)
    return [
        ("places", L("Eingekaufte Plätze", "Places purchased"), str(p.places), ""),
        ("minimum_places", L("Mindestplätze", "Minimum places"), _places(p.minimum_places, lang),
         f"{_share(p.minimum_share, lang)} × {p.places} = {_places(p.minimum_places, lang)}"),
        ("monthly_installment", L("Monatlicher Abschlag", "Monthly installment"), _m(p.monthly_installment, lang),
         f"{_places(p.minimum_places, lang)} × {price} = {_m(p.monthly_installment, lang)}"),
        ("minimum_total", L("Mindestvergütung", "Minimum payment"), _m(p.minimum_total, lang),
         L(f"{n} Monate × {_places(p.minimum_places, lang)} × {price} = {_m(p.minimum_total, lang)}",
           f"{n} months × {_places(p.minimum_places, lang)} × {price} = {_m(p.minimum_total, lang)}")),
        ("peak_occupancy", L("Höchste Belegung", "Peak occupancy"), str(p.peak_occupancy),
         L("höchste Zahl an einem Tag aktiver Teilnehmender (participants.csv, VP)",
           "most participants active on one day (participants.csv, VP)")),
        ("total_amount", L("Vergütung nach Belegung", "Payment by occupancy"), _m(p.total_amount, lang),
         L(f"Σ Monate: min(max(Belegung{_sep(lang)}{_places(p.minimum_places, lang)}){_sep(lang)}{p.places}) × {price}",
           f"Σ months: min(max(occupancy, {_places(p.minimum_places, lang)}), {p.places}) × {price}")),
    ]


# --- text -----------------------------------------------------------------------------

def _console() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    console = Console(file=buf, width=120, no_color=True, color_system=None, force_terminal=False,
                      force_jupyter=False, highlight=False, markup=False, emoji=False, soft_wrap=False)
    return console, buf


def _table(title: str | None, columns: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    return table


def _render_text(ledger: Ledger, lang: str, months: bool, years: list[YearLedger], with_rest: bool) -> str:
    L = lambda de, en: _t(lang, de, en)  # noqa: E731
    console, buf = _console()
    if not ledger.contract_id and not ledger.years and not ledger.prephases:
        return L("Kein Vertrag: contract.yaml fehlt oder ist ungültig; kein Stundenkonto berechnet.\n",
                 "No contract: contract.yaml is missing or invalid; no ledger computed.\n")
    cid, group_hours = printable(ledger.contract_id), printable(ledger.group_hours)  # from the bundle
    console.print(L(f"Stundenkonto Vertrag {cid}", f"Hour ledger of contract {cid}"))
    console.print(L(
        f"Parameter: group_hours = {group_hours}, carry_in_may_roll = {'ja' if ledger.carry_in_may_roll else 'nein'}",
        f"Parameters: group_hours = {group_hours}, carry_in_may_roll = {'yes' if ledger.carry_in_may_roll else 'no'}",
    ) + "".join(f", {name} = {fmt_value(list(v) if isinstance(v, tuple) else v, lang)}"
                for name, v in ledger.parameters.items() if name not in ("group_hours", "carry_in_may_roll")))
    if ledger.overrides:  # a relaxed limit is never hidden
        console.print(L("Abweichende Parameter (gelten für diese Berechnung):",
                        "Parameters overridden (in force for this computation):"))
        for o in ledger.overrides:
            console.print(f"  - {printable(o.text(lang))}")
    if not ledger.years:
        console.print(L("Keine Stundenkontingente im Vertrag.", "No hour contingents in the contract."))
    if len(years) > 1:
        console.print()
        summary = _table(L("Übersicht", "Overview"), [
            (L("Jahr", "Year"), "right"), (L("Kontingent", "Contingent"), "right"),
            (L("Übertrag ein", "Carry-in"), "right"), (L("Abrechenbar", "Billable"), "right"),
            (L("Vergütbar", "Payable"), "right"), (L("Mindestabnahme", "Minimum"), "right"),
            (L("Ausgleichszahlung", "Settlement"), "right"), (L("Übertrag aus", "Carry-out"), "right"),
        ])
        for y in years:
            summary.add_row(str(y.year), _h(y.contingent, lang), _h(y.carry_in, lang), _h(y.billable_hours, lang),
                            _h(y.payable_hours, lang), _h(y.minimum_hours, lang), _m(y.settlement_amount, lang),
                            _h(y.allowed_carry_out, lang))
        console.print(summary)
    for y in years:
        console.print()
        table = _table(
            L(f"Vertragsjahr {y.year}: {_d(y.start, lang)} – {_d(y.end, lang)}",
              f"Contract year {y.year}: {_d(y.start, lang)} – {_d(y.end, lang)}"),
            [(L("Position", "Figure"), "left"), (L("Wert", "Value"), "right"), (L("Berechnung", "Calculation"), "left")],
        )
        for _key, label, value, formula in year_rows(y, lang):
            table.add_row(label, value, formula)
        console.print(table)
        if y.has_claim:
            console.print()
            claim = _table(
                L(f"Rechnung (invoice.yaml) für Vertragsjahr {y.year}", f"Invoice (invoice.yaml) for contract year {y.year}"),
                [(L("Position", "Figure"), "left"), (L("Rechnung", "Claimed"), "right"),
                 (L("Berechnet", "Computed"), "right"), (L("Abweichung (Rechnung − berechnet)", "Claimed − computed"), "right")],
            )
            for _key, label, claimed, computed, diff in claim_rows(y, lang):
                claim.add_row(label, claimed, computed, diff)
            console.print(claim)
        if months:
            console.print()
            mt = _table(L(f"Vertragsjahr {y.year} nach Monaten", f"Contract year {y.year} by month"), [
                (L("Monat", "Month"), "left"), (L("Dokumentiert", "Documented"), "right"),
                (L("Nicht erbracht", "Not delivered"), "right"),
                (L("Nicht abrechenbar", "Unbillable"), "right"), (L("Abrechenbar", "Billable"), "right"),
            ])
            for m in y.months:
                mt.add_row(m.month, _h(m.documented, lang), _h(m.not_delivered, lang), _h(m.dropped, lang),
                           _h(m.billable, lang))
            mt.add_row(L("Summe", "Total"), _h(y.documented_hours, lang), _h(y.not_delivered_hours, lang),
                       _h(y.dropped_hours, lang), _h(y.billable_hours, lang))
            console.print(mt)
    if with_rest:
        for p in ledger.prephases:
            console.print()
            table = _table(
                L(f"Vorphase {p.index}: {_d(p.start, lang)} – {_d(p.end, lang)}",
                  f"Pre-phase {p.index}: {_d(p.start, lang)} – {_d(p.end, lang)}"),
                [(L("Position", "Figure"), "left"), (L("Wert", "Value"), "right"),
                 (L("Berechnung", "Calculation"), "left")],
            )
            for _key, label, value, formula in prephase_rows(p, lang):
                table.add_row(label, value, formula)
            console.print(table)
            if p.months_over_places:
                console.print(L(
                    f"Belegung über den eingekauften Plätzen (nicht vergütet) in: {', '.join(p.months_over_places)}",
                    f"Occupancy above the places purchased (not paid) in: {', '.join(p.months_over_places)}"))
            if months:
                console.print()
                mt = _table(L(f"Vorphase {p.index} nach Monaten", f"Pre-phase {p.index} by month"), [
                    (L("Monat", "Month"), "left"), (L("Zeitraum", "Period"), "left"),
                    (L("Belegung", "Occupancy"), "right"), (L("Vergütete Plätze", "Paid places"), "right"),
                    (L("Betrag", "Amount"), "right"),
                ])
                for m in p.months:
                    mt.add_row(m.month, f"{_d(m.first, lang)} – {_d(m.last, lang)}", str(m.occupancy),
                               _places(m.payable_places, lang), _m(m.amount, lang))
                mt.add_row(L("Summe", "Total"), "", "", "", _m(p.total_amount, lang))
                console.print(mt)
        if ledger.unassigned_services:
            console.print()
            more = " …" if len(ledger.unassigned_services) > 10 else ""
            ids = printable(", ".join(ledger.unassigned_services[:10])) + more
            console.print(L(
                f"Leistungen (BP) außerhalb aller Vertragsjahre, keinem Jahr zugerechnet: "
                f"{_h(ledger.unassigned_hours, lang)} ({ids})",
                f"Services (BP) outside every contract year, counted in no year: "
                f"{_h(ledger.unassigned_hours, lang)} ({ids})"))
    if ledger.unmatched_claim_year is not None:
        claimed = int_text(ledger.unmatched_claim_year)
        console.print()
        console.print(L(f"invoice.yaml nennt Vertragsjahr {claimed}, für das kein Kontingent besteht.",
                        f"invoice.yaml names contract year {claimed}, which has no contingent."))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


# --- json ------------------------------------------------------------------------------

def _hs(value) -> str:
    return str(to_decimal(value, 2))


def _ms(value) -> str:
    return str(to_cents(value))


def _opt(value, conv):
    return None if value is None else conv(value)


def year_dict(y: YearLedger, lang: str, months: bool) -> dict:
    out = {
        "year": y.year,
        "start": y.start.isoformat(),
        "end": y.end.isoformat(),
        "contingent_hours": _hs(y.contingent),
        "carry_in_hours": _hs(y.carry_in),
        "available_hours": _hs(y.available),
        "service_count": y.service_count,
        "documented_hours": _hs(y.documented_hours),
        "not_delivered_hours": _hs(y.not_delivered_hours),
        "not_delivered_services": list(y.not_delivered_services),
        "dropped_hours": _hs(y.dropped_hours),
        "dropped_hours_by_rule": {k: _hs(v) for k, v in y.dropped_hours_by_rule.items()},
        "dropped_services": list(y.dropped_services),
        "dropped_amount": _ms(year_stake(y).amount),
        "dropped_amount_by_rule": {k: _ms(a) for k, (_h_, a) in year_stake(y).by_rule.items()},
        "payment_effect": _ms(year_stake(y).payment_effect),
        "billable_hours": _hs(y.billable_hours),
        "payable_hours": _hs(y.payable_hours),
        "minimum_share": str(y.minimum_share),
        "minimum_hours": _hs(y.minimum_hours),
        "price_per_hour": _ms(y.price_per_hour),
        "installment_months": y.installment_months,
        "monthly_installment": _ms(y.monthly_installment),
        "minimum_payment": _ms(y.minimum_payment),
        "settlement_amount": _ms(y.settlement_amount),
        "total_payment": _ms(y.total_payment),
        "carry_in_used": _hs(y.carry_in_used),
        "allowed_carry_out": _hs(y.allowed_carry_out),
        "is_last_year": y.is_last,
        "source": {"file": y.file, "line": y.line},
        "formulas": {key: formula for key, _label, _value, formula in year_rows(y, lang) if formula},
        "claim": None,
    }
    if y.has_claim:
        out["claim"] = {
            "source": {"file": y.claim_file, "line": y.claim_line},
            "billed_hours": _opt(y.claimed_billed_hours, _hs),
            "carry_in_hours": _opt(y.claimed_carry_in, _hs),
            "carry_out_hours": _opt(y.claimed_carry_out, _hs),
            "settlement_amount": _opt(y.claimed_settlement, _ms),
            "billed_hours_diff": _opt(y.billed_hours_diff, _hs),
            "settlement_diff": _opt(y.settlement_diff, _ms),
            "allowed_carry_in": _hs(y.carry_in),
            "allowed_carry_out": _hs(y.allowed_carry_out),
            "carry_in_excess": _opt(y.carry_in_excess, _hs),
            "carry_out_excess": _opt(y.carry_out_excess, _hs),
        }
    if months:
        out["months"] = [
            {"month": m.month, "documented_hours": _hs(m.documented), "not_delivered_hours": _hs(m.not_delivered),
             "dropped_hours": _hs(m.dropped), "billable_hours": _hs(m.billable)}
            for m in y.months
        ]
    return out


def prephase_dict(p: PrePhaseLedger, lang: str, months: bool) -> dict:
    out = {
        "index": p.index,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "places": p.places,
        "price_per_place_month": _ms(p.price_per_place_month),
        "minimum_share": str(p.minimum_share),
        "minimum_places": _hs(p.minimum_places),
        "monthly_installment": _ms(p.monthly_installment),
        "minimum_total": _ms(p.minimum_total),
        "total_amount": _ms(p.total_amount),
        "peak_occupancy": p.peak_occupancy,
        "months_over_places": p.months_over_places,
        "source": {"file": p.file, "line": p.line},
        "formulas": {key: formula for key, _label, _value, formula in prephase_rows(p, lang) if formula},
    }
    if months:
        out["months"] = [
            {"month": m.month, "first": m.first.isoformat(), "last": m.last.isoformat(),
             "occupancy": m.occupancy, "peak_date": m.peak_date.isoformat() if m.peak_date else None,
             "payable_places": _hs(m.payable_places), "amount": _ms(m.amount)}
            for m in p.months
        ]
    return out


def ledger_to_dict(ledger: Ledger, lang: str = "de", months: bool = False, year: int | None = None) -> dict:
    years = _select(ledger, year)
    return {
        "contract_id": ledger.contract_id,
        "parameters": {"group_hours": ledger.group_hours, "carry_in_may_roll": ledger.carry_in_may_roll}
        | {name: plain(v) for name, v in ledger.parameters.items()
           if name not in ("group_hours", "carry_in_may_roll")},
        "parameter_overrides": [o.as_dict() for o in ledger.overrides],
        "years": [year_dict(y, lang, months) for y in years],
        "prephases": [] if year is not None else [prephase_dict(p, lang, months) for p in ledger.prephases],
        "unassigned_hours": _hs(ledger.unassigned_hours),
        "unassigned_services": list(ledger.unassigned_services),
        "unmatched_claim_year": _opt(ledger.unmatched_claim_year, json_int),
    }


# --- csv --------------------------------------------------------------------------------

YEAR_COLUMNS = [
    ("contract_id", "Vertrag", "contract_id"),
    ("year", "Vertragsjahr", "year"),
    ("start", "Beginn", "start"),
    ("end", "Ende", "end"),
    ("contingent", "Kontingent_h", "contingent_hours"),
    ("carry_in", "Übertrag_ein_h", "carry_in_hours"),
    ("available", "Verfügbar_h", "available_hours"),
    ("documented_hours", "Dokumentiert_h", "documented_hours"),
    ("not_delivered_hours", "Nicht_erbracht_h", "not_delivered_hours"),
    ("dropped_hours", "Nicht_abrechenbar_h", "dropped_hours"),
    ("dropped_amount", "Nicht_abrechenbar_Wert_EUR", "dropped_amount_eur"),
    ("billable_hours", "Abrechenbar_h", "billable_hours"),
    ("payable_hours", "Vergütbar_h", "payable_hours"),
    ("minimum_hours", "Mindestabnahme_h", "minimum_hours"),
    ("monthly_installment", "Monatsabschlag_EUR", "monthly_installment_eur"),
    ("minimum_payment", "Mindestvergütung_EUR", "minimum_payment_eur"),
    ("settlement_amount", "Ausgleichszahlung_EUR", "settlement_amount_eur"),
    ("total_payment", "Vergütung_EUR", "total_payment_eur"),
    ("allowed_carry_out", "Übertrag_aus_zulässig_h", "allowed_carry_out_hours"),
    ("payment_effect", "Auswirkung_Befunde_EUR", "payment_effect_eur"),
    ("claimed_billed_hours", "Rechnung_Stunden_h", "claimed_billed_hours"),
    ("claimed_carry_in", "Rechnung_Übertrag_ein_h", "claimed_carry_in_hours"),
    ("claimed_carry_out", "Rechnung_Übertrag_aus_h", "claimed_carry_out_hours"),
    ("claimed_settlement", "Rechnung_Ausgleich_EUR", "claimed_settlement_eur"),
    ("billed_hours_diff", "Abweichung_Stunden_h", "billed_hours_diff"),
    ("settlement_diff", "Abweichung_Ausgleich_EUR", "settlement_diff_eur"),
]
MONTH_COLUMNS = [
    ("contract_id", "Vertrag", "contract_id"),
    ("year", "Vertragsjahr", "year"),
    ("month", "Monat", "month"),
    ("documented", "Dokumentiert_h", "documented_hours"),
    ("not_delivered", "Nicht_erbracht_h", "not_delivered_hours"),
    ("dropped", "Nicht_abrechenbar_h", "dropped_hours"),
    ("billable", "Abrechenbar_h", "billable_hours"),
]
_MONEY = {"monthly_installment", "minimum_payment", "settlement_amount", "total_payment", "claimed_settlement",
          "settlement_diff", "dropped_amount", "payment_effect"}


def _csv_value(key: str, value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return _d(value, lang)
    if isinstance(value, str):
        return csv_cell(value)  # text from the bundle (contract_id): never a formula
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(to_cents(value)) if key in _MONEY else str(to_decimal(value, 2))
    return text.replace(".", ",") if lang == "de" else text


def _render_csv(ledger: Ledger, lang: str, months: bool, years: list[YearLedger]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "de" else ",", lineterminator="\n")
    columns = MONTH_COLUMNS if months else YEAR_COLUMNS
    writer.writerow([de if lang == "de" else en for _key, de, en in columns])
    for y in years:
        if months:
            for m in y.months:
                values = {"contract_id": ledger.contract_id, "year": y.year, "month": m.month,
                          "documented": m.documented, "not_delivered": m.not_delivered, "dropped": m.dropped,
                          "billable": m.billable}
                writer.writerow([_csv_value(k, values[k], lang) for k, _de, _en in columns])
        else:
            stake = year_stake(y)  # the money at stake, as the check reports it (engine/stake.py)
            computed = {"contract_id": ledger.contract_id, "dropped_amount": stake.amount,
                        "payment_effect": stake.payment_effect}
            writer.writerow([_csv_value(k, computed[k] if k in computed else getattr(y, k), lang)
                             for k, _de, _en in columns])
    return valid_utf8(buf.getvalue())


# --- entry point ---------------------------------------------------------------------------

def _select(ledger: Ledger, year: int | None) -> list[YearLedger]:
    if year is None:
        return list(ledger.years)
    chosen = [y for y in ledger.years if y.year == year]
    if not chosen:
        have = ", ".join(str(y.year) for y in ledger.years) or "-"
        raise LedgerYearError(f"no contract year {year} (contract years: {have})")
    return chosen


def render_ledger(ledger: Ledger, fmt: str = "text", lang: str = "de", months: bool = False,
                  year: int | None = None) -> str:
    """Render ``ledger`` as ``text``, ``json`` or ``csv`` in ``lang`` (de|en).

    ``months``: add the per-month figures (CSV: one row per month instead of per
    year). ``year``: only that contract year; raises LedgerYearError (ValueError)
    when the ledger has no such year.
    """
    lang = "en" if lang == "en" else "de"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    years = _select(ledger, year)
    if fmt == "json":
        return json_safe(json.dumps(ledger_to_dict(ledger, lang, months, year), ensure_ascii=False, indent=2)) + "\n"
    if fmt == "csv":
        return _render_csv(ledger, lang, months, years)
    return _render_text(ledger, lang, months, years, with_rest=year is None)
