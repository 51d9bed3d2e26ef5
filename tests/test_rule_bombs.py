"""Rule files come in pull requests: a hostile one is refused with a clear message, never a hang.

The lint runs in a child process with a timeout: before the fix the alias bomb
took over 120 s and 9 GB, the deep condition ended in a RecursionError
traceback, and the long lists and the exploding condition passed the lint.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
RULE = (ROOT / "rules" / "ASA-GROUP-SIZE.yaml").read_text(encoding="utf-8")


def _rule(rule_id: str, condition: str) -> str:
    head, tail = RULE.split("condition:\n")
    return (head.replace("id: ASA-GROUP-SIZE", f"id: {rule_id}") + f"condition: {condition}\n"
            + tail[tail.index("message:"):])


def _alias_bomb() -> str:
    lines = ['x0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n" + _rule("ASA-BOMB", "{all: *a9}")


def _deep() -> str:
    cond = "{field: minutes, gt: 1}"
    for _ in range(2000):
        cond = "{not: " + cond + "}"
    return _rule("ASA-BOMB", cond)


def _values(n: int) -> str:
    return _rule("ASA-BOMB", "{field: element, in: [" + ",".join(f"V{i}" for i in range(n)) + "]}")


def _alternatives() -> str:
    pairs = ", ".join(f"{{any: [{{field: minutes, eq: {i}}}, {{field: participant_count, eq: {i}}}]}}"
                      for i in range(30))
    return _rule("ASA-BOMB", "{all: [" + pairs + "]}")


def _tiny_limit() -> str:
    return _rule("ASA-BOMB", "{field: hours, gt: 1.0e-7}")


BOMBS = {
    "alias bomb": (_alias_bomb, "YAML aliases"),
    "2,000-deep condition": (_deep, "nested deeper than 30 levels"),
    "100,000-value in: list": (lambda: _values(100_000), "more than 5000 YAML values"),
    "600-value in: list": (lambda: _values(600), "'in' lists 600 values, at most 500"),
    "2**30 alternatives": (_alternatives, "more than 4096 alternatives"),
    "limit the engine cannot represent": (_tiny_limit, "non-zero fraction below 0.0001"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_lint_refuses_hostile_rule_file(tmp_path, name):
    make, expected = BOMBS[name]
    d = tmp_path / "rules"
    d.mkdir()
    shutil.copy(ROOT / "rules" / "ASA-GROUP-SIZE.yaml", d)
    (d / "ASA-BOMB.yaml").write_text(make(), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cli", "rules", "lint", str(d), "--lang", "en"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert any("ASA-BOMB.yaml:" in line and expected in line for line in proc.stdout.splitlines()), proc.stdout
    assert "Traceback" not in proc.stderr


def test_check_with_an_exploding_rule_reports_it_and_checks_the_others(tmp_path):
    """Rule loading for a check: the rule the engine cannot take is NOT checked, said so; the rest is."""
    d = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", d)
    (d / "ASA-BOMB.yaml").write_text(_alternatives(), encoding="utf-8")
    (d / "ASA-ALIAS.yaml").write_text(_alias_bomb().replace("ASA-BOMB", "ASA-ALIAS"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(ROOT / "fixtures" / "violating"), "--rules", str(d),
                                       "--lang", "en", "--format", "json", "--jobs", "1"])
    assert result.exit_code == 1
    assert "ASA-GROUP-SIZE" in result.output
    engine = [line for line in result.output.splitlines() if "NOT checked" in line]
    assert any("ASA-BOMB" in line and "4096 alternatives" in line for line in engine)
    assert any("ASA-ALIAS.yaml" in line and "aliases" in line for line in engine)


@pytest.mark.parametrize("override", [
    "{max_group_size: 1.0e-7}",
    "{max_group_size: 10000000000000000000}",
])
def test_contract_override_the_engine_cannot_take_keeps_the_law(tmp_path, override):
    """A provider cannot switch a rule off by giving it a limit the engine cannot represent."""
    bundle = tmp_path / "b"
    shutil.copytree(ROOT / "fixtures" / "violating", bundle)
    contract = bundle / "contract.yaml"
    text = contract.read_text(encoding="utf-8")
    contract.write_text("\n".join(line for line in text.splitlines() if not line.startswith("parameters:"))
                        + f"\nparameters: {override}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bundle), "--lang", "en", "--jobs", "1"])
    assert "parameters.max_group_size" in result.output
    assert "ASA-GROUP-SIZE" in result.output
    assert "NOT checked" not in result.output and "could not be compiled" not in result.output


@pytest.mark.parametrize("override", ["1.0e-7", "10000000000000000000"])
def test_auditor_parameter_the_engine_cannot_take_is_a_usage_error(tmp_path, override):
    """The auditor's file is refused too: a limit the engine cannot hold would leave the rule unchecked."""
    params = tmp_path / "params.yaml"
    params.write_text(f"parameters: {{max_group_size: {override}}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(ROOT / "fixtures" / "compliant"), "--parameters", str(params),
                                       "--lang", "en", "--jobs", "1"])
    assert result.exit_code == 2
    assert "max_group_size" in result.output and "Traceback" not in result.output


def test_contract_override_list_too_long_keeps_the_default():
    from engine.parameters import _fits_default

    assert _fits_default(["A"] * 500, ["A", "B"])
    assert not _fits_default(["A"] * 501, ["A", "B"])
