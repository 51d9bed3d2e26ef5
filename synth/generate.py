"""Realistic synthetic submission bundles, with violations planted on request.

``generate(out_dir, contracts, participants_per_contract, seed)`` writes one
bundle directory per contract (``out_dir/contract-0001/`` …) to the data
contract (docs/submission-format.md, v1 and v1.1). The bundles look like what
providers hand in:

- contract.yaml: 2021–2025 cohorts (some from 2024-08-01 on, group limit 6),
  0, 1 or 2 Vorphasen, some with an extension and contingent years 4–5;
  contingents sized above the documented hours; a year-1 invoice.yaml
  sometimes, with the figures the ledger computes;
- staff.csv: AB, SP and LK staff, every employment kind, AB staff qualified on
  one of the three paths, part-time posts working on fixed weekdays, AB staff
  leaving and being replaced;
- participants.csv: VP and BP rows, training dates, early exits, completions
  with follow-up care (v1.1 ``training_completed_on``/``employment_start``);
- reference_persons.csv: every VP and BP day covered up to the last service
  day, by AB staff employed that day; changes with ``staff_left`` /
  ``participant_request``;
- suspensions.csv: up to six months, ``parental_leave`` / ``sick_pay``;
- services.csv: AB one-to-one sessions by the reference person, SP one-to-one
  and group sessions, SFU courses (weekly, groups up to the limit, in presence
  or at the company), spread over
  workdays (no weekends, public holidays or Christmas closure), inside the
  participation and employment periods, never double-booking a staff member or
  a participant (every session lies inside one 90-minute slot of a fixed grid).

Every fifth bundle is in the German spreadsheet dialect (``;``, Windows-1252,
TT.MM.JJJJ, H:MM, decimal comma, CRLF); some UTF-8 bundles carry a BOM; about
half are v1.1 (extra participant columns and ``attendance``).

``violations`` (0…1) plants violations at roughly that rate per record kind:
AB/SP staff (unqualified AB, not employed by the provider), BP participants
(days without reference person), suspensions (longer than six months, reason
not accepted), services (oversized groups, AB sessions for two, sessions during
a suspension, staff or participant double bookings, sessions after the
participation ended or outside the staff member's employment, cancelled
sessions (ASA-ABSENCE-BILLING, information), and now and then a bad value for
ASA-INPUT). Each planted violation is meant to
give exactly one finding of its rule; ``GenerateStats.planted`` counts them per
rule id.

Determinism: contract ``i`` draws from ``random.Random`` seeded with the seed
and ``i`` only, so contracts can be written in any order or in parallel and
the bytes are the same. The hot path is plain Python (ints for days, one
bytearray per person for the slot grid, strings joined directly); no pydantic.
Ids are pseudonyms: ``TN-0001-00042``, ``M-0001-07``, ``S-0001-0000123``.
"""
from __future__ import annotations

import functools
import gc
import random
import time as _time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import accumulate, compress
from operator import itemgetter
from pathlib import Path
from typing import Optional

from engine.dates import months_after, period_end

__all__ = ["GenerateStats", "generate", "generate_contract", "render_stats", "RULE_IDS"]

# --- rule ids of the planted kinds --------------------------------------------

R_GROUP_SIZE = "ASA-GROUP-SIZE"
R_GROUP_INDIVIDUAL = "ASA-GROUP-INDIVIDUAL"
R_SUSPENSION_SERVICE = "ASA-SUSPENSION-SERVICE"
R_SUSPENSION_LENGTH = "ASA-SUSPENSION-LENGTH"
R_SUSPENSION_REASON = "ASA-SUSPENSION-REASON"
R_STAFF_QUALIFICATION = "ASA-STAFF-QUALIFICATION"
R_STAFF_EMPLOYMENT = "ASA-STAFF-EMPLOYMENT"
R_DOUBLE_BOOKING = "ASA-DOUBLE-BOOKING"  # staff or participant booked twice at once
R_REFPERSON_MISSING = "ASA-REFPERSON-MISSING"
R_SERVICE_PERIOD = "ASA-SERVICE-PERIOD"  # outside the participation or the employment
R_ABSENCE = "ASA-ABSENCE-BILLING"
R_INPUT = "ASA-INPUT"

RULE_IDS: tuple[str, ...] = (
    R_GROUP_SIZE, R_GROUP_INDIVIDUAL, R_SUSPENSION_SERVICE, R_SUSPENSION_LENGTH, R_SUSPENSION_REASON,
    R_STAFF_QUALIFICATION, R_STAFF_EMPLOYMENT, R_DOUBLE_BOOKING, R_REFPERSON_MISSING, R_SERVICE_PERIOD,
    R_ABSENCE, R_INPUT,
)

DEFAULT_SERVICES_PER_PARTICIPANT = 50  # per participant and year of participation

# --- stats -------------------------------------------------------------------------


@dataclass
class GenerateStats:
    contracts: int = 0
    participants: int = 0
    staff: int = 0
    services: int = 0
    bytes: int = 0
    planted: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bundles: list[str] = field(default_factory=list)

    def add(self, other: "GenerateStats") -> None:
        self.contracts += other.contracts
        self.participants += other.participants
        self.staff += other.staff
        self.services += other.services
        self.bytes += other.bytes
        for k, v in other.planted.items():
            self.planted[k] = self.planted.get(k, 0) + v
        self.bundles.extend(other.bundles)

    @property
    def planted_total(self) -> int:
        return sum(self.planted.values())

    def to_dict(self) -> dict:
        return {
            "contracts": self.contracts, "participants": self.participants, "staff": self.staff,
            "services": self.services, "bytes": self.bytes, "seconds": round(self.seconds, 3),
            "planted": dict(sorted(self.planted.items())), "planted_total": self.planted_total,
        }


def _num(x: float, decimals: int, lang: str) -> str:
    text = f"{x:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def render_stats(stats: GenerateStats, lang: str = "de") -> str:
    """The stats as a few lines of text (German or English)."""
    rate = stats.services / stats.seconds if stats.seconds > 0 else 0.0
    de = lang != "en"
    labels = (("Verträge", "Teilnehmende", "Personal", "Leistungen", "Größe", "Zeit", "eingebaute Verstöße",
               "Leistungen/s", "Bytes") if de else
              ("contracts", "participants", "staff", "services", "size", "time", "planted violations",
               "services/s", "bytes"))
    lang = "de" if de else "en"
    width = max(len(x) for x in labels[:7]) + 2
    rows = [
        (labels[0], _num(stats.contracts, 0, lang)),
        (labels[1], _num(stats.participants, 0, lang)),
        (labels[2], _num(stats.staff, 0, lang)),
        (labels[3], _num(stats.services, 0, lang)),
        (labels[4], f"{_num(stats.bytes / 1e6, 1, lang)} MB ({_num(stats.bytes, 0, lang)} {labels[8]})"),
        (labels[5], f"{_num(stats.seconds, 2, lang)} s ({_num(rate, 0, lang)} {labels[7]})"),
        (labels[6], _num(stats.planted_total, 0, lang)),
    ]
    lines = [f"{(label + ':').ljust(width)}{value}" for label, value in rows]
    lines += [f"  {rule}: {_num(n, 0, lang)}" for rule, n in sorted(stats.planted.items())]
    return "\n".join(lines) + "\n"


# --- calendar --------------------------------------------------------------------

DAY = timedelta(days=1)




def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _closed_days(year: int) -> set[date]:
    """National public holidays and the Christmas closure (24.12.–1.1.)."""
    e = _easter(year)
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 10, 3)}
    days |= {e - 2 * DAY, e + DAY, e + 39 * DAY, e + 50 * DAY}
    days |= {date(year, 12, d) for d in range(24, 32)}
    return days


# --- constants of the schedule -------------------------------------------------

NSLOT = 8  # 90-minute slots per day; a session lies inside one slot
SLOT_MINUTES = (450, 540, 630, 720, 810, 900, 990, 1080)  # 07:30, 09:00, …, 18:00
AFTERNOON = (4, 5, 6, 7, 3)

# (offset in the slot, minutes), repeated for weight
AB_TIMES = (((0, 60),) * 5 + ((0, 45),) * 3 + ((15, 60),) * 2 + ((0, 90),) * 2 + ((30, 45),) + ((0, 30),) * 2
            + ((15, 45),))
SP_TIMES = ((0, 60),) * 4 + ((0, 90),) * 2 + ((0, 45),) * 2 + ((15, 60),)
SFU_TIMES = ((0, 90),) * 5 + ((0, 45),) + ((45, 45),) + ((0, 60),)
SPG_TIMES = ((0, 90),) * 3 + ((0, 60),) * 2
AB_MODES = ("presence",) * 11 + ("company",) * 4 + ("phone",) * 3 + ("video",) * 2
SP_MODES = ("presence",) * 14 + ("video",) * 3 + ("phone",) * 3
SFU_MODES = ("presence",) * 9 + ("company",)  # remedial tuition is given in presence (ASA-SFU-REMOTE)

# one draw gives a one-to-one session's (element, offset, minutes, mode, attendance): 78 % AB, 22 % SP;
# 1 in 33 sessions is a billable no-show
_ATTENDANCE_MIX = ("present",) * 32 + ("absent_unannounced",)
ONE_TO_ONE_DRAW = (tuple(("AB", o, m, mode, a) for o, m in AB_TIMES for mode in AB_MODES for a in _ATTENDANCE_MIX) * 2
                   + tuple(("SP", o, m, mode, a) for o, m in SP_TIMES for mode in SP_MODES for a in _ATTENDANCE_MIX))

COHORTS = (date(2021, 9, 1),) * 4 + (date(2021, 10, 1), date(2022, 1, 1)) + (date(2022, 9, 1),) * 2 + (
    date(2023, 9, 1),) * 2 + (date(2024, 8, 1),) * 2 + (date(2024, 9, 1), date(2025, 2, 1))
GROUP_LIMIT_CHANGE = date(2024, 8, 1)
DATA_HORIZON = date(2026, 7, 31)  # no service is documented after this day

AB_TRADE = ("meister", "techniker", "fachwirt")
AB_SOCIAL = ("studium_soziale_arbeit", "studium_heilpaedagogik", "studium_rehapaedagogik", "studium_sonderpaedagogik")
SUSPENSION_REASONS = ("parental_leave", "sick_pay", "sick_pay")
BAD_SUSPENSION_REASONS = ("", "urlaub", "umzug", "Elternzeit", "krank")
ATTENDANCE_NOT_BILLABLE = ("absent_announced", "cancelled_by_provider")  # absent_unannounced is billable
ATTENDANCES_ALL = ("present", "absent_unannounced") + ATTENDANCE_NOT_BILLABLE

EXTENSION_REASONS = ("noch kein Ausbildungsplatz, Bewerbungen laufen", "Praktikum mit Übernahmeaussicht",
                     "Ausbildungsbeginn erst zum 01.10.", "Einstiegsqualifizierung beantragt")

STAFF_COLUMNS = ("staff_id", "role", "employment", "employer_id", "employed_from", "employed_to", "fte",
                 "qualifications", "youth_experience_months", "equivalence_ref")
PARTICIPANT_COLUMNS = ("participant_id", "phase", "from", "to", "training_start", "training_end")
PARTICIPANT_COLUMNS_V11 = PARTICIPANT_COLUMNS + ("training_completed_on", "employment_start", "extension_reason")
REFPERSON_COLUMNS = ("participant_id", "staff_id", "from", "to", "change_reason")
SUSPENSION_COLUMNS = ("participant_id", "from", "to", "reason")
SERVICE_COLUMNS = ("service_id", "date", "start", "minutes", "element", "phase", "staff_id", "participant_ids", "mode")
SERVICE_COLUMNS_V11 = SERVICE_COLUMNS + ("attendance",)

# service record: a list indexed by these positions; S_KEY = (day * NSLOT + slot) << 24 | creation number
# is unique, so records sort by day, slot and creation with one int comparison
S_KEY, S_DAY, S_SLOT, S_OFF, S_MIN, S_EL, S_PH, S_STAFF, S_PIDS, S_MODE, S_ATT, S_BAD, S_PLANTED = range(13)
KEY_SHIFT = 24


# --- records of one contract ------------------------------------------------------

@dataclass
class _Staff:
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
class _Part:
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
class _Course:
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


class _Dialect:
    def __init__(self, german: bool, bom: bool):
        self.german = german
        self.sep = ";" if german else ","
        self.nl = "\r\n" if german else "\n"
        self.encoding = "cp1252" if german else ("utf-8-sig" if bom else "utf-8")

    def date(self, d: date) -> str:
        return f"{d.day:02d}.{d.month:02d}.{d.year:04d}" if self.german else d.isoformat()

    def time(self, minutes: int) -> str:
        h, m = divmod(minutes, 60)
        return f"{h}:{m:02d}" if self.german else f"{h:02d}:{m:02d}"

    def dec(self, text: str) -> str:
        return text.replace(".", ",") if self.german else text


# --- the generator of one contract ---------------------------------------------------

class _ContractGen:
    def __init__(self, index: int, seed: int, participants: int, services_per_participant: float,
                 rate: float):
        self.index = index
        self.rng = random.Random(f"asa-check-generate:{seed}:{index}")
        self.n_participants = max(1, participants)
        self.spp = services_per_participant
        self.rate = max(0.0, min(1.0, rate))
        self.planted: dict[str, int] = {}
        self.tag = f"{index:04d}"

    def plant(self, rule: str, n: int = 1) -> None:
        self.planted[rule] = self.planted.get(rule, 0) + n

    def hit(self) -> bool:
        return self.rate > 0 and self.rng.random() < self.rate

    # -- days ------------------------------------------------------------------

    def idx(self, d: date) -> int:
        return (d - self.base).days

    def day(self, i: int) -> date:
        return self.base + timedelta(days=i)

    def fmt(self, i: Optional[int]) -> str:
        if i is None:
            return ""
        if 0 <= i < len(self.date_str):
            return self.date_str[i]
        return self.dialect.date(self.day(i))

    # -- plan ------------------------------------------------------------------

    def plan_contract(self) -> None:
        rng = self.rng
        self.dialect = _Dialect(german=self.index % 5 == 0, bom=self.index % 7 == 3)
        self.v11 = rng.random() < 0.5
        self.bp_start = rng.choice(COHORTS)
        self.bp_end = period_end(self.bp_start, 36)
        self.limit = 6 if self.bp_start >= GROUP_LIMIT_CHANGE else 8
        n_vp = rng.choices((0, 1, 2), weights=(4, 4, 2))[0]
        self.pre_phases = []  # [start, end] dates, chronological
        for k in reversed(range(n_vp)):
            vp_start = months_after(self.bp_start, -6 * (k + 1))
            self.pre_phases.append([vp_start, period_end(vp_start, 6)])
        self.extension = None
        if rng.random() < 0.3:
            months = rng.choice((24, 24, 12))
            self.extension = (self.bp_end + DAY, period_end(self.bp_end + DAY, months))
        years = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
        while years > 1 and period_end(self.bp_start, 12 * years) > DATA_HORIZON:
            years -= 1
        self.cutoff_date = period_end(self.bp_start, 12 * years) - rng.choice((0, 0, 0, 2, 9, 20)) * DAY
        self.base = self.pre_phases[0][0] if self.pre_phases else self.bp_start
        self.bp = self.idx(self.bp_start)
        self.cutoff = self.idx(self.cutoff_date)
        self.ndays = self.cutoff + 1
        closed: set[date] = set()
        for y in range(self.base.year, self.cutoff_date.year + 1):
            closed |= _closed_days(y)
        n, wd0 = self.ndays, self.base.weekday()
        self.weekday = [(wd0 + i) % 7 for i in range(n)]
        workday = bytearray(n)
        for wd in range(5):
            first = (wd - wd0) % 7
            workday[first::7] = b"\x01" * len(range(first, n, 7))
        for d in closed:
            if 0 <= self.idx(d) < n:
                workday[self.idx(d)] = 0
        self.workday, self.workday_b = workday, bytes(workday)
        first = self.base.toordinal()
        self.date_str = [self.dialect.date(date.fromordinal(o)) for o in range(first, first + n)]
        self.provider = f"T-{self.tag}"
        self.contract_id = f"955-{self.tag}-{self.bp_start.year % 100:02d}"
        self.price = rng.choice(("58.90", "62.50", "64.20", "66.75", "71.40", "69.00"))

    def plan_staff(self) -> None:
        rng, P = self.rng, self.n_participants
        n_ab = max(2, round(P / 17))
        n_sp = max(1, round(P / 45))
        n_lk = max(1, round(P / 35))
        staff: list[_Staff] = []

        def hired() -> int:
            return -rng.randint(20, 2600)

        def weekdays(fte: float) -> tuple[int, ...]:
            n = max(2, min(5, round(fte * 5)))
            return tuple(sorted(rng.sample(range(5), n)))

        for _ in range(n_ab):
            fte = rng.choice((1.0, 1.0, 1.0, 0.75, 0.8, 0.5))
            quals, youth, ref = self.ab_qualification()
            staff.append(_Staff(0, "AB", "employee", self.provider, hired(), None, _fte(fte), quals, youth, ref,
                                weekdays(fte)))
        for _ in range(n_sp):
            fte = rng.choice((1.0, 1.0, 0.75, 0.5))
            quals = rng.choice(("studium_soziale_arbeit",) * 4 + ("studium_heilpaedagogik", "studium_sonderpaedagogik"))
            staff.append(_Staff(0, "SP", "employee", self.provider, hired(), None, _fte(fte), quals,
                                rng.randint(12, 240), "", weekdays(fte)))
        for k in range(n_lk):
            fte = rng.choice((0.25, 0.3, 0.5, 0.5, 0.75, 1.0))
            # the first four LK posts take each employment kind once (starting at a different kind per contract)
            emp = ("employee", "freelance", "subcontractor", "agency")[(k + self.index) % 4] if k < 4 else rng.choices(
                ("employee", "freelance", "subcontractor", "agency"), weights=(5, 3, 1, 1))[0]
            quals = rng.choice(("lehramt", "lehramt", "meister|aevo", "studium_vergleichbar", "techniker|aevo"))
            ref = f"GWB-{rng.randint(2010, 2020)}-{rng.randint(1, 9999):04d}" if quals == "studium_vergleichbar" else ""
            staff.append(_Staff(0, "LK", emp, "", hired(), None, _fte(fte), quals, rng.randint(0, 200), ref,
                                weekdays(fte)))
        rng.shuffle(staff)
        # AB staff leaving during the accompanying phase, each replaced by a new AB
        if self.cutoff - self.bp >= 240:
            for s in [s for s in staff if s.role == "AB"]:
                if rng.random() < 0.15:
                    leave = rng.randint(self.bp + 60, self.cutoff - 30)
                    s.emp_to = leave
                    fte = rng.choice((1.0, 0.75, 0.8))
                    quals, youth, ref = self.ab_qualification()
                    new = _Staff(0, "AB", "employee", self.provider, leave - rng.randint(0, 21), None, _fte(fte),
                                 quals, youth, ref, weekdays(fte))
                    staff.append(new)
                    s.replaced_by = len(staff) - 1
        for i, s in enumerate(staff):
            s.idx = i
            s.sid = f"M-{self.tag}-{i + 1:02d}"
            if s.role == "LK":
                s.employer = {"employee": self.provider, "freelance": s.sid,
                              "subcontractor": f"T-9{rng.randint(100, 999)}",
                              "agency": f"ZA-{rng.randint(10, 99)}"}[s.employment]
        if self.dialect.german:  # one comparable degree with a German reference: Windows-1252 bytes
            ab = next(s for s in staff if s.role == "AB")
            ab.quals = "studium_vergleichbar"
            ab.eq_ref = f"Gleichwertigkeitsprüfung Nr. {rng.randint(10, 999)}/{rng.randint(2012, 2020)}"
        self.staff = staff
        self.plant_staff()
        n = self.ndays
        for s in staff:  # slot grid: 0 = free, 1 = not working or booked
            works = bytearray(n)
            for wd in s.weekdays:
                first = (wd - self.weekday[0]) % 7
                works[first::7] = b"\x01" * len(range(first, n, 7))
            lo, hi = max(0, s.emp_from), self.cutoff if s.emp_to is None else min(s.emp_to, self.cutoff)
            works[:lo] = bytes(min(lo, n))
            if hi + 1 < n:
                works[hi + 1:] = bytes(n - hi - 1)
            s.busy = _slot_grid(_and(works, self.workday_b))

    def ab_qualification(self) -> tuple[str, int, str]:
        rng = self.rng
        path = rng.choices(("trade", "social", "comparable"), weights=(45, 40, 15))[0]
        if path == "trade":
            return f"{rng.choice(AB_TRADE)}|aevo", rng.randint(24, 240), ""
        if path == "social":
            q = rng.choice(AB_SOCIAL)
            return (q + "|aevo" if rng.random() < 0.2 else q), rng.randint(0, 180), ""
        return "studium_vergleichbar", rng.randint(6, 120), f"GWB-{rng.randint(2008, 2020)}-{rng.randint(1, 9999):04d}"

    def plant_staff(self) -> None:
        rng = self.rng
        for s in self.staff:
            if s.role not in ("AB", "SP") or not self.hit():
                continue
            if s.role == "AB" and rng.random() < 0.5:
                s.eq_ref = ""
                s.quals, s.youth = rng.choice((
                    (f"{rng.choice(AB_TRADE)}", rng.randint(24, 200)),  # no aevo
                    (f"{rng.choice(AB_TRADE)}|aevo", rng.randint(0, 11)),  # too little experience
                    ("aevo", rng.randint(24, 200)),  # aevo alone
                    ("studium_vergleichbar", rng.randint(12, 100)),  # no equivalence reference
                    ("", rng.randint(0, 60)),
                ))
                self.plant(R_STAFF_QUALIFICATION)
            else:
                s.employment, s.employer = rng.choice((
                    ("freelance", s.sid), ("agency", f"ZA-{rng.randint(10, 99)}"),
                    ("subcontractor", f"T-9{rng.randint(100, 999)}"), ("employee", f"T-8{rng.randint(100, 999)}"),
                ))
                self.plant(R_STAFF_EMPLOYMENT)

    # -- participants ------------------------------------------------------------

    def plan_participants(self) -> None:
        rng, P = self.rng, self.n_participants
        parts: list[_Part] = []
        n_vp_total = round(P * 0.22) if self.pre_phases else 0
        self.places = []
        if n_vp_total:
            capacity = {}
            self.staffing = {"AB": rng.choice((12, 12, 10, 15)), "SP": rng.choice((24, 24, 20)),
                             "LK": rng.choice((24, 24, 30))}
            for role, ratio in self.staffing.items():
                fte = sum(float(s.fte) for s in self.staff if s.role == role and s.emp_from <= 0)
                capacity[role] = int(fte * ratio + 1e-9)
            cap = max(1, min(capacity.values()))
            per_vp = [n_vp_total // len(self.pre_phases) + (1 if k < n_vp_total % len(self.pre_phases) else 0)
                      for k in range(len(self.pre_phases))]
            carried = 0  # Vorphase participants continued (7-8 months) into the next Vorphase
            for k, (start, end) in enumerate(self.pre_phases):
                places = min(cap, max(per_vp[k] + carried + rng.randint(0, 6), rng.randint(8, 24)))
                self.places.append(places)
                a, b = self.idx(start), self.idx(end)
                last_vp = k == len(self.pre_phases) - 1
                n_new = max(0, min(per_vp[k], places - carried))
                carried = 0
                for _ in range(n_new):
                    f = a + rng.randint(0, min(75, b - a - 50))
                    t = b if rng.random() < 0.6 else rng.randint(f + 45, b)
                    p = _Part(key=f + rng.random(), vp=(f, t))
                    if not last_vp and self.v11 and rng.random() < 0.15:
                        # continuation beyond six months, documented in extension_reason (v1.1 bundles)
                        t = self.idx(period_end(self.day(f), rng.choice((7, 8)))) - rng.randint(0, 20)
                        p.vp = (f, t)
                        p.extension_reason = rng.choice(EXTENSION_REASONS)
                        carried += 1
                    elif rng.random() < (0.7 if last_vp else 0.45):
                        self.plan_bp(p, self.bp + (0 if rng.random() < 0.6 else rng.randint(0, 30)))
                    parts.append(p)
        span = max(1, self.cutoff - 45 - self.bp)
        while len(parts) < P:
            f = self.bp + (rng.randint(0, 45) if rng.random() < 0.35 else rng.randint(0, span))
            p = _Part(key=f + rng.random())
            self.plan_bp(p, min(f, self.cutoff - 20))
            parts.append(p)
        parts.sort(key=lambda p: p.key)
        for n, p in enumerate(parts, 1):
            p.pid = f"TN-{self.tag}-{n:05d}"
        self.parts = parts
        self.plan_suspensions()

    def plan_bp(self, p: _Part, f: int) -> None:
        rng = self.rng
        p.bp_from = f
        fd = self.day(f)
        year = fd.year if fd >= date(fd.year, 8, 1) else fd.year - 1
        month = rng.choice((8, 8, 9))
        length = rng.choices((36, 42, 24), weights=(6, 2, 2))[0]
        for back in (rng.choices((0, 1, 2), weights=(5, 3, 2))[0], 0, -1):
            ts = date(year - back, month, 1)
            if ts > fd:
                ts = date(year - back - 1, month, 1)
            te = period_end(ts, length)
            if te >= fd + timedelta(days=150):
                break
        p.training_start, p.training_end = self.idx(ts), self.idx(te)
        if p.training_end <= self.cutoff - 10 and rng.random() < 0.85:
            completed = max(f + 30, p.training_end - rng.randint(0, 45))
            p.completed = completed
            if rng.random() < 0.7:
                es = completed + rng.randint(1, 30)
                p.employment_start = es
                limit = min(self.idx(period_end(self.day(es), 6)), self.idx(months_after(self.day(completed), 12)))
                p.bp_to = min(self.idx(period_end(self.day(es), rng.randint(1, 6))), limit)
            else:
                limit = self.idx(months_after(self.day(completed), 12))
                p.bp_to = min(completed + rng.randint(0, 60), limit)
            p.aftercare_limit = limit
        elif rng.random() < 0.15:
            t = f + rng.randint(60, 540)
            p.bp_to = t if t <= self.cutoff - 5 and t < p.training_end else None
        if p.bp_to is not None and p.bp_to < f + 14:
            p.bp_to = f + 14

    def bp_last(self, p: _Part) -> int:
        """Last day of the BP participation inside the window."""
        return self.cutoff if p.bp_to is None else min(p.bp_to, self.cutoff)

    def plan_suspensions(self) -> None:
        rng = self.rng
        for p in self.parts:
            if p.bp_from is None:
                continue
            a, b = p.bp_from, self.bp_last(p)
            if b - a < 240 or rng.random() >= 0.08:
                continue
            start = rng.randint(a + 45, b - 120)
            rule = ""
            if self.hit():
                if rng.random() < 0.5 and self.idx(period_end(self.day(start), 10)) < b - 14:
                    rule = R_SUSPENSION_LENGTH
                else:
                    rule = R_SUSPENSION_REASON
            months = rng.randint(7, 9) if rule == R_SUSPENSION_LENGTH else rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))
            end = self.idx(period_end(self.day(start), months))
            if rule != R_SUSPENSION_LENGTH:
                end -= rng.randint(0, 15)
            while end > b - 14 and months > 1:
                months -= 1
                end = self.idx(period_end(self.day(start), months))
            if end > b - 14 or end < start:
                continue
            reasons = BAD_SUSPENSION_REASONS if rule == R_SUSPENSION_REASON else SUSPENSION_REASONS
            reason = rng.choice(reasons)
            p.susp.append([start, end, reason, rule])
            if rule:
                self.plant(rule)

    # -- reference persons -----------------------------------------------------

    def plan_refs(self) -> None:
        rng = self.rng
        ab = [s for s in self.staff if s.role == "AB"]

        def pick(d: int, exclude: int = -1) -> int:
            ok = [s for s in ab if s.employed(d) and s.idx != exclude and (s.emp_to is None or s.emp_to >= d + 20)]
            if not ok:
                ok = [s for s in ab if s.employed(d) and s.idx != exclude] or [s for s in ab if s.employed(d)]
            best = min(ok, key=lambda s: (s.load, s.idx))
            best.load += 1
            return best.idx

        for p in self.parts:
            segments = []
            if p.vp is not None:
                segments.append([p.vp[0], p.vp[1]])
            if p.bp_from is not None:
                if segments and p.bp_from == segments[-1][1] + 1:
                    segments[-1][1] = p.bp_to
                else:
                    segments.append([p.bp_from, p.bp_to])
            request = None
            if p.bp_from is not None and self.bp_last(p) - p.bp_from > 150 and rng.random() < 0.06:
                request = rng.randint(p.bp_from + 40, self.bp_last(p) - 40)
            cur = -1
            for a, b in segments:
                reason = ""
                if cur < 0:
                    cur = pick(a)
                elif not self.staff[cur].employed(a):
                    cur, reason = self.successor(cur, a, pick), "staff_left"
                t = a
                while True:
                    s = self.staff[cur]
                    stop, why = None, ""
                    if s.emp_to is not None and (b is None or s.emp_to < b):
                        stop, why = s.emp_to, "staff_left"
                    if request is not None and t < request and (b is None or request <= b) and (
                            stop is None or request - 1 < stop):
                        stop, why = request - 1, "participant_request"
                    if stop is None or stop >= self.cutoff and b is None:
                        p.refs.append([t, b, cur, reason])
                        break
                    p.refs.append([t, stop, cur, reason])
                    t = stop + 1
                    if why == "participant_request":
                        request = None
                        cur = pick(t, exclude=cur)
                    else:
                        cur = self.successor(cur, t, pick)
                    reason = why
        self.plant_ref_gaps()

    def successor(self, cur: int, d: int, pick) -> int:
        nxt = self.staff[cur].replaced_by
        if nxt is not None and self.staff[nxt].employed(d):
            self.staff[nxt].load += 1
            return nxt
        return pick(d, exclude=cur)

    def plant_ref_gaps(self) -> None:
        rng = self.rng
        for p in self.parts:
            if p.bp_from is None or not self.hit():
                continue
            a, b = p.bp_from, self.bp_last(p)
            if b - a < 40:
                continue
            g = rng.randint(1, min(30, (b - a) // 3))
            d = rng.randint(a, a + (b - a) // 2 - g)
            for k, (ra, rb, s, reason) in enumerate(p.refs):
                if ra <= d and (rb is None or d + g - 1 <= rb):
                    rest = [d + g, rb, s, ""] if rb is None or d + g <= rb else None
                    if d == ra:
                        p.refs[k:k + 1] = [[d + g, rb, s, reason]] if rest else []
                    else:
                        p.refs[k:k + 1] = [[ra, d - 1, s, reason]] + ([rest] if rest else [])
                    p.ref_gap = (d, d + g - 1)
                    self.plant(R_REFPERSON_MISSING)
                    break

    # -- availability -----------------------------------------------------------

    def plan_availability(self) -> None:
        rng = self.rng
        sp = [s.idx for s in self.staff if s.role == "SP"]
        for p in self.parts:
            avail = bytearray(self.ndays)
            spans = []
            if p.vp is not None:
                spans.append((p.vp[0], min(p.vp[1], self.cutoff)))
            if p.bp_from is not None:
                spans.append((p.bp_from, self.bp_last(p)))
            for a, b in spans:
                avail[a:b + 1] = b"\x01" * (b - a + 1)
            for a, b, _, _ in p.susp:
                avail[a:b + 1] = bytes(b - a + 1)
            p.active_days = avail.count(1)
            open_days = _and(avail, self.workday_b)
            p.days = list(compress(range(self.ndays), open_days))
            p.busy = _slot_grid(open_days)
            p.sp_staff = rng.choice(sp)

    # -- groups ----------------------------------------------------------------

    def plan_courses(self) -> None:
        rng = self.rng
        self.courses: list[_Course] = []
        lk = [s for s in self.staff if s.role == "LK"]
        sp = [s for s in self.staff if s.role == "SP"]
        for pi, p in enumerate(self.parts):
            spans = []
            if p.vp is not None:  # a course stays inside one Vorphase
                end = next(self.idx(e) for s, e in self.pre_phases if self.idx(s) <= p.vp[0] <= self.idx(e))
                spans.append(("VP", p.vp[0], min(p.vp[1], end, self.cutoff)))
            if p.bp_from is not None and p.bp_from <= self.cutoff:
                spans.append(("BP", p.bp_from, self.bp_last(p)))
            for phase, a, b in spans:
                if b - a < 28:
                    continue
                joined = set()
                for element, chance, pool in (("SFU", 0.55 if phase == "BP" else 0.4, lk), ("SP", 0.25, sp)):
                    if rng.random() >= chance:
                        continue
                    f = a + rng.randint(0, min(60, (b - a) // 3))
                    t = b if rng.random() < 0.6 else rng.randint(f + (b - f) // 2, b)
                    self.join_course(element, phase, pi, f, t, pool, joined)

    def join_course(self, element: str, phase: str, pi: int, f: int, t: int, pool: list[_Staff], joined: set) -> None:
        wa, wb = f // 7, t // 7
        for c in self.courses:
            if (c.element == element and c.phase == phase and c.first <= f and t <= c.last
                    and (c.weekday, c.slot) not in joined and max(c.weeks[wa:wb + 1]) < c.cap):
                break
        else:
            c = self.new_course(element, phase, pool, f, t, joined)
            if c is None:
                return
        for w in range(wa, wb + 1):
            c.weeks[w] += 1
        c.members.append((f, t, pi))
        joined.add((c.weekday, c.slot))

    def new_course(self, element, phase, pool, f, t, joined) -> Optional[_Course]:
        rng = self.rng
        if phase == "VP":
            pp = next(((self.idx(a), self.idx(b)) for a, b in self.pre_phases if self.idx(a) <= f <= self.idx(b)), None)
            if pp is None:
                return None
            first, last = pp
        else:
            first, last = self.bp, self.cutoff
        for s in rng.sample(pool, len(pool)):
            if not (s.employed(f) and (s.emp_to is None or s.emp_to >= last)):
                continue
            options = [(wd, slot) for wd in s.weekdays for slot in AFTERNOON
                       if (wd, slot) not in s.courses and (wd, slot) not in joined]
            if not options:
                continue
            wd, slot = rng.choice(options)
            s.courses.add((wd, slot))
            cap = rng.randint(max(2, self.limit - 3), self.limit)
            c = _Course(element, phase, s.idx, wd, slot, first, last, 7 if element == "SFU" else 14, cap,
                        bytearray(last // 7 + 2))
            self.courses.append(c)
            return c
        return None

    # -- services ---------------------------------------------------------------

    def schedule(self) -> None:
        rng = self.rng
        services: list[list] = []
        self.services = services
        seq = 0
        parts, staff = self.parts, self.staff
        # group sessions first: fixed weekly (SFU) or fortnightly (SP) meetings
        for c in self.courses:
            sb = staff[c.staff].busy
            d = c.first + (c.weekday - self.weekday[c.first]) % 7
            times = SFU_TIMES if c.element == "SFU" else SPG_TIMES
            modes = SFU_MODES if c.element == "SFU" else SP_MODES
            minimum = 1 if c.element == "SFU" else 2
            while d <= c.last:
                pos = d * NSLOT + c.slot
                if not sb[pos]:
                    present = [pi for a, b, pi in c.members if a <= d <= b and not parts[pi].busy[pos]]
                    if len(present) >= minimum:
                        sb[pos] = 1
                        share = 1.0 / len(present)
                        for pi in present:
                            parts[pi].busy[pos] = 1
                            parts[pi].group_share += share
                        off, mins = rng.choice(times)
                        seq += 1
                        services.append([(pos << KEY_SHIFT) | seq, d, c.slot, off, mins, c.element, c.phase, c.staff,
                                         "|".join(parts[pi].pid for pi in present), rng.choice(modes),
                                         "present", None, ""])
                d += c.every
        # one-to-one sessions: AB with the reference person, SP with the participant's social pedagogue
        sp_pool = [s.idx for s in staff if s.role == "SP"]
        n_sp_pool = len(sp_pool)
        orders = ((4, 5, 6, 7, 3, 2, 1, 0), (5, 6, 7, 4, 3, 2, 1, 0), (6, 7, 5, 4, 3, 2, 1, 0),
                  (2, 3, 1, 4, 5, 0, 6, 7), (1, 2, 3, 0, 4, 5, 6, 7))
        n_draw = len(ONE_TO_ONE_DRAW)
        spp = self.spp
        random_ = rng.random
        append = services.append
        busy = [s.busy for s in staff]
        for p in parts:
            days = p.days
            if not days:
                continue
            target = spp * p.active_days / 365.25 - p.group_share
            n = int(target) + (1 if random_() < target - int(target) else 0)
            if n <= 0:
                continue
            nd = len(days)
            step = nd / n
            pb = p.busy
            pid = p.pid
            vp_end = p.vp[1] if p.vp is not None else -1
            refs = p.refs
            one = refs[0] if len(refs) == 1 else None  # the usual case: one reference person throughout
            order = orders[int(random_() * 5)]  # the participant's usual times of day
            for k in range(n):
                j = int((k + random_()) * step)
                el, off, mins, mode, att = ONE_TO_ONE_DRAW[int(random_() * n_draw)]
                for attempt in range(4):  # the drawn day, else the next ones
                    if j >= nd:
                        break
                    d = days[j]
                    j += 1
                    if el == "AB":
                        if one is not None and one[0] <= d and (one[1] is None or d <= one[1]):
                            st = one[2]
                        else:
                            st = p.ref_on(d)
                            if st < 0:
                                continue
                    else:
                        st = p.sp_staff if attempt < 2 else sp_pool[int(random_() * n_sp_pool)]
                    sb = busy[st]
                    base = d * NSLOT
                    for s in order:
                        pos = base + s
                        if not sb[pos] and not pb[pos]:
                            sb[pos] = 1
                            pb[pos] = 1
                            seq += 1
                            append([(pos << KEY_SHIFT) | seq, d, s, off, mins, el,
                                    "VP" if d <= vp_end else "BP", st, pid, mode, att, None, ""])
                            break
                    else:
                        continue
                    break
        self.seq = seq

    # -- planted service violations -----------------------------------------------

    def plant_services(self) -> None:
        if self.rate <= 0:
            return
        rng = self.rng
        self.pid_index = {p.pid: i for i, p in enumerate(self.parts)}
        self.ref_pool: dict[int, list[int]] = {}  # staff index -> participants it is ever reference person of
        for pi, p in enumerate(self.parts):
            for st in sorted({r[2] for r in p.refs}):
                self.ref_pool.setdefault(st, []).append(pi)
        self.suspended_cands = [(pi, a, min(b, self.cutoff)) for pi, p in enumerate(self.parts)
                                for a, b, _, _ in p.susp]
        self.after_cands = [pi for pi, p in enumerate(self.parts)
                            if p.bp_to is not None and p.bp_to < self.cutoff - 5 and p.aftercare_limit is None]
        self.leavers = [s for s in self.staff if s.role == "AB" and s.emp_to is not None and s.emp_to < self.cutoff - 3]
        # slots taken by planted sessions where the grid says "not available" (suspended, after the
        # participation, after the employment): (participant index or -1 - staff index, slot position)
        self.used: set[tuple[int, int]] = set()
        common = [("staff_overlap", 2), ("participant_overlap", 2), ("input", 1)]
        if self.suspended_cands:
            common.append(("suspended", 2))
        if self.after_cands:
            common.append(("after_end", 2))
        if self.leavers:
            common.append(("employment", 1))
        if self.v11:
            common.append(("absence", 2))
        menus = {}  # kind of service -> (planting methods, cumulative weights)
        for menu, own in (("group", [("group_size", 3)]), ("ab", [("individual", 2)]), ("other", [])):
            kinds = own + common
            menus[menu] = ([getattr(self, "plant_" + k) for k, _ in kinds], list(accumulate(w for _, w in kinds)))
        rate, random_ = self.rate, rng.random
        for svc in list(self.services):  # each scheduled session once; planted ones are appended
            if random_() >= rate:
                continue
            menu = "group" if svc[S_EL] != "AB" else "ab" if "|" not in svc[S_PIDS] else "other"
            methods, cum = menus[menu]
            first = rng.choices(methods, cum_weights=cum)[0]
            for plant in [first] + [m for m in methods if m is not first]:  # the drawn kind, else any that fits
                if plant(svc) is not False:
                    break

    def _free_participants(self, svc: list, n: int, prefer_staff: int = -1) -> list[int]:
        """Up to ``n`` participants not in ``svc``, free in its slot and in its phase that day.

        ``prefer_staff``: rather participants whose reference person that day is this staff member.
        Random probes first (cheap); a full scan only when they do not find enough.
        """
        d, ph, pos = svc[S_DAY], svc[S_PH], svc[S_DAY] * NSLOT + svc[S_SLOT]
        parts, random_ = self.parts, self.rng.random
        inside = set(svc[S_PIDS].split("|"))

        def ok(pi: int) -> bool:
            p = parts[pi]
            return not p.busy[pos] and p.pid not in inside and p.phase_on(d) == ph

        found: list[int] = []
        pools = [range(len(parts))]
        if prefer_staff >= 0:
            pools.insert(0, self.ref_pool.get(prefer_staff, ()))
        for k, pool in enumerate(pools):
            if not pool:
                continue
            for _ in range(8 * n + 8):
                pi = pool[int(random_() * len(pool))]
                if pi not in found and ok(pi) and (k or prefer_staff < 0 or parts[pi].ref_on(d) == prefer_staff):
                    found.append(pi)
                    if len(found) == n:
                        return found
        cands = [pi for pi in range(len(parts)) if pi not in found and ok(pi)]
        self.rng.shuffle(cands)
        return found + cands[:n - len(found)]

    def _new_service(self, d: int, slot: int, off: int, mins: int, el: str, ph: str, st: int, pids: list[int],
                     mode: str, rule: str) -> list:
        self.seq += 1
        pos = d * NSLOT + slot
        self.staff[st].busy[pos] = 1
        self.used.add((-1 - st, pos))
        for pi in pids:
            self.parts[pi].busy[pos] = 1
            self.used.add((pi, pos))
        pid_text = "|".join(self.parts[pi].pid for pi in pids)
        svc = [(pos << KEY_SHIFT) | self.seq, d, slot, off, mins, el, ph, st, pid_text, mode, "present", None, rule]
        self.services.append(svc)
        self.plant(rule)
        return svc

    def plant_group_size(self, svc):
        need = self.limit + 1 - len(svc[S_PIDS].split("|")) + self.rng.randint(0, 1)
        extra = self._free_participants(svc, need)
        if len(extra) < need:
            return False
        pos = svc[S_DAY] * NSLOT + svc[S_SLOT]
        for pi in extra:
            self.parts[pi].busy[pos] = 1
        svc[S_PIDS] = "|".join(sorted(svc[S_PIDS].split("|") + [self.parts[pi].pid for pi in extra]))
        svc[S_PLANTED] = R_GROUP_SIZE
        self.plant(R_GROUP_SIZE)
        return True

    def plant_individual(self, svc):
        extra = self._free_participants(svc, 1, prefer_staff=svc[S_STAFF])
        if not extra:
            return False
        self.parts[extra[0]].busy[svc[S_DAY] * NSLOT + svc[S_SLOT]] = 1
        svc[S_PIDS] = "|".join(sorted([svc[S_PIDS], self.parts[extra[0]].pid]))
        svc[S_PLANTED] = R_GROUP_INDIVIDUAL
        self.plant(R_GROUP_INDIVIDUAL)
        return True

    def plant_staff_overlap(self, svc):
        extra = self._free_participants(svc, 1, prefer_staff=svc[S_STAFF] if svc[S_EL] == "AB" else -1)
        if not extra:
            return False
        return self._new_service(svc[S_DAY], svc[S_SLOT], svc[S_OFF], svc[S_MIN], svc[S_EL], svc[S_PH], svc[S_STAFF],
                                 extra, svc[S_MODE], R_DOUBLE_BOOKING)

    def plant_participant_overlap(self, svc):
        pos = svc[S_DAY] * NSLOT + svc[S_SLOT]
        role_el = [("SP", "SP"), ("LK", "SFU")]
        self.rng.shuffle(role_el)
        for role, el in role_el:
            free = [s for s in self.staff if s.role == role and s.idx != svc[S_STAFF] and not s.busy[pos]]
            if free:
                st = self.rng.choice(free).idx
                pi = self.pid_index[self.rng.choice(svc[S_PIDS].split("|"))]
                return self._new_service(svc[S_DAY], svc[S_SLOT], svc[S_OFF], svc[S_MIN], el, svc[S_PH], st, [pi],
                                         "presence", R_DOUBLE_BOOKING)
        return False

    def _slot_for(self, st: int, pi: int, days: list[int], tries: int = 12) -> Optional[tuple[int, int]]:
        """A slot on one of ``days`` where staff ``st`` is free and participant ``pi`` has no planted session."""
        busy, used = self.staff[st].busy, self.used
        for _ in range(tries):
            d = self.rng.choice(days)
            if not self.workday[d]:
                continue
            for s in AFTERNOON:
                pos = d * NSLOT + s
                if not busy[pos] and (pi, pos) not in used:
                    return d, s
        return None

    def plant_suspended(self, svc):
        pi, a, b = self.rng.choice(self.suspended_cands)
        p = self.parts[pi]
        days = list(range(a, b + 1))
        for _ in range(3):
            d = self.rng.choice(days)
            st = p.ref_on(d)
            if st < 0 or not self.staff[st].employed(d):
                continue
            found = self._slot_for(st, pi, [d], 1)
            if found:
                off, mins = self.rng.choice(AB_TIMES)
                return self._new_service(found[0], found[1], off, mins, "AB", "BP", st, [pi], "presence",
                                         R_SUSPENSION_SERVICE)
        return False

    def plant_after_end(self, svc):
        pi = self.rng.choice(self.after_cands)
        p = self.parts[pi]
        days = list(range(p.bp_to + 1, min(p.bp_to + 40, self.cutoff) + 1))
        sp = [s for s in self.staff if s.role == "SP"]
        st = self.rng.choice(sp).idx
        found = self._slot_for(st, pi, days)
        if not found:
            return False
        off, mins = self.rng.choice(SP_TIMES)
        return self._new_service(found[0], found[1], off, mins, "SP", "BP", st, [pi], "presence", R_SERVICE_PERIOD)

    def plant_employment(self, svc):
        s = self.rng.choice(self.leavers)
        for _ in range(6):
            d = self.rng.randint(s.emp_to + 1, self.cutoff)
            if not self.workday[d]:
                continue
            for slot in AFTERNOON:
                if (-1 - s.idx, d * NSLOT + slot) in self.used:
                    continue
                probe = [0, d, slot, 0, 0, "AB", "BP", s.idx, "", "", "", None, ""]
                extra = self._free_participants(probe, 1)
                if extra and self.parts[extra[0]].bp_from is not None:
                    off, mins = self.rng.choice(AB_TIMES)
                    # the leaver is not in the slot grid any more: book the participant only
                    return self._new_service(d, slot, off, mins, "AB", "BP", s.idx, extra, "presence",
                                             R_SERVICE_PERIOD)
        return False

    def plant_absence(self, svc):
        svc[S_ATT] = self.rng.choice(ATTENDANCE_NOT_BILLABLE)
        svc[S_PLANTED] = R_ABSENCE
        self.plant(R_ABSENCE)
        return True

    def plant_input(self, svc):
        rng = self.rng
        year = self.day(svc[S_DAY]).year
        bad = rng.choice((
            ("minutes", "0"), ("minutes", f"{svc[S_MIN]} Min."), ("start", "25:00"), ("element", "AB/SP"),
            ("date", f"30.02.{year}" if self.dialect.german else f"{year}-02-30"), ("mode", "zoom"),
            ("phase", "VB"),
        ))
        svc[S_BAD] = bad
        svc[S_PLANTED] = R_INPUT
        self.plant(R_INPUT)
        return True

    # -- writing ------------------------------------------------------------------

    def write(self, out: Path) -> int:
        out.mkdir(parents=True, exist_ok=True)
        written = 0
        written += self.write_services(out / "services.csv")
        written += self.write_table(out / "staff.csv", STAFF_COLUMNS, self.staff_rows())
        cols = PARTICIPANT_COLUMNS_V11 if self.v11 else PARTICIPANT_COLUMNS
        written += self.write_table(out / "participants.csv", cols, self.participant_rows())
        written += self.write_table(out / "reference_persons.csv", REFPERSON_COLUMNS, self.ref_rows())
        written += self.write_table(out / "suspensions.csv", SUSPENSION_COLUMNS, self.suspension_rows())
        written += self.write_text(out / "contract.yaml", self.contract_yaml())
        invoice = self.invoice_yaml()
        inv_path = out / "invoice.yaml"
        if invoice is None:
            if inv_path.exists():
                inv_path.unlink()
        else:
            written += self.write_text(inv_path, invoice)
        return written

    def write_text(self, path: Path, text: str) -> int:
        data = text.encode("utf-8")
        path.write_bytes(data)
        return len(data)

    def write_table(self, path: Path, columns, rows) -> int:
        """A small table; free text (reasons, references) is quoted when it holds the delimiter."""
        d = self.dialect
        sep, nl = d.sep, d.nl

        def cell(v: str) -> str:
            if sep in v or '"' in v or "\n" in v:
                return '"' + v.replace('"', '""') + '"'
            return v

        text = sep.join(columns) + nl + "".join(sep.join(map(cell, r)) + nl for r in rows)
        data = text.encode(d.encoding)
        path.write_bytes(data)
        return len(data)

    def staff_rows(self):
        for s in self.staff:
            yield (s.sid, s.role, s.employment, s.employer, self.fmt(s.emp_from), self.fmt(s.emp_to),
                   self.dialect.dec(s.fte), s.quals, str(s.youth), s.eq_ref)

    def participant_rows(self):
        f = self.fmt
        for p in self.parts:
            if p.vp is not None:
                row = [p.pid, "VP", f(p.vp[0]), f(p.vp[1]), "", ""]
                if self.v11:
                    row += ["", "", p.extension_reason]
                yield row
            if p.bp_from is not None:
                row = [p.pid, "BP", f(p.bp_from), f(p.bp_to), f(p.training_start), f(p.training_end)]
                if self.v11:
                    row += [f(p.completed), f(p.employment_start), ""]
                yield row

    def ref_rows(self):
        for p in self.parts:
            for a, b, s, reason in p.refs:
                yield (p.pid, self.staff[s].sid, self.fmt(a), self.fmt(b), reason)

    def suspension_rows(self):
        for p in self.parts:
            for a, b, reason, _ in p.susp:
                yield (p.pid, self.fmt(a), self.fmt(b), reason)

    def write_services(self, path: Path) -> int:
        d = self.dialect
        sep, nl = d.sep, d.nl
        cols = SERVICE_COLUMNS_V11 if self.v11 else SERVICE_COLUMNS
        services = self.services
        services.sort(key=itemgetter(S_KEY))
        times = [[d.time(SLOT_MINUTES[s] + off) for off in range(0, 90, 15)] for s in range(NSLOT)]
        ds = self.date_str
        sids = [s.sid for s in self.staff]
        prefix = f"S-{self.tag}-"
        tails = {a: (f"{sep}{a}{nl}" if self.v11 else nl) for a in ("present",) + ATTENDANCES_ALL}

        def bad_row(k: int, s: list) -> str:
            _k, day, slot, off, mins, el, ph, st, pids, mode, att, bad, _p = s
            cells = dict(zip(cols, (f"{prefix}{k:07d}", ds[day], times[slot][off // 15], str(mins), el, ph,
                                    sids[st], pids, mode, att)))
            cells[bad[0]] = bad[1]
            return sep.join(cells[c] for c in cols) + nl

        total = 0
        batch = 20000
        with open(path, "wb") as fh:
            data = (sep.join(cols) + nl).encode(d.encoding)
            fh.write(data)
            total += len(data)
            for first in range(0, len(services), batch):
                rows = [
                    f"{prefix}{k:07d}{sep}{ds[day]}{sep}{times[slot][off // 15]}{sep}{mins}{sep}{el}{sep}{ph}{sep}"
                    f"{sids[st]}{sep}{pids}{sep}{mode}{tails[att]}"
                    if bad is None else bad_row(k, svc)
                    for k, svc in enumerate(services[first:first + batch], first + 1)
                    for _k, day, slot, off, mins, el, ph, st, pids, mode, att, bad, _p in (svc,)
                ]
                data = "".join(rows).encode(d.encoding)
                fh.write(data)
                total += len(data)
        # documented minutes per day (accompanying phase); "clean" leaves out planted sessions
        year_minutes = [0] * self.ndays
        clean_minutes = [0] * self.ndays
        for svc in services:
            if svc[S_PH] == "BP":
                year_minutes[svc[S_DAY]] += svc[S_MIN]
                if not svc[S_PLANTED]:
                    clean_minutes[svc[S_DAY]] += svc[S_MIN]
        self.year_minutes, self.clean_minutes = year_minutes, clean_minutes
        self.n_services = len(services)
        self.last_day = services[-1][S_DAY] if services else self.bp
        return total

    # -- contract.yaml / invoice.yaml ------------------------------------------------

    def contingent_years(self) -> list[tuple[int, date, date]]:
        years = 3 + (0 if self.extension is None else round(((self.extension[1] - self.extension[0]).days + 1) / 365))
        out = []
        start = self.bp_start
        for y in range(years):
            end = period_end(start, 12)
            out.append((y + 1, start, end))
            start = end + DAY
        return out

    def year_hours(self, minutes_by_day: list[int], start: date, end: date) -> Fraction:
        a, b = max(0, self.idx(start)), self.idx(end)
        return Fraction(sum(minutes_by_day[a:b + 1]), 60)

    def contract_yaml(self) -> str:
        rng = self.rng
        d = self.dialect

        def dt(x: date) -> str:
            return f'"{d.date(x)}"' if d.german else x.isoformat()

        def num(x: str) -> str:
            return f'"{d.dec(x)}"' if d.german else x

        years = self.contingent_years()
        documented = [self.year_hours(self.year_minutes, s, e) for _, s, e in years]
        top = max(documented) if documented else Fraction(0)
        if top == 0:
            top = Fraction(self.n_participants * 40)
        self.contingents = []
        for (y, s, e), h in zip(years, documented):
            base = max(h, top if h == 0 or e > self.cutoff_date else h)
            hours = max(100, int(base * Fraction(rng.randint(108, 135), 100) / 50 + 1) * 50)
            self.contingents.append((y, s, e, hours))
        names = ("Bildungswerk", "Jugendberufshilfe", "Ausbildungsverbund", "Berufsbildungszentrum", "Lernwerkstatt")
        towns = ("Nord", "Süd", "Ost", "West", "Mitte", "am Main", "an der Ruhr")
        lines = [
            f'contract_id: "{self.contract_id}"',
            f'provider_id: "{self.provider}"',
            f'provider_name: "{rng.choice(names)} {rng.choice(towns)} {self.tag} gGmbH"',
            f'agency: "Agentur für Arbeit {self.tag}"',
        ]
        if self.pre_phases:
            lines.append("pre_phases:")
            for (start, end), places in zip(self.pre_phases, self.places or [0] * len(self.pre_phases)):
                lines += [
                    f"  - start: {dt(start)}",
                    f"    end: {dt(end)}",
                    f"    places: {places}",
                    f"    price_per_place_month: {num(rng.choice(('455.00', '480.00', '512.50', '530.00')))}",
                    "    staffing:",
                ] + [f"      {role}: {ratio}" for role, ratio in getattr(self, "staffing", {"AB": 12, "SP": 24,
                                                                                             "LK": 24}).items()]
        lines += [
            "accompanying_phase:",
            f"  start: {dt(self.bp_start)}",
            f"  end: {dt(self.bp_end)}",
        ]
        if self.extension:
            lines += ["  extension:", f"    start: {dt(self.extension[0])}", f"    end: {dt(self.extension[1])}"]
        lines += [
            f"  price_per_hour: {num(self.price)}",
            f"  minimum_share: {num('0.70')}",
            "  contingents:",
        ]
        for y, s, e, h in self.contingents:
            lines.append(f"    - {{year: {y}, start: {dt(s)}, end: {dt(e)}, hours: {h}}}")
        lines.append("parameters: {}")
        return "\n".join(lines) + "\n"

    def invoice_yaml(self) -> Optional[str]:
        """Year-1 claim with the figures the ledger computes (planted services not billed)."""
        y, s, e, hours = self.contingents[0]
        if self.last_day < self.idx(e) or self.rng.random() >= 0.5:
            return None
        billed = self.year_hours(self.clean_minutes, s, e)
        contingent = Fraction(hours)
        payable = min(billed, contingent)
        minimum = Fraction(7, 10) * contingent
        carry_out = Fraction(0) if len(self.contingents) == 1 else max(Fraction(0), contingent - max(payable, minimum))
        settlement = max(Fraction(0), payable - minimum) * Fraction(Decimal(self.price))
        d = self.dialect

        def num(x: Fraction, places: int) -> str:
            q = (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            return f'"{d.dec(str(q))}"' if d.german else str(q)

        return "\n".join([
            f"contract_year: {y}",
            f"billed_hours: {num(payable, 2)}",
            "carry_in_hours: 0",
            f"carry_out_hours: {num(carry_out, 2)}",
            f"settlement_amount: {num(settlement, 2)}",
        ]) + "\n"

    # -- all ---------------------------------------------------------------------

    def run(self, out: Path) -> GenerateStats:
        self.plan_contract()
        self.plan_staff()
        self.plan_participants()
        self.plan_refs()
        self.plan_availability()
        self.plan_courses()
        self.schedule()
        self.plant_services()
        size = self.write(out)
        self.check_ref_gaps()
        return GenerateStats(contracts=1, participants=len(self.parts), staff=len(self.staff),
                             services=self.n_services, bytes=size, planted=dict(self.planted),
                             bundles=[str(out)])

    def check_ref_gaps(self) -> None:
        """A gap after the last service day is not visible to the checker: do not count it."""
        for p in self.parts:
            if p.ref_gap is not None and p.ref_gap[0] > min(self.bp_last(p), self.last_day):
                self.planted[R_REFPERSON_MISSING] -= 1
        if self.planted.get(R_REFPERSON_MISSING) == 0:
            del self.planted[R_REFPERSON_MISSING]


_INVERT = bytes.maketrans(b"\x00\x01", b"\x01\x00")


def _and(a: bytes, b: bytes) -> bytes:
    """Byte-wise AND of two 0/1 byte strings of equal length."""
    return (int.from_bytes(a, "big") & int.from_bytes(b, "big")).to_bytes(len(a), "big")


def _slot_grid(open_days: bytes) -> bytearray:
    """Slot grid (0 = free, 1 = not available) from per-day availability (1 = available)."""
    closed = open_days.translate(_INVERT)
    grid = bytearray(len(open_days) * NSLOT)
    for s in range(NSLOT):
        grid[s::NSLOT] = closed
    return grid


def _fte(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != 1.0 else "1.0"


# --- API ------------------------------------------------------------------------------

def _no_gc(fn):
    """Run without the cyclic garbage collector: the records hold no reference cycles, and
    rescanning hundreds of thousands of live lists again and again costs a fifth of the time."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return wrapper


@_no_gc

def generate_contract(out_dir: Path, index: int, participants_per_contract: int, seed: int,
                      violations: float = 0.0, services_per_participant: float | None = None) -> GenerateStats:
    """Write bundle ``out_dir/contract-{index:04d}`` (index from 1); independent of every other contract."""
    spp = DEFAULT_SERVICES_PER_PARTICIPANT if services_per_participant is None else services_per_participant
    gen = _ContractGen(index, seed, participants_per_contract, spp, violations)
    return gen.run(Path(out_dir) / f"contract-{index:04d}")


def generate(out_dir: Path, contracts: int, participants_per_contract: int, seed: int, violations: float = 0.0,
             services_per_participant: int | None = None) -> GenerateStats:
    """Write ``contracts`` bundles into ``out_dir``; deterministic for ``seed``."""
    if not 0.0 <= violations <= 1.0:
        raise ValueError("violations must be a rate between 0 and 1")
    started = _time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = GenerateStats()
    for i in range(1, contracts + 1):
        stats.add(generate_contract(out_dir, i, participants_per_contract, seed, violations, services_per_participant))
    stats.seconds = _time.perf_counter() - started
    return stats

