"""The calendar of one cohort: closed days (public holidays, Christmas closure), the contract's
dates drawn, days as indices from the first day, the workday and slot grids."""
from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Optional

from engine.dates import months_after, period_end
from synth.constants import DAY, COHORTS, DATA_HORIZON, GROUP_LIMIT_CHANGE, NSLOT
from synth.writers import Dialect


# --- calendar --------------------------------------------------------------------


def easter_sunday(year: int) -> date:
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


@functools.lru_cache(maxsize=None)
def fixed_closed_days(year: int) -> frozenset[date]:
    """The national holidays on fixed dates (1.1., 1.5., 3.10.) and the Christmas closure (24.–31.12.)."""
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 10, 3)}
    days |= {date(year, 12, d) for d in range(24, 32)}
    return frozenset(days)


def closed_days(year: int) -> set[date]:
    """National public holidays (the fixed ones and those moving with Easter) and the Christmas closure."""
    e = easter_sunday(year)
    return set(fixed_closed_days(year)) | {e - 2 * DAY, e + DAY, e + 39 * DAY, e + 50 * DAY}


_SWAP_01 = bytes.maketrans(b"\x00\x01", b"\x01\x00")


def and_bytes(a: bytes, b: bytes) -> bytes:
    """Byte-wise AND of two 0/1 byte strings of equal length."""
    return (int.from_bytes(a, "big") & int.from_bytes(b, "big")).to_bytes(len(a), "big")


def slot_grid(open_days: bytes) -> bytearray:
    """Slot grid (0 = free, 1 = not available) from per-day availability (1 = available)."""
    closed = open_days.translate(_SWAP_01)
    grid = bytearray(len(open_days) * NSLOT)
    for s in range(NSLOT):
        grid[s::NSLOT] = closed
    return grid


class CohortCalendar:
    """Part of ContractGenerator (synth/generate.py): the contract's dates and days."""

    # -- days ------------------------------------------------------------------

    def day_index(self, d: date) -> int:
        return (d - self.base).days

    def date_of(self, i: int) -> date:
        return self.base + timedelta(days=i)

    def date_text(self, i: Optional[int]) -> str:
        if i is None:
            return ""
        if 0 <= i < len(self.date_str):
            return self.date_str[i]
        return self.dialect.date(self.date_of(i))

    # -- plan ------------------------------------------------------------------

    def plan_contract(self) -> None:
        rng = self.rng
        self.dialect = Dialect(german=self.index % 5 == 0, bom=self.index % 7 == 3)
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
        self.bp = self.day_index(self.bp_start)
        self.cutoff = self.day_index(self.cutoff_date)
        self.ndays = self.cutoff + 1
        closed: set[date] = set()
        for y in range(self.base.year, self.cutoff_date.year + 1):
            closed |= closed_days(y)
        n, wd0 = self.ndays, self.base.weekday()
        self.weekday = [(wd0 + i) % 7 for i in range(n)]
        workday = bytearray(n)
        for wd in range(5):
            first = (wd - wd0) % 7
            workday[first::7] = b"\x01" * len(range(first, n, 7))
        for d in closed:
            if 0 <= self.day_index(d) < n:
                workday[self.day_index(d)] = 0
        self.workday, self.workday_b = workday, bytes(workday)
        first = self.base.toordinal()
        self.date_str = [self.dialect.date(date.fromordinal(o)) for o in range(first, first + n)]
        self.provider = f"T-{self.tag}"
        self.contract_id = f"955-{self.tag}-{self.bp_start.year % 100:02d}"
        self.price = rng.choice(("58.90", "62.50", "64.20", "66.75", "71.40", "69.00"))
