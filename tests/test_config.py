"""asa-check.toml / [tool.asa-check]: keys are option names, flags win; asa-check config shows what is in force."""
import json
from pathlib import Path

import click

from engine.config import Config, default_map
from tests.bundles import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def test_config_file_sets_defaults_and_flags_win(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asa-check.toml").write_text(
        'lang = "en"\nfail-on = "info"\noutput = ["r.json", "f.csv"]\n\n[check]\nformat = "json"\n')
    r = run("check", FIX / "compliant-de")
    assert r.exit_code == 0 and json.loads(r.stdout)["submissions"][0]["findings"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["asa-check.toml", "f.csv", "r.json"]
    assert (tmp_path / "f.csv").read_text(encoding="utf-8-sig").startswith("submission,rule")  # lang = "en"
    r = run("check", FIX / "violating", "--fail-on", "error", "--lang", "de", "--format", "text", "-o", "x.md")
    assert r.exit_code == 1 and "Zusammenfassung" in r.stdout and (tmp_path / "x.md").exists()
    r = run("check", FIX / "cohort-2021", "--quiet")  # 1 error; fail-on info from the file
    assert r.exit_code == 1
    r = run("ledger", FIX / "compliant")  # lang applies to every command
    assert "Hour contingent" in r.stdout


def test_pyproject_table_and_command_tables(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.asa-check]\nno-progress = true\nmax_depth = 1\n\n'
        '[tool.asa-check.ledger]\nformat = "csv"\n\n[tool.asa-check.rules.list]\nformat = "json"\n')
    assert run("ledger", FIX / "compliant").stdout.startswith("\ufeffVertrag;")
    assert json.loads(run("rules", "list").stdout)["rules"]
    r = run("config")
    assert "check --max-depth = 1   (pyproject.toml [tool.asa-check]: max_depth)" in r.stdout
    assert "check --progress = false   (pyproject.toml [tool.asa-check]: no-progress)" in r.stdout
    assert "check --fail-on = error   (Vorgabe)" in r.stdout
    assert "ledger --format = csv   (pyproject.toml [tool.asa-check]: ledger.format)" in r.stdout
    doc = json.loads(run("config", "ledger", "--format", "json").stdout)
    assert {"command": "ledger", "option": "--format", "value": "csv",
            "from": "pyproject.toml [tool.asa-check]: ledger.format"} in doc["settings"]


def test_own_file_wins_over_pyproject_and_no_file_is_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "Konfigurationsdatei: keine" in run("config").stdout
    (tmp_path / "pyproject.toml").write_text('[tool.asa-check]\nlang = "en"\n')
    (tmp_path / "asa-check.toml").write_text('fail-on = "warning"\n')
    out = run("config").stdout
    assert "check --lang = de   (Vorgabe)" in out and "check --fail-on = warning   (asa-check.toml: fail-on)" in out


def test_unknown_keys_bad_values_and_bad_toml_are_usage_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for text, said in [('fail_on = "sometimes"', "fail_on: 'sometimes' is not one of"),
                       ("colour = true", "unbekannter Schlüssel 'colour': keine Option --colour"),
                       ("[chek]\nlang = 'en'", "[chek] ist kein Befehl"),
                       ("[ledger]\nrule = ['X']", "unbekannter Schlüssel 'ledger.rule' (Befehl ledger)"),
                       ("lang = ", "kein gültiges TOML"),
                       ("no-color = 'yes'", "no-color: erwartet true oder false"),
                       ("color = 3", "color: ungültiger Wert 3"),
                       ("jobs = [1, 2]", "jobs:")]:
        (tmp_path / "asa-check.toml").write_text(text)
        r = run("check", FIX / "compliant")
        assert r.exit_code == 2 and said in r.output, (text, r.output)
        assert "Traceback" not in r.output


def test_any_option_of_any_command_is_a_key_without_code_for_it():
    @click.group()
    def group():
        pass

    @group.command()
    @click.option("--waivers", type=click.Path())
    @click.option("--fail-on-new", is_flag=True)
    def check(waivers, fail_on_new):
        pass

    config = Config(Path("asa-check.toml"), "asa-check.toml", {"waivers": "w.yaml", "fail-on-new": True})
    assert default_map(config, group) == {"check": {"waivers": "w.yaml", "fail_on_new": True}}
