"""Message rendering: details chosen by the engine, German/English number and date formats."""
import datetime as dt

from engine.evaluate import Evaluator
from engine.report.messages import fmt_money, fmt_number, render
from engine.rules import load_rules
from schemas.facts import ContractYearFact, ServiceFact

RULES = {lr.rule.id: lr.rule for lr in load_rules().rules}


def test_only_the_details_that_hold_are_appended():
    ev = Evaluator([RULES["ASA-SERVICE-PERIOD"]])
    [f] = ev.findings([ServiceFact(service_id="S1", staff_id="M4", outside_employment=True,
                                   date=dt.date(2022, 3, 1))])
    assert f.message["de"] == ("AB-Termin S1 (BP) am 01.03.2022 außerhalb eines zulässigen Zeitraums: "
                               "M4 ist an diesem Tag nicht beschäftigt (staff.csv)")
    [g] = ev.findings([ServiceFact(service_id="S2", outside_employment=True, outside_contract_phase=True)])
    assert g.message["en"].count(";") == 1 and "contract's BP phase" in g.message["en"]


def test_money_and_numbers_per_language():
    ev = Evaluator([RULES["ASA-INVOICE-MISMATCH"]])
    [f] = ev.findings([ContractYearFact(has_claim=True, settlement_diff=1234.5, claimed_settlement=1234.5,
                                        settlement_amount=0.0)])
    assert "beantragt 1.234,50 €, berechnet 0,00 €" in f.message["de"]
    assert "claimed EUR 1,234.50, computed EUR 0.00" in f.message["en"]
    assert "billed" not in f.message["en"]  # the hours detail does not hold
    assert fmt_number(2800.0, "de") == "2.800" and fmt_number(572.75, "de") == "572,75"
    assert fmt_money(14583.333, "de") == "14.583,33 €"


def test_render_leaves_unknown_placeholders_and_shows_empty_as_dash():
    assert render("{a} {b} {c}", {"a": "", "b": dt.date(9999, 12, 31)}, "de") == "– offen {c}"


def test_a_code_label_reads_well_inside_the_german_message():
    """The German label of a code carries its own preposition ("per Video", "telefonisch"): the message of
    ASA-SFU-REMOTE once said "per per Video"."""
    from pathlib import Path

    from engine.check import check_bundle

    result = check_bundle(Path(__file__).resolve().parent.parent / "fixtures" / "violating", load_rules())
    [remote] = [f for f in result.findings if f.rule == "ASA-SFU-REMOTE"]
    assert "am 16.06.2023 per Video (video):" in remote.message["de"]
    assert "per per" not in remote.message["de"] and "by video" in remote.message["en"]
