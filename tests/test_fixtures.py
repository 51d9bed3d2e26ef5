"""The fixture bundles through the real pipeline (read → facts → durable_rules → findings).

Expected findings are spelled out here, not derived from the output at test
time: a change in what the engine reports for a fixture must be a deliberate
edit of this file. ``fixtures/violating/PLANTED.md`` documents each planted
violation; ``fixtures/make_fixtures.py`` regenerates the bundles.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.check import check_bundle
from engine.facts import record_facts
from engine.parameters import resolve
from engine.read.bundle import read_bundle
from engine.rules import load_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULESET = load_rules()


def _generator():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


_results: dict[str, object] = {}


def result(name: str):
    """check_bundle of a fixture, computed once per test session."""
    if name not in _results:
        _results[name] = check_bundle(FIXTURES / name, RULESET)
    return _results[name]


def tuples(res) -> list[tuple[str, str, str, int]]:
    return sorted((f.rule, f.entity.id, f.location.file, f.location.line) for f in res.findings)


# --- the violating bundle ----------------------------------------------------------

VIOLATING = sorted([
    ("ASA-ABSENCE-BILLING", "LN-00415", "services.csv", 416),
    ("ASA-ABSENCE-BILLING", "LN-00808", "services.csv", 809),
    ("ASA-AFTERCARE-LIMIT", "LN-01291", "services.csv", 1292),
    ("ASA-CARRYOVER-LIMIT", "1", "invoice.yaml", 1),
    ("ASA-CONTINGENT-EXCEEDED", "1", "contract.yaml", 23),
    ("ASA-CONTRACT-TERM", "955-0042-21", "contract.yaml", 1),
    ("ASA-DOUBLE-BOOKING", "LN-00358", "services.csv", 359),
    ("ASA-DOUBLE-BOOKING", "LN-00598", "services.csv", 599),
    ("ASA-GROUP-INDIVIDUAL", "LN-00310", "services.csv", 311),
    ("ASA-GROUP-SIZE", "LN-00352", "services.csv", 353),
    ("ASA-INPUT", "LN-00320", "services.csv", 321),
    ("ASA-INPUT", "LN-00570", "services.csv", 571),
    ("ASA-INPUT", "LN-00608", "services.csv", 609),
    ("ASA-INPUT", "LN-00624", "services.csv", 625),
    ("ASA-INVOICE-MISMATCH", "1", "invoice.yaml", 1),
    ("ASA-PHASE-OVERLAP", "TN-046", "participants.csv", 63),
    ("ASA-PREPHASE-DURATION", "TN-041", "participants.csv", 58),
    ("ASA-PREPHASE-EXTENSION-REASON", "TN-042", "participants.csv", 59),
    ("ASA-PREPHASE-PLACEMENT", "TN-045", "participants.csv", 62),
    ("ASA-PREPHASE-PLACES", "1", "contract.yaml", 6),
    ("ASA-PREPHASE-STAFFING", "1", "contract.yaml", 6),
    ("ASA-REFPERSON-CHANGE", "TN-030", "reference_persons.csv", 41),
    ("ASA-REFPERSON-MISSING", "TN-011", "participants.csv", 23),
    ("ASA-REFPERSON-MISSING", "TN-040", "participants.csv", 57),
    ("ASA-REFPERSON-ROLE", "TN-039", "reference_persons.csv", 50),
    ("ASA-SERVICE-PERIOD", "LN-00155", "services.csv", 156),
    ("ASA-SERVICE-PERIOD", "LN-00449", "services.csv", 450),
    ("ASA-SERVICE-PERIOD", "LN-00677", "services.csv", 678),
    ("ASA-SFU-REMOTE", "LN-00930", "services.csv", 931),
    ("ASA-STAFF-EMPLOYMENT", "A07", "staff.csv", 14),
    ("ASA-STAFF-EMPLOYMENT", "S04", "staff.csv", 15),
    ("ASA-STAFF-QUALIFICATION", "A08", "staff.csv", 16),
    ("ASA-STAFF-QUALIFICATION", "A09", "staff.csv", 17),
    ("ASA-STAFF-QUALIFICATION", "A10", "staff.csv", 18),
    ("ASA-SUSPENSION-LENGTH", "TN-031", "suspensions.csv", 4),
    ("ASA-SUSPENSION-REASON", "TN-033", "suspensions.csv", 5),
    ("ASA-SUSPENSION-SERVICE", "LN-00729", "services.csv", 730),
])
WARNINGS = {"ASA-PREPHASE-EXTENSION-REASON", "ASA-REFPERSON-CHANGE", "ASA-SFU-REMOTE", "ASA-SUSPENSION-REASON"}
INFOS = {"ASA-ABSENCE-BILLING"}


def test_violating_gives_exactly_the_planted_findings():
    assert tuples(result("violating")) == VIOLATING


def test_violating_severities_and_summary():
    res = result("violating")
    for f in res.findings:
        assert f.severity == ("warning" if f.rule in WARNINGS else "info" if f.rule in INFOS else "error"), f.rule
    assert res.summary() == {"error": 31, "warning": 4, "info": 2}


def test_violating_breaks_every_rule():
    hit = {f.rule for f in result("violating").findings}
    assert {lr.rule.id for lr in RULESET.rules} | {"ASA-INPUT"} <= hit


def test_violating_input_problems_name_the_column():
    columns = {f.entity.id: f.location.column for f in result("violating").findings if f.rule == "ASA-INPUT"}
    assert columns == {"LN-00320": "date", "LN-00570": "minutes", "LN-00608": "element", "LN-00624": "staff_id"}


def test_violating_messages_carry_the_planted_values():
    by_rule = {}
    for f in result("violating").findings:
        by_rule.setdefault(f.rule, []).append(f.message["en"])
    assert by_rule["ASA-GROUP-SIZE"] == ["SP session LN-00352 on 2022-03-21 with 9 participants (at most 8 allowed)"]
    assert "19 participants" in by_rule["ASA-PREPHASE-STAFFING"][0]
    assert "2021-08" in by_rule["ASA-PREPHASE-STAFFING"][0] and "LK" in by_rule["ASA-PREPHASE-STAFFING"][0]
    assert "21 participants at once" in by_rule["ASA-PREPHASE-PLACES"][0]
    assert "25 day" in by_rule["ASA-REFPERSON-MISSING"][1]
    assert by_rule["ASA-REFPERSON-MISSING"][0] == (
        "Participant TN-011: 92 day(s) of the participation in phase BP (from 2021-09-01) without a fixed reference "
        "person, first on 2023-07-01 (allowed: 0 day(s)): the reference person named, A02, is not employed by the "
        "provider that day")
    assert by_rule["ASA-SUSPENSION-LENGTH"] == [
        "Suspension of TN-031 from 2023-06-01 to 2023-12-01 (suspensions.csv:4, suspensions.csv:6) lasts longer "
        "than 6 months (7 begun)"]
    assert by_rule["ASA-PREPHASE-PLACEMENT"] == [
        "Participant TN-045: Vorphase from 2021-09-01 to 2022-03-31 reaches beyond 6 months although the training or "
        "accompanying phase began on 2022-02-01, in month 6 (continuation only without a placement, § 75a (3) SGB III)"]
    assert "stay_abroad" in by_rule["ASA-SUSPENSION-REASON"][0]


def test_violating_ledger_year_1():
    y = result("violating").ledger.year(1)
    assert float(y.contingent) == 400 and float(y.available) == 400
    assert float(y.documented_hours) == 459.5
    # the session cancelled in time (LN-00415) is not delivered: out of billing by its attendance
    assert float(y.not_delivered_hours) == 1 and y.not_delivered_services == ["LN-00415"]
    assert float(y.dropped_hours) == 4.5
    assert float(y.billable_hours) == 454
    assert float(y.payable_hours) == 400
    assert str(y.settlement_amount) == "7500.00"
    assert float(y.allowed_carry_out) == 0
    assert sorted(y.dropped_services) == ["LN-00310", "LN-00352", "LN-00358", "LN-00449"]


def test_planted_md_lists_every_finding():
    """PLANTED.md's 'reported at' column is exactly the expected findings (rule, file:line)."""
    text = (FIXTURES / "violating" / "PLANTED.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    listed = sorted((cells[1].strip(), cells[4].strip()) for cells in rows)
    expected = sorted((rule, f"{file}:{line}") for rule, _, file, line in VIOLATING)
    assert listed == expected


# --- compliant bundles ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["compliant", "compliant-de"])
def test_compliant_has_no_findings(name):
    res = result(name)
    assert [(f.rule, f.entity.id, f.location.file, f.location.line, f.message["en"]) for f in res.findings] == []
    assert res.summary() == {"error": 0, "warning": 0, "info": 0}


def test_compliant_is_substantial():
    sub = read_bundle(FIXTURES / "compliant")
    assert len(sub.staff) == 12
    assert len({p.participant_id for p in sub.participants}) == 40
    assert len(sub.services) > 1000
    assert {s.element for s in sub.services} == {"AB", "SP", "SFU"}
    assert {s.phase for s in sub.services} == {"VP", "BP"}
    assert max(s.date for s in sub.services).year == 2024
    assert sum(1 for r in sub.reference_persons if r.change_reason) >= 2
    assert {s.reason for s in sub.suspensions} == {"parental_leave", "sick_pay"}
    assert max(len(s.participant_ids) for s in sub.services if s.element != "AB") <= 8


def test_compliant_invoice_equals_ledger():
    res = result("compliant")
    sub = read_bundle(FIXTURES / "compliant")
    y = res.ledger.year(sub.invoice.contract_year)
    assert sub.invoice.contract_year == 1
    assert sub.invoice.billed_hours == y.payable_hours  # Decimal == Fraction compares exactly
    assert sub.invoice.carry_in_hours == y.carry_in
    assert sub.invoice.carry_out_hours == y.allowed_carry_out
    assert sub.invoice.settlement_amount == y.settlement_amount
    assert float(y.payable_hours) == 455 and float(y.allowed_carry_out) == 1200


def test_german_dialect_is_really_german():
    raw = (FIXTURES / "compliant-de" / "staff.csv").read_bytes()
    assert b";" in raw.splitlines()[0] and b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "0,75" in text and "01.02.2021" in text and "–" in text
    services = (FIXTURES / "compliant-de" / "services.csv").read_text(encoding="cp1252")
    assert ";8:00;" in services and ";9:30;" in services
    contract = (FIXTURES / "compliant-de" / "contract.yaml").read_text(encoding="utf-8")
    assert 'start: "01.09.2021"' in contract and '"62,50"' in contract


def test_german_dialect_gives_the_same_facts():
    plain, german = read_bundle(FIXTURES / "compliant"), read_bundle(FIXTURES / "compliant-de")
    assert german.problems == []
    assert record_facts(german, resolve(RULESET, german.contract)) == record_facts(plain, resolve(RULESET, plain.contract))
    assert german.contract.model_dump() == plain.contract.model_dump()
    assert german.invoice == plain.invoice
    de, en = result("compliant-de"), result("compliant")
    assert [f.id for f in de.findings] == [f.id for f in en.findings]
    assert de.ledger.years == en.ledger.years


def test_german_dialect_of_the_violating_bundle_gives_the_same_findings(tmp_path):
    """The violating bundle written in the German dialect: same findings, same finding ids."""
    gen = _generator()
    bundle, _ = gen.build_violating()
    gen.write_bundle(bundle, tmp_path / "violating-de", gen.GERMAN)
    assert (tmp_path / "violating-de" / "services.csv").read_bytes().count(b";") > 1000
    de = check_bundle(tmp_path / "violating-de", RULESET)
    plain = result("violating")
    assert tuples(de) == VIOLATING

    def strip(f):
        return (f.id, f.rule, f.severity, f.entity, f.location, f.message)

    assert [strip(f) for f in de.findings] == [strip(f) for f in plain.findings]


# --- cohorts: the group limit keyed on the accompanying-phase start ---------------------

AFTERCARE = ("ASA-AFTERCARE-LIMIT", "LN-00142", "services.csv", 143)


def test_cohort_2024_group_of_7_and_aftercare_violate():
    assert tuples(result("cohort-2024")) == sorted([
        AFTERCARE,
        ("ASA-GROUP-SIZE", "LN-00026", "services.csv", 27),
    ])
    msg = next(f.message["en"] for f in result("cohort-2024").findings if f.rule == "ASA-GROUP-SIZE")
    assert msg == "SP session LN-00026 on 2024-10-08 with 7 participants (at most 6 allowed)"


def test_cohort_2021_group_of_7_is_fine_aftercare_violates():
    assert tuples(result("cohort-2021")) == [AFTERCARE]
    sub = read_bundle(FIXTURES / "cohort-2021")
    assert [s.service_id for s in sub.services if len(s.participant_ids) == 7] == ["LN-00027"]


def test_cohorts_differ_only_in_the_group_finding():
    old, new = result("cohort-2021"), result("cohort-2024")
    assert {f.id for f in new.findings} - {f.id for f in old.findings} == {
        f.id for f in new.findings if f.rule == "ASA-GROUP-SIZE"}
    assert {f.id for f in old.findings} < {f.id for f in new.findings}


def test_cohorts_use_v11_columns():
    sub = read_bundle(FIXTURES / "cohort-2024")
    assert sub.problems == []
    tn108 = next(p for p in sub.participants if p.participant_id == "TN-108")
    assert tn108.employment_start.isoformat() == "2025-02-01" and tn108.training_completed_on is not None
    aftercare = next(s for s in sub.services if s.service_id == "LN-00142")
    assert aftercare.date.isoformat() == "2025-09-01"  # seven months after the employment began
    assert {s.attendance for s in sub.services} == {"present", "absent_unannounced"}


# --- the generator -----------------------------------------------------------------------

def test_fixtures_are_what_the_generator_writes():
    assert _generator().main(["--check"]) == 0, "run: python fixtures/make_fixtures.py"


# --- command line -------------------------------------------------------------------------

def test_cli_exit_codes():
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(FIXTURES / "compliant")])
    assert ok.exit_code == 0, ok.output
    assert "Keine Befunde." in ok.output
    bad = runner.invoke(main, ["check", str(FIXTURES / "violating")])
    assert bad.exit_code == 1, bad.output
    assert "ASA-GROUP-SIZE" in bad.output and "services.csv:353" in bad.output


def test_cli_json_has_the_documented_keys():
    out = CliRunner().invoke(main, ["check", str(FIXTURES / "violating"), "--format", "json"])
    assert out.exit_code == 1
    doc = json.loads(out.output)
    assert set(doc) == {"submission", "rules_version", "summary", "parameter_overrides", "findings",
                        "at_stake", "waived", "audit"}
    assert doc["parameter_overrides"] == []
    assert doc["submission"] == "violating"
    assert doc["summary"] == {"error": 31, "warning": 4, "info": 2}
    assert len(doc["findings"]) == len(VIOLATING)
    for f in doc["findings"]:
        assert {"id", "rule", "severity", "entity", "location", "message", "source"} <= set(f)
        assert set(f["entity"]) == {"type", "id"}
        assert {"file", "line"} <= set(f["location"])
    got = sorted((f["rule"], f["entity"]["id"], f["location"]["file"], f["location"]["line"])
                 for f in doc["findings"])
    assert got == VIOLATING


def test_cli_json_compliant():
    out = CliRunner().invoke(main, ["check", str(FIXTURES / "compliant-de"), "--format", "json"])
    assert out.exit_code == 0
    doc = json.loads(out.output)
    assert doc["findings"] == [] and doc["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_cli_lang_en():
    en = CliRunner().invoke(main, ["check", str(FIXTURES / "violating"), "--lang", "en", "--format", "json"])
    de = CliRunner().invoke(main, ["check", str(FIXTURES / "violating"), "--format", "json"])
    msg_en = {f["id"]: f["message"] for f in json.loads(en.output)["findings"]}
    msg_de = {f["id"]: f["message"] for f in json.loads(de.output)["findings"]}
    group = next(f["id"] for f in json.loads(en.output)["findings"] if f["rule"] == "ASA-GROUP-SIZE")
    assert msg_en[group] == "SP session LN-00352 on 2022-03-21 with 9 participants (at most 8 allowed)"
    assert "Teilnehmenden" in msg_de[group]
    text = CliRunner().invoke(main, ["check", str(FIXTURES / "compliant"), "--lang", "en"])
    assert "No findings." in text.output and text.exit_code == 0
