"""Derived facts are valid fact models, complete, and the derivation is deterministic."""
from pathlib import Path

import pytest

from engine.facts import record_facts
from engine.parameters import resolve
from engine.read.bundle import read_bundle
from engine.rules import load_rules

FIX = Path(__file__).resolve().parent.parent / "fixtures"
RULES = load_rules()


def facts_of(sub):
    return record_facts(sub, resolve(RULES, sub.contract))


@pytest.mark.parametrize("name", ["compliant", "violating", "cohort-2024"])
def test_derived_facts_validate(name):
    facts = facts_of(read_bundle(FIX / name))
    assert facts
    for fact in facts:
        cls = type(fact)
        assert set(fact.__dict__) == set(cls.model_fields), fact
        assert cls.model_validate(fact.model_dump()) == fact


@pytest.mark.parametrize("name", ["compliant", "violating", "cohort-2021", "cohort-2024"])
def test_trusted_facts_are_the_validated_ones(name):
    """Facts built without validation (``trusted``) equal validated ones, value types included."""
    for fact in facts_of(read_bundle(FIX / name)):
        validated = type(fact)(**fact.__dict__)
        assert fact == validated
        assert [type(v) for v in fact.__dict__.values()] == [type(v) for v in validated.__dict__.values()], fact
        assert fact.__pydantic_fields_set__ == validated.__pydantic_fields_set__


def test_trusted_needs_every_field_in_order():
    from schemas.facts import ServiceFact

    values = dict(ServiceFact().__dict__)
    values.pop("hours")
    with pytest.raises(ValueError):
        ServiceFact.trusted(values)


def test_derivation_is_deterministic():
    a = facts_of(read_bundle(FIX / "violating"))
    b = facts_of(read_bundle(FIX / "violating"))
    assert [f.model_dump() for f in a] == [f.model_dump() for f in b]


# --- derivations of issue 9: calendar, merged suspensions, whole participation, placement, overlap ------

from datetime import date, time  # noqa: E402

from schemas.submission import (  # noqa: E402
    AccompanyingPhase,
    Contract,
    Loc,
    Participant,
    PrePhase,
    ReferencePerson,
    Service,
    Staff,
    Submission,
    Suspension,
)

D = date.fromisoformat


def _staff(sid="A1", start="2020-01-01", end=None):
    return Staff(loc=Loc(file="staff.csv", line=2), staff_id=sid, role="AB", employment="employee",
                 employer_id="T-1", employed_from=D(start), employed_to=D(end) if end else None, fte=1)


def _row(pid, phase, start, end=None, line=2, **kw):
    return Participant(loc=Loc(file="participants.csv", line=line), participant_id=pid, phase=phase,
                       **{"from": D(start)}, to=D(end) if end else None, **kw)


def _ref(pid, sid, start, end=None, line=2):
    return ReferencePerson(loc=Loc(file="reference_persons.csv", line=line), participant_id=pid, staff_id=sid,
                           **{"from": D(start)}, to=D(end) if end else None)


def _susp(pid, start, end, line):
    return Suspension(loc=Loc(file="suspensions.csv", line=line), participant_id=pid, **{"from": D(start)},
                      to=D(end), reason="parental_leave")


def _facts(kind, **records):
    sub = Submission(name="t", **records)
    return [f for f in facts_of(sub) if f.fact_type == kind]


def test_suspension_31_march_to_30_september_is_six_months():
    [f] = _facts("suspension", suspensions=[_susp("TN1", "2023-03-31", "2023-09-30", 2)])
    assert f.length_months == 6  # was 7: the calendar clamped and subtracted a day


def test_adjoining_and_overlapping_suspension_rows_are_one_suspension():
    facts = _facts("suspension", suspensions=[
        _susp("TN1", "2022-01-01", "2022-06-30", 2), _susp("TN1", "2022-07-01", "2022-12-31", 3),  # adjoining
        _susp("TN2", "2022-01-01", "2022-04-30", 4), _susp("TN2", "2022-04-01", "2022-07-31", 5),  # overlapping
        _susp("TN3", "2022-01-01", "2022-06-30", 6), _susp("TN3", "2022-07-02", "2022-12-31", 7),  # a day between
    ])
    by_line = {f.line: f for f in facts}
    assert (by_line[2].length_months, by_line[2].first_of_suspension, by_line[3].first_of_suspension) == (12, True, False)
    assert by_line[2].suspension_rows == by_line[3].suspension_rows == "suspensions.csv:2, suspensions.csv:3"
    assert (by_line[4].suspension_from, by_line[4].suspension_to, by_line[4].length_months) == (
        D("2022-01-01"), D("2022-07-31"), 7)
    assert by_line[6].length_months == by_line[7].length_months == 6
    assert by_line[6].first_of_suspension and by_line[7].first_of_suspension


def test_reference_person_over_the_vorphase_and_only_while_employed():
    staff = [_staff("A1"), _staff("A2", end="2021-06-30")]
    participants = [_row("TN1", "VP", "2021-03-01", "2021-08-31", line=2), _row("TN1", "BP", "2021-09-01", "2021-12-31", 3)]
    services = [Service(loc=Loc(file="services.csv", line=2), service_id="S1", date=D("2021-12-31"),
                        start=time(10), minutes=60, element="AB", phase="BP", staff_id="A1", participant_ids=("TN1",))]
    covered = _facts("participant", staff=staff, participants=participants, services=services,
                     reference_persons=[_ref("TN1", "A1", "2021-03-01")])
    assert [f.days_without_refperson for f in covered] == [0, 0]
    # the Vorphase is checked too (only the accompanying phase was)
    late = _facts("participant", staff=staff, participants=participants, services=services,
                  reference_persons=[_ref("TN1", "A1", "2021-09-01")])
    assert [(f.phase, f.days_without_refperson) for f in late] == [("VP", 184), ("BP", 0)]
    # A2 named to the end, but employed only to 2021-06-30: the rest is uncovered
    gone = _facts("participant", staff=staff, participants=participants, services=services,
                  reference_persons=[_ref("TN1", "A2", "2021-03-01")])
    assert [(f.days_without_refperson, f.first_day_without_refperson, f.refperson_not_employed) for f in gone] == [
        (62, D("2021-07-01"), "A2"), (122, D("2021-09-01"), "A2")]
    unknown = _facts("participant", staff=staff, participants=participants, services=services,
                     reference_persons=[_ref("TN1", "A9", "2021-03-01")])
    assert [f.days_without_refperson for f in unknown] == [184, 122]


def test_placement_within_six_months_and_phase_overlap():
    facts = _facts("participant", participants=[
        _row("TN1", "VP", "2021-03-01", "2021-09-30", line=2, training_start=D("2021-08-31")),
        _row("TN2", "VP", "2021-03-01", "2021-09-30", line=3), _row("TN2", "BP", "2021-09-01", line=4),
        _row("TN3", "VP", "2021-03-01", "2021-08-31", line=5), _row("TN3", "BP", "2021-09-01", line=6),
    ])
    vp = {f.participant_id: f for f in facts if f.phase == "VP"}
    assert (vp["TN1"].placement_date, vp["TN1"].months_to_placement, vp["TN1"].phase_months) == (D("2021-08-31"), 6, 7)
    assert (vp["TN2"].months_to_placement, vp["TN2"].other_phase_overlap_days, vp["TN2"].other_phase_line) == (7, 30, 4)
    assert (vp["TN3"].months_to_placement, vp["TN3"].other_phase_overlap_days) == (7, 0)


def test_vorphase_occupancy_counts_people_not_rows():
    contract = Contract(loc=Loc(file="contract.yaml", line=1), contract_id="C", provider_id="T-1",
                        pre_phases=[PrePhase(loc=Loc(file="contract.yaml", line=5), index=1, start=D("2021-03-01"),
                                             end=D("2021-08-31"), places=1, staffing={"AB": 12})],
                        accompanying_phase=AccompanyingPhase(loc=Loc(file="contract.yaml", line=9),
                                                             start=D("2021-09-01"), end=D("2024-08-31")))
    rows = [_row("TN1", "VP", "2021-03-01", "2021-05-31", 2), _row("TN1", "VP", "2021-05-01", "2021-08-31", 3)]
    [pp] = _facts("prephase", contract=contract, participants=rows)
    assert pp.peak_occupancy == 1  # two overlapping rows of one person: one place (the rule counted 2)
    assert {f.participants for f in _facts("prephase_staffing", contract=contract, participants=rows)} == {1}


def test_follow_up_care_limits_counted_by_the_bgb():
    sub = dict(participants=[_row("TN1", "BP", "2021-09-01", employment_start=D("2023-08-30"))],
               services=[Service(loc=Loc(file="services.csv", line=2), service_id="S1", date=D("2024-02-29"),
                                 start=time(10), minutes=60, element="AB", phase="BP", staff_id="A1",
                                 participant_ids=("TN1",))])
    [svc] = _facts("service", **sub)
    assert svc.employment_limit == D("2024-02-29")  # was 2024-02-28
