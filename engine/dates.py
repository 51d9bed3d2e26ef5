"""Calendar arithmetic used by the fact derivation."""
from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month's last day (and to 1..9999)."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def next_day(d: date) -> date:
    """The day after ``d``; 9999-12-31 ("open end" in much German admin data) stays."""
    return d if d == date.max else d + timedelta(days=1)


def prev_day(d: date) -> date:
    return d if d == date.min else d - timedelta(days=1)


def months_begun(start: date, end: date) -> int:
    """Calendar months begun from ``start`` to ``end`` (inclusive).

    1 June – 30 November = 6; 1 June – 1 December = 7; 1 June – 31 December = 7.
    """
    if end < start:
        return 0
    n = 0
    while add_months(start, n) <= end:
        if add_months(start, n) == date.max:
            break
        n += 1
    return n


def whole_months(start: date, end: date) -> int:
    """Months when ``start``..``end`` spans whole calendar months exactly, else -1.

    1 Sep 2021 – 31 Aug 2024 = 36.
    """
    n = months_begun(start, end)
    month0 = start.month - 1 + n
    if start.year + month0 // 12 > date.max.year:  # the day after would be in year 10000
        return n if (end == date.max and start.day == 1 and month0 % 12 == 0) else -1
    return n if prev_day(add_months(start, n)) == end else -1


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_range(start: date, end: date) -> list[tuple[date, date]]:
    """(first, last) day of every calendar month touched by ``start``..``end``, clipped."""
    out = []
    cur = date(start.year, start.month, 1)
    while cur <= end:
        last = date(cur.year, cur.month, calendar.monthrange(cur.year, cur.month)[1])
        out.append((max(cur, start), min(last, end)))
        if last == date.max:
            break
        cur = last + timedelta(days=1)
    return out
