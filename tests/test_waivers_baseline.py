"""Waivers (recorded decisions with reason and expiry) and baselines (new, persisting, resolved)."""
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from engine.audit.run import prepare
from engine.check import check_bundle
from engine.rules import load_rules
from engine.audit.waivers import WaiverFileError, read_waivers
from tests.bundles import run_cli as run, one_report as _one

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
FUTURE = "2999-12-31"


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


def waiver_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def entry(extra: str, expires: str = FUTURE) -> str:
    return (f"  - {extra}\n    reason: von der Agentur genehmigt\n    approved_by: Prüfteam\n"
            f"    reference: Az. 4711\n    expires: {expires}\n")


def test_waived_findings_leave_the_exit_code_and_are_listed(tmp_path):
    base = _one(json.loads(run("check", FIX / "compliant", "--format", "json").output))
    assert base["summary"]["error"] == 0
    doc = _one(json.loads(run("check", FIX / "violating", "--format", "json").output))
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    body = "waivers:\n"
    for n, f in enumerate(errors):
        if n % 2:
            body += entry(f"finding: {f['id']}")
        else:
            body += entry(f"rule: {f['rule']}\n    entity: {json.dumps(f['entity']['id'])}")
    path = waiver_file(tmp_path, body)
    r = run("check", FIX / "violating", "--format", "json", "--waivers", path, "--fail-on", "error")
    assert r.exit_code == 0, r.output
    out = _one(json.loads(r.output))
    assert out["summary"]["error"] == 0
    assert {f["id"] for f in out["waived"]} >= {f["id"] for f in errors}
    assert all(f["waiver"]["reason"] == "von der Agentur genehmigt" for f in out["waived"])
    text = run("check", FIX / "violating", "--waivers", path)
    assert "Ausgenommen" in text.output and "Az. 4711" in text.output


def test_expired_and_stale_waivers_are_reported(tmp_path):
    doc = _one(json.loads(run("check", FIX / "violating", "--format", "json").output))
    group = next(f for f in doc["findings"] if f["rule"] == "ASA-GROUP-SIZE")
    body = ("waivers:\n" + entry(f"id: OLD\n    finding: {group['id']}", expires="2020-01-01")
            + entry("id: NOTHING\n    rule: ASA-GROUP-SIZE\n    entity: LN-99999"))
    r = run("check", FIX / "violating", "--format", "json", "--waivers", waiver_file(tmp_path, body))
    out = _one(json.loads(r.output))
    assert r.exit_code == 1
    assert group["id"] in {f["id"] for f in out["findings"]}  # expired: counts again
    assert out["waivers"]["expired"][0]["id"] == "OLD" and out["waivers"]["expired"][0]["findings"] == 1
    assert [w["id"] for w in out["waivers"]["stale"]] == ["NOTHING"]


def test_waiver_by_rule_entity_and_date_range(ruleset, tmp_path):
    body = "waivers:\n" + entry("rule: ASA-SERVICE-PERIOD\n    entity: LN-00449\n    from: 2022-01-01\n    to: 2022-12-31") \
        + entry("rule: ASA-SERVICE-PERIOD\n    entity: LN-00677\n    from: 2020-01-01\n    to: 2020-12-31")
    result = check_bundle(FIX / "violating", ruleset)
    info = prepare([result], read_waivers(waiver_file(tmp_path, body)), None, dt.date(2026, 1, 1))
    assert [f.entity.id for f in result.waived] == ["LN-00449"]
    assert [w.id for w in info.waivers.stale()] == ["W2"]
    assert "LN-00677" in {f.entity.id for f in result.findings}


@pytest.mark.parametrize("body, where", [
    ("waivers:\n  - rule: ASA-GROUP-SIZE\n    entity: S1\n    reason: x\n    approved_by: y\n    reference: z\n", ":2: expires"),
    ("waivers:\n" + entry("rule: ASA-GROUP-SIZE\n    entity: S1\n    colour: red"), ":4: colour"),
    ("waivers:\n" + entry("finding: abc", expires="31.12.2026"), ":6: expires"),
    ("waivers:\n" + entry("reason2: x"), ":2: rule"),
    ("waiver: []\n", ":1:"),
    ("waivers: [\n", ":"),
])
def test_malformed_waivers_file_is_a_usage_error_naming_line_and_field(tmp_path, body, where):
    path = waiver_file(tmp_path, body)
    with pytest.raises(WaiverFileError) as exc:
        read_waivers(path)
    assert where in exc.value.text("en")
    r = run("check", FIX / "compliant", "--waivers", path)
    assert r.exit_code == 2 and "Traceback" not in r.output and where in r.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_baseline_new_persisting_resolved_after_rows_inserted(tmp_path):
    bundle = tmp_path / "violating"
    shutil.copytree(FIX / "violating", bundle)
    before = run("check", bundle, "--format", "json")
    (tmp_path / "base.json").write_text(before.output, encoding="utf-8")
    old = {f["id"] for f in _one(json.loads(before.output))["findings"]}
    services = bundle / "services.csv"
    header = services.read_text(encoding="utf-8").splitlines()[0]
    # rows inserted at the top: every line number below moves by two
    _edit(services, header + "\n", header + "\nLN-90001,2021-03-02,15:00,60,AB,VP,A01,TN-001,presence,present\n"
          "LN-90002,2021-03-03,15:00,60,AB,VP,A01,TN-002,presence,present\n")
    # one violation corrected: the SP session of 9 participants now has 8
    _edit(services, "TN-007|TN-008|TN-009,presence,present", "TN-007|TN-008,presence,present")
    # one added: an SFU session by video
    _edit(services, "LN-00158,2021-09-16,08:00,90,SFU,BP,L01,TN-012|TN-014|TN-018|TN-019|TN-021,presence",
          "LN-00158,2021-09-16,08:00,90,SFU,BP,L01,TN-012|TN-014|TN-018|TN-019|TN-021,video")
    r = run("check", bundle, "--format", "json", "--baseline", tmp_path / "base.json")
    doc = _one(json.loads(r.output))
    new = [(f["rule"], f["entity"]["id"]) for f in doc["findings"] if f["status"] == "new"]
    assert new == [("ASA-SFU-REMOTE", "LN-00158")]
    assert [(f["rule"], f["entity"]["id"]) for f in doc["baseline"]["resolved"]] == [("ASA-GROUP-SIZE", "LN-00352")]
    persisting = {f["id"] for f in doc["findings"] if f["status"] == "persisting"}
    assert len(persisting) == len(old) - 1
    assert doc["baseline"]["counts"] == {"new": 1, "persisting": len(old) - 1, "resolved": 1}
    # --fail-on-new: the new finding is a warning, so failing on errors passes; on warnings fails
    ok = run("check", bundle, "--baseline", tmp_path / "base.json", "--fail-on-new")
    assert ok.exit_code == 0, ok.output
    bad = run("check", bundle, "--baseline", tmp_path / "base.json", "--fail-on-new", "--fail-on", "warning")
    assert bad.exit_code == 1


def test_baseline_never_matches_another_record(tmp_path):
    """A finding on a different record is new even when rule and message look alike."""
    bundle = tmp_path / "violating"
    shutil.copytree(FIX / "violating", bundle)
    (tmp_path / "base.json").write_text(run("check", bundle, "--format", "json").output, encoding="utf-8")
    _edit(bundle / "services.csv", "LN-00352,", "LN-00353B,")
    doc = _one(json.loads(run("check", bundle, "--format", "json", "--baseline", tmp_path / "base.json").output))
    group = [f for f in doc["findings"] if f["rule"] == "ASA-GROUP-SIZE"]
    assert [(f["entity"]["id"], f["status"]) for f in group] == [("LN-00353B", "new")]
    assert ("ASA-GROUP-SIZE", "LN-00352") in [(f["rule"], f["entity"]["id"]) for f in doc["baseline"]["resolved"]]


def test_fail_on_new_needs_a_baseline_and_bad_baseline_is_usage_error(tmp_path):
    r = run("check", FIX / "compliant", "--fail-on-new")
    assert r.exit_code == 2 and "--baseline" in r.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run("check", FIX / "compliant", "--baseline", bad)
    assert r.exit_code == 2 and "bad.json" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("content", ["[" * 100_000, '{"findings": 5}', '{"submissions": [{"findings": [7]}]}', "[]",
                                     '{"findings": [{"fingerprint": "", "id": ["a"]}]}',
                                     '{"findings": [{"fingerprint": ""}]}'])
def test_odd_baseline_files_are_usage_errors(tmp_path, content):
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    r = run("check", FIX / "compliant", "--baseline", path)
    assert r.exit_code == 2 and "odd.json" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("finding", [{"id": "r1", "rule": ["a list"]}, {"id": "r2", "rule": {"a": 1}}])
def test_baseline_rule_of_any_json_type_is_no_crash(tmp_path, finding):
    path = tmp_path / "base.json"  # an unhashable rule, a waived entry without a text id: TypeError before
    path.write_text(json.dumps({"findings": [finding], "waived": [{"fingerprint": "", "id": [1]}]}), encoding="utf-8")
    r = run("check", FIX / "compliant", "--baseline", path, "--format", "json")
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["submissions"][0]["baseline"]["resolved"]) == 1


def test_resolved_findings_of_any_shape_are_shown_escaped(tmp_path):
    base = {"submission": "x", "findings": [
        {"id": "a1", "rule": "ASA-X", "entity": "not a mapping", "message": "<b>\x1b[2Jgone</b>"},
        {"id": "a2", "rule": 5, "entity": {"type": "service", "id": "<i>S1</i>"}, "message": None}]}
    path = tmp_path / "base.json"
    path.write_text(json.dumps(base), encoding="utf-8")
    for fmt in ("text", "html", "json", "sarif", "junit"):
        r = run("check", FIX / "compliant", "--baseline", path, "--format", fmt)
        assert r.exit_code == 0, (fmt, r.output)
        assert "\x1b" not in r.output
        if fmt == "html":
            assert "<b>" not in r.output and "<i>S1" not in r.output and "&lt;b&gt;" in r.output


def test_waivers_never_come_from_the_bundle(tmp_path):
    bundle = tmp_path / "violating"
    shutil.copytree(FIX / "violating", bundle)
    doc = _one(json.loads(run("check", bundle, "--format", "json").output))
    body = "waivers:\n" + "".join(entry(f"finding: {f['id']}") for f in doc["findings"])
    (bundle / "waivers.yaml").write_text(body, encoding="utf-8")
    plain = _one(json.loads(run("check", bundle, "--format", "json").output))
    # a file in the bundle is not read as waivers (at most it is named as an unexpected file)
    assert plain["summary"]["error"] == doc["summary"]["error"] and plain["waived"] == []
    r = run("check", bundle, "--waivers", bundle / "waivers.yaml")
    assert r.exit_code == 2 and "nie aus der Einreichung" in r.output
    r = run("check", bundle, "--waivers", bundle / "waivers.yaml", "--lang", "en")
    assert r.exit_code == 2 and "never from the submission" in r.output


def test_configuration_and_limits_never_come_from_the_bundle(tmp_path, monkeypatch):
    """An asa-check.toml the provider put in the bundle would switch every rule off for an auditor who runs the
    check inside the unpacked bundle: refused, as are parameters, rules and a baseline inside a checked bundle."""
    bundle = tmp_path / "violating"
    shutil.copytree(FIX / "violating", bundle)
    (bundle / "asa-check.toml").write_text('skip-rule = ["ASA-*"]\n', encoding="utf-8")
    monkeypatch.chdir(bundle)
    r = run("check", ".", "--lang", "en")
    assert r.exit_code == 2 and "configuration file" in r.output and "never from the submission" in r.output
    monkeypatch.chdir(tmp_path)
    assert run("check", bundle, "--format", "json").exit_code == 1  # from outside, the file is not configuration
    (bundle / "audit.yaml").write_text("parameters:\n  max_group_size: 12\n", encoding="utf-8")
    r = run("check", bundle, "--parameters", bundle / "audit.yaml")
    assert r.exit_code == 2 and "Parameterdatei" in r.output and "nie aus der Einreichung" in r.output
    shutil.copytree(Path(__file__).resolve().parents[1] / "rules", bundle / "myrules")
    r = run("check", bundle, "--rules", bundle / "myrules")
    assert r.exit_code == 2 and "Regelverzeichnis" in r.output


def test_text_overview_of_many_bundles_counts_new_findings_with_a_baseline(tmp_path):
    base = tmp_path / "base.json"
    r = run("check", FIX / "violating", FIX / "compliant", "--skip-rule", "ASA-GROUP-SIZE", "-o", base)
    assert r.exit_code == 1, r.output
    without = run("check", FIX / "violating", FIX / "compliant").output
    assert not [line for line in without.splitlines() if line.startswith("Einreichung ") and line.endswith(" neu")]
    text = run("check", FIX / "violating", FIX / "compliant", "--baseline", base).output
    rows = {line.split()[0]: line.split() for line in text.splitlines()
            if line.split() and line.split()[0] in ("Einreichung", "violating", "compliant", "Σ")}
    assert rows["Einreichung"][-1] == "neu"
    # ASA-GROUP-SIZE was left out of the baseline run: its finding is the one new one
    assert rows["violating"][-1] == "1" and rows["compliant"][-1] == "0" and rows["Σ"][-1] == "1"


def test_every_problem_of_a_waivers_file_on_its_own_line_escaped(tmp_path):
    path = waiver_file(tmp_path, 'waivers:\n  - "bad\\e[2J": 1\n    reason: x\n')
    r = run("check", FIX / "compliant", "--waivers", path, "--lang", "en")
    assert r.exit_code == 2 and "\x1b" not in r.output and "\\x0a" not in r.output
    lines = r.output.splitlines()
    assert len(lines) >= 3 and all(line.startswith("asa-check: ") for line in lines), lines
    assert any("bad\\x1b[2J: unknown field" in line for line in lines)
