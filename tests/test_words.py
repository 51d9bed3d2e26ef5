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
