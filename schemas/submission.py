"""Pydantic models of a provider submission bundle (data contract v1 / v1.1).

The models hold parsed, typed values only. Reading and the German spreadsheet
dialect live in ``engine/read/bundle.py``; every record keeps the place it came from
(``loc``) so findings can point at ``file:line``.
"""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from schemas.lean import LeanModel

Role = Literal["AB", "SP", "LK"]
Employment = Literal["employee", "freelance", "agency", "subcontractor"]
Phase = Literal["VP", "BP"]
Element = Literal["AB", "SP", "SFU"]
Mode = Literal["presence", "phone", "video", "company"]
Attendance = Literal["present", "absent_unannounced", "absent_announced", "cancelled_by_provider"]

ROLES: tuple[str, ...] = ("AB", "SP", "LK")
EMPLOYMENTS: tuple[str, ...] = ("employee", "freelance", "agency", "subcontractor")
PHASES: tuple[str, ...] = ("VP", "BP")
ELEMENTS: tuple[str, ...] = ("AB", "SP", "SFU")
MODES: tuple[str, ...] = ("presence", "phone", "video", "company")
ATTENDANCES: tuple[str, ...] = ("present", "absent_unannounced", "absent_announced", "cancelled_by_provider")


class Loc(LeanModel):
    """Where a record came from: bundle-relative file name and 1-based line."""

    model_config = ConfigDict(frozen=True)
    file: str
    line: int = 0


class Record(LeanModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True)
    loc: Loc


# --- contract.yaml -----------------------------------------------------------

class PrePhase(Record):
    index: int = Field(description="1-based position in pre_phases")
    start: date
    end: date
    places: int
    price_per_place_month: Decimal = Decimal("0")
    staffing: dict[str, Decimal] = Field(default_factory=dict)


class Period(Record):
    start: date
    end: date


class Contingent(Record):
    year: int
    start: date
    end: date
    hours: Decimal


class AccompanyingPhase(Record):
    start: date
    end: date
    extensions: list[Period] = Field(default_factory=list)
    price_per_hour: Decimal = Decimal("0")
    # as stated in contract.yaml (None: not stated); the share in force is the tender's (rules/ledger.yaml)
    minimum_share: Optional[Decimal] = None
    minimum_share_line: int = 0
    contingents: list[Contingent] = Field(default_factory=list)

    @property
    def term_end(self) -> date:
        """Last day of the accompanying phase including its extension(s)."""
        return max([self.end] + [e.end for e in self.extensions])


class Contract(Record):
    contract_id: str
    provider_id: str
    provider_name: Optional[str] = None
    agency: Optional[str] = None
    pre_phases: list[PrePhase] = Field(default_factory=list)
    accompanying_phase: AccompanyingPhase
    parameters: dict = Field(default_factory=dict)
    parameters_line: int = 0  # line of the ``parameters:`` key, for findings about it
    # line of each key below ``parameters:`` ("max_group_size", "ASA-GROUP-SIZE.max_group_size")
    parameter_lines: dict[str, int] = Field(default_factory=dict)


# --- CSV files ---------------------------------------------------------------

class Staff(Record):
    staff_id: str
    role: Role
    employment: Employment
    employer_id: str
    employed_from: date
    employed_to: Optional[date] = None
    fte: Decimal
    qualifications: tuple[str, ...] = ()
    youth_experience_months: int = 0
    equivalence_ref: Optional[str] = None


class Participant(Record):
    participant_id: str
    phase: Phase
    from_: date = Field(alias="from")
    to: Optional[date] = None
    training_start: Optional[date] = None
    training_end: Optional[date] = None
    training_completed_on: Optional[date] = None  # v1.1
    employment_start: Optional[date] = None  # v1.1
    extension_reason: Optional[str] = None  # asa-check extension (Vorphase beyond 6 months)


class ReferencePerson(Record):
    participant_id: str
    staff_id: str
    from_: date = Field(alias="from")
    to: Optional[date] = None
    change_reason: Optional[str] = None


class Suspension(Record):
    participant_id: str
    from_: date = Field(alias="from")
    to: date
    reason: Optional[str] = None


class Service(Record):
    service_id: str
    date: date
    start: time
    minutes: int
    element: Element
    phase: Phase
    staff_id: str
    participant_ids: tuple[str, ...]
    mode: Optional[Mode] = None
    attendance: Attendance = "present"  # v1.1


class Invoice(Record):
    contract_year: int
    billed_hours: Optional[Decimal] = None
    carry_in_hours: Optional[Decimal] = None
    carry_out_hours: Optional[Decimal] = None
    settlement_amount: Optional[Decimal] = None


class InputProblem(BaseModel):
    """A value or structure the reader could not accept (becomes an ASA-INPUT finding)."""

    model_config = ConfigDict(frozen=True)
    file: str
    line: int = 0
    column: str = ""
    de: str
    en: str
    severity: Literal["error", "warning"] = "error"
    # the record the problem concerns, when there is one (e.g. service S0012)
    entity_type: str = ""
    entity_id: str = ""


class Submission(BaseModel):
    """A whole bundle after reading: records that parsed, and the problems found."""

    name: str
    contract: Optional[Contract] = None
    staff: list[Staff] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    reference_persons: list[ReferencePerson] = Field(default_factory=list)
    suspensions: list[Suspension] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    invoice: Optional[Invoice] = None
    problems: list[InputProblem] = Field(default_factory=list)
    # services with input errors beyond the per-file cap of listed problems: unbillable all the same
    unlisted_service_errors: list[str] = Field(default_factory=list)
