"""Calendar arithmetic as the law counts it (§§ 187, 188 BGB, applied through § 26 SGB X).

Two ways a period of months can begin:

- § 187 Abs. 2: the period starts at the beginning of a day, and that day
  counts (a suspension *from* 31 March, an employment that *began* on
  30 August, a Vorphase, a contract year). It ends with the day before the
  day numbered like the start day in the N-th following month (§ 188 Abs. 2,
  second case); where that month has no such day, with its last day
  (§ 188 Abs. 3). ``period_end``.
- § 187 Abs. 1: the period follows an event during a day, which does not
  count (one year *after* the training ended). It ends with the day numbered
  like the event day in the N-th following month, or that month's last day
  (§ 188 Abs. 2, first case, and Abs. 3). ``months_after``.

``months_counted(start, end)`` is the number of months a period start..end
takes in the first way: the least N with ``end <= period_end(start, N)``; so
"start..end is longer than N months" is exactly ``months_counted > N``.
9999-12-31 is "open end" in much German admin data: nothing runs past it.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta


def _month(year: int, month0: int) -> tuple[int, int]:
    return year + month0 // 12, month0 % 12 + 1


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_after(event: date, n: int) -> date:
    """End of a period of ``n`` months after an event on ``event`` (§ 187 Abs. 1, § 188 Abs. 2/3).

    Training completed on 30.06.2023, one year later: 30.06.2024; on
    29.02.2024: 28.02.2025. Negative ``n`` counts back the same way.
    """
    year, month = _month(event.year, event.month - 1 + n)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(event.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, n: int) -> date:
    """Last day of a period of ``n`` months whose first day is ``start`` (§ 187 Abs. 2, § 188 Abs. 2/3).

    31.03.2023 + 6 months: 30.09.2023 (September has no 31st); 30.08.2023 + 6:
    29.02.2024; 01.06.2022 + 6: 30.11.2022; 15.01.2023 + 1: 14.02.2023.
    ``n = 0`` gives the day before ``start``.
    """
    year, month = _month(start.year, start.month - 1 + n)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    if start.day > calendar.monthrange(year, month)[1]:
        return last_day_of_month(year, month)  # § 188 Abs. 3
    return prev_day(date(year, month, start.day))


def months_counted(start: date, end: date) -> int:
    """Months the period ``start``..``end`` (both days included) takes, begun months counting whole.

    01.06.–30.11. = 6, 01.06.–01.12. = 7; 31.03.2023–30.09.2023 = 6;
    0 when ``end`` is before ``start``.
    """
    if end < start:
        return 0
    n = max(0, (end.year - start.year) * 12 + end.month - start.month - 1)
    while period_end(start, n) < end:  # at most three steps from the estimate
        n += 1
    return n


def longer_than(start: date, end: date, n: int) -> bool:
    """Is the period ``start``..``end`` longer than ``n`` months?"""
    return end > period_end(start, n)


def whole_months(start: date, end: date) -> int:
    """N when ``start``..``end`` is exactly a period of N months, else -1.

    01.09.2021–31.08.2024 = 36; 15.09.2021–14.09.2024 = 36; 01.09.2021–15.08.2024 = −1.
    """
    n = months_counted(start, end)
    year, month = _month(start.year, start.month - 1 + n)
    if year > date.max.year:  # the period would end in year 10000: whole only if it ends 9999-12-31
        return n if (year, month, start.day, end) == (date.max.year + 1, 1, 1, date.max) else -1
    return n if n and period_end(start, n) == end else -1


def month_periods(start: date, end: date) -> list[tuple[date, date]]:
    """The successive months of a period from ``start`` (§ 187 Abs. 2), the last clipped to ``end``.

    01.09.–31.08.: the twelve calendar months; 31.01.2023–30.04.2023:
    31.01.–28.02., 01.03.–30.03., 31.03.–30.04.
    """
    out = []
    first = start
    n = 0
    while first <= end:
        n += 1
        last = min(period_end(start, n), end)
        out.append((first, last))
        if last >= end or last == date.max:
            break
        first = next_day(last)
    return out


def next_day(d: date) -> date:
    """The day after ``d``; 9999-12-31 ("open end") stays."""
    return d if d == date.max else d + timedelta(days=1)


def prev_day(d: date) -> date:
    return d if d == date.min else d - timedelta(days=1)


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_range(start: date, end: date) -> list[tuple[date, date]]:
    """(first, last) day of every calendar month touched by ``start``..``end``, clipped."""
    out = []
    cur = date(start.year, start.month, 1)
    while cur <= end:
        last = last_day_of_month(cur.year, cur.month)
        out.append((max(cur, start), min(last, end)))
        if last == date.max:
            break
        cur = last + timedelta(days=1)
    return out
