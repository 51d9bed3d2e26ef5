"""asa-check template: the provider's workbook to the data contract; the sample .zip and .xlsx bundles."""
import subprocess
import sys
from pathlib import Path

import openpyxl

from engine.check import check_bundle
from engine.read.bundle import _SPECS
from engine.read.values import parse_date
from engine.rules import load_rules
from engine.template import CODES, filled_template
from tests.bundles import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def test_template_has_every_table_with_lists_formats_and_german_instructions(tmp_path):
    target = tmp_path / "vorlage.xlsx"
    r = run("template", target)
    assert r.exit_code == 0 and "Vorlage geschrieben" in r.output
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Anleitung", "contract"] + [s.sheet for s in _SPECS]
    assert "So füllen Sie die Mappe aus:" in [row[0].value for row in wb["Anleitung"].iter_rows()]
    for spec in _SPECS:
        ws = wb[spec.sheet]
        heads = [c.value for c in ws[1]]
        assert heads == [c.name for c in spec.cols]
        lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
                 if dv.type == "list"}
        for j, col in enumerate(spec.cols, 1):
            letter = openpyxl.utils.get_column_letter(j)
            if col.name in CODES:
                assert lists[f"{letter}2"] == '"' + ",".join(CODES[col.name]) + '"', (spec.sheet, col.name)
            if col.parse is parse_date:
                assert ws.column_dimensions[letter].number_format == "DD.MM.YYYY", (spec.sheet, col.name)
        assert ws.freeze_panes == "A2"
    assert wb["services"].column_dimensions["C"].number_format == "HH:MM"  # start
    keys = [c.value for c in wb["contract"]["A"]]
    assert "contract_id" in keys and "#pre_phases.1.start" in keys


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    target = tmp_path / "vorlage.xlsx"
    target.write_text("mine")
    r = run("template", target)
    assert r.exit_code == 2 and "--force" in r.output and target.read_text() == "mine"
    assert run("template", target, "--force").exit_code == 0 and openpyxl.load_workbook(target)
    assert run("template", tmp_path / "vorlage.csv").exit_code == 2


def test_the_empty_template_says_what_is_missing(tmp_path):
    run("template", tmp_path / "leer.xlsx")
    r = run("check", tmp_path / "leer.xlsx")
    assert r.exit_code == 2 and "contract_id: Pflichtangabe fehlt" in r.output


def test_the_template_filled_with_the_compliant_data_checks_clean(tmp_path):
    target = tmp_path / "filled.xlsx"
    target.write_bytes(filled_template(FIX / "compliant"))
    result = check_bundle(target, load_rules())
    assert result.findings == [] and result.facts_checked > 1000


def test_sample_zip_and_workbook_are_current_and_check_as_their_folders():
    proc = subprocess.run([sys.executable, str(FIX / "make_samples.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rules = load_rules()
    assert check_bundle(FIX / "compliant.xlsx", rules).findings == []
    zipped = check_bundle(FIX / "violating.zip", rules)
    folder = check_bundle(FIX / "violating", rules)
    assert [f.id for f in zipped.findings] == [f.id for f in folder.findings]
