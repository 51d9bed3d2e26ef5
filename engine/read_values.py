"""Cell and YAML scalar values: parsing, range checks and quoting for messages.

The parsers accept what German spreadsheet tools produce (``TT.MM.JJJJ``,
decimal comma) and raise ``BadValue`` with a German and an English message.
"""
from __future__ import annotations

import re
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
_DECIMAL = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")


def parse_date(v: Any) -> date:
    if isinstance(v, datetime):
        if v.time() == time(0):
            return v.date()
    elif isinstance(v, date):
        return v
    s = cell_text(v).strip()
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
    s = cell_text(v).strip()
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


def parse_decimal(v: Any) -> Decimal:
    if isinstance(v, Decimal) and v.is_finite():
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    s = cell_text(v).strip()
    if _DECIMAL.fullmatch(s):
        return Decimal(s.replace(",", "."))
    raise BadValue(
        f"Zahl {quote(s)} ungültig (erwartet z. B. 1,5 oder 1.5)",
        f"invalid number {quote(s)} (expected e.g. 1.5 or 1,5)",
    )


def parse_int(v: Any) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    s = cell_text(v).strip()
    if _DECIMAL.fullmatch(s):
        d = Decimal(s.replace(",", "."))
        if d == d.to_integral_value():
            return int(d)
    raise BadValue(
        f"Ganzzahl {quote(s)} ungültig (erwartet z. B. 45)",
        f"invalid whole number {quote(s)} (expected e.g. 45)",
    )


def parse_list(v: Any) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell_text(v).split("|") if p.strip())


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


minutes_value = in_range(parse_int, lambda x: 0 < x <= 1440, "Minuten von 1 bis 1440 (ein Tag)",
                  "minutes from 1 to 1440 (one day)")
nonneg_int = in_range(parse_int, lambda x: x >= 0, "eine Zahl ≥ 0", "a number ≥ 0")
year_number = in_range(parse_int, lambda x: x >= 1, "eine Zahl ≥ 1", "a number ≥ 1")
fte_value = in_range(parse_decimal, lambda x: 0 < x <= 1, "0 < Wert ≤ 1", "0 < value ≤ 1")
nonneg_decimal = in_range(parse_decimal, lambda x: x >= 0, "einen Wert ≥ 0", "a value ≥ 0")
positive_decimal = in_range(parse_decimal, lambda x: x > 0, "einen Wert > 0", "a value > 0")
share_value = in_range(parse_decimal, lambda x: 0 <= x <= 1, "0 ≤ Wert ≤ 1", "0 ≤ value ≤ 1")
