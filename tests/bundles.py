"""Small hand-made bundles for tests: a copy of a fixture with files edited."""
from __future__ import annotations

import shutil
from pathlib import Path

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def copy_fixture(tmp_path: Path, name: str = "compliant", to: str = "b") -> Path:
    d = tmp_path / to
    shutil.copytree(FIX / name, d)
    return d


def replace(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file; the test fails if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def input_problems(result, file: str | None = None) -> list:
    """ASA-INPUT findings of a check result, optionally of one file."""
    return [f for f in result.findings if f.rule == "ASA-INPUT" and (file is None or f.location.file == file)]


def errors(result) -> list[tuple[str, str, int]]:
    """(rule, file, line) of every error, to compare runs."""
    return sorted((f.rule, f.location.file, f.location.line) for f in result.findings if f.severity == "error")


def workbook(path: Path, fixture: str = "compliant", contract_rows=None, edit=None) -> Path:
    """The fixture's CSV files as sheets of ``path``; ``contract.yaml`` copied beside it unless
    ``contract_rows`` (key, value) give a contract sheet; ``edit(wb)`` may change the workbook."""
    import csv

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for f in sorted((FIX / fixture).glob("*.csv")):
        ws = wb.create_sheet(f.stem)
        with open(f, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                ws.append(row)
    if contract_rows is not None:
        ws = wb.create_sheet("contract")
        for row in contract_rows:
            ws.append(list(row))
    else:
        shutil.copy(FIX / fixture / "contract.yaml", path.parent / "contract.yaml")
    if edit:
        edit(wb)
    wb.save(path)
    return path


# the compliant fixture's contract as a contract sheet
CONTRACT_ROWS = [
    ("contract_id", "955-0042-21"), ("provider_id", "T-0042"),
    ("pre_phases.1.start", "2021-03-01"), ("pre_phases.1.end", "2021-08-31"), ("pre_phases.1.places", 20),
    ("pre_phases.1.price_per_place_month", 480), ("pre_phases.1.staffing.AB", 12),
    ("pre_phases.1.staffing.SP", 24), ("pre_phases.1.staffing.LK", 24),
    ("accompanying_phase.start", "2021-09-01"), ("accompanying_phase.end", "2024-08-31"),
    ("accompanying_phase.extension.start", "2024-09-01"), ("accompanying_phase.extension.end", "2026-08-31"),
    ("accompanying_phase.price_per_hour", 62.5), ("accompanying_phase.minimum_share", 0.7),
] + [(f"accompanying_phase.contingents.{n}.{k}", v) for n, start, end in
     ((1, "2021-09-01", "2022-08-31"), (2, "2022-09-01", "2023-08-31"), (3, "2023-09-01", "2024-08-31"))
     for k, v in (("year", n), ("start", start), ("end", end), ("hours", 4000))]


def run_cli(*args):
    """asa-check's CLI in this process, every argument as text."""
    from click.testing import CliRunner

    from cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def one_report(doc: dict) -> dict:
    """A one-bundle JSON report (schemas/report.py: submissions is always a list) with its run's keys."""
    [sub] = doc["submissions"]
    return {**doc, **sub}
