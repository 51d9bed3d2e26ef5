"""The docs embed the generated rule catalog; it must match the rules."""
from pathlib import Path

from engine.report.catalog import BEGIN, END, embed_catalog, render_catalog
from engine.rules import load_rules

DOC = Path(__file__).resolve().parent.parent / "docs" / "traceability.md"


def test_traceability_catalog_is_current():
    text = DOC.read_text(encoding="utf-8")
    expected = embed_catalog(text, render_catalog(load_rules(), "markdown", "de"))
    assert text == expected, "run: asa-check rules list --update docs/traceability.md"


def test_every_rule_is_traced():
    text = DOC.read_text(encoding="utf-8").split(BEGIN)[0]
    missing = [lr.rule.id for lr in load_rules().rules if lr.rule.id not in text]
    assert not missing, f"rules not mentioned in docs/traceability.md: {missing}"
    assert END in DOC.read_text(encoding="utf-8")
