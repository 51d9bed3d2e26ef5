"""The one table of user-facing words (engine/report/words.py): complete and consistent in both languages."""
import string

from engine.authoring.problems import RuleProblem
from engine.report.words import TEXT, Word, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_word_has_german_and_english_with_the_same_placeholders():
    for key, entry in TEXT.items():
        assert set(entry) == {"de", "en"}, key
        # a value may come in two languages: name_de in the German word, name_en in the English one
        assert ({f for f in _fields(entry["de"]) if not f.endswith("_de")}
                == {f for f in _fields(entry["en"]) if not f.endswith("_en")}), key


def test_german_words_are_not_the_english_ones():
    assert not {k for k, e in TEXT.items() if e["de"] == e["en"]}


def test_rule_problem_in_both_languages():
    p = RuleProblem.of("rules/X.yaml", 3, "rp_param_kind", field="hours", kind=Word("kind_number"),
                       name="limit", holds=Word("kind_text"))
    assert p.shown("de") == "rules/X.yaml:3: Feld 'hours' ist vom Typ Zahl, Parameter 'limit' enthält Text"
    assert str(p) == "rules/X.yaml:3: field 'hours' is number, parameter 'limit' holds text"
    assert p.message == p.text("en")
    assert t("rp_message_placeholder", "de").format(lang="en", name="limit").endswith("'{limit}'")


def test_errors_and_auditor_file_problems_take_their_words_from_the_table():
    from pathlib import Path

    from engine.audit.files import At
    from engine.report.outputs import OutputError, format_of
    from engine.report.words import Phrase

    try:
        format_of(Path("out.docx"))
    except OutputError as e:
        assert e.text("de").startswith("out.docx: Format unbekannt (Endung .docx); bekannt: ")
        assert str(e) == e.text("en") and e.text("en").startswith("out.docx: unknown format (extension .docx)")
    problem = At("p.yaml:3", Phrase("pm_wrong_kind", key="k", expected=Phrase("pm_like", default="8")))
    assert problem.text("de") == "p.yaml:3: „k“ hat nicht die erwartete Art (wie 8)"
    assert problem.text("en") == "p.yaml:3: 'k' is not of the expected kind (like 8)"
