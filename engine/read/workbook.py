"""Workbook (.xlsx) bundles: sheets found by name, rows over their real extent.

A read-only openpyxl sheet trusts the range its file declares and drops rows
and columns outside it; here the declared range is ignored. Sheets whose
titles differ only in case or outer spaces are ambiguous; hidden sheets are
read with a warning.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Optional

from engine.read.contract import sheet_tree
from engine.read.limits import MAX_COLUMNS, BundleError, Limits, Problems
from engine.read.containers import ambiguous, check_workbook_zip, safe_name
from engine.read.values import cell_text

MAX_SHEET_ROWS = 1_048_576  # Excel's last row; a sheet's XML may claim row numbers far beyond


def sheet_rows(ws, file: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` of a data sheet, over its real extent.

    A read-only sheet trusts the range its file declares and drops rows and
    columns outside it; the declared range is ignored here. The header row is
    yielded at its full width (so columns past ``MAX_COLUMNS`` are reported),
    data rows up to ``MAX_COLUMNS``.
    """
    ws.reset_dimensions()
    header_line = 0
    for line, row in _rows(ws, file, problems, None):
        if any(v is not None and cell_text(v).strip() for v in row):
            header_line = line
            yield line, [cell_text(v) for v in row]
            break
    if not header_line:
        return
    for line, row in _rows(ws, file, problems, MAX_COLUMNS):
        if line <= header_line:
            continue
        yield line, [] if row.count(None) == len(row) else [cell_text(v) for v in row]


def _rows(ws, file: str, problems: Problems, max_col: Optional[int]) -> Iterator[tuple[int, tuple]]:
    """openpyxl's rows, stopping with a problem (not a crash) at a row it cannot parse or past Excel's last row."""
    rows = ws.iter_rows(min_row=1, max_col=max_col, values_only=True)
    line = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except MemoryError:  # the worker reports it for the bundle
            raise
        except Exception as e:  # noqa: BLE001 - e.g. a number cell with thousands of digits
            problems.add(file, line + 1, "", f"Tabellenblatt ab Zeile {line + 1} nicht lesbar "
                         f"({type(e).__name__}); der Rest wird nicht gelesen",
                         f"sheet not readable from row {line + 1} on ({type(e).__name__}); the rest is not read",
                         always=True)
            return
        line += 1
        if line > MAX_SHEET_ROWS:
            problems.add(file, line, "", f"Zeilen nach Zeile {MAX_SHEET_ROWS} (der letzten in Excel) werden "
                         "nicht gelesen", f"rows after row {MAX_SHEET_ROWS} (Excel's last) are not read",
                         always=True)
            return
        yield line, row


def open_workbook(path: Path, limits: Limits):
    """Open a workbook read-only (streaming), after the same zip-bomb checks as a zip bundle."""
    import openpyxl  # imported here: only workbook bundles need it

    label = safe_name(path.name)
    try:
        check_workbook_zip(path, label, limits.max_file_bytes)
        # data_only: a formula cell is read as its last computed value
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BundleError, MemoryError):
        raise
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise BundleError(f'"{label}" ist keine lesbare .xlsx-Datei ({type(e).__name__})',
                          f'"{label}" is not a readable .xlsx file ({type(e).__name__})') from None


def worksheets(wb, problems: Problems) -> dict[str, Any]:
    """Worksheets by lower-case title; titles that differ only in case or outer spaces are ambiguous.

    Of such titles, the exact one (``services``) is read, else the first in the
    workbook. A hidden sheet is read, with a warning: whoever opens the
    workbook does not see it.
    """
    groups: dict[str, list] = {}
    for ws in wb.worksheets:
        groups.setdefault(ws.title.strip().lower(), []).append(ws)
    sheets = {}
    for key, group in groups.items():
        group.sort(key=lambda ws: ws.title != key)  # stable: otherwise workbook order
        if len(group) > 1:
            ambiguous(problems, [ws.title for ws in group], key)
        sheets[key] = group[0]
        if group[0].sheet_state != "visible":
            problems.add(safe_name(group[0].title), 0, "", "Tabellenblatt ist ausgeblendet",
                         "sheet is hidden", severity="warning")
    return sheets


def key_values(ws, problems: Problems):
    """The contract or invoice sheet as a tree, over its real extent."""
    ws.reset_dimensions()
    title = safe_name(ws.title)
    return sheet_tree(_rows(ws, title, problems, 2), title, problems)
