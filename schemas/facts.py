"""Fact types: the flat records the rules are evaluated on.

``engine/facts.py`` derives them from a submission; rule conditions and message
templates may only name fields declared here (the lint checks this). Every field
has a default so that rule examples can state only the fields they are about.

Dates stay ``dt.date`` here; the engine adapter turns them into day numbers.
"""
from __future__ import annotations

import datetime as dt
from operator import attrgetter
from typing import ClassVar

from pydantic import ConfigDict, PrivateAttr

from schemas.lean import LeanModel

FAR_FUTURE = dt.date(9999, 12, 31)
FAR_PAST = dt.date(1, 1, 1)


class Fact(LeanModel):
    """Common part: what the fact is, where its record came from."""

    model_config = ConfigDict(extra="forbid")
    fact_type: ClassVar[str] = ""
    entity_type: ClassVar[str] = ""
    entity_field: ClassVar[str] = ""
    key_fields: ClassVar[tuple[str, ...]] = ()

    file: str = ""
    line: int = 0
    # the n-th fact with the same key in its submission (two rows with one service_id …), set by
    # number_repeats; no default, so unset (the common case) costs no per-fact dict entry
    _repeat: int = PrivateAttr()

    def key(self) -> str:
        """Identifies the fact within its submission (stable across runs)."""
        key = "|".join(str(getattr(self, f)) for f in self.key_fields)
        repeat = (self.__pydantic_private__ or {}).get("_repeat", 1)  # no AttributeError when unset: cheaper
        return key if repeat == 1 else f"{key}#{repeat}"

    def entity_id(self) -> str:
        return str(getattr(self, self.entity_field))


def number_repeats(facts: list[Fact]) -> list[Fact]:
    """Give facts that share a key (duplicate ids in the input) distinct keys: ``S1``, ``S1#2``, …

    Finding ids are fingerprints of the key, so two rows with one id must not
    collapse into one finding; the first keeps its plain key, so ids of
    findings on records without duplicates do not change.
    """
    seen: dict[tuple[str, str], int] = {}
    for fact, k in zip(facts, _keys(facts)):
        seen[k] = seen.get(k, 0) + 1
        if seen[k] > 1:
            fact._repeat = seen[k]
    return facts


def _keys(facts: list[Fact]) -> list[tuple[str, str]]:
    """(fact type, key()) of each fact, computed per fact class over all its facts at once."""
    out: list = [None] * len(facts)
    of_class: dict[type, list[int]] = {}
    for n, fact in enumerate(facts):
        of_class.setdefault(type(fact), []).append(n)
    for cls, positions in of_class.items():
        group = [facts[n] for n in positions]
        if any(f.__pydantic_private__ for f in group) or not cls.key_fields:  # key() says how
            keys = [f.key() for f in group]
        elif len(cls.key_fields) == 1:
            keys = list(map(str, map(attrgetter(cls.key_fields[0]), group)))
        else:
            keys = ["|".join(map(str, values)) for values in map(attrgetter(*cls.key_fields), group)]
        for n, key in zip(positions, keys):
            out[n] = (cls.fact_type, key)
    return out


class ServiceFact(Fact):
    fact_type: ClassVar[str] = "service"
    entity_type: ClassVar[str] = "service"
    entity_field: ClassVar[str] = "service_id"
    key_fields: ClassVar[tuple[str, ...]] = ("service_id",)

    service_id: str = "S1"
    date: dt.date = dt.date(2022, 1, 10)
    start: str = "10:00"
    end: str = "11:00"
    minutes: int = 60
    hours: float = 1.0
    element: str = "AB"
    phase: str = "BP"
    staff_id: str = "M1"
    staff_role: str = "AB"
    participant_ids: str = "TN1"
    participant_count: int = 1
    attendance: str = "present"
    # attendance is one whose session is paid (ledger parameter billable_attendance)
    billable_attendance: bool = True
    mode: str = ""
    cohort_start: dt.date = dt.date(2021, 9, 1)
    # first participant suspended on the service date ("" = none)
    suspended_participant: str = ""
    # period checks
    outside_participant_phase: bool = False
    period_participant: str = ""
    outside_contract_phase: bool = False
    outside_employment: bool = False
    # double booking: the first other service overlapping in time ("" = none)
    staff_overlap_with: str = ""
    participant_overlap_with: str = ""
    overlap_participant: str = ""
    # follow-up care (v1.1 columns): the limits in force for the first participant
    # concerned; FAR_FUTURE when the limit does not apply
    aftercare_participant: str = ""
    employment_limit: dt.date = FAR_FUTURE
    training_limit: dt.date = FAR_FUTURE


class StaffFact(Fact):
    fact_type: ClassVar[str] = "staff"
    entity_type: ClassVar[str] = "staff"
    entity_field: ClassVar[str] = "staff_id"
    key_fields: ClassVar[tuple[str, ...]] = ("staff_id",)

    staff_id: str = "M1"
    role: str = "AB"
    employment: str = "employee"
    employer_id: str = "T-1"
    employer_is_provider: bool = True
    has_trade_qualification: bool = False
    has_aevo: bool = False
    youth_experience_months: int = 0
    has_social_degree: bool = False
    has_comparable_degree: bool = False
    has_equivalence_ref: bool = False
    qualifications: str = ""
    employed_from: dt.date = dt.date(2020, 1, 1)
    employed_to: dt.date = FAR_FUTURE


class ParticipantFact(Fact):
    fact_type: ClassVar[str] = "participant"
    entity_type: ClassVar[str] = "participant"
    entity_field: ClassVar[str] = "participant_id"
    key_fields: ClassVar[tuple[str, ...]] = ("participant_id", "phase")

    participant_id: str = "TN1"
    phase: str = "BP"
    from_date: dt.date = dt.date(2021, 9, 1)
    to_date: dt.date = FAR_FUTURE
    # days of the row (VP or BP), up to its end or the check date, without a reference person
    # employed by the provider that day
    days_without_refperson: int = 0
    first_day_without_refperson: dt.date = FAR_PAST
    # a reference person named for that first day whose staff member is not employed then ("" = none)
    refperson_not_employed: str = ""
    # Vorphase length in months counted (§§ 187 Abs. 2, 188 BGB; see ASA-PREPHASE-DURATION)
    phase_months: int = 0
    has_extension_reason: bool = False
    # Vorphase rows: first day (on or after the row's start) the training or the accompanying phase
    # began, and the months counted from the row's start up to that day (0: no placement known)
    placement_date: dt.date = FAR_FUTURE
    months_to_placement: int = 0
    # Vorphase rows: days shared with an accompanying-phase row of the same participant, from when,
    # and that row's line (0: none)
    other_phase_overlap_days: int = 0
    other_phase_overlap_from: dt.date = FAR_PAST
    other_phase_line: int = 0


class SuspensionFact(Fact):
    fact_type: ClassVar[str] = "suspension"
    entity_type: ClassVar[str] = "participant"
    entity_field: ClassVar[str] = "participant_id"
    key_fields: ClassVar[tuple[str, ...]] = ("participant_id", "from_date")

    participant_id: str = "TN1"
    from_date: dt.date = dt.date(2022, 6, 1)
    to_date: dt.date = dt.date(2022, 11, 30)
    reason: str = ""
    # the suspension this row belongs to: rows of one participant that overlap or adjoin are one
    suspension_from: dt.date = dt.date(2022, 6, 1)
    suspension_to: dt.date = dt.date(2022, 11, 30)
    # its months counted (§§ 187 Abs. 2, 188 BGB): 1 June - 30 Nov = 6, 1 June - 1 Dec = 7,
    # 31 March - 30 Sep = 6
    length_months: int = 6
    # this row is the suspension's first (it speaks for the suspension), and all its rows
    first_of_suspension: bool = True
    suspension_rows: str = "suspensions.csv:2"


class RefPersonFact(Fact):
    fact_type: ClassVar[str] = "refperson"
    entity_type: ClassVar[str] = "participant"
    entity_field: ClassVar[str] = "participant_id"
    key_fields: ClassVar[tuple[str, ...]] = ("participant_id", "staff_id", "from_date")

    participant_id: str = "TN1"
    staff_id: str = "M1"
    from_date: dt.date = dt.date(2021, 9, 1)
    to_date: dt.date = FAR_FUTURE
    staff_role: str = "AB"
    # a later period of the same participant with another staff member
    is_change: bool = False
    previous_staff_id: str = ""
    change_reason: str = ""


class ContractFact(Fact):
    fact_type: ClassVar[str] = "contract"
    entity_type: ClassVar[str] = "contract"
    entity_field: ClassVar[str] = "contract_id"
    key_fields: ClassVar[tuple[str, ...]] = ("contract_id",)

    contract_id: str = "955-0001-21"
    bp_start: dt.date = dt.date(2021, 9, 1)
    bp_end: dt.date = dt.date(2024, 8, 31)
    # whole calendar months of the accompanying phase; -1 when start/end do not
    # span whole months (e.g. 1 Sep - 15 Aug)
    bp_months: int = 36
    extension_count: int = 0
    extension_months: int = 0
    extension_follows_phase: bool = True
    prephase_count: int = 0
    prephases_before_bp: bool = True
    contingents_tile_term: bool = True
    contingent_gap: str = ""


class ContractYearFact(Fact):
    fact_type: ClassVar[str] = "contract_year"
    entity_type: ClassVar[str] = "contract_year"
    entity_field: ClassVar[str] = "year"
    key_fields: ClassVar[tuple[str, ...]] = ("contract_id", "year")

    contract_id: str = "955-0001-21"
    year: int = 1
    start: dt.date = dt.date(2021, 9, 1)
    end: dt.date = dt.date(2022, 8, 31)
    contingent_hours: float = 4000.0
    carry_in_hours: float = 0.0
    available_hours: float = 4000.0
    documented_hours: float = 0.0
    # of the documented: not delivered (attendance not billable) and left out by error findings
    not_delivered_hours: float = 0.0
    dropped_hours: float = 0.0
    # documented − not delivered − dropped: the hours that draw on the contingent
    billable_hours: float = 0.0
    minimum_hours: float = 2800.0
    allowed_carry_out: float = 0.0
    settlement_amount: float = 0.0
    # invoice.yaml claim for this year (has_claim False: no invoice for it)
    has_claim: bool = False
    claimed_billed_hours: float = 0.0
    claimed_carry_in: float = 0.0
    claimed_carry_out: float = 0.0
    claimed_settlement: float = 0.0
    billed_hours_diff: float = 0.0
    settlement_diff: float = 0.0
    allowed_carry_in: float = 0.0
    # claimed minus allowed carry-over in hours (negative: less than allowed;
    # 0 without a claim or when invoice.yaml does not state the figure)
    carry_out_excess: float = 0.0
    carry_in_excess: float = 0.0
    # min(billable, available): the hours the claimed billed_hours is compared with
    payable_hours: float = 0.0
    # where the invoice claim for this year is (rules about the claim point there)
    claim_file: str = ""
    claim_line: int = 0


class PrePhaseFact(Fact):
    fact_type: ClassVar[str] = "prephase"
    entity_type: ClassVar[str] = "prephase"
    entity_field: ClassVar[str] = "index"
    key_fields: ClassVar[tuple[str, ...]] = ("contract_id", "index")

    contract_id: str = "955-0001-21"
    index: int = 1
    start: dt.date = dt.date(2021, 3, 1)
    end: dt.date = dt.date(2021, 8, 31)
    places: int = 20
    peak_occupancy: int = 0
    peak_date: dt.date = dt.date(2021, 3, 1)


class PrePhaseStaffingFact(Fact):
    """One Vorphase, one role, one month: participants against staffed posts."""

    fact_type: ClassVar[str] = "prephase_staffing"
    entity_type: ClassVar[str] = "prephase"
    entity_field: ClassVar[str] = "index"
    key_fields: ClassVar[tuple[str, ...]] = ("contract_id", "index", "role", "month")

    contract_id: str = "955-0001-21"
    index: int = 1
    role: str = "AB"
    month: str = "2021-03"
    participants: int = 0
    fte: float = 1.0
    ratio: float = 12.0
    # fte x ratio: participants the posts of this role may serve
    max_participants: float = 12.0


FACT_TYPES: dict[str, type[Fact]] = {
    cls.fact_type: cls
    for cls in (
        ServiceFact,
        StaffFact,
        ParticipantFact,
        SuspensionFact,
        RefPersonFact,
        ContractFact,
        ContractYearFact,
        PrePhaseFact,
        PrePhaseStaffingFact,
    )
}
