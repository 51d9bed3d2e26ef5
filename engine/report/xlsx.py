"""Findings as an Excel workbook (.xlsx): findings, a summary per bundle, the hour ledger.

- ``Befunde`` (Findings): one row per finding, columns from ``FINDING_COLUMNS``,
  autofilter over the table, header row frozen.
- ``Übersicht`` (Summary): one row per bundle: counts by severity, findings
  not listed, parameter overrides in force, bundles not checked.
- ``Stundenkonto`` (Ledger): one row per contract year of every bundle with a contract.

Every text cell is stored as text (never a formula, whatever it starts with),
with control characters escaped (XML cannot hold them).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from engine.report.columns import finding_rows, headers
from engine.ledger import to_cents, to_decimal
from engine.report.ledger import MONEY_COLUMNS, YEAR_COLUMNS, column_headers, year_values
from engine.report.safe import printable
from engine.report.words import rules_version_text, t

DATE_FORMAT = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
NUMBER_FORMAT = "#,##0.00"


def _put(ws, row: int, column: int, value, lang: str) -> None:
    c = ws.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str):
        c.value = printable(value)
        c.data_type = "s"  # openpyxl takes text starting with "=" for a formula; it stays text
    elif isinstance(value, bool):
        c.value = t("yes" if value else "no", lang)
        c.data_type = "s"
    elif isinstance(value, date):
        c.value = value
        c.number_format = DATE_FORMAT[lang]
    elif isinstance(value, (int, float, Decimal)):
        c.value = value
        if not isinstance(value, int):
            c.number_format = NUMBER_FORMAT
    else:
        c.value = printable(str(value))
        c.data_type = "s"


def _table(ws, head: list[str], rows: list[list], lang: str, widths: dict[int, int] | None = None) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for j, text in enumerate(head, 1):
        _put(ws, 1, j, text, lang)
        ws.cell(row=1, column=j).font = Font(bold=True)
    for i, row in enumerate(rows, 2):
        for j, value in enumerate(row, 1):
            _put(ws, i, j, value, lang)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(len(rows) + 1, 1)}"
    for j, text in enumerate(head, 1):
        width = (widths or {}).get(j, max(10, min(40, len(text) + 2)))
        ws.column_dimensions[get_column_letter(j)].width = width


def _summary_rows(results: list, lang: str, failed) -> list[list]:
    rows = []
    for r in results:
        s = r.summary()
        omitted = sum(sum(v.values()) for v in r.omitted.values())
        overrides = "; ".join(a.text(lang) for a in r.overrides)
        rows.append([r.submission, t("checked", lang), s["error"], s["warning"], s["info"], omitted,
                     overrides, rules_version_text(r.rules_version, lang)])
    for name, why in failed:
        rows.append([name, f"{t('bundle_not_checked', lang)}: {why}", None, None, None, None, "", ""])
    return rows


SUMMARY_WORDS = ["col_submission", "col_status", "errors", "warnings", "infos", "col_not_listed",
                 "overrides", "rules"]


def _ledger_rows(results: list) -> list[list]:
    rows = []
    for r in results:
        if r.ledger is None:
            continue
        for y in r.ledger.years:
            rows.append([r.submission] + [_ledger_value(key, value) for key, value
                                          in zip(YEAR_COLUMNS, year_values(r.ledger, y))])
    return rows


def _ledger_value(key: str, value):
    """A ledger figure as a cell value: money to the cent, hours to two places (as the ledger's CSV)."""
    if value is None or isinstance(value, (str, date, int)):
        return value
    return to_cents(value) if key in MONEY_COLUMNS else to_decimal(value, 2)


def stable_zip(data: bytes, when: date | None) -> bytes:
    """The workbook with fixed times (zip entries; created/modified: ``when`` or 2000-01-01):
    the same check gives the same bytes (``--as-of``), whenever it runs."""
    stamp = (when or date(2000, 1, 1)).isoformat() + "T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            dst.writestr(entry, body)
    return out.getvalue()


def render_findings_xlsx(results: list, lang: str, titles: dict, failed: list[tuple[str, str]] = (),
                         when: date | None = None) -> bytes:
    """``when``: the check date (``--as-of``), the workbook's created/modified time."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_findings", lang)
    _table(ws, headers(lang), finding_rows(results, lang, titles, failed), lang,
           widths={4: 40, 10: 80, 11: 40})
    _table(wb.create_sheet(t("sheet_summary", lang)), [t(w, lang) for w in SUMMARY_WORDS],
           _summary_rows(results, lang, failed), lang, widths={1: 30, 2: 20, 7: 60, 8: 30})
    ledger_head = [t("col_submission", lang)] + column_headers(YEAR_COLUMNS, lang)
    _table(wb.create_sheet(t("sheet_ledger", lang)), ledger_head, _ledger_rows(results), lang)
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue(), when)
