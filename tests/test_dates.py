"""Calendar arithmetic: the month counting the rules rely on, and the ends of the calendar."""
from datetime import date

from engine.dates import add_months, month_range, months_begun, next_day, whole_months


def test_months_begun_matches_the_rule_text():
    assert months_begun(date(2022, 6, 1), date(2022, 11, 30)) == 6
    assert months_begun(date(2022, 6, 1), date(2022, 12, 1)) == 7
    assert months_begun(date(2022, 6, 1), date(2022, 12, 31)) == 7
    assert months_begun(date(2021, 3, 1), date(2021, 8, 31)) == 6
    assert months_begun(date(2022, 6, 2), date(2022, 6, 1)) == 0


def test_whole_months_and_month_ends():
    assert whole_months(date(2021, 9, 1), date(2024, 8, 31)) == 36
    assert whole_months(date(2021, 9, 1), date(2024, 8, 15)) == -1
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_the_ends_of_the_calendar_do_not_overflow():
    assert add_months(date(9999, 12, 31), 1) == date.max
    assert next_day(date.max) == date.max
    assert months_begun(date(9999, 1, 1), date.max) == 12
    assert month_range(date(9999, 12, 5), date.max) == [(date(9999, 12, 5), date.max)]
    assert whole_months(date(1, 1, 1), date.max) == 119988
