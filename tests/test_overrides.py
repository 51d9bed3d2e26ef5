"""contract.yaml parameters: overrides take effect; wrong kinds are reported, never a silent pass."""
import shutil
from pathlib import Path

from engine.check import check_bundle
from engine.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def bundle_with(tmp_path, params_yaml: str) -> Path:
    d = tmp_path / "b"
    shutil.copytree(ROOT / "fixtures" / "violating", d)
    text = (d / "contract.yaml").read_text(encoding="utf-8")
    assert "parameters: {}" in text
    (d / "contract.yaml").write_text(text.replace("parameters: {}", params_yaml), encoding="utf-8")
    return d


def rules_of(result):
    return [f.rule for f in result.findings]


def test_plain_override_changes_the_limit(tmp_path):
    r = check_bundle(bundle_with(tmp_path, "parameters: {max_group_size: 9}"), RULES)
    assert "ASA-GROUP-SIZE" not in rules_of(r)


def test_rule_scoped_and_list_override(tmp_path):
    r = check_bundle(bundle_with(tmp_path, "parameters:\n  ASA-SUSPENSION-REASON:\n"
                                           "    accepted_reasons: [parental_leave, sick_pay, stay_abroad]"), RULES)
    assert "ASA-SUSPENSION-REASON" not in rules_of(r)
    assert not [f for f in r.findings if f.rule == "ASA-INPUT" and f.location.file == "contract.yaml"]


def test_dated_override(tmp_path):
    r = check_bundle(bundle_with(tmp_path, "parameters:\n  max_group_size:\n"
                                           "    - {valid_from: 2021-01-01, valid_to: 2030-12-31, value: 9}"), RULES)
    assert "ASA-GROUP-SIZE" not in rules_of(r)


def test_wrong_kind_is_reported_and_default_used(tmp_path):
    r = check_bundle(bundle_with(tmp_path, "parameters: {max_group_size: acht, ASA-SUSPENSION-REASON: "
                                           "{accepted_reasons: parental_leave}, bogus: 1}"), RULES)
    assert "ASA-GROUP-SIZE" in rules_of(r)  # default 8 still applies
    assert "ASA-SUSPENSION-REASON" in rules_of(r)
    msgs = [f.message["en"] for f in r.findings if f.rule == "ASA-INPUT" and f.location.file == "contract.yaml"]
    assert any('"max_group_size" is not of the expected kind' in m for m in msgs)
    assert any('"ASA-SUSPENSION-REASON.accepted_reasons" is not of the expected kind' in m for m in msgs)
    assert any('unknown parameter "bogus"' in m for m in msgs)
    assert not any(f.rule == "ASA-ENGINE" for f in r.findings)
