"""What the fixture bundles share: the bundle record, the booking calendar (no double bookings),
participants, reference persons, and the invoice figures by the ledger's arithmetic."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from engine.ledger import year_figures
from engine.rules import ledger_defaults
from synth.cohort import fixed_closed_days
from synth.constants import DAY
from synth.writers import PARTICIPANT_COLUMNS, SERVICE_COLUMNS

# the contracts state the Mindestabnahme of rules/ledger.yaml
MINIMUM_SHARE = Decimal(f"{ledger_defaults()['minimum_share']:.2f}")

D = date.fromisoformat


@dataclass
class Bundle:
    contract: dict
    staff: list[dict] = field(default_factory=list)
    participants: list[dict] = field(default_factory=list)
    reference_persons: list[dict] = field(default_factory=list)
    suspensions: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    invoice: dict | None = None
    # optional columns written for this bundle (v1.1 etc.)
    participant_columns: tuple[str, ...] = PARTICIPANT_COLUMNS
    service_columns: tuple[str, ...] = SERVICE_COLUMNS


PROVIDER = "T-0042"

# --------------------------------------------------------------------------
# scheduling: no staff member and no participant is ever booked twice at once
# --------------------------------------------------------------------------

SLOTS = [time(8, 0), time(9, 30), time(11, 0), time(13, 0), time(14, 30), time(16, 0)]


def workday(d: date) -> bool:
    """Monday to Friday, not a fixed holiday nor in the Christmas closure (the fixtures ignore Easter)."""
    return d.weekday() < 5 and d not in fixed_closed_days(d.year)


class BookingCalendar:
    def __init__(self) -> None:
        self.busy: dict[tuple[str, date], list[tuple[datetime, datetime]]] = {}

    def free(self, who: list[str], day: date, start: time, minutes: int) -> bool:
        a = datetime.combine(day, start)
        b = a + timedelta(minutes=minutes)
        for w in who:
            for x, y in self.busy.get((w, day), []):
                if a < y and x < b:
                    return False
        return True

    def book(self, who: list[str], day: date, start: time, minutes: int) -> None:
        a = datetime.combine(day, start)
        b = a + timedelta(minutes=minutes)
        for w in who:
            self.busy.setdefault((w, day), []).append((a, b))

    def place(self, who: list[str], first: date, last: date, minutes: int, slots=SLOTS):
        """First (day, slot) on a workday in first..last where all of ``who`` are free."""
        day = first
        while day <= last:
            if workday(day):
                for s in slots:
                    if self.free(who, day, s, minutes):
                        self.book(who, day, s, minutes)
                        return day, s
            day += DAY
        return None


@dataclass
class Person:
    pid: str
    vp: tuple[date, date] | None
    bp: tuple[date, date | None] | None
    training: tuple[date, date] | None = None
    completed: date | None = None
    employment: date | None = None
    sfu: bool = False
    services_until: date | None = None  # planned sessions stop here (default: end of the phase)
    extension_reason: str = ""


def ref_at(refs: list[dict], pid: str, day: date) -> str:
    for r in refs:
        if r["participant_id"] == pid and r["from"] <= day and (r["to"] is None or day <= r["to"]):
            return r["staff_id"]
    raise KeyError((pid, day))


def employed_on(staff: list[dict], sid: str, day: date) -> bool:
    s = next(x for x in staff if x["staff_id"] == sid)
    return s["employed_from"] <= day and (s["employed_to"] is None or day <= s["employed_to"])


class Schedule:
    """Services being planned: a calendar that keeps everybody single-booked, plus the rows."""

    def __init__(self, staff: list[dict], refs: list[dict]) -> None:
        self.cal = BookingCalendar()
        self.staff = staff
        self.refs = refs
        self.raw: list[dict] = []

    def book(self, element, phase, sid, pids, first, last, minutes, mode, **extra) -> dict | None:
        """Place a session at the first free slot of first..last (None when there is none)."""
        got = self.cal.place([sid] + list(pids), first, last, minutes)
        if not got:
            return None
        row = {"date": got[0], "start": got[1], "minutes": minutes, "element": element, "phase": phase,
               "staff_id": sid, "participant_ids": list(pids), "mode": mode, **extra}
        self.raw.append(row)
        return row

    def force(self, day, start, minutes, element, phase, sid, pids, mode, **extra) -> dict:
        """Add a session at exactly this time, even when somebody is busy (planted double bookings)."""
        if isinstance(day, date) and isinstance(start, time) and isinstance(minutes, int):
            self.cal.book([sid] + list(pids), day, start, minutes)
        row = {"date": day, "start": start, "minutes": minutes, "element": element, "phase": phase,
               "staff_id": sid, "participant_ids": list(pids), "mode": mode, **extra}
        self.raw.append(row)
        return row

    def find(self, **match) -> dict:
        """The first planned session whose fields equal ``match`` (dates/ids as given)."""
        for r in sorted(self.raw, key=_service_order):
            if all((r.get(k) == v) if not callable(v) else v(r.get(k)) for k, v in match.items()):
                return r
        raise LookupError(match)

    def rows(self, prefix: str = "LN-") -> list[dict]:
        out = []
        for n, r in enumerate(sorted(self.raw, key=_service_order), start=1):
            out.append({"service_id": r.get("service_id") or f"{prefix}{n:05d}", **r})
        return out


def _service_order(r: dict):
    day = r["date"] if isinstance(r["date"], date) else date.fromisoformat(str(r.get("sort_date")))
    start = r["start"] if isinstance(r["start"], time) else time(0)
    return (day, start, r["staff_id"], ",".join(r["participant_ids"]))


def participant_rows(people: list[Person]) -> list[dict]:
    rows = []
    for p in people:
        if p.vp:
            rows.append({"participant_id": p.pid, "phase": "VP", "from": p.vp[0], "to": p.vp[1],
                         "extension_reason": p.extension_reason})
        if p.bp:
            row = {"participant_id": p.pid, "phase": "BP", "from": p.bp[0], "to": p.bp[1]}
            if p.training:
                row["training_start"], row["training_end"] = p.training
            if p.completed:
                row["training_completed_on"] = p.completed
            if p.employment:
                row["employment_start"] = p.employment
            rows.append(row)
    return rows


def year_hours(services: list[dict], start: date, end: date) -> Fraction:
    return sum((Fraction(s["minutes"], 60) for s in services
                if s["phase"] == "BP" and isinstance(s["date"], date) and start <= s["date"] <= end), Fraction(0))


def invoice_for(contract: dict, services: list[dict], year: int, carry_in: Fraction = Fraction(0)) -> dict:
    """The claim the ledger documents (contract.yaml formula, no dropped services)."""
    acc = contract["accompanying_phase"]
    k = next(c for c in acc["contingents"] if c["year"] == year)
    figures = year_figures(Fraction(k["hours"]), carry_in, year_hours(services, k["start"], k["end"]),
                           Fraction(acc["minimum_share"]))
    settlement = figures.settlement_hours * Fraction(acc["price_per_hour"])
    return {"contract_year": year, "billed_hours": exact_decimal(figures.payable), "carry_in_hours": exact_decimal(carry_in),
            "carry_out_hours": exact_decimal(figures.carry_out), "settlement_amount": exact_decimal(settlement, 2)}


def exact_decimal(x: Fraction, places: int | None = None) -> Decimal:
    """Hours as an exact decimal (quarter hours at most); with ``places``, money quantized to them."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    if places is not None:
        return d.quantize(Decimal(1).scaleb(-places))
    if x.denominator not in (1, 2, 4):
        raise ValueError(f"hours {x} not exact in decimal")
    return d.normalize() if d != d.to_integral_value() else d.quantize(Decimal(1))
