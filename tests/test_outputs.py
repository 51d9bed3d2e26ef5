"""-o/--output: several reports in one run, format from the extension, all files or none; CSV and xlsx safe."""
import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
FORMULA_ID = '=HYPERLINK("http://evil.example","Übung")'


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def formula_bundle(tmp_path_factory) -> Path:
    """The violating sample with a service id that a spreadsheet would take for a formula."""
    bundle = tmp_path_factory.mktemp("formula") / "formel-ä"
    shutil.copytree(FIX / "violating", bundle)
    path = bundle / "services.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row[0] == "LN-00415":  # a service with a finding (ASA-ABSENCE-BILLING)
            row[0] = FORMULA_ID
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return bundle


def test_several_formats_in_one_run(tmp_path):
    names = ["r.json", "r.sarif", "r.xml", "r.html", "f.csv", "f.xlsx", "r.md", "r.txt"]
    r = run("check", FIX / "violating", *[a for n in names for a in ("-o", tmp_path / n)], "--format", "json")
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout)["summary"] == {"error": 31, "warning": 4, "info": 2}  # stdout as before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temporary file left
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["error"] == 31
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    assert ET.parse(tmp_path / "r.xml").getroot().tag == "testsuites"
    assert "<html" in (tmp_path / "r.html").read_text()
    assert "Zusammenfassung: 31 Fehler" in (tmp_path / "r.txt").read_text()
    assert (tmp_path / "r.md").read_text().startswith("# Prüfbericht AsA flex")
    assert zipfile.is_zipfile(tmp_path / "f.xlsx")


def test_unknown_extension_or_missing_folder_is_a_usage_error_and_nothing_is_written(tmp_path):
    for bad in (tmp_path / "r.pdf", tmp_path / "nowhere" / "r.json", tmp_path / "r.JSON"):
        r = run("check", FIX / "violating", "-o", tmp_path / "ok.json", "-o", bad, "-o", bad)
        assert r.exit_code == 2 and "Traceback" not in r.output
        assert not (tmp_path / "ok.json").exists()
    assert "Endung .pdf" in run("check", FIX / "violating", "-o", tmp_path / "r.pdf").output


def test_a_failed_run_leaves_no_file_and_an_old_report_intact(tmp_path):
    old = tmp_path / "r.json"
    old.write_text("old")
    r = run("check", tmp_path / "does-not-exist", "-o", old, "-o", tmp_path / "f.xlsx")
    assert r.exit_code == 2
    assert old.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_write_all_writes_every_file_or_none(tmp_path):
    from engine.report.outputs import write_all

    with pytest.raises(OSError):
        write_all([(tmp_path / "a.json", b"{}"), (tmp_path / "gone" / "b.csv", b"x")])
    assert list(tmp_path.iterdir()) == []
    write_all([(tmp_path / "a.json", b"{}"), (tmp_path / "b.csv", b"x")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.csv"]


def _csv_rows(path: Path, sep: str) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the umlauts right
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=sep))


def test_findings_csv_german_and_english(formula_bundle, tmp_path):
    run("check", formula_bundle, "-o", tmp_path / "de.csv")
    run("check", formula_bundle, "-o", tmp_path / "en.csv", "--lang", "en")
    de = _csv_rows(tmp_path / "de.csv", ";")
    assert len(de) == 31 + 4 + 2
    [evil] = [row for row in de if row["Datensatz"].startswith("'=")]
    assert evil["Datensatz"] == "'" + FORMULA_ID  # stays text, umlaut intact
    assert evil["Einreichung"] == "formel-ä" and evil["Datensatzart"] == "Leistung"
    assert evil["Schwere"] == "Hinweis" and "Träger" in evil["Titel"]
    assert not any(v.startswith(("=", "+", "-", "@")) for row in de for v in row.values() if v)
    en = _csv_rows(tmp_path / "en.csv", ",")
    assert {row["severity"] for row in en} == {"error", "warning", "info"}
    assert list(en[0])[:3] == ["submission", "rule", "severity"]


def test_findings_xlsx_keeps_formula_text_as_text(formula_bundle, tmp_path):
    import openpyxl

    target = tmp_path / "f.xlsx"
    run("check", formula_bundle, "-o", target)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Befunde", "Übersicht", "Stundenkonto"]
    ws = wb["Befunde"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:P38"
    head = [c.value for c in ws[1]]
    assert head[:3] == ["Einreichung", "Regel", "Schwere"]
    cells = [c for row in ws.iter_rows() for c in row]
    [evil] = [c for c in cells if c.value == FORMULA_ID]
    assert evil.data_type == "s"
    assert not [c for sheet in wb for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    with zipfile.ZipFile(target) as z:  # no formula element in any sheet
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if "worksheets" in n)
    summary = [[c.value for c in row] for row in wb["Übersicht"].iter_rows()]
    assert summary[1][:5] == ["formel-ä", "geprüft", 31, 4, 2]
    ledger = [[c.value for c in row] for row in wb["Stundenkonto"].iter_rows()]
    assert ledger[0][:3] == ["Einreichung", "Vertrag", "Vertragsjahr"] and len(ledger) == 1 + 3


def test_markdown_escapes_markup(formula_bundle, tmp_path):
    run("check", formula_bundle, "-o", tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text()
    assert "=HYPERLINK(\"http://evil.example\",\"Übung\")" in text and "<" not in text.replace("\\<", "")


# --- selection and noise -----------------------------------------------------------------------

def _summary(*args) -> tuple[int, dict, list]:
    r = run("check", FIX / "violating", "--format", "json", *args)
    [sub] = json.loads(r.stdout)["submissions"]
    return r.exit_code, sub["summary"], [f["rule"] for f in sub["findings"]]


def test_rule_and_skip_rule_select_rules_by_id_or_glob():
    code, summary, rules = _summary("--rule", "ASA-GROUP-*", "--rule", "asa-double-booking")
    assert set(rules) == {"ASA-GROUP-SIZE", "ASA-GROUP-INDIVIDUAL", "ASA-DOUBLE-BOOKING"} and code == 1
    assert summary["error"] == len(rules)
    code, summary, rules = _summary("--skip-rule", "ASA-*")
    assert rules == [] and code == 0
    r = run("check", FIX / "violating", "--rule", "ASA-NO-SUCH-*")
    assert r.exit_code == 2 and "keine Regel passt zu: ASA-NO-SUCH-*" in r.output


def test_min_severity_lists_less_but_counts_and_fails_on_all():
    code, summary, rules = _summary("--min-severity", "error", "--fail-on", "info")
    assert summary == {"error": 31, "warning": 4, "info": 2} and code == 1
    assert len(rules) == 31
    text = run("check", FIX / "violating", "--min-severity", "warning").output
    assert "HINWEIS" not in text and "WARNUNG" in text


def test_quiet_prints_the_summary_only():
    r = run("check", FIX / "violating", FIX / "compliant", "--quiet")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "Einreichung violating: 31 Fehler, 4 Warnungen, 2 Hinweise"
    assert "ASA-" not in r.stdout and len(lines) == 2 + 4  # two lines, then the overview


def test_no_color_env_and_flag(monkeypatch):
    import cli

    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._use_color(None) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_color(None) is False and cli._use_color(True) is True
    assert cli._use_color(False) is False


# --- discovery ---------------------------------------------------------------------------------

def test_discovery_depth_hidden_folders_and_a_folder_without_bundles(tmp_path):
    shutil.copytree(FIX / "compliant", tmp_path / "a" / "b" / "deep")
    shutil.copytree(FIX / "compliant", tmp_path / "a" / "near")
    shutil.copytree(FIX / "compliant", tmp_path / ".hidden" / "c")
    r = run("check", tmp_path, "--quiet")
    assert r.exit_code == 0 and "Einreichung near:" in r.stdout and "deep" not in r.stdout
    assert "versteckter Ordner nicht durchsucht" in r.stderr and ".hidden" in r.stderr
    assert "1 Ordner tiefer als --max-depth 2 nicht durchsucht" in r.stderr
    r = run("check", tmp_path, "--quiet", "--max-depth", "3")
    assert "Einreichung deep:" in r.stdout
    (tmp_path / "empty").mkdir()
    r = run("check", tmp_path / "empty")
    assert r.exit_code == 2 and "keine Einreichung in diesem Ordner" in r.output and "contract.yaml" in r.output


@pytest.mark.parametrize("name", ["# Keine Befunde", "1. ok", "2) ok", "- x", "+ x", "=== x", "    code"])
def test_markdown_bundle_name_starts_no_block(name):
    from markdown_it import MarkdownIt

    from engine.report.markdown import item

    html = MarkdownIt("commonmark").render(f"- {item(name, 'de')}: 0 Fehler\n")
    assert html.count("<li>") == 1 and not re.search("<h[1-6]|<ol|<pre|<hr", html), html
    assert name.strip() in html
