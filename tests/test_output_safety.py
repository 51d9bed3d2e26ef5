"""Every output is safe to open, whatever the bundle's ids, values and file names hold."""
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.report.ledger import _csv_value
from engine.report.safe import csv_cell, json_safe, printable, uri_path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"

# ESC c (reset), OSC 8 hyperlink, BEL, rich emoji code and markup, RLO (BiDi), C1 CSI, DCS, <script>
EVIL_ID = ("LN\x1bc\x1b]8;;http://evil.example\x07click\x1b]8;;\x07:smile:[bold red]X[/bold red]"
           "\u202eevil\x9b31m\x1bP1$r\x1b\\<script>")
# OSC 0 (window title), BEL, a byte that is not UTF-8, RLO
EVIL_DIR = b"evil-\x1b]0;pwned\x07-\xff-\xe2\x80\xae"
FORMULA = '=HYPERLINK("http://evil.example";"x")'
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.fixture(scope="module")
def evil(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("evil")
    bundle = Path(os.fsdecode(bytes(root) + b"/" + EVIL_DIR))
    shutil.copytree(FIX / "violating", bundle)
    services = bundle / "services.csv"
    text = services.read_text(encoding="utf-8")
    assert "LN-00415" in text  # a service with a finding (ASA-ABSENCE-BILLING)
    services.write_text(text.replace("LN-00415", EVIL_ID), encoding="utf-8")
    contract = bundle / "contract.yaml"
    text = contract.read_text(encoding="utf-8")
    yaml_id = FORMULA.replace('"', '\\"') + "\\e]0;title\\a"  # OSC 0 after the formula
    contract.write_text(text.replace('contract_id: "955-0042-21"', f'contract_id: "{yaml_id}"'), encoding="utf-8")
    return bundle


def run(*args) -> bytes:
    # color=True: click would otherwise strip some escape sequences itself and hide a missing escape
    result = CliRunner().invoke(main, [str(a) for a in args], color=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stdout_bytes


def _clean(raw: bytes, own_colours: bool = False) -> str:
    text = raw.decode("utf-8")  # valid UTF-8
    if own_colours:  # the report's own SGR colour codes, nothing else
        text = re.sub("\x1b\\[[0-9;]*m", "", text)
    assert not UNSAFE.findall(text), UNSAFE.findall(text)[:5]
    return text


@pytest.mark.parametrize("color", ["--no-color", "--color"])
def test_text_report_escapes_controls_and_never_interprets_markup_or_emoji(evil, color):
    text = _clean(run("check", evil, color, "--lang", "en"), own_colours=color == "--color")
    text = re.sub(r"\s", "", text)  # a terminal report is folded at its width
    assert "\\x1bc\\x1b]8;;http://evil.example\\x07click" in text
    assert ":smile:[boldred]X[/boldred]\\u202eevil\\x9b31m" in text
    assert "😄" not in text
    assert "evil-\\x1b]0;pwned\\x07-\\xff-\\u202e" in text  # the bundle's own name
    assert "ASA-ABSENCE-BILLING" in text


def test_json_is_valid_utf8_and_keeps_the_values(evil):
    raw = run("check", evil, "--format", "json")
    # C1 CSI and BiDi overrides as JSON escapes: a report shown on a terminal (cat, less -r) runs none of them
    assert not re.search("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", raw.decode("utf-8"))
    assert "\\u009b31m" in raw.decode("utf-8")
    doc = json.loads(raw.decode("utf-8"))["submissions"][0]
    assert any(f["entity"]["id"] == EVIL_ID for f in doc["findings"])  # data, faithfully (escaped by JSON)
    # the bundle's name is made printable where it is read (engine/read_sources.safe_name)
    assert doc["submission"] == "evil-\\x1b]0;pwned\\x07-\\xff-\\u202e"


def test_junit_is_valid_xml(evil):
    root = ET.fromstring(_clean(run("check", evil, "--format", "junit")))
    suite = root.find("testsuite")
    assert suite.get("name") == "evil-\\x1b]0;pwned\\x07-\\xff-\\u202e"
    [case] = [c for c in suite if c.get("name") == "ASA-ABSENCE-BILLING"]
    assert "LN\\x1bc\\x1b]8;;http://evil.example" in case.find("failure").text


def test_sarif_is_valid_json_with_uri_references(evil):
    doc = json.loads(run("check", evil, "--format", "sarif").decode("utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert all(re.fullmatch(r"[A-Za-z0-9/%._~!$&'()*+,;=:@-]+", u) for u in uris), uris
    assert any(u.endswith("evil-%1B%5D0%3Bpwned%07-%FF-%E2%80%AE/services.csv") for u in uris)
    texts = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    assert all(not UNSAFE.search(t) for t in texts)


def test_html_has_no_controls_and_no_markup_from_values(evil):
    html = _clean(run("check", evil, "--format", "html"))
    # long words get break opportunities (<wbr>) between their escaped pieces
    assert "<script>" not in html and "&lt;script&gt;" in html.replace("<wbr>", "")
    HTMLParser().feed(html)


def test_ledger_csv_stores_formula_text_as_text(evil):
    for lang, sep in (("de", ";"), ("en", ",")):
        raw = run("ledger", evil, "--format", "csv", "--lang", lang)
        assert "\\x1b]0;title\\x07" in _clean(raw)  # OSC 0 (window title) shown, never run on a terminal
        rows = raw.decode("utf-8").splitlines()
        assert rows[1].startswith('"\'=HYPERLINK(')
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.split(sep))


def test_ledger_text_and_json(evil):
    text = _clean(run("ledger", evil))
    assert FORMULA + "\\x1b]0;title\\x07" in text
    doc = json.loads(run("ledger", evil, "--format", "json").decode("utf-8"))
    assert doc["contract_id"] == FORMULA + "\x1b]0;title\x07"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1+1", "\u3000=1+1",
                                  "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "|calc!A0", " @A1"])
def test_csv_cell_prefixes_formula_starts(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["LN-00001", "955-0042-21", "", 5, -5, Decimal("-5.5")])
def test_csv_cell_leaves_other_values(value):
    assert csv_cell(value) == value


def test_negative_numbers_stay_numbers_text_does_not():
    assert _csv_value("billed_hours_diff", Decimal("-5"), "de") == "-5,00"
    assert _csv_value("settlement_diff", Decimal("-12.5"), "en") == "-12.50"
    assert _csv_value("contract_id", "-5", "en") == "'-5"


def test_printable_and_json_safe():
    assert printable("a\x1bc\x07\x9b\u202e\udcff\u2066\n\t") == "a\\x1bc\\x07\\x9b\\u202e\\xff\\u2066\\x0a\\x09"
    assert printable("Grüße, Ünal – 12 €") == "Grüße, Ünal – 12 €"
    assert json.loads(json_safe(json.dumps({"a": "x\udcffy"}, ensure_ascii=False))) == {"a": "x\\xffy"}
    assert uri_path("a b/c\udcff#") == "a%20b/c%FF%23"


def test_rule_file_names_and_examples_keep_junit_valid(tmp_path):
    """rules test --format junit: names from a rule file (a pull request) cannot break the XML."""
    d = tmp_path / "rules"
    d.mkdir()
    text = (ROOT / "rules" / "ASA-GROUP-SIZE.yaml").read_text(encoding="utf-8")
    assert "  - name: " in text
    evil = re.sub(r"  - name: .*", lambda m: '  - name: "\\e]0;x\\a\\0\\x9b"', text, count=1)
    (d / "ASA-GROUP-SIZE.yaml").write_text(evil, encoding="utf-8")
    out = _clean(run("rules", "test", d, "--format", "junit"))
    ET.fromstring(out)
    assert "\\x1b]0;x\\x07\\x00\\x9b" in out


def test_a_5000_digit_contract_year_is_a_finding_in_every_output(tmp_path):
    """str() of such an int raises in Python; it used to end the bundle with "internal error"."""
    bundle = tmp_path / "b"
    shutil.copytree(FIX / "compliant", bundle)
    invoice = bundle / "invoice.yaml"
    invoice.write_text(invoice.read_text(encoding="utf-8").replace("contract_year: 1", "contract_year: " + "9" * 5000),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bundle), "--format", "json", "--lang", "en"])
    assert result.exit_code == 1, result.output
    [f] = [f for f in json.loads(result.output)["submissions"][0]["findings"] if f["location"]["file"] == "invoice.yaml"]
    assert f["rule"] == "ASA-INPUT" and f["severity"] == "error"
    # the ledger (whether the reader keeps the year or refuses it) renders without an exception
    run("ledger", bundle).decode("utf-8")
    unmatched = json.loads(run("ledger", bundle, "--format", "json"))["unmatched_claim_year"]
    assert unmatched is None or unmatched.startswith("≈10^")
