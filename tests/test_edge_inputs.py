"""Edge inputs found in review: far dates, huge durations, odd parameters, odd invoices, empty rule sets."""
import json
import shutil
from pathlib import Path

import pytest

from engine.check import check_bundle
from engine.rules import load_rules
from tests.bundles import run_cli as run

FIX = Path(__file__).resolve().parent.parent / "fixtures"
RULES = load_rules()


@pytest.fixture
def bundle(tmp_path):
    d = tmp_path / "b"
    shutil.copytree(FIX / "compliant", d)
    return d


def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


@pytest.mark.parametrize("edit", [
    ("suspensions.csv", "TN-007,2022-11-01,2023-04-30", "TN-007,2022-11-01,9999-12-31"),
    ("participants.csv", "TN-001,VP,2021-03-01,2021-08-31", "TN-001,VP,2021-03-01,31.12.9999"),
    ("contract.yaml", "    end: 2026-08-31", "    end: 9999-12-31"),
    ("contract.yaml", "  start: 2021-09-01", "  start: 0001-01-01"),
])
def test_far_dates_never_crash(bundle, edit):
    name, old, new = edit
    _sub(bundle / name, old, new)
    for cmd in (["check", bundle, "--format", "json"], ["ledger", bundle, "--format", "json"]):
        r = run(*cmd)
        assert r.exit_code in (0, 1), r.output
        json.loads(r.output)


def test_service_on_the_last_representable_day(bundle):
    _append(bundle / "services.csv", "LN-99999,9999-12-31,23:00,120,AB,VP,A01,TN-001,presence")
    r = run("check", bundle, "--format", "json", "--lang", "en")
    assert r.exit_code == 1, r.output
    assert any(f["rule"] == "ASA-SERVICE-PERIOD" for f in json.loads(r.output)["submissions"][0]["findings"])


def test_huge_minutes_are_an_input_problem(bundle):
    _append(bundle / "services.csv", "LN-99999,2022-01-10,09:00,10000000000,AB,BP,A01,TN-001,presence")
    doc = json.loads(run("check", bundle, "--format", "json", "--lang", "en").output)["submissions"][0]
    assert any(f["rule"] == "ASA-INPUT" and f["location"].get("column") == "minutes" for f in doc["findings"])


# contract.yaml parameters and the auditor's parameters file: tests/test_overrides.py


def test_invoice_for_a_year_without_contingent_is_reported(bundle):
    (bundle / "invoice.yaml").write_text("contract_year: 99\nbilled_hours: 5\n", encoding="utf-8")
    result = check_bundle(bundle, RULES)
    assert [(f.rule, f.location.file, f.severity) for f in result.findings] == [
        ("ASA-INPUT", "invoice.yaml", "error")]


def test_a_bundle_that_fails_does_not_take_the_batch_down(bundle, monkeypatch):
    import engine.check as check

    real = check.check_submission

    def flaky(sub, ruleset, *args, **kwargs):
        if sub.name == "b":
            raise RuntimeError("simulated defect")
        return real(sub, ruleset, *args, **kwargs)

    monkeypatch.setattr(check, "check_submission", flaky)
    r = run("check", FIX / "compliant", bundle, "--jobs", "1")
    assert r.exit_code == 2
    assert "simulated defect" in r.output and "Keine Befunde" in r.output
    assert "Traceback" not in r.output


def test_empty_rules_directory_is_a_usage_error(tmp_path):
    (tmp_path / "rules").mkdir()
    for cmd in (["check", FIX / "violating", "--rules", tmp_path / "rules"], ["rules", "lint", tmp_path / "rules"],
                ["rules", "test", tmp_path / "rules"]):
        r = run(*cmd)
        assert r.exit_code == 2, (cmd, r.output)
        assert "keine Regeldateien" in r.output


def test_mixed_severity_group_is_labelled_with_the_worst(bundle):
    text = (bundle / "staff.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",notes"
    text = [text[0]] + [line + "," for line in text[1:]]
    (bundle / "staff.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    _append(bundle / "services.csv", "LN-99998,2022-02-30,09:00,60,AB,BP,A01,TN-001,presence")
    out = run("check", bundle).output
    assert "FEHLER ASA-INPUT" in out and "(Warnung)" in out
