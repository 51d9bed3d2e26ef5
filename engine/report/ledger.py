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
  no thousands separators; headers in ``lang``; UTF-8 with byte order mark
  (so Excel reads the umlauts right). Vorphasen are not part of the
  CSV (other columns); use text or JSON for them.

``year`` limits the output to that contract year (Vorphasen are left out);
an unknown year raises ``LedgerYearError`` (a ``ValueError``).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from rich import box
from rich.console import Console
from rich.table import Table

from engine.ledger import Ledger, PrePhaseLedger, YearLedger, to_cents, to_decimal
from engine.parameters import plain
from engine.report.ledger_rows import (cents_str, claim_rows, date_text, hours_str, hours_text, money_text,
                                       places_text, prephase_rows, year_rows)
from engine.report.messages import fmt_value
from engine.report.safe import csv_cell, int_text, json_int, json_safe, printable, valid_utf8
from engine.report.words import t
from engine.audit.stake import year_stake

FORMATS = ("text", "json", "csv")


class LedgerYearError(ValueError):
    pass


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
    def word(key: str, **values) -> str:
        return t(key, lang).format(**values) if values else t(key, lang)

    def columns(*spec: tuple[str, str]) -> list[tuple[str, str]]:
        return [(word(key), justify) for key, justify in spec]

    def hours(value) -> str:
        return hours_text(value, lang)

    def money(value) -> str:
        return money_text(value, lang)

    def period(first: date, last: date) -> str:
        return f"{date_text(first, lang)} – {date_text(last, lang)}"

    figure_columns = columns(("lg_col_figure", "left"), ("lg_col_value", "right"), ("lg_col_calculation", "left"))
    console, buf = _console()
    if not ledger.contract_id and not ledger.years and not ledger.prephases:
        return word("lg_no_contract") + "\n"
    cid, group_hours = printable(ledger.contract_id), printable(ledger.group_hours)  # from the bundle
    console.print(word("lg_title", contract=cid))
    console.print(f"{word('lg_parameters')}: group_hours = {group_hours}, carry_in_may_roll = "
                  f"{word('yes' if ledger.carry_in_may_roll else 'no')}"
                  + "".join(f", {name} = {fmt_value(list(v) if isinstance(v, tuple) else v, lang)}"
                            for name, v in ledger.parameters.items()
                            if name not in ("group_hours", "carry_in_may_roll")))
    if ledger.overrides:  # a relaxed limit is never hidden
        console.print(word("lg_overrides"))
        for o in ledger.overrides:
            console.print(f"  - {printable(o.text(lang))}")
    if not ledger.years:
        console.print(word("lg_no_contingents"))
    if len(years) > 1:
        console.print()
        summary = _table(word("lg_overview"), columns(
            ("lg_col_year", "right"), ("lg_col_contingent", "right"), ("lg_col_carry_in", "right"),
            ("lg_col_billable", "right"), ("lg_col_payable", "right"), ("lg_col_minimum", "right"),
            ("lg_col_settlement", "right"), ("lg_col_carry_out", "right")))
        for y in years:
            summary.add_row(str(y.year), hours(y.contingent), hours(y.carry_in), hours(y.billable_hours),
                            hours(y.payable_hours), hours(y.minimum_hours), money(y.settlement_amount),
                            hours(y.allowed_carry_out))
        console.print(summary)
    for y in years:
        console.print()
        table = _table(word("lg_year_title", year=y.year, start=date_text(y.start, lang), end=date_text(y.end, lang)),
                       figure_columns)
        for _key, label, value, formula in year_rows(y, lang):
            table.add_row(label, value, formula)
        console.print(table)
        if y.has_claim:
            console.print()
            claim = _table(word("lg_claim_title", year=y.year), columns(
                ("lg_col_figure", "left"), ("lg_col_claimed", "right"), ("lg_col_computed", "right"),
                ("lg_col_claim_diff", "right")))
            for _key, label, claimed, computed, diff in claim_rows(y, lang):
                claim.add_row(label, claimed, computed, diff)
            console.print(claim)
        if months:
            console.print()
            month_table = _table(word("lg_year_months_title", year=y.year), columns(
                ("lg_col_month", "left"), ("lg_col_documented", "right"), ("lg_col_not_delivered", "right"),
                ("lg_col_dropped", "right"), ("lg_col_billable", "right")))
            for m in y.months:
                month_table.add_row(m.month, hours(m.documented), hours(m.not_delivered), hours(m.dropped),
                                    hours(m.billable))
            month_table.add_row(word("lg_total"), hours(y.documented_hours), hours(y.not_delivered_hours),
                                hours(y.dropped_hours), hours(y.billable_hours))
            console.print(month_table)
    if with_rest:
        for p in ledger.prephases:
            console.print()
            table = _table(word("lg_prephase_title", index=p.index, start=date_text(p.start, lang),
                                end=date_text(p.end, lang)), figure_columns)
            for _key, label, value, formula in prephase_rows(p, lang):
                table.add_row(label, value, formula)
            console.print(table)
            if p.months_over_places:
                console.print(word("lg_over_places", months=", ".join(p.months_over_places)))
            if months:
                console.print()
                month_table = _table(word("lg_prephase_months_title", index=p.index), columns(
                    ("lg_col_month", "left"), ("lg_col_period", "left"), ("lg_col_occupancy", "right"),
                    ("lg_col_paid_places", "right"), ("lg_col_amount", "right")))
                for m in p.months:
                    month_table.add_row(m.month, period(m.first, m.last), str(m.occupancy),
                                        places_text(m.payable_places, lang), money(m.amount))
                month_table.add_row(word("lg_total"), "", "", "", money(p.total_amount))
                console.print(month_table)
        if ledger.unassigned_services:
            console.print()
            more = " …" if len(ledger.unassigned_services) > 10 else ""
            ids = printable(", ".join(ledger.unassigned_services[:10])) + more
            console.print(word("lg_unassigned", hours=hours(ledger.unassigned_hours), ids=ids))
    if ledger.unmatched_claim_year is not None:
        console.print()
        console.print(word("lg_unmatched_claim_year", year=int_text(ledger.unmatched_claim_year)))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


# --- json ------------------------------------------------------------------------------

def _or_none(value, as_str):
    return None if value is None else as_str(value)


def year_dict(y: YearLedger, lang: str, months: bool) -> dict:
    out = {
        "year": y.year,
        "start": y.start.isoformat(),
        "end": y.end.isoformat(),
        "contingent_hours": hours_str(y.contingent),
        "carry_in_hours": hours_str(y.carry_in),
        "available_hours": hours_str(y.available),
        "service_count": y.service_count,
        "documented_hours": hours_str(y.documented_hours),
        "not_delivered_hours": hours_str(y.not_delivered_hours),
        "not_delivered_services": list(y.not_delivered_services),
        "dropped_hours": hours_str(y.dropped_hours),
        "dropped_hours_by_rule": {k: hours_str(v) for k, v in y.dropped_hours_by_rule.items()},
        "dropped_services": list(y.dropped_services),
        "dropped_amount": cents_str(year_stake(y).amount),
        "dropped_amount_by_rule": {k: cents_str(a) for k, (_hours, a) in year_stake(y).by_rule.items()},
        "payment_effect": cents_str(year_stake(y).payment_effect),
        "billable_hours": hours_str(y.billable_hours),
        "payable_hours": hours_str(y.payable_hours),
        "minimum_share": str(y.minimum_share),
        "minimum_hours": hours_str(y.minimum_hours),
        "price_per_hour": cents_str(y.price_per_hour),
        "installment_months": y.installment_months,
        "monthly_installment": cents_str(y.monthly_installment),
        "minimum_payment": cents_str(y.minimum_payment),
        "settlement_amount": cents_str(y.settlement_amount),
        "total_payment": cents_str(y.total_payment),
        "carry_in_used": hours_str(y.carry_in_used),
        "allowed_carry_out": hours_str(y.allowed_carry_out),
        "is_last_year": y.is_last,
        "source": {"file": y.file, "line": y.line},
        "formulas": {key: formula for key, _label, _value, formula in year_rows(y, lang) if formula},
        "claim": None,
    }
    if y.has_claim:
        out["claim"] = {
            "source": {"file": y.claim_file, "line": y.claim_line},
            "billed_hours": _or_none(y.claimed_billed_hours, hours_str),
            "carry_in_hours": _or_none(y.claimed_carry_in, hours_str),
            "carry_out_hours": _or_none(y.claimed_carry_out, hours_str),
            "settlement_amount": _or_none(y.claimed_settlement, cents_str),
            "billed_hours_diff": _or_none(y.billed_hours_diff, hours_str),
            "settlement_diff": _or_none(y.settlement_diff, cents_str),
            "allowed_carry_in": hours_str(y.carry_in),
            "allowed_carry_out": hours_str(y.allowed_carry_out),
            "carry_in_excess": _or_none(y.carry_in_excess, hours_str),
            "carry_out_excess": _or_none(y.carry_out_excess, hours_str),
        }
    if months:
        out["months"] = [
            {"month": m.month, "documented_hours": hours_str(m.documented), "not_delivered_hours": hours_str(m.not_delivered),
             "dropped_hours": hours_str(m.dropped), "billable_hours": hours_str(m.billable)}
            for m in y.months
        ]
    return out


def prephase_dict(p: PrePhaseLedger, lang: str, months: bool) -> dict:
    out = {
        "index": p.index,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "places": p.places,
        "price_per_place_month": cents_str(p.price_per_place_month),
        "minimum_share": str(p.minimum_share),
        "minimum_places": hours_str(p.minimum_places),
        "monthly_installment": cents_str(p.monthly_installment),
        "minimum_total": cents_str(p.minimum_total),
        "total_amount": cents_str(p.total_amount),
        "peak_occupancy": p.peak_occupancy,
        "months_over_places": p.months_over_places,
        "source": {"file": p.file, "line": p.line},
        "formulas": {key: formula for key, _label, _value, formula in prephase_rows(p, lang) if formula},
    }
    if months:
        out["months"] = [
            {"month": m.month, "first": m.first.isoformat(), "last": m.last.isoformat(),
             "occupancy": m.occupancy, "peak_date": m.peak_date.isoformat() if m.peak_date else None,
             "payable_places": hours_str(m.payable_places), "amount": cents_str(m.amount)}
            for m in p.months
        ]
    return out


def ledger_to_dict(ledger: Ledger, lang: str = "de", months: bool = False, year: int | None = None) -> dict:
    years = _select(ledger, year, lang)
    return {
        "contract_id": ledger.contract_id,
        "parameters": {"group_hours": ledger.group_hours, "carry_in_may_roll": ledger.carry_in_may_roll}
        | {name: plain(v) for name, v in ledger.parameters.items()
           if name not in ("group_hours", "carry_in_may_roll")},
        "parameter_overrides": [o.as_dict() for o in ledger.overrides],
        "years": [year_dict(y, lang, months) for y in years],
        "prephases": [] if year is not None else [prephase_dict(p, lang, months) for p in ledger.prephases],
        "unassigned_hours": hours_str(ledger.unassigned_hours),
        "unassigned_services": list(ledger.unassigned_services),
        "unmatched_claim_year": _or_none(ledger.unmatched_claim_year, json_int),
    }


# --- csv --------------------------------------------------------------------------------

# column keys; the headers are the words "lgcol_<key>" of engine/report/words.py
YEAR_COLUMNS = (
    "contract_id", "year", "start", "end", "contingent", "carry_in", "available", "documented_hours",
    "not_delivered_hours", "dropped_hours", "dropped_amount", "billable_hours", "payable_hours", "minimum_hours",
    "monthly_installment", "minimum_payment", "settlement_amount", "total_payment", "allowed_carry_out",
    "payment_effect", "claimed_billed_hours", "claimed_carry_in", "claimed_carry_out", "claimed_settlement",
    "billed_hours_diff", "settlement_diff",
)
MONTH_COLUMNS = ("contract_id", "year", "month", "documented_hours", "not_delivered_hours", "dropped_hours",
                 "billable_hours")
MONEY_COLUMNS = {"monthly_installment", "minimum_payment", "settlement_amount", "total_payment", "claimed_settlement",
                 "settlement_diff", "dropped_amount", "payment_effect"}


def column_headers(columns, lang: str) -> list[str]:
    return [t(f"lgcol_{key}", lang) for key in columns]


def _csv_value(key: str, value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return date_text(value, lang)
    if isinstance(value, str):
        # text from the bundle (contract_id): never a formula, no control reaches a terminal showing the CSV
        return csv_cell(printable(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(to_cents(value)) if key in MONEY_COLUMNS else str(to_decimal(value, 2))
    return text.replace(".", ",") if lang == "de" else text


def year_values(ledger: Ledger, y: YearLedger) -> list:
    """The values of ``YEAR_COLUMNS`` for one contract year (raw: dates, Fractions, Decimals, text)."""
    stake = year_stake(y)  # the money at stake, as the check reports it (engine/audit/stake.py)
    computed = {"contract_id": ledger.contract_id, "dropped_amount": stake.amount,
                "payment_effect": stake.payment_effect}
    return [computed[k] if k in computed else getattr(y, k) for k in YEAR_COLUMNS]


def year_row(ledger: Ledger, y: YearLedger, lang: str) -> list[str]:
    return [_csv_value(k, v, lang) for k, v in zip(YEAR_COLUMNS, year_values(ledger, y))]


def _render_csv(ledger: Ledger, lang: str, months: bool, years: list[YearLedger]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if lang == "de" else ",", lineterminator="\n")
    columns = MONTH_COLUMNS if months else YEAR_COLUMNS
    writer.writerow(column_headers(columns, lang))
    for y in years:
        if months:
            for m in y.months:
                values = {"contract_id": ledger.contract_id, "year": y.year, "month": m.month,
                          "documented_hours": m.documented, "not_delivered_hours": m.not_delivered,
                          "dropped_hours": m.dropped, "billable_hours": m.billable}
                writer.writerow([_csv_value(k, values[k], lang) for k in columns])
        else:
            writer.writerow(year_row(ledger, y, lang))
    # with the byte order mark Excel reads UTF-8 (without it, its code page: umlauts garbled)
    return "\ufeff" + valid_utf8(buf.getvalue())


# --- entry point ---------------------------------------------------------------------------

def _select(ledger: Ledger, year: int | None, lang: str) -> list[YearLedger]:
    if year is None:
        return list(ledger.years)
    chosen = [y for y in ledger.years if y.year == year]
    if not chosen:
        have = ", ".join(str(y.year) for y in ledger.years) or "-"
        raise LedgerYearError(t("lg_no_such_year", lang).format(year=year, have=have))
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
    years = _select(ledger, year, lang)
    if fmt == "json":
        return json_safe(json.dumps(ledger_to_dict(ledger, lang, months, year), ensure_ascii=False, indent=2)) + "\n"
    if fmt == "csv":
        return _render_csv(ledger, lang, months, years)
    return _render_text(ledger, lang, months, years, with_rest=year is None)
