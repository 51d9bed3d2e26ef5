"""Hand-computed cases for the hour/money ledger (engine/ledger.py) and its report."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, time
from decimal import Decimal
from fractions import Fraction

import pytest

from engine.ledger import compute_ledger as _compute_ledger
from engine.ledger import to_cents, year_facts
from engine.report.ledger import LedgerYearError, render_ledger
from engine.parameters import auditor_parameters, resolve
from engine.rules import load_rules
from schemas.facts import ContractYearFact
from schemas.submission import (
    AccompanyingPhase,
    Contingent,
    Contract,
    Invoice,
    Loc,
    Participant,
    Period,
    PrePhase,
    Service,
    Submission,
)

CY = "contract.yaml"
RULES = load_rules()


def compute_ledger(sub, dropped, **auditor):
    """The ledger with the bundled rules' parameters; ``auditor``: the auditor's overrides."""
    aud = auditor_parameters({"parameters": auditor}, "audit.yaml", {}, RULES) if auditor else None
    return _compute_ledger(sub, dropped, resolve(RULES, sub.contract, aud))


def contingent(year: int, hours=4000, line: int = 0) -> Contingent:
    start = date(2020 + year, 9, 1)
    return Contingent(loc=Loc(file=CY, line=line or 20 + year), year=year, start=start,
                      end=date(2021 + year, 8, 31), hours=Decimal(hours))


def make_contract(hours=(4000, 4000, 4000), parameters=None, extension=False, pre_phases=(),
                  price="62.50") -> Contract:
    phase = AccompanyingPhase(
        loc=Loc(file=CY, line=10),
        start=date(2021, 9, 1),
        end=date(2024, 8, 31),
        extensions=[Period(loc=Loc(file=CY, line=14), start=date(2024, 9, 1), end=date(2026, 8, 31))]
        if extension else [],
        price_per_hour=Decimal(price),
        minimum_share=Decimal("0.70"),
        contingents=[contingent(i + 1, h) for i, h in enumerate(hours)],
    )
    return Contract(loc=Loc(file=CY, line=1), contract_id="955-0042-21", provider_id="T-0042",
                    accompanying_phase=phase, parameters=parameters or {}, pre_phases=list(pre_phases))


_n = [0]


def svc(day: date, hours=None, minutes=None, sid=None, participants=("TN1",), element="AB", phase="BP") -> Service:
    _n[0] += 1
    if minutes is None:
        minutes = int(Fraction(str(hours)) * 60)
    return Service(loc=Loc(file="services.csv", line=_n[0] + 1), service_id=sid or f"X{_n[0]}", date=day,
                   start=time(10, 0), minutes=minutes, element=element, phase=phase, staff_id="M1",
                   participant_ids=tuple(participants))


def make_sub(contract=None, services=(), invoice=None, participants=()) -> Submission:
    return Submission(name="t", contract=contract if contract is not None else make_contract(),
                      services=list(services), invoice=invoice, participants=list(participants))


Y1 = date(2022, 1, 10)
Y2 = date(2023, 1, 10)
Y3 = date(2024, 1, 10)
Y4 = date(2025, 1, 10)


# --- minimum, settlement -----------------------------------------------------------------

def test_exactly_at_minimum():
    led = compute_ledger(make_sub(services=[svc(Y1, 2000), svc(date(2022, 5, 2), 800)]), {})
    y = led.years[0]
    assert y.documented_hours == y.billable_hours == y.payable_hours == 2800
    assert y.minimum_hours == 2800
    assert y.settlement_amount == Decimal("0.00")
    assert y.minimum_payment == Decimal("175000.00")  # 2800 h x 62.50
    assert y.monthly_installment == Decimal("14583.33")  # 175000 / 12 = 14583.333..
    assert y.total_payment == Decimal("175000.00")
    assert y.allowed_carry_out == 1200  # 4000 - max(2800, 2800)
    assert led.years[1].carry_in == 1200


def test_below_minimum_pays_minimum_and_carries_only_above_it():
    led = compute_ledger(make_sub(services=[svc(Y1, 2000)]), {})
    y = led.years[0]
    assert y.payable_hours == 2000
    assert y.settlement_amount == 0
    assert y.total_payment == Decimal("175000.00")  # the minimum is paid anyway
    assert y.allowed_carry_out == 1200  # 4000 - max(2000, 2800): the minimum counts as used


def test_above_minimum_settlement():
    led = compute_ledger(make_sub(services=[svc(Y1, "3000"), svc(Y1, "120.5")]), {})
    y = led.years[0]
    assert y.billable_hours == Fraction(6241, 2)
    assert y.settlement_amount == Decimal("20031.25")  # (3120.5 - 2800) x 62.50
    assert y.total_payment == Decimal("195031.25")
    assert y.allowed_carry_out == Fraction(1759, 2)  # 4000 - 3120.5 = 879.5
    text = render_ledger(led, "text", "de", False, 1)
    assert "Ausgleichszahlung" in text
    assert "(3.120,5 h − 2.800 h) × 62,50 € = 20.031,25 €" in text
    assert "0,70 × 4.000 h = 2.800 h" in text
    en = render_ledger(led, "text", "en", False, 1)
    assert "(3,120.5 h − 2,800 h) × EUR 62.50 = EUR 20,031.25" in en


def test_settlement_uses_exact_hours_and_rounds_money_once():
    # 3 services of 20 minutes above the minimum: 1 h exactly, not 3 x 0.33
    services = [svc(Y1, 2800)] + [svc(Y1, minutes=20) for _ in range(3)]
    y = compute_ledger(make_sub(services=services), {}).years[0]
    assert y.payable_hours == 2801
    assert y.settlement_amount == Decimal("62.50")
    # 50 minutes over the minimum at 62.50: 52.0833.. -> 52.08
    y = compute_ledger(make_sub(services=[svc(Y1, 2800), svc(Y1, minutes=50)]), {}).years[0]
    assert y.settlement_amount == Decimal("52.08")
    # half a cent rounds up: 1 minute at 62.70 = 1.045 -> 1.05
    c = make_contract(price="62.70")
    y = compute_ledger(make_sub(c, services=[svc(Y1, 2800), svc(Y1, minutes=1)]), {}).years[0]
    assert y.settlement_amount == Decimal("1.05")


def test_billable_beyond_available_is_not_payable():
    led = compute_ledger(make_sub(services=[svc(Y1, 4100)]), {})
    y = led.years[0]
    assert y.billable_hours == 4100
    assert y.payable_hours == 4000
    assert y.excess_hours == 100
    assert y.settlement_amount == Decimal("75000.00")  # (4000 - 2800) x 62.50
    assert y.allowed_carry_out == 0
    fact = year_facts(led, make_sub())[0]
    assert fact.billable_hours == 4100.0 and fact.available_hours == 4000.0


# --- carry-over ------------------------------------------------------------------------------

def test_carry_in_used_in_following_year():
    # year 1: 2000 h -> carry-out 1200; year 2: 5000 h of 5200 available
    led = compute_ledger(make_sub(services=[svc(Y1, 2000), svc(Y2, 5000)]), {})
    y2 = led.years[1]
    assert y2.carry_in == 1200 and y2.available == 5200
    assert y2.payable_hours == 5000
    assert y2.carry_in_used == 1200
    assert y2.settlement_amount == Decimal("137500.00")  # (5000 - 2800) x 62.50
    assert y2.allowed_carry_out == 200  # 5200 - 5000
    assert led.years[2].carry_in == 200


def test_carry_in_unused_rolls_by_default():
    # year 2 uses 2500 h only (< minimum): 5200 - max(2500, 2800) = 2400
    led = compute_ledger(make_sub(services=[svc(Y1, 2000), svc(Y2, 2500)]), {})
    y2 = led.years[1]
    assert y2.carry_in == 1200
    assert y2.allowed_carry_out == 2400
    assert led.years[2].carry_in == 2400
    assert led.years[2].available == 6400


def test_carry_in_may_roll_false():
    c = make_contract()
    roll = {"carry_in_may_roll": False}  # a tender parameter: the auditor's file may set it
    # year 2 uses 2500 h: carry-in first (1200), own use 1300 < minimum 2800
    # -> carry-out = max(0, 4000 - max(2500 - 1200, 2800)) = 1200; 1200 h of carry-in... used
    led = compute_ledger(make_sub(c, services=[svc(Y1, 2000), svc(Y2, 2500)]), {}, **roll)
    assert led.carry_in_may_roll is False
    assert led.years[1].allowed_carry_out == 1200
    # year 2 uses 3000 h: roll would give 5200 - 3000 = 2200; without roll 4000 - max(1800, 2800) = 1200
    led = compute_ledger(make_sub(c, services=[svc(Y1, 2000), svc(Y2, 3000)]), {}, **roll)
    assert led.years[1].allowed_carry_out == 1200
    led_roll = compute_ledger(make_sub(services=[svc(Y1, 2000), svc(Y2, 3000)]), {})
    assert led_roll.years[1].allowed_carry_out == 2200
    # year 2 uses only 500 h: 700 h of the carry-in lapse, own contingent unused above the minimum
    led = compute_ledger(make_sub(c, services=[svc(Y1, 2000), svc(Y2, 500)]), {}, **roll)
    y2 = led.years[1]
    assert y2.carry_in_used == 500
    assert y2.allowed_carry_out == 1200  # 4000 - max(500 - 1200, 2800)
    # heavy use: 4500 h -> own use 3300 -> 4000 - 3300 = 700
    led = compute_ledger(make_sub(c, services=[svc(Y1, 2000), svc(Y2, 4500)]), {}, **roll)
    assert led.years[1].allowed_carry_out == 700
    text = render_ledger(led, "text", "de", False, 2)
    assert "Rest verfällt" in text
    # the parameter may come as a string from YAML/CLI
    assert compute_ledger(make_sub(), {}, carry_in_may_roll="false").carry_in_may_roll is False


def test_last_year_carries_nothing():
    led = compute_ledger(make_sub(services=[svc(Y3, 1000)]), {})
    y3 = led.years[2]
    assert y3.is_last
    assert y3.allowed_carry_out == 0
    assert "letztes Vertragsjahr" in render_ledger(led, "text", "de", False, 3)


def test_extension_year():
    c = make_contract(hours=(4000, 4000, 4000, 3000), extension=True)
    services = [svc(Y1, 2800), svc(Y2, 2800), svc(Y3, 3000), svc(Y4, 2500),
                svc(date(2025, 10, 1), 5, sid="LATE")]
    led = compute_ledger(make_sub(c, services=services), {})
    y3, y4 = led.years[2], led.years[3]
    assert not y3.is_last  # the term runs on into the extension
    assert y3.carry_in == 2400  # 1200 + 1200 rolled
    assert y3.allowed_carry_out == 3400  # 6400 - 3000
    assert y4.year == 4 and y4.carry_in == 3400 and y4.available == 6400
    assert y4.minimum_hours == 2100
    assert y4.settlement_amount == Decimal("25000.00")  # (2500 - 2100) x 62.50
    assert y4.is_last and y4.allowed_carry_out == 0
    # 2025-10 lies in the extension but in no contingent year
    assert led.unassigned_services == ["LATE"] and led.unassigned_hours == 5
    assert "LATE" in render_ledger(led, "text", "en", False, None)
    # without an extension the same year-3 contract carries nothing
    assert compute_ledger(make_sub(services=services), {}).years[2].allowed_carry_out == 0


# --- dropped services, group hours --------------------------------------------------------

def test_suspended_participant_hours_dropped():
    services = [svc(Y1, 3000, sid="S1"), svc(date(2022, 2, 3), minutes=90, sid="S7", participants=("TN7",)),
                svc(date(2022, 2, 4), minutes=30, sid="S8")]
    dropped = {"S7": ["ASA-SUSPENSION-SERVICE"], "S8": ["ASA-SUSPENSION-SERVICE", "ASA-OTHER"],
               "NOPE": ["ASA-X"]}
    led = compute_ledger(make_sub(services=services), dropped)
    y = led.years[0]
    assert y.documented_hours == 3002
    assert y.dropped_hours == 2  # S7 1.5 h + S8 0.5 h, S8 counted once
    assert y.dropped_hours_by_rule == {"ASA-OTHER": Fraction(1, 2), "ASA-SUSPENSION-SERVICE": 2}
    assert y.billable_hours == 3000
    assert y.settlement_amount == Decimal("12500.00")  # (3000 - 2800) x 62.50
    feb = next(m for m in y.months if m.month == "2022-02")
    assert feb.documented == 2 and feb.dropped == 2 and feb.billable == 0
    assert len(y.months) == 12
    text = render_ledger(led, "text", "de", True, 1)
    assert "ASA-SUSPENSION-SERVICE" in text and "2022-02" in text


def test_group_hours_per_participant():
    group = [svc(Y1, 1, participants=("A", "B", "C"), element="SP")]
    assert compute_ledger(make_sub(services=group), {}).years[0].documented_hours == 1
    c = make_contract(parameters={"group_hours": "per_participant"})
    led = compute_ledger(make_sub(c, services=group), {})
    assert led.group_hours == "per_participant"
    assert led.years[0].documented_hours == 3


def test_vp_services_and_services_outside_years():
    services = [svc(date(2021, 5, 3), 2, phase="VP"), svc(date(2021, 8, 1), 3, sid="EARLY")]
    led = compute_ledger(make_sub(services=services), {})
    assert all(y.documented_hours == 0 for y in led.years)
    assert led.unassigned_hours == 3 and led.unassigned_services == ["EARLY"]


# --- invoice claim ---------------------------------------------------------------------------

def invoice(**kw) -> Invoice:
    return Invoice(loc=Loc(file="invoice.yaml", line=1), **kw)


def test_claim_off_by_one_cent():
    inv = invoice(contract_year=1, billed_hours=Decimal("3120.5"), carry_in_hours=Decimal(0),
                  carry_out_hours=Decimal("879.5"), settlement_amount=Decimal("20031.26"))
    sub = make_sub(services=[svc(Y1, "3120.5")], invoice=inv)
    led = compute_ledger(sub, {})
    y = led.years[0]
    assert y.has_claim
    assert y.settlement_diff == Decimal("0.01")
    assert y.billed_hours_diff == 0
    assert y.carry_out_excess == 0 and y.carry_in_excess == 0
    facts = year_facts(led, sub)
    f1 = facts[0]
    assert f1.has_claim and f1.settlement_diff == 0.01
    assert f1.claimed_settlement == 20031.26 and f1.settlement_amount == 20031.25
    assert (f1.claim_file, f1.claim_line) == ("invoice.yaml", 1)
    assert f1.file == CY  # the fact itself sits at its contingent in contract.yaml
    assert f1.allowed_carry_in == 0.0 and f1.allowed_carry_out == 879.5
    assert not facts[1].has_claim and (facts[1].file, facts[1].line) == (CY, 22)
    if "carry_out_excess" in ContractYearFact.model_fields:
        assert f1.carry_out_excess == 0.0


def test_claim_carry_and_hours_mismatch():
    inv = invoice(contract_year=2, billed_hours=Decimal("3300"), carry_in_hours=Decimal(1500),
                  carry_out_hours=Decimal(900))
    sub = make_sub(services=[svc(Y1, 2000), svc(Y2, 3200)], invoice=inv)
    led = compute_ledger(sub, {})
    y2 = led.years[1]
    assert y2.carry_in == 1200
    assert y2.carry_in_excess == 300
    assert y2.allowed_carry_out == 2000  # 5200 - 3200
    assert y2.carry_out_excess == -1100
    assert y2.billed_hours_diff == 100
    assert y2.claimed_settlement is None and y2.settlement_diff is None
    f2 = year_facts(led, sub)[1]
    assert f2.claimed_carry_in == 1500.0 and f2.allowed_carry_in == 1200.0
    assert f2.billed_hours_diff == 100.0
    assert f2.claimed_settlement == f2.settlement_amount and f2.settlement_diff == 0.0
    if "carry_in_excess" in ContractYearFact.model_fields:
        assert f2.carry_in_excess == 300.0
    assert "invoice.yaml" in render_ledger(led, "text", "de", False, 2)


def test_claim_for_unknown_year():
    led = compute_ledger(make_sub(invoice=invoice(contract_year=9, billed_hours=Decimal(1))), {})
    assert led.unmatched_claim_year == 9
    assert not any(y.has_claim for y in led.years)
    assert "9" in render_ledger(led, "text", "en", False, None)


# --- robustness ------------------------------------------------------------------------------------

def test_no_contract_gives_empty_ledger():
    sub = Submission(name="x", contract=None, services=[svc(Y1, 1)])
    led = compute_ledger(sub, {})
    assert led.years == [] and led.prephases == []
    assert year_facts(led, sub) == []
    assert "contract.yaml" in render_ledger(led, "text", "de", False, None)
    assert json.loads(render_ledger(led, "json", "en", False, None))["years"] == []
    assert render_ledger(led, "csv", "de", False, None).count("\n") == 1


def test_zero_hour_contingent():
    led = compute_ledger(make_sub(make_contract(hours=(0, 4000, 4000)), services=[svc(Y1, 10)]), {})
    y = led.years[0]
    assert y.minimum_hours == 0 and y.payable_hours == 0 and y.billable_hours == 10
    assert y.settlement_amount == 0 and y.allowed_carry_out == 0 and y.monthly_installment == 0
    render_ledger(led, "text", "de", True, None)


def test_unknown_year_raises():
    led = compute_ledger(make_sub(), {})
    with pytest.raises(LedgerYearError):
        render_ledger(led, "text", "de", False, 7)
    with pytest.raises(ValueError):
        render_ledger(led, "xml", "de", False, None)


# --- Vorphase ------------------------------------------------------------------------------------------

def vp(pid: str, start: date, end=None) -> Participant:
    return Participant(loc=Loc(file="participants.csv", line=2), participant_id=pid, phase="VP",
                       **{"from": start}, to=end)


def test_prephase_minimum_and_occupancy():
    pp = PrePhase(loc=Loc(file=CY, line=5), index=1, start=date(2021, 3, 1), end=date(2021, 8, 31), places=20,
                  price_per_place_month=Decimal("480.00"))
    parts = [vp(f"A{i}", date(2021, 3, 1), date(2021, 4, 30)) for i in range(10)]  # 10 in Mar/Apr
    parts += [vp(f"B{i}", date(2021, 5, 1), date(2021, 5, 31)) for i in range(16)]  # 16 in May
    parts += [vp(f"C{i}", date(2021, 6, 15)) for i in range(25)]  # 25 from mid June
    parts += [Participant(loc=Loc(file="participants.csv", line=99), participant_id="BPX", phase="BP",
                          **{"from": date(2021, 3, 1)})]
    sub = make_sub(make_contract(pre_phases=[pp]), participants=parts)
    p = compute_ledger(sub, {}).prephases[0]
    assert p.minimum_places == 14  # 0.70 x 20
    assert p.monthly_installment == Decimal("6720.00")  # 14 x 480
    assert p.minimum_total == Decimal("40320.00")  # 6 x 6720
    occ = [(m.month, m.occupancy, m.payable_places) for m in p.months]
    assert occ == [("2021-03", 10, 14), ("2021-04", 10, 14), ("2021-05", 16, 16),
                   ("2021-06", 25, 20), ("2021-07", 25, 20), ("2021-08", 25, 20)]
    assert p.months[3].peak_date == date(2021, 6, 15)
    assert p.total_amount == Decimal("49920.00")  # (14+14+16+20+20+20) = 104 x 480
    assert p.months_over_places == ["2021-06", "2021-07", "2021-08"]
    text = render_ledger(compute_ledger(sub, {}), "text", "de", True, None)
    assert "0,70 × 20 = 14" in text and "14 × 480,00 € = 6.720,00 €" in text


def test_prephase_share_parameter_and_fractional_places():
    pp = PrePhase(loc=Loc(file=CY, line=5), index=1, start=date(2021, 3, 1), end=date(2021, 3, 31), places=15,
                  price_per_place_month=Decimal("333.33"))
    c = make_contract(pre_phases=[pp])
    p = compute_ledger(make_sub(c), {}, prephase_minimum_share=0.75).prephases[0]
    assert p.minimum_places == Fraction(45, 4)  # 11.25
    assert p.monthly_installment == Decimal("3749.96")  # 11.25 x 333.33 = 3749.9625


# --- rendering -----------------------------------------------------------------------------------------------

def test_json_and_csv_output():
    inv = invoice(contract_year=1, billed_hours=Decimal("3120.5"), settlement_amount=Decimal("20031.26"))
    led = compute_ledger(make_sub(services=[svc(Y1, "3120.5")], invoice=inv), {})
    data = json.loads(render_ledger(led, "json", "de", True, None))
    y1 = data["years"][0]
    assert y1["settlement_amount"] == "20031.25"
    assert y1["billable_hours"] == "3120.50"
    assert y1["claim"]["settlement_diff"] == "0.01"
    assert len(y1["months"]) == 12
    assert "Ausgleichszahlung" not in y1["formulas"]  # keys are stable, text is in lang
    assert "20.031,25 €" in y1["formulas"]["settlement"]

    de = list(csv.reader(io.StringIO(render_ledger(led, "csv", "de", False, None)), delimiter=";"))
    assert len(de) == 4 and de[0][0] == "Vertrag"
    row = dict(zip(de[0], de[1]))
    assert row["Ausgleichszahlung_EUR"] == "20031,25" and row["Abrechenbar_h"] == "3120,50"
    assert row["Beginn"] == "01.09.2021"
    en = list(csv.reader(io.StringIO(render_ledger(led, "csv", "en", False, 1))))
    row = dict(zip(en[0], en[1]))
    assert row["settlement_amount_eur"] == "20031.25" and row["settlement_diff_eur"] == "0.01"
    assert row["start"] == "2021-09-01"
    months = list(csv.reader(io.StringIO(render_ledger(led, "csv", "en", True, None))))
    assert len(months) == 1 + 36


def test_text_is_plain():
    led = compute_ledger(make_sub(services=[svc(Y1, 3000)]), {})
    text = render_ledger(led, "text", "en", True, None)
    assert "\x1b" not in text
    assert all(len(line) <= 120 for line in text.splitlines())
    assert "Overview" in text and "Contract year 3" in text


def test_to_cents_half_up():
    assert to_cents(Fraction(1, 200)) == Decimal("0.01")
    assert to_cents(Decimal("2.675")) == Decimal("2.68")
    assert to_cents(Fraction(-1, 200)) == Decimal("-0.01")


# --- invariants ----------------------------------------------------------------------------------------------

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.integers(min_value=0, max_value=400_000), min_size=3, max_size=3),
           st.lists(st.integers(min_value=0, max_value=6000), min_size=3, max_size=3))
    def test_invariants(minutes, hours):
        services = [svc(day, minutes=m) for day, m in zip((Y1, Y2, Y3), minutes) if m]
        roll = compute_ledger(make_sub(make_contract(hours=hours), services=services), {})
        keep = compute_ledger(make_sub(make_contract(hours=hours), services=services), {},
                              carry_in_may_roll=False)
        for a, b in zip(roll.years, keep.years):
            for y in (a, b):
                assert 0 <= y.payable_hours <= y.available
                assert y.allowed_carry_out >= 0
                assert y.settlement_amount >= 0
                assert y.total_payment == to_cents(max(y.payable_hours, y.minimum_hours) * Fraction(y.price_per_hour))
            # without roll, at most the own contingent above the minimum carries over
            assert b.allowed_carry_out <= b.contingent - b.minimum_hours
            # rolling never carries less: carry-out is non-decreasing in the carry-in
            assert a.allowed_carry_out >= b.allowed_carry_out
        assert roll.years[-1].allowed_carry_out == keep.years[-1].allowed_carry_out == 0
