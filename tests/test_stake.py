"""Money at stake per finding and its totals agree with the ledger to the cent (fixtures and a generated bundle)."""
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from engine.check import check_bundle
from engine.ledger import to_cents
from engine.rules import load_rules
from tests.bundles import run_cli as run, one_report as _one

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    r = run("generate", out, "--contracts", 1, "--participants-per-contract", 12, "--seed", 7,
            "--violations", 0.08, "--services-per-participant", 30)
    assert r.exit_code == 0, r.output
    [bundle] = [p for p in out.iterdir() if p.is_dir()]
    return bundle


def agreement(bundle: Path) -> dict:
    """The check's JSON totals against the ledger's JSON, rule by rule and year by year."""
    check = run("check", bundle, "--format", "json", "--lang", "en")
    ledger = run("ledger", bundle, "--format", "json", "--lang", "en")
    assert check.exit_code in (0, 1), check.output
    assert ledger.exit_code == 0, ledger.output
    c, lg = _one(json.loads(check.output)), json.loads(ledger.output)
    stake = c["at_stake"]
    years = {str(y["year"]): y for y in lg["years"]}
    assert set(stake["by_year"]) == {k for k, y in years.items()}
    for key, y in years.items():
        mine = stake["by_year"][key]
        assert mine["hours"] == y["dropped_hours"]
        assert mine["amount"] == y["dropped_amount"]
        assert mine["payment_effect"] == y["payment_effect"]
        assert mine["by_rule"] == {r: {"hours": h, "amount": y["dropped_amount_by_rule"][r]}
                                   for r, h in y["dropped_hours_by_rule"].items()}
    assert stake["amount"] == str(sum((Decimal(y["dropped_amount"]) for y in years.values()), Decimal("0.00")))
    return c


def test_fixture_violating_agrees_with_ledger_to_the_cent(ruleset):
    doc = agreement(FIX / "violating")
    # independent: exact hours of the ledger times the contract's price, rounded once
    result = check_bundle(FIX / "violating", ruleset)
    for y in result.ledger.years:
        for rule, hours in y.dropped_hours_by_rule.items():
            expected = to_cents(hours * Fraction(y.price_per_hour))
            assert doc["at_stake"]["by_year"][str(y.year)]["by_rule"][rule]["amount"] == str(expected)
    assert Decimal(doc["at_stake"]["amount"]) > 0
    drops = [f for f in doc["findings"] if f["billable_effect"] == "drop"]
    assert drops and all(f["amount"] is not None for f in drops)
    assert all(f["amount"] is None and f["hours"] is None for f in doc["findings"] if f["billable_effect"] == "none")


def test_each_finding_carries_its_service_hours(ruleset):
    result = check_bundle(FIX / "violating", ruleset)
    group = next(f for f in result.findings if f.rule == "ASA-GROUP-SIZE")
    assert group.entity.id == "LN-00352"
    assert group.hours == Decimal("1.50") and group.contract_year == 1
    assert group.amount == Decimal("93.75")  # 1.5 h x 62.50 EUR
    sums: dict = {}
    for f in result.findings:
        if f.amount is not None and f.contract_year is not None:
            sums[(f.contract_year, f.rule)] = sums.get((f.contract_year, f.rule), 0) + f.amount
    for y in result.stake.years:
        for rule, (_hours, amount) in y.by_rule.items():
            # each finding rounded to cents: the sum is within a cent per finding of the exact total
            n = sum(1 for f in result.findings if f.rule == rule and f.contract_year == y.year)
            assert abs(sums[(y.year, rule)] - amount) <= Decimal("0.01") * n


def test_generated_bundle_agrees_with_ledger_to_the_cent(generated):
    doc = agreement(generated)
    assert doc["summary"]["error"] > 0


def test_text_report_names_money_at_stake():
    r = run("check", FIX / "violating")
    assert "nicht abrechenbar" in r.output.lower()
    assert "93,75 €" in r.output


@pytest.mark.parametrize("selection", [["--rule", "ASA-GROUP-SIZE"], ["--skip-rule", "ASA-DOUBLE-BOOKING"],
                                       ["--rule", "ASA-SERVICE-*", "--skip-rule", "ASA-SERVICE-PERIOD"]])
def test_totals_at_stake_follow_the_rule_selection(selection):
    """--rule/--skip-rule: the totals shown are those of the selected findings; the ledger stays complete."""
    full = _one(json.loads(run("check", FIX / "violating", "--format", "json").output))
    doc = _one(json.loads(run("check", FIX / "violating", "--format", "json", *selection).output))
    stake = doc["at_stake"]
    rules = {f["rule"] for f in doc["findings"]}
    assert set(stake["by_rule"]) <= rules and set(stake["by_rule"]) < set(full["at_stake"]["by_rule"])
    assert all(stake["by_rule"][r] == full["at_stake"]["by_rule"][r] for r in stake["by_rule"])
    # each unbillable service once, as the findings of the selected rules carry it
    per_service = {f["entity"]["id"]: Decimal(f["hours"]) for f in doc["findings"] if f["billable_effect"] == "drop"}
    assert Decimal(stake["hours"]) == sum(per_service.values(), Decimal("0"))
    assert Decimal(stake["amount"]) == sum((Decimal(y["amount"]) for y in stake["by_year"].values()), Decimal("0"))
    assert Decimal(stake["amount"]) < Decimal(full["at_stake"]["amount"])
    assert doc["audit"]["rule_selection"]["rule" if selection[0] == "--rule" else "skip_rule"]
    assert full["audit"]["rule_selection"] is None
    text = run("check", FIX / "violating", *selection).output
    assert "Regelauswahl" in text and "Stundenkonto bleibt vollständig" in text
    assert "Regelauswahl" in run("check", FIX / "violating", "--format", "html", *selection).output
    assert "rule selection" in run("check", FIX / "violating", "--format", "junit", *selection).output
    sarif = json.loads(run("check", FIX / "violating", "--format", "sarif", *selection).output)
    [sarif_run] = sarif["runs"]
    assert sarif_run["properties"]["audit"]["rule_selection"] == doc["audit"]["rule_selection"]
    assert sarif_run["properties"]["atStake"][0]["amount"] == stake["amount"]


def test_selecting_every_rule_keeps_the_ledger_totals(ruleset):
    result = check_bundle(FIX / "violating", ruleset)
    assert result.stake.selected(result.ledger, lambda rule: True).years == result.stake.years
