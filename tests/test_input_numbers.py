"""Every number is bounded at the data contract: out of range is ASA-INPUT at its place, the rest is checked."""
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.check import check_bundle
from engine.read.values import BadValue, parse_decimal, parse_int
from engine.rules import load_rules
from tests.bundles import copy_fixture, input_problems, replace

RULES = load_rules()
ROOT = Path(__file__).resolve().parent.parent


# (file, text, replacement, line, column): values that crashed the rule engine's C core or the check
UNREPRESENTABLE = [
    ("invoice.yaml", "billed_hours: 459.5", "billed_hours: 10000000000000000000", 2, "billed_hours"),
    ("contract.yaml", "hours: 400}", "hours: 0.0000001}", 23, "accompanying_phase.contingents[1].hours"),
    ("contract.yaml", "hours: 400}", "hours: 10000000000000000}", 23, "accompanying_phase.contingents[1].hours"),
    ("contract.yaml", "hours: 400}", "hours: 10000000000000000000000000}", 23,
     "accompanying_phase.contingents[1].hours"),
    ("invoice.yaml", "contract_year: 1", "contract_year: " + "1" * 5000, 1, "contract_year"),
]


def test_numbers_the_engine_cannot_hold_are_input_errors(tmp_path):
    """One bundle per value, checked by the CLI in its own process: a crash of the C core fails this test."""
    for n, (file, old, new, _, _) in enumerate(UNREPRESENTABLE):
        replace(copy_fixture(tmp_path / "corpus", "violating", f"b{n}") / file, old, new)
    proc = subprocess.run([sys.executable, "-m", "cli", "check", str(tmp_path / "corpus"), "--jobs", "1",
                           "--format", "json", "--lang", "en"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    bundles = {s["submission"]: s for s in json.loads(proc.stdout)["submissions"]}
    for n, (file, _, _, line, column) in enumerate(UNREPRESENTABLE):
        findings = bundles[f"b{n}"]["findings"]
        found = [f for f in findings if f["rule"] == "ASA-INPUT" and f["location"]["file"] == file
                 and f["location"]["line"] == line and f["location"].get("column") == column]
        assert found and found[0]["severity"] == "error", (n, file, column)
        # the rest of the bundle is still checked
        assert {"ASA-GROUP-SIZE", "ASA-STAFF-QUALIFICATION", "ASA-SUSPENSION-LENGTH"} <= {f["rule"] for f in findings}


def test_parameters_that_build_a_set_are_an_input_error(tmp_path):
    d = copy_fixture(tmp_path, "violating")
    replace(d / "contract.yaml", "parameters: {}", "parameters: !!set {a, b}")
    result = check_bundle(d, RULES)
    assert [f.location.column for f in input_problems(result, "contract.yaml")] == ["parameters"]
    assert any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)


@pytest.mark.parametrize("params", [
    "{max_group_size: 100000000000000000000}",
    "{max_group_size: 0.0000001}",
    "{max_group_size: " + "9" * 5000 + "}",
    "{ASA-GROUP-SIZE: {" + "1" * 1000 + ": 100}}",
    "{7: 100}",
])
def test_unusable_parameter_values_are_reported_and_the_law_applies(tmp_path, params):
    d = copy_fixture(tmp_path, "violating")
    replace(d / "contract.yaml", "parameters: {}", f"parameters: {params}")
    result = check_bundle(d, RULES)
    problems = input_problems(result, "contract.yaml")
    # reported at "parameters" (unreadable) or at the key (a tender parameter contract.yaml may not set)
    assert problems and all(f.location.column.startswith("parameters") for f in problems)
    # the group of 9 is still too large under the law's default of 8
    assert any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)
    assert not any(f.rule == "ASA-ENGINE" for f in result.findings)


def test_thousands_separator_in_minutes_is_an_error_not_one_minute(tmp_path):
    d = copy_fixture(tmp_path)
    replace(d / "services.csv", "LN-00001,2021-03-01,08:00,90,", "LN-00001,2021-03-01,08:00,1.000,")
    result = check_bundle(d, RULES)
    [p] = input_problems(result, "services.csv")
    assert (p.location.line, p.location.column, p.severity) == (2, "minutes", "error")
    assert "ambiguous" in p.message["en"] and '"1.000"' in p.message["en"]


@pytest.mark.parametrize("text,value", [("45", 45), ("45,0", 45), ("45.00", 45), ("0045", 45), ("-3", -3)])
def test_whole_numbers_accepted(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["1.000", "12,500", "1.000.000", "4,5", "1e3", "", "x", "1" * 13,
                                  "1" * 5000, "١٢"])
def test_whole_numbers_refused(text):
    with pytest.raises(BadValue):
        parse_int(text)


@pytest.mark.parametrize("value,expected", [
    ("0,125", Decimal("0.125")), ("62,50", Decimal("62.50")), ("1234.5678", Decimal("1234.5678")),
    (".5", Decimal("0.5")), ("1.5000000", Decimal("1.5")), (1.125, Decimal("1.125")), (4000, Decimal(4000)),
    ("999999999999", Decimal("999999999999")),
])
def test_decimals_accepted(value, expected):
    assert parse_decimal(value) == expected


@pytest.mark.parametrize("value", ["4.000", "1,500", "0.00001", "1000000000000", 10 ** 20, 1e-7, float("inf"),
                                   "1e16", "NaN"])
def test_decimals_refused(value):
    with pytest.raises(BadValue):
        parse_decimal(value)


def test_periods_beyond_the_data_contract_are_input_errors(tmp_path):
    """A contingent from 0001-01-01 to 9999-12-31 made the ledger build 120,000 months (nine of them: 1.5 GB and a
    237 MB report); a pre-phase likewise. Each is an error at its line and not read; the rest is still checked."""
    d = copy_fixture(tmp_path, "violating")
    replace(d / "contract.yaml", "{year: 3, start: 2023-09-01, end: 2024-08-31",
            "{year: 3, start: 0001-01-01, end: 9999-12-31")
    replace(d / "contract.yaml", "  - start: 2021-03-01\n    end: 2021-08-31", "  - start: 0001-03-01\n    end: 2021-08-31")
    result = check_bundle(d, RULES)
    said = {f.location.column: f.message["en"] for f in input_problems(result, "contract.yaml")}
    assert "outside the data contract" in said["accompanying_phase.contingents[3]"]
    assert "outside the data contract" in said["pre_phases[1]"]
    assert max(len(y.months) for y in result.ledger.years) <= 12
    assert any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)


def test_more_periods_than_a_contract_can_have_are_an_input_error(tmp_path):
    d = copy_fixture(tmp_path, "violating")
    many = "".join(f"    - {{year: {n}, start: 2021-09-01, end: 2022-08-31, hours: 1}}\n" for n in range(4, 205))
    replace(d / "contract.yaml", "hours: 4000}\nparameters", "hours: 4000}\n" + many + "parameters")
    result = check_bundle(d, RULES)
    said = [f.message["en"] for f in input_problems(result, "contract.yaml")
            if f.location.column == "accompanying_phase.contingents"]
    assert said and "more than 100 entries" in said[0]
