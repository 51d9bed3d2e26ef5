"""rules lint / test / list on scratch copies of the rule set with deliberate mistakes."""
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli import main

RULES = Path(__file__).resolve().parent.parent / "rules"
GROUP = RULES / "ASA-GROUP-SIZE.yaml"


@pytest.fixture
def scratch(tmp_path):
    d = tmp_path / "rules"
    d.mkdir()
    shutil.copy(GROUP, d / GROUP.name)
    return d


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_lint_clean(scratch):
    r = run("rules", "lint", str(scratch))
    assert r.exit_code == 0, r.output


def test_lint_unknown_field_with_line(scratch):
    f = scratch / GROUP.name
    _edit(f, "{field: participant_count, gt:", "{field: participant_cnt, gt:")
    r = run("rules", "lint", str(scratch))
    assert r.exit_code == 1
    line = next(n for n, l in enumerate(f.read_text().splitlines(), 1) if "participant_cnt" in l)
    assert f"ASA-GROUP-SIZE.yaml:{line}: unbekanntes Feld 'participant_cnt' der Faktenart service" in r.output
    r = run("rules", "lint", str(scratch), "--lang", "en")
    assert r.exit_code == 1
    assert f"ASA-GROUP-SIZE.yaml:{line}: unknown field 'participant_cnt' of fact type service" in r.output
    assert "1 problem(s) in 1 rule(s)" in r.output


def test_lint_severity_typo_and_missing_language(scratch):
    f = scratch / GROUP.name
    _edit(f, "severity: error", "severity: eror")
    _edit(f, "  en: SP or SFU session with too many participants\n", "")
    r = run("rules", "lint", str(scratch))
    assert r.exit_code == 1
    assert "severity: erlaubt ist 'error', 'warning' oder 'info'" in r.output
    assert "title.en: Pflichtfeld fehlt" in r.output
    r = run("rules", "lint", str(scratch), "--lang", "en")
    assert "severity: Input should be 'error', 'warning' or 'info'" in r.output
    assert "title.en: Field required" in r.output


def test_lint_unknown_parameter_and_placeholder(scratch):
    f = scratch / GROUP.name
    _edit(f, "gt: {param: max_group_size}", "gt: {param: max_group}")
    _edit(f, "(höchstens {max_group_size} zulässig)", "(höchstens {limit} zulässig)")
    r = run("rules", "lint", str(scratch))
    assert "unbekannter Parameter 'max_group'" in r.output
    assert "Meldung (de) nennt unbekanntes Feld oder unbekannten Parameter '{limit}'" in r.output
    assert "de- und en-Meldung nutzen verschiedene Platzhalter: ['limit', 'max_group_size']" in r.output
    r = run("rules", "lint", str(scratch), "--lang", "en")
    assert "unknown parameter 'max_group'" in r.output
    assert "message (de) names unknown field or parameter '{limit}'" in r.output
    assert "de and en messages use different placeholders" in r.output


def test_lint_duplicate_id_and_file_name(scratch):
    shutil.copy(scratch / GROUP.name, scratch / "ASA-GROUP-SIZE-COPY.yaml")
    r = run("rules", "lint", str(scratch), "--lang", "en")
    assert "duplicate id 'ASA-GROUP-SIZE'" in r.output
    assert "does not match id" in r.output
    r = run("rules", "lint", str(scratch))
    assert "doppelte id 'ASA-GROUP-SIZE' (auch in ASA-GROUP-SIZE" in r.output
    assert "Dateiname 'ASA-GROUP-SIZE-COPY.yaml' passt nicht zur id 'ASA-GROUP-SIZE'" in r.output


def test_lint_quote_must_be_verbatim(scratch):
    _edit(scratch / GROUP.name, "mit bis zu acht Teilnehmenden", "mit bis zu zehn Teilnehmenden")
    r = run("rules", "lint", str(scratch))
    assert "Zitat nicht wörtlich in 'BA-Information AsA flex' gefunden" in r.output


def test_lint_overlapping_dated_periods(scratch):
    _edit(scratch / GROUP.name, "      - {valid_from: 2024-08-01, value: 6}",
          "      - {valid_from: 2024-08-01, value: 6}\n      - {valid_from: 2025-01-01, value: 5}")
    r = run("rules", "lint", str(scratch))
    assert "Zeitraum 2 überschneidet sich mit Zeitraum 1" in r.output
    assert "period 2 overlaps period 1" in run("rules", "lint", str(scratch), "--lang", "en").output


def test_lint_examples_need_both_kinds(scratch):
    f = scratch / GROUP.name
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    data["examples"] = [e for e in data["examples"] if e["expect"]]
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = run("rules", "lint", str(scratch))
    assert "kein zulässiges Beispiel (ein Beispiel mit 'expect: []')" in r.output


def test_rules_test_passes_and_junit(scratch):
    r = run("rules", "test", str(scratch))
    assert r.exit_code == 0, r.output
    assert "0 fehlgeschlagen" in r.output
    r = run("rules", "test", str(scratch), "--format", "junit")
    assert r.output.count("<testcase ") == 9  # 8 examples + the boundary case
    assert "<failure" not in r.output


def test_rules_test_catches_moved_threshold(scratch):
    _edit(scratch / GROUP.name, "    default: 8", "    default: 9")
    r = run("rules", "test", str(scratch))
    assert r.exit_code == 1
    assert "FEHLER ASA-GROUP-SIZE [0] 2021 cohort, SFU with 9 participants violates" in r.output
    assert "erwartet ['S1'], erhalten []" in r.output
    junit = run("rules", "test", str(scratch), "--format", "junit").output
    assert "message=\"erwartet ['S1'], erhalten []\"" in junit.replace("&#x27;", "'").replace("&apos;", "'")
    junit = run("rules", "test", str(scratch), "--format", "junit", "--lang", "en").output
    assert "expected ['S1'], got []" in junit.replace("&#x27;", "'").replace("&apos;", "'")


def test_rules_test_requires_boundary_examples(scratch):
    f = scratch / GROUP.name
    data = yaml.safe_load(f.read_text(encoding="utf-8"))
    # keep only examples far from both limits: moving a limit by one changes nothing
    data["examples"] = [
        {"name": "far above", "facts": [{"service_id": "S1", "element": "SP", "participant_count": 20}], "expect": ["S1"]},
        {"name": "far below", "facts": [{"service_id": "S2", "element": "SP", "participant_count": 2}], "expect": []},
    ]
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = run("rules", "test", str(scratch))
    assert r.exit_code == 1
    assert "max_group_size 8 → 9 verschoben ändert das Ergebnis keines Beispiels" in r.output
    junit = run("rules", "test", str(scratch), "--format", "junit").output
    assert re.search(r'name="Grenzwerte durch Beispiele an der Grenze festgelegt">\s*<failure', junit), junit


def test_rules_list_markdown():
    r = run("rules", "list", "--format", "markdown")
    assert r.exit_code == 0
    assert "| `ASA-GROUP-SIZE` | error |" in r.output
    assert "| `ASA-INPUT` |" in r.output


def test_lint_fails_when_the_source_document_is_missing(monkeypatch, tmp_path):
    """Without the source text no quote could be checked: that is a lint problem, never a silent pass."""
    from engine.authoring import lint as lint_module
    monkeypatch.setattr(lint_module, "SOURCES_DIR", tmp_path)
    r = run("rules", "lint")
    assert r.exit_code == 1
    assert "Quelldokument 'BA-Information AsA flex' fehlt" in r.output
    assert "source document 'BA-Information AsA flex' missing" in run("rules", "lint", "--lang", "en").output
