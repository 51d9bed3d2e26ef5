"""Calendar arithmetic as §§ 187, 188 BGB count: month ends, leap days, the ends of the calendar."""
from datetime import date, timedelta

import pytest

from engine.dates import (
    longer_than,
    month_periods,
    month_range,
    months_after,
    months_counted,
    next_day,
    period_end,
    whole_months,
)

D = date.fromisoformat


# --- the two examples of issue 9 -------------------------------------------------------

def test_suspension_31_march_to_30_september_is_six_months():
    assert period_end(D("2023-03-31"), 6) == D("2023-09-30")
    assert months_counted(D("2023-03-31"), D("2023-09-30")) == 6
    assert not longer_than(D("2023-03-31"), D("2023-09-30"), 6)
    assert longer_than(D("2023-03-31"), D("2023-10-01"), 6)


def test_six_months_after_employment_began_30_august_end_29_february():
    assert period_end(D("2023-08-30"), 6) == D("2024-02-29")
    assert months_counted(D("2023-08-30"), D("2024-02-29")) == 6
    assert months_counted(D("2023-08-30"), D("2024-03-01")) == 7


# --- § 188 Abs. 2: the day before the day numbered like the start -------------------------

@pytest.mark.parametrize("start, n, end", [
    ("2022-06-01", 6, "2022-11-30"),   # from the 1st: last day of the month before
    ("2022-06-15", 6, "2022-12-14"),
    ("2023-01-15", 1, "2023-02-14"),
    ("2021-09-01", 36, "2024-08-31"),
    ("2021-09-01", 12, "2022-08-31"),
    ("2023-08-28", 6, "2024-02-27"),   # the 28th exists in February
    ("2023-08-29", 6, "2024-02-28"),   # the 29th exists in February 2024
    ("2023-08-29", 18, "2025-02-28"),  # … not in February 2025: § 188 Abs. 3, its last day
    ("2023-08-30", 6, "2024-02-29"),   # § 188 Abs. 3
    ("2023-08-31", 6, "2024-02-29"),   # § 188 Abs. 3
    ("2022-08-31", 6, "2023-02-28"),   # not a leap year
    ("2023-03-31", 6, "2023-09-30"),
    ("2023-03-30", 6, "2023-09-29"),
    ("2023-01-31", 1, "2023-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2024-02-29", 12, "2025-02-28"),  # a year from a leap day
    ("2024-02-29", 48, "2028-02-28"),
    ("2023-12-31", 2, "2024-02-29"),
    ("2023-12-01", 1, "2023-12-31"),   # across the year end
    ("2023-12-31", 1, "2024-01-30"),
])
def test_period_end(start, n, end):
    assert period_end(D(start), n) == D(end)
    assert months_counted(D(start), D(end)) == n
    assert months_counted(D(start), D(end) + timedelta(days=1)) == n + 1
    assert whole_months(D(start), D(end)) == n


def test_months_counted_begun_months_count_whole():
    assert months_counted(D("2022-06-01"), D("2022-06-01")) == 1
    assert months_counted(D("2022-06-01"), D("2022-11-30")) == 6
    assert months_counted(D("2022-06-01"), D("2022-12-01")) == 7
    assert months_counted(D("2022-06-01"), D("2022-12-31")) == 7
    assert months_counted(D("2022-06-02"), D("2022-06-01")) == 0
    assert whole_months(D("2021-09-01"), D("2024-08-15")) == -1


def test_months_counted_agrees_with_period_end_everywhere():
    """For every start day of four years (leap year included) and 1..25 months."""
    start = D("2023-01-01")
    for i in range(4 * 366):
        s = start + timedelta(days=i)
        for n in (1, 2, 6, 8, 12, 24, 25):
            end = period_end(s, n)
            assert end >= s
            assert months_counted(s, end) == n, (s, n)
            assert months_counted(s, end + timedelta(days=1)) == n + 1, (s, n)
            assert longer_than(s, end + timedelta(days=1), n) and not longer_than(s, end, n)


# --- § 187 Abs. 1: after an event ------------------------------------------------------------

@pytest.mark.parametrize("event, n, end", [
    ("2023-06-30", 12, "2024-06-30"),
    ("2024-02-29", 12, "2025-02-28"),
    ("2023-02-28", 1, "2023-03-28"),   # not the last day of March: the event day's number
    ("2023-01-31", 1, "2023-02-28"),
    ("2023-08-31", 6, "2024-02-29"),
])
def test_months_after_an_event(event, n, end):
    assert months_after(D(event), n) == D(end)


def test_successive_months_of_a_period():
    assert month_periods(D("2021-09-01"), D("2022-08-31"))[0] == (D("2021-09-01"), D("2021-09-30"))
    assert len(month_periods(D("2021-09-01"), D("2022-08-31"))) == 12
    assert month_periods(D("2023-01-31"), D("2023-04-30")) == [
        (D("2023-01-31"), D("2023-02-28")), (D("2023-03-01"), D("2023-03-30")), (D("2023-03-31"), D("2023-04-30"))]
    assert month_periods(D("2021-03-15"), D("2021-04-20")) == [
        (D("2021-03-15"), D("2021-04-14")), (D("2021-04-15"), D("2021-04-20"))]


# --- the ends of the calendar ---------------------------------------------------------------

def test_the_ends_of_the_calendar_do_not_overflow():
    assert months_after(date(9999, 12, 31), 1) == date.max
    assert period_end(date(9999, 12, 31), 1) == date.max
    assert period_end(date(9999, 7, 1), 6) == date.max
    assert period_end(date(9999, 6, 1), 6) == date(9999, 11, 30)
    assert next_day(date.max) == date.max
    assert months_counted(date(9999, 1, 1), date.max) == 12
    assert months_counted(date(9999, 12, 31), date.max) == 1
    assert months_counted(D("2023-03-31"), date.max) == 95722  # 30.12.9999 ends month 95721
    assert whole_months(date(9999, 1, 1), date.max) == 12
    assert whole_months(date(9999, 12, 15), date.max) == -1
    assert whole_months(date(1, 1, 1), date.max) == 119988
    assert month_range(date(9999, 12, 5), date.max) == [(date(9999, 12, 5), date.max)]
    assert month_periods(date(9999, 11, 15), date.max)[-1] == (date(9999, 12, 15), date.max)
    assert period_end(date.min, 0) == date.min
