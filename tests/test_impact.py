"""rules coverage and rules diff on the fixture corpus."""
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_coverage_every_rule_fires_on_the_fixtures():
    r = run("rules", "coverage", "--corpus", str(ROOT / "fixtures"))
    assert r.exit_code == 0, r.output
    assert "25 von 25 Regeln schlugen" in r.output
    assert "nie angeschlagen" not in r.output


def test_coverage_names_rules_that_never_fire():
    r = run("rules", "coverage", "--corpus", str(ROOT / "fixtures" / "compliant"))
    assert "ASA-GROUP-SIZE" in r.output and "nie angeschlagen" in r.output


def test_diff_reports_added_and_removed_findings(tmp_path):
    new = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", new)
    path = new / "ASA-GROUP-SIZE.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    default: 8", "    default: 9"), encoding="utf-8")
    corpus = str(ROOT / "fixtures" / "violating")
    r = run("rules", "diff", str(ROOT / "rules"), str(new), "--corpus", corpus)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "-1 ASA-GROUP-SIZE"
    assert "- ASA-GROUP-SIZE services.csv:353 Leistung LN-00352" in r.output
    r = run("rules", "diff", str(ROOT / "rules"), str(new), "--corpus", corpus, "--fail-on-change")
    assert r.exit_code == 1


def test_diff_against_a_git_revision_without_change(monkeypatch):
    monkeypatch.chdir(ROOT)
    r = run("rules", "diff", "HEAD", "rules", "--corpus", str(ROOT / "fixtures" / "compliant"))
    assert r.exit_code == 0, r.output
    assert "keine Änderung der Befunde" in r.output


def test_diff_unknown_revision_is_a_usage_error():
    r = run("rules", "diff", "no-such-rev-xyz", "rules", "--corpus", str(ROOT / "fixtures" / "compliant"))
    assert r.exit_code == 2
    assert "ist weder ein Regelverzeichnis noch eine git-Revision" in r.output
