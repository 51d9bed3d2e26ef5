"""The records of one synthetic contract while it is planned: staff, participants, courses, and the
positions of a service record (a plain list, for speed)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


# service record: a list indexed by these positions; S_KEY = (day * NSLOT + slot) << 24 | creation number
# is unique, so records sort by day, slot and creation with one int comparison
S_KEY, S_DAY, S_SLOT, S_OFF, S_MIN, S_EL, S_PH, S_STAFF, S_PIDS, S_MODE, S_ATT, S_BAD, S_PLANTED = range(13)
KEY_SHIFT = 24


# --- records of one contract ------------------------------------------------------

@dataclass
class Staff:
    idx: int
    role: str
    employment: str
    employer: str
    emp_from: int  # day index (may be negative: before the window)
    emp_to: Optional[int]
    fte: str
    quals: str
    youth: int
    eq_ref: str
    weekdays: tuple[int, ...]
    sid: str = ""
    replaced_by: Optional[int] = None
    busy: bytearray = field(default_factory=bytearray)
    load: int = 0
    courses: set = field(default_factory=set)  # (weekday, slot) taken by a course

    def employed(self, d: int) -> bool:
        return self.emp_from <= d and (self.emp_to is None or d <= self.emp_to)


@dataclass
class Participant:
    key: float  # sort key for numbering (first day)
    vp: Optional[tuple[int, int]] = None  # VP row (from, to)
    bp_from: Optional[int] = None
    bp_to: Optional[int] = None  # None = ongoing
    training_start: Optional[int] = None
    training_end: Optional[int] = None
    completed: Optional[int] = None
    employment_start: Optional[int] = None
    aftercare_limit: Optional[int] = None  # last day follow-up care may run (v1.1 facts)
    susp: list = field(default_factory=list)  # [from, to, reason, planted_rule]
    refs: list = field(default_factory=list)  # [from, to or None, staff idx, reason]
    pid: str = ""
    busy: bytearray = field(default_factory=bytearray)
    days: list = field(default_factory=list)  # available workday indices (services may be here)
    active_days: int = 0  # calendar days of participation in the window (excl. suspensions)
    sp_staff: int = -1
    group_share: float = 0.0
    ref_gap: Optional[tuple[int, int]] = None  # planted gap (first, last day)
    extension_reason: str = ""

    def phase_on(self, d: int) -> str:
        return "VP" if self.vp is not None and d <= self.vp[1] else "BP"

    def ref_on(self, d: int) -> int:
        for a, b, s, _ in self.refs:
            if a <= d and (b is None or d <= b):
                return s
        return -1


@dataclass
class Course:
    element: str  # SFU or SP
    phase: str
    staff: int
    weekday: int
    slot: int
    first: int
    last: int
    every: int  # days between meetings
    cap: int
    weeks: bytearray = field(default_factory=bytearray)
    members: list = field(default_factory=list)  # (from, to, participant index)
