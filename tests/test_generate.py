"""Synthetic bundles (synth/generate.py): deterministic, readable, clean when asked, violations where planted."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.check import INPUT_RULE, check_bundle
from synth.generate import RULE_IDS, generate, generate_contract
from engine.read.bundle import read_bundle
from engine.rules import load_rules

CONTRACTS, PARTICIPANTS = 2, 10


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    return out, generate(out, CONTRACTS, PARTICIPANTS, seed=7)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    out = tmp_path_factory.mktemp("planted")
    return out, generate(out, CONTRACTS, PARTICIPANTS, seed=7, violations=0.2)


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    """Contract 5: every fifth bundle is written in the German spreadsheet dialect."""
    out = tmp_path_factory.mktemp("german")
    generate_contract(out, 5, PARTICIPANTS, seed=3)
    return out / "contract-0005"


def test_same_seed_gives_identical_bytes(clean, tmp_path):
    out, _ = clean
    generate(tmp_path, CONTRACTS, PARTICIPANTS, seed=7)
    assert files(tmp_path) == files(out)


def test_other_seed_gives_other_bundles(clean, tmp_path):
    out, _ = clean
    generate(tmp_path, CONTRACTS, PARTICIPANTS, seed=8)
    a, b = files(out), files(tmp_path)
    assert a.keys() == b.keys()
    assert a != b


def test_a_contract_does_not_depend_on_the_others(clean, tmp_path):
    """Contract i alone is byte-identical to contract i of a whole run (parallel generation)."""
    out, _ = clean
    generate_contract(tmp_path, 2, PARTICIPANTS, seed=7)
    assert files(tmp_path / "contract-0002") == files(out / "contract-0002")


def test_bundle_layout_and_stats(clean):
    out, stats = clean
    bundles = sorted(p.name for p in out.iterdir())
    assert bundles == ["contract-0001", "contract-0002"]
    for b in bundles:
        names = {p.name for p in (out / b).iterdir()}
        assert {"contract.yaml", "staff.csv", "participants.csv", "reference_persons.csv", "suspensions.csv",
                "services.csv"} <= names
    assert stats.contracts == CONTRACTS
    assert stats.participants == CONTRACTS * PARTICIPANTS
    assert stats.planted == {}
    assert stats.bytes == sum(len(v) for v in files(out).values())
    rows = sum(len((out / b / "services.csv").read_bytes().splitlines()) - 1 for b in bundles)
    assert stats.services == rows
    # roughly 50 services per participant and year of participation
    assert 10 * stats.participants <= stats.services <= 200 * stats.participants


def test_clean_bundles_read_without_problems(clean):
    out, stats = clean
    total = 0
    for b in sorted(out.iterdir()):
        sub = read_bundle(b)
        assert [f"{p.file}:{p.line}: {p.column}: {p.en}" for p in sub.problems] == []
        assert sub.contract is not None and sub.staff and sub.participants and sub.reference_persons
        assert {s.role for s in sub.staff} >= {"AB", "SP", "LK"}
        assert all(s.employment == "employee" for s in sub.staff if s.role in ("AB", "SP"))
        assert all(len(s.participant_ids) == 1 for s in sub.services if s.element == "AB")
        ids = [p.participant_id for p in sub.participants]
        assert all(i.startswith(f"TN-{b.name[-4:]}-") for i in ids)
        total += len(sub.services)
    assert total == stats.services


def test_clean_bundles_have_no_error_findings(clean, ruleset):
    out, _ = clean
    for b in sorted(out.iterdir()):
        result = check_bundle(b, ruleset)
        errors = [f"{f.rule} {f.location.file}:{f.location.line} {f.message['en']}" for f in result.findings
                  if f.severity == "error" or f.rule == INPUT_RULE]
        assert errors == [], b.name


def test_german_dialect_bundle(german, ruleset):
    staff = (german / "staff.csv").read_bytes()
    assert staff.startswith(b"staff_id;role;")
    assert b"\r\n" in staff
    with pytest.raises(UnicodeDecodeError):
        staff.decode("utf-8")  # Windows-1252: the umlaut of the equivalence reference
    services = (german / "services.csv").read_text(encoding="cp1252").splitlines()
    date = services[1].split(";")[1]
    assert len(date) == 10 and date[2] == "." and date[5] == "."
    sub = read_bundle(german)
    assert sub.problems == []
    assert any("ü" in (s.equivalence_ref or "") for s in sub.staff)
    assert not [f for f in check_bundle(german, ruleset).findings if f.severity == "error"]


def test_planted_violations_are_found_once_each(planted, ruleset):
    out, stats = planted
    known = {lr.rule.id for lr in ruleset.rules} | {INPUT_RULE}
    assert set(stats.planted) <= set(RULE_IDS)
    assert len(stats.planted) >= 6, stats.planted
    found: Counter = Counter()
    for b in sorted(out.iterdir()):
        found.update(f.rule for f in check_bundle(b, ruleset).findings)
    for rule, n in sorted(stats.planted.items()):
        if rule in known:  # rules still being written are skipped
            assert found[rule] == n, (rule, found[rule], n)
    # nothing else fires: no collateral findings, and the invoice matches the ledger
    assert {r for r in found if r not in stats.planted} == set()


def test_violation_rate_roughly_holds(planted, clean):
    _, stats = planted
    service_kinds = sum(n for rule, n in stats.planted.items()
                        if rule not in ("ASA-STAFF-QUALIFICATION", "ASA-STAFF-EMPLOYMENT", "ASA-REFPERSON-MISSING",
                                        "ASA-SUSPENSION-LENGTH", "ASA-SUSPENSION-REASON"))
    assert 0.1 * stats.services <= service_kinds <= 0.3 * stats.services


def test_rate_out_of_range_is_refused(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, 1, 5, seed=1, violations=1.5)


def test_cli_generate(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["generate", str(tmp_path / "out"), "--contracts", "1", "--participants-per-contract",
                               "5", "--seed", "2", "--violations", "0.1"])
    assert res.exit_code == 0, res.output
    assert "Verträge:" in res.output and "Leistungen:" in res.output
    assert (tmp_path / "out" / "contract-0001" / "services.csv").is_file()
    res = runner.invoke(main, ["generate", str(tmp_path / "en"), "--contracts", "1", "--participants-per-contract",
                               "5", "--seed", "2", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "services:" in res.output and "planted violations: 0" in res.output
