"""Every parameter in YAML is really used: changed in a copy of rules/, some result changes.

One case per declared parameter (rule files and rules/ledger.yaml); a parameter
added without a case fails ``test_every_parameter_has_a_case``. A result is the
findings (rule, record, place, message) and the ledger's figures of a fixture.
"""
import shutil
from pathlib import Path

import pytest
import yaml

from engine.check import check_submission
from engine.parameters import declarations
from engine.read.bundle import read_bundle
from engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
RULES = load_rules()

# (owner, parameter) -> (new default, fixture whose result changes)
CASES = {
    ("ASA-AFTERCARE-LIMIT", "employment_months"): (8, "violating"),
    ("ASA-AFTERCARE-LIMIT", "training_months"): (1, "compliant"),
    ("ASA-CARRYOVER-LIMIT", "tolerance_hours"): (100.0, "violating"),
    ("ASA-CONTRACT-TERM", "accompanying_months"): (35, "compliant"),
    ("ASA-CONTRACT-TERM", "max_extension_months"): (36, "violating"),
    ("ASA-CONTRACT-TERM", "max_prephases"): (0, "compliant"),
    ("ASA-GROUP-SIZE", "max_group_size"): (9, "violating"),
    ("ASA-INVOICE-MISMATCH", "tolerance_hours"): (1000.0, "violating"),
    ("ASA-INVOICE-MISMATCH", "tolerance_eur"): (1000000.0, "violating"),
    ("ASA-PREPHASE-DURATION", "max_extended_months"): (9, "violating"),
    ("ASA-PREPHASE-EXTENSION-REASON", "max_months"): (7, "violating"),
    ("ASA-PREPHASE-PLACEMENT", "max_months"): (5, "violating"),
    ("ASA-REFPERSON-MISSING", "max_days_without_refperson"): (30, "violating"),
    ("ASA-STAFF-QUALIFICATION", "min_youth_experience_months"): (11, "violating"),
    ("ASA-STAFF-QUALIFICATION", "trade_qualifications"): (["meister", "techniker"], "compliant"),
    ("ASA-STAFF-QUALIFICATION", "trainer_aptitude"): (["ausbildereignung"], "compliant"),
    ("ASA-STAFF-QUALIFICATION", "social_degrees"): (["studium_heilpaedagogik"], "compliant"),
    ("ASA-STAFF-QUALIFICATION", "comparable_degrees"): (["studium_anders"], "compliant"),
    ("ASA-SUSPENSION-LENGTH", "max_suspension_months"): (7, "violating"),
    ("ASA-SUSPENSION-REASON", "accepted_reasons"): (["parental_leave", "sick_pay", "stay_abroad"], "violating"),
    ("ledger", "minimum_share"): (0.8, "compliant"),
    ("ledger", "prephase_minimum_share"): (0.8, "compliant"),
    ("ledger", "contract_year_months"): (6, "compliant"),
    ("ledger", "carry_in_may_roll"): (False, "compliant"),
    ("ledger", "billable_attendance"): (["present"], "violating"),
    ("ledger", "group_hours"): ("per_participant", "compliant"),
}


_bundles: dict[str, object] = {}


def result_of(ruleset, fixture: str) -> tuple:
    if fixture not in _bundles:
        _bundles[fixture] = read_bundle(FIX / fixture)
    r = check_submission(_bundles[fixture], ruleset)
    findings = tuple((f.rule, f.entity.id, f.location.file, f.location.line, f.message["en"]) for f in r.findings)
    years = tuple((y.documented_hours, y.not_delivered_hours, y.dropped_hours, y.billable_hours, y.payable_hours,
                   y.minimum_hours, y.settlement_amount, y.allowed_carry_out) for y in r.ledger.years)
    prephases = tuple((p.minimum_places, p.total_amount) for p in r.ledger.prephases)
    return findings, years, prephases


_baseline: dict[str, tuple] = {}


def baseline(fixture: str) -> tuple:
    if fixture not in _baseline:
        _baseline[fixture] = result_of(RULES, fixture)
    return _baseline[fixture]


def test_every_parameter_has_a_case():
    assert set(CASES) == set(declarations(RULES))


@pytest.mark.parametrize("owner, name", sorted(CASES))
def test_changing_the_parameter_in_yaml_changes_a_result(tmp_path, owner, name):
    new, fixture = CASES[(owner, name)]
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / ("ledger.yaml" if owner == "ledger" else f"{owner}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["parameters"][name]["default"] != new
    data["parameters"][name]["default"] = new
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = load_rules(rules)
    assert not changed.problems
    assert result_of(changed, fixture) != baseline(fixture)
