"""Findings as CSV for a spreadsheet: German ``;`` and decimal comma, UTF-8 with BOM.

Excel takes a CSV without byte order mark for its local code page and garbles
umlauts; with the BOM it reads UTF-8. Text that starts like a formula
(``=``, ``+``, ``-``, ``@``) is prefixed with ``'`` so it stays text.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from engine.report.columns import finding_rows, headers
from engine.report.safe import csv_cell, printable
from engine.report.words import t

BOM = "\ufeff"


def delimiter(lang: str) -> str:
    return ";" if lang == "de" else ","


def cell(value, lang: str) -> str:
    """One CSV cell: empty for None, numbers with the decimal mark of ``lang``, text safe to open."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        text = str(value)
        return text.replace(".", ",") if lang == "de" else text
    # values from the bundle: controls escaped (a terminal showing the file), formulas kept as text
    return csv_cell(printable(str(value)))


def render_findings_csv(results: list, lang: str, titles: dict, failed: list[tuple[str, str]] = ()) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter(lang), lineterminator="\r\n")
    writer.writerow(headers(lang))
    for row in finding_rows(results, lang, titles, failed):
        writer.writerow([cell(v, lang) for v in row])
    return BOM + buf.getvalue()
