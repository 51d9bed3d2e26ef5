"""Who may set a limit: statute (nobody), tender (only the auditor's file), contract (contract.yaml too).

Every override in force is listed in every report; contract.yaml setting a
statute or tender parameter is an error finding at its line and the law's
value is used.
"""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.check import check_bundle
from engine.facts import record_facts
from engine.parameters import ParameterFileError, read_parameter_file, resolve
from engine.read.bundle import read_bundle
from engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def bundle_with(tmp_path, params_yaml: str, fixture: str = "violating") -> Path:
    d = tmp_path / "b"
    shutil.copytree(ROOT / "fixtures" / fixture, d)
    text = (d / "contract.yaml").read_text(encoding="utf-8")
    assert "parameters: {}" in text
    (d / "contract.yaml").write_text(text.replace("parameters: {}", params_yaml), encoding="utf-8")
    return d


def auditor(tmp_path, text: str):
    f = tmp_path / "audit.yaml"
    f.write_text(text, encoding="utf-8")
    return read_parameter_file(f, RULES)


def rules_of(result):
    return [f.rule for f in result.findings]


def contract_findings(result):
    return [f for f in result.findings if f.rule == "ASA-INPUT" and f.location.file == "contract.yaml"]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --- contract.yaml may not relax the law or the tender -----------------------------------------

def test_contract_raising_a_tender_limit_is_an_error_at_its_line_and_the_law_applies(tmp_path):
    d = bundle_with(tmp_path, "parameters:\n  max_group_size: 10")
    r = check_bundle(d, RULES)
    assert "ASA-GROUP-SIZE" in rules_of(r)  # the planted group of 9 is still a violation (limit 8)
    [f] = contract_findings(r)
    assert (f.severity, f.location.line, f.location.column) == ("error", line_of(d / "contract.yaml", "max_group_size"),
                                                                 "parameters.max_group_size")
    assert "set by the tender (tender)" in f.message["en"] and "in force: 8; from 2024-08-01: 6" in f.message["en"]
    assert r.overrides == []


@pytest.mark.parametrize("params, key", [
    ("{ASA-PREPHASE-DURATION: {max_extended_months: 12}}", "ASA-PREPHASE-DURATION.max_extended_months"),
    ("{max_months: 9}", "max_months"),
    ("{carry_in_may_roll: false}", "carry_in_may_roll"),
    ('{prephase_minimum_share: "0,5"}', "prephase_minimum_share"),
    ("{max_group_size: .nan}", "max_group_size"),
    ("{ASA-SUSPENSION-REASON: {accepted_reasons: [parental_leave, sick_pay, stay_abroad]}}",
     "ASA-SUSPENSION-REASON.accepted_reasons"),
    ("{max_group_size: [{valid_from: 2021-01-01, value: 20}]}", "max_group_size"),
])
def test_contract_cannot_set_statute_or_tender_parameters(tmp_path, params, key):
    r = check_bundle(bundle_with(tmp_path, f"parameters: {params}"), RULES)
    errors = [f for f in contract_findings(r) if f.severity == "error"]
    assert [f.location.column for f in errors] == [f"parameters.{key}"], [f.message["en"] for f in errors]
    assert r.overrides == []
    assert {"ASA-GROUP-SIZE", "ASA-SUSPENSION-REASON", "ASA-PREPHASE-DURATION"} <= set(rules_of(r))
    assert not any(f.rule == "ASA-ENGINE" for f in r.findings)


def test_contract_minimum_share_other_than_the_tender_is_an_error(tmp_path):
    d = bundle_with(tmp_path, "parameters: {}")
    text = (d / "contract.yaml").read_text(encoding="utf-8")
    (d / "contract.yaml").write_text(text.replace("minimum_share: 0.70", "minimum_share: 0.95"), encoding="utf-8")
    r = check_bundle(d, RULES)
    [f] = contract_findings(r)
    assert f.severity == "error" and f.location.line == line_of(d / "contract.yaml", "minimum_share")
    assert float(r.ledger.year(1).minimum_share) == float(r.ledger.year(2).minimum_share) == 0.70


def test_contract_may_set_contract_parameters_and_the_report_lists_them(tmp_path):
    d = bundle_with(tmp_path, "parameters:\n  group_hours: Per_Participant", fixture="compliant")
    r = check_bundle(d, RULES)
    assert contract_findings(r) == []
    assert r.ledger.group_hours == "per_participant"
    [applied] = r.overrides
    assert (applied.key, applied.side, applied.authority, applied.line) == (
        "group_hours", "contract", "contract", line_of(d / "contract.yaml", "group_hours"))
    plain = check_bundle(ROOT / "fixtures" / "compliant", RULES)
    assert r.ledger.years[0].documented_hours > plain.ledger.years[0].documented_hours
    # the service facts count group hours as the ledger does (they used to ignore the parameter)
    sub = read_bundle(d)
    group = next(f for f in record_facts(sub, resolve(RULES, sub.contract))
                 if f.fact_type == "service" and f.participant_count > 1)
    assert group.hours == group.minutes / 60 * group.participant_count
    text = CliRunner().invoke(main, ["check", str(d), "--lang", "en"]).output
    assert "Parameters overridden" in text and "group_hours = Per_Participant" in text


@pytest.mark.parametrize("params, expect, severity", [
    ("{group_hours: per_participnt}", "'group_hours' is not of the expected kind", "warning"),
    ("{bogus: 1}", 'unknown parameter "bogus"', "warning"),
    ("{ASA-GROUP-SIZE: 8}", "expected a mapping", "warning"),
    ("[1, 2]", "expected a mapping", "error"),  # reported by the reader
])
def test_contract_values_that_cannot_be_used_are_reported(tmp_path, params, expect, severity):
    r = check_bundle(bundle_with(tmp_path, f"parameters: {params}"), RULES)
    found = contract_findings(r)
    assert any(expect in f.message["en"] and f.severity == severity for f in found), [f.message["en"] for f in found]
    assert "ASA-GROUP-SIZE" in rules_of(r)
    assert r.overrides == []


# --- the auditor's parameters file -------------------------------------------------------------------

def test_auditor_may_change_a_tender_limit_and_every_report_shows_it(tmp_path):
    params = auditor(tmp_path, "parameters:\n  max_group_size: 9\n")
    r = check_bundle(ROOT / "fixtures" / "violating", RULES, params)
    assert "ASA-GROUP-SIZE" not in rules_of(r)
    [applied] = r.overrides
    assert (applied.side, applied.authority, applied.line, applied.value) == ("auditor", "tender", 2, 9)
    bundle = str(ROOT / "fixtures" / "violating")
    pfile = str(tmp_path / "audit.yaml")
    run = CliRunner().invoke
    text = run(main, ["check", bundle, "--parameters", pfile, "--lang", "en"]).output
    assert "Parameters overridden" in text and "max_group_size = 9 (declared: 8; from 2024-08-01: 6; tender" in text
    doc = json.loads(run(main, ["check", bundle, "--parameters", pfile, "--format", "json"]).output)
    assert doc["parameter_overrides"][0]["parameter"] == "max_group_size"
    assert doc["parameter_overrides"][0]["set_by"] == "auditor"
    html = run(main, ["check", bundle, "--parameters", pfile, "--format", "html"]).output
    assert "max_group_size = 9" in html
    sarif = json.loads(run(main, ["check", bundle, "--parameters", pfile, "--format", "sarif"]).output)
    assert sarif["runs"][0]["properties"]["parameterOverrides"][0]["value"] == 9
    junit = run(main, ["check", bundle, "--parameters", pfile, "--format", "junit"]).output
    assert 'name="parameter override max_group_size"' in junit
    ledger = run(main, ["ledger", bundle, "--parameters", pfile, "--lang", "en"]).output
    assert "Parameters overridden" in ledger and "max_group_size = 9" in ledger
    ledger_json = json.loads(run(main, ["ledger", bundle, "--parameters", pfile, "--format", "json"]).output)
    assert ledger_json["parameter_overrides"][0]["parameter"] == "max_group_size"


def test_a_clean_result_never_hides_a_relaxed_limit(tmp_path):
    params = auditor(tmp_path, "parameters:\n  ASA-REFPERSON-MISSING: {max_days_without_refperson: 30}\n")
    r = check_bundle(ROOT / "fixtures" / "compliant", RULES, params)
    assert r.findings == [] and len(r.overrides) == 1
    text = CliRunner().invoke(main, ["check", str(ROOT / "fixtures" / "compliant"), "--parameters",
                                     str(tmp_path / "audit.yaml")]).output
    assert "Keine Befunde." in text and "Abweichende Parameter" in text
    assert "ASA-REFPERSON-MISSING.max_days_without_refperson = 30" in text


def test_auditor_wins_over_the_contract(tmp_path):
    d = bundle_with(tmp_path, "parameters: {group_hours: per_participant}", fixture="compliant")
    r = check_bundle(d, RULES, auditor(tmp_path, "parameters: {group_hours: per_service}\n"))
    assert r.ledger.group_hours == "per_service"
    assert [(a.side, a.value) for a in r.overrides] == [("auditor", "per_service")]


def test_auditor_rule_scoped_list_and_dated_overrides(tmp_path):
    r = check_bundle(ROOT / "fixtures" / "violating", RULES, auditor(tmp_path, (
        "parameters:\n"
        "  ASA-SUSPENSION-REASON:\n    accepted_reasons: [parental_leave, sick_pay, stay_abroad]\n"
        "  max_group_size:\n    - {valid_from: \"01.01.2020\", valid_to: 2030-12-31, value: 9}\n")))
    assert "ASA-SUSPENSION-REASON" not in rules_of(r) and "ASA-GROUP-SIZE" not in rules_of(r)
    assert [a.key for a in r.overrides] == ["ASA-SUSPENSION-REASON.accepted_reasons", "max_group_size"]


@pytest.mark.parametrize("text, problem", [
    ("parameters: {max_extended_months: 12}\n", "'max_extended_months' is set by statute"),
    ("parameters: {max_group_size: acht}\n", "'max_group_size' is not of the expected kind"),
    ("parameters: {minimum_share: 1.5}\n", "share from 0 to 1"),
    ("parameters: {bogus: 1}\n", "unknown parameter 'bogus'"),
    ("parameters: {ASA-SUSPENSION-REASON: {accepted_reasons: parental_leave}}\n", "not of the expected kind"),
    ("parameters: {accompanying_months: [{valid_from: 2020-01-01, value: 30}]}\n", "not of the expected kind"),
    ("parameters: {max_group_size: [{valid_from: junk, value: 100}]}\n", "not of the expected kind"),
    ("parameters: {max_group_size: .nan}\n", "not of the expected kind"),
    ("max_group_size: 9\n", "expected exactly the key parameters"),
    ("parameters: [\n", "not readable"),
])
def test_a_bad_auditor_file_is_a_usage_error_naming_the_line(tmp_path, text, problem):
    with pytest.raises(ParameterFileError) as exc:
        auditor(tmp_path, text)
    assert problem in str(exc.value)
    r = CliRunner().invoke(main, ["check", str(ROOT / "fixtures" / "compliant"), "--parameters",
                                  str(tmp_path / "audit.yaml"), "--lang", "en"])
    assert r.exit_code == 2 and problem in r.output and "Traceback" not in r.output
