"""Cell and YAML scalar values: parsing, range checks and quoting for messages.

The parsers accept what German spreadsheet tools produce (``TT.MM.JJJJ``,
decimal comma) and raise ``BadValue`` with a German and an English message.
"""
from __future__ import annotations

import functools
import re
import sys
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Callable

class BadValue(Exception):
    """A value could not be parsed; carries the German and English message."""

    def __init__(self, de: str, en: str):
        super().__init__(en)
        self.de = de
        self.en = en


CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def quote(value: Any, limit: int = 60) -> str:
    """Quote a value for a message: shortened, control characters escaped."""
    s = value if isinstance(value, str) else cell_text(value)
    if len(s) > 20 * limit:  # an over-long value may be free text: not quoted at all
        return f"[{len(s)} chars]"
    if len(s) > limit:
        s = s[:limit] + "…"
    s = CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()), s)
    return f'"{s}"'


def cell_text(v: Any) -> str:
    """Text form of a spreadsheet cell value, in the format the parsers accept."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="minutes")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M:%S" if v.second else "%H:%M")
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return str(Decimal(repr(v)))
    return str(v)


# [0-9], not \d: \d also matches other scripts' digits, which int() would accept
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DE_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
# sign, whole part, separator, fraction: "1", "-1,5", ".5", "45,0"
_NUMBER = re.compile(r"([+-]?)([0-9]*)(?:[.,]([0-9]*))?")
# "1.000" or "4,500": a German thousands separator or three decimal places? Text only, never guessed.
_AMBIGUOUS = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")
MAX_WHOLE_DIGITS = 12  # far below what the rule engine's numbers can hold (< 1e16)
MAX_DECIMAL_PLACES = 4  # smaller fractions are not representable there either


def parse_date(v: Any) -> date:
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.date()
    elif isinstance(v, date):
        return v
    return _date_text(cell_text(v).strip())


# A file holds a few thousand distinct dates and times over up to millions of rows:
# parsed once each, and the rows share the objects.
@functools.lru_cache(maxsize=8192)
def _date_text(s: str) -> date:
    m = _ISO_DATE.fullmatch(s)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DE_DATE.fullmatch(s)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise BadValue(
        f"Datum {quote(s)} ungültig (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)",
        f"invalid date {quote(s)} (expected DD.MM.YYYY or YYYY-MM-DD)",
    )


def parse_time(v: Any) -> time:
    if isinstance(v, time):
        return v
    return _time_text(cell_text(v).strip())


@functools.lru_cache(maxsize=8192)
def _time_text(s: str) -> time:
    m = _TIME.fullmatch(s)
    if m:
        try:
            return time(int(m[1]), int(m[2]), int(m[3] or 0))
        except ValueError:
            pass
    raise BadValue(
        f"Uhrzeit {quote(s)} ungültig (erwartet HH:MM)",
        f"invalid time {quote(s)} (expected HH:MM)",
    )


def _number(v: Any, whole: bool = False) -> tuple[str, re.Match]:
    """The text of a number and its parts; raises ``BadValue`` for anything the data contract refuses.

    Typed cells (a workbook's numbers) are exact; text is checked for the
    ambiguous thousands separator. Digits are bounded before any conversion.
    """
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10 ** MAX_WHOLE_DIGITS:
        raise _too_large("[…]")  # str() of a huge int is slow, and refused from 4,300 digits
    s = cell_text(v).strip()
    m = _NUMBER.fullmatch(s)
    if not m or not (m[2] or m[3]) or (whole and (not m[2] or (m[3] or "").strip("0"))):
        raise _invalid(s, whole)
    if isinstance(v, str) and _AMBIGUOUS.fullmatch(s):
        raise BadValue(f"Zahl {quote(s)} ist mehrdeutig: Tausendertrennzeichen oder Nachkommastellen? "
                       "Bitte ohne Tausendertrennzeichen schreiben (z. B. 1000 oder 1,5)",
                       f"number {quote(s)} is ambiguous: thousands separator or decimal places? "
                       "Write it without a thousands separator (e.g. 1000 or 1.5)")
    if len(m[2].lstrip("0")) > MAX_WHOLE_DIGITS:
        raise _too_large(s)
    if len((m[3] or "").rstrip("0")) > MAX_DECIMAL_PLACES:
        raise BadValue(f"Zahl {quote(s)} hat mehr als {MAX_DECIMAL_PLACES} Nachkommastellen",
                       f"number {quote(s)} has more than {MAX_DECIMAL_PLACES} decimal places")
    return s, m


def _invalid(s: str, whole: bool) -> BadValue:
    if whole:
        return BadValue(f"Ganzzahl {quote(s)} ungültig (erwartet z. B. 45)",
                        f"invalid whole number {quote(s)} (expected e.g. 45)")
    return BadValue(f"Zahl {quote(s)} ungültig (erwartet z. B. 1,5 oder 1.5)",
                    f"invalid number {quote(s)} (expected e.g. 1.5 or 1,5)")


def _too_large(shown: str) -> BadValue:
    shown = shown if shown.startswith("[") else quote(shown)
    return BadValue(f"Zahl {shown} zu groß (höchstens {MAX_WHOLE_DIGITS} Stellen vor dem Komma)",
                    f"number {shown} too large (at most {MAX_WHOLE_DIGITS} digits before the decimal separator)")


def parse_decimal(v: Any) -> Decimal:
    s, _ = _number(v)
    return Decimal(s.replace(",", "."))


def parse_int(v: Any) -> int:
    """A whole number; ``45,0`` counts as 45."""
    _, m = _number(v, whole=True)
    return int(m[1] + m[2])


def parse_list(v: Any) -> tuple[str, ...]:
    return tuple(_shared(p.strip()) for p in cell_text(v).split("|") if p.strip())


def _shared(s: str) -> str:
    """One string object for an id that recurs on many rows (staff, participants)."""
    return sys.intern(s) if len(s) <= 64 else s


def code_parser(codes: tuple[str, ...]) -> Callable[[Any], str]:
    """Codes are matched case-insensitively and returned in their canonical spelling."""
    lookup = {c.lower(): c for c in codes}

    def parse(v: Any) -> str:
        s = cell_text(v).strip()
        if s.lower() in lookup:
            return lookup[s.lower()]
        allowed = ", ".join(codes)
        raise BadValue(
            f"unbekannter Code {quote(s)} (erlaubt: {allowed})",
            f"unknown code {quote(s)} (allowed: {allowed})",
        )

    return parse


def plain_text(v: Any) -> str:
    return cell_text(v).strip()


def shared_id(v: Any) -> str:
    """An id that recurs on many rows (a staff member's, a participant's)."""
    return _shared(cell_text(v).strip())


def in_range(parse: Callable[[Any], Any], ok: Callable[[Any], bool], de: str, en: str):
    """Wrap a parser with a range check; ``de``/``en`` describe the allowed range."""

    def parse_checked(v: Any) -> Any:
        x = parse(v)
        if not ok(x):
            raise BadValue(
                f"Wert {quote(v)} außerhalb des zulässigen Bereichs (erwartet {de})",
                f"value {quote(v)} out of range (expected {en})",
            )
        return x

    return parse_checked


# Ranges of the data contract (docs/submission-format.md). They are far outside any real
# submission and keep every number representable for the rule engine.
MAX_HOURS = 10_000_000
minutes_value = in_range(parse_int, lambda x: 0 < x <= 1440, "Minuten von 1 bis 1440 (ein Tag)",
                         "minutes from 1 to 1440 (one day)")
months_value = in_range(parse_int, lambda x: 0 <= x <= 1200, "0 bis 1200 Monate", "0 to 1200 months")
places_value = in_range(parse_int, lambda x: 0 <= x <= 100_000, "0 bis 100000 Plätze", "0 to 100000 places")
year_number = in_range(parse_int, lambda x: 1 <= x <= 99, "Vertragsjahr 1 bis 99", "contract year 1 to 99")
fte_value = in_range(parse_decimal, lambda x: 0 < x <= 1, "0 < Wert ≤ 1", "0 < value ≤ 1")
staffing_value = in_range(parse_decimal, lambda x: 0 < x <= 1000, "0 < Wert ≤ 1000", "0 < value ≤ 1000")
hours_value = in_range(parse_decimal, lambda x: 0 <= x <= MAX_HOURS, f"0 bis {MAX_HOURS} Stunden",
                       f"0 to {MAX_HOURS} hours")
hour_price = in_range(parse_decimal, lambda x: 0 <= x <= 10_000, "0 bis 10000 EUR", "0 to 10000 EUR")
place_price = in_range(parse_decimal, lambda x: 0 <= x <= 100_000, "0 bis 100000 EUR", "0 to 100000 EUR")
amount_value = in_range(parse_decimal, lambda x: abs(x) <= 1_000_000_000, "-1000000000 bis 1000000000 EUR",
                        "-1000000000 to 1000000000 EUR")
share_value = in_range(parse_decimal, lambda x: 0 <= x <= 1, "0 ≤ Wert ≤ 1", "0 ≤ value ≤ 1")
