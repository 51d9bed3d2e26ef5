"""Evidence shows fields by their label, German and English, never only the field's name."""
import datetime as dt

import pytest

from engine.compile import fields_used
from engine.report.why import why_text
from engine.rules import load_rules
from schemas.fact_labels import FIELD_LABELS, field_label
from schemas.facts import FACT_TYPES
from schemas.finding import Evidence, ParameterValue

NOT_SHOWN = {"file", "line"}  # where the record is: the finding's location, never evidence


def test_every_fact_field_has_a_german_and_an_english_label():
    fields = {n for cls in FACT_TYPES.values() for n in cls.model_fields} - NOT_SHOWN
    missing = sorted(fields - set(FIELD_LABELS))
    assert not missing, f"fields without a label in schemas/fact_labels.py: {missing}"
    for name, (de, en) in FIELD_LABELS.items():
        assert de.strip() and en.strip() and "_" not in de + en, name  # words, not the field's name


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_field_a_rule_reads_is_labelled(lang):
    used = {name for lr in load_rules().rules for name in fields_used(lr.rule)}
    assert used, "the rules read fields"
    assert not sorted(used - set(FIELD_LABELS))
    assert not [n for n in sorted(used) if "_" in field_label(n, lang)]


def test_evidence_line_uses_labels_and_code_labels():
    evidence = Evidence(facts={"participant_count": 7, "attendance": "absent_announced",
                               "billable_attendance": False},
                        parameters=(ParameterValue(name="max_group_size", value=6, origin="dated",
                                                   valid_from=dt.date(2024, 8, 1),
                                                   dated_by="cohort_start",
                                                   on=dt.date(2024, 8, 1)),))
    de, en = why_text(evidence, "de"), why_text(evidence, "en")
    assert "Zahl der Teilnehmenden = 7" in de and "Teilnahme abrechenbar = nein" in de
    assert "rechtzeitig abgesagt (absent_announced)" in de
    assert "da Beginn der begleitenden Phase (Kohorte) = 01.08.2024" in de
    assert "number of participants = 7" in en and "attendance billable = no" in en
    for internal in ("participant_count", "billable_attendance", "cohort_start"):
        assert internal not in de and internal not in en
