"""Several bundles at once (same result whatever --jobs), JUnit and SARIF output, limits as options."""
import json
import xml.etree.ElementTree as ET
from pathlib import Path


from tests.bundles import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def test_folder_of_bundles_same_result_for_any_jobs():
    one = run("check", FIX, "--format", "json", "--jobs", "1")
    two = run("check", FIX, "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    doc = json.loads(one.output)
    names = [s["submission"] for s in doc["submissions"]]
    assert names == sorted(names) and "violating" in names and "compliant" in names
    assert doc["summary"]["error"] == sum(s["summary"]["error"] for s in doc["submissions"])


def test_glob_and_overview_in_text():
    r = run("check", str(FIX / "compl*"), "--jobs", "2")
    assert r.exit_code == 0, r.output
    assert "compliant-de" in r.output and "Σ" in r.output


def test_unreadable_bundle_among_others_is_exit_2_and_others_reported(tmp_path):
    r = run("check", FIX / "compliant", tmp_path / "missing")
    assert r.exit_code == 2
    assert "nicht gefunden" in r.output and "Zusammenfassung" in r.output


def test_junit_output_is_valid_xml():
    r = run("check", FIX / "violating", "--format", "junit")
    root = ET.fromstring(r.output)
    cases = root.findall(".//testcase")
    assert any(c.get("name") == "ASA-GROUP-SIZE" and c.find("failure") is not None for c in cases)
    r = run("check", FIX / "compliant", "--format", "junit")
    assert ET.fromstring(r.output).find(".//failure") is None


def test_sarif_output_shape():
    r = run("check", FIX / "violating", "--format", "sarif", "--lang", "en")
    doc = json.loads(r.output)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    rules = {d["id"]: d for d in run0["tool"]["driver"]["rules"]}
    assert "bis zu acht Teilnehmenden" in rules["ASA-GROUP-SIZE"]["help"]["text"]
    res = next(x for x in run0["results"] if x["ruleId"] == "ASA-GROUP-SIZE")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("violating/services.csv")
    assert loc["region"]["startLine"] == 353
    assert run0["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "ASA-GROUP-SIZE"


def test_limits_are_options():
    # 120 data rows come before services.csv; the limit counts the whole submission
    r = run("check", FIX / "compliant", "--max-rows", "200", "--format", "json", "--lang", "en")
    doc = json.loads(r.output)["submissions"][0]
    assert any(f["rule"] == "ASA-INPUT" and f["location"]["file"] == "services.csv" and "200" in f["message"]
               and f["location"]["line"] == 82 for f in doc["findings"])


def test_html_report_is_self_contained_and_escaped(tmp_path):
    r = run("check", FIX / "violating", "--format", "html")
    assert r.exit_code == 1
    html = r.output
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "services.csv:353" in html and "Prüfbericht AsA flex" in html
    assert "„rechtzeitig abgesagt (absent_announced)“" in html  # the code with its German label
    en = run("check", FIX / "compliant", "--format", "html", "--lang", "en").output
    assert "No findings." in en
