"""Text from a bundle made safe for where it is shown: terminal, spreadsheet, XML, HTML, JSON.

The audited provider writes the bundle, so an id, a file name or a value quoted
in a message may hold anything: terminal escapes (ESC c resets the auditor's
terminal, OSC 8 plants a link, OSC 0 retitles the window), BiDi overrides that
show text in another order than it is, bytes that are not UTF-8 (a file name,
kept as surrogate escapes by Python), or a spreadsheet formula.
"""
from __future__ import annotations

import math
import re
from urllib.parse import quote

# C0 and C1 controls, DEL, BiDi and zero-width format characters, line/paragraph
# separators, BOM, and lone surrogates (bytes that were not UTF-8)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n",
                 "|",  # DDE (cmd|' /C calc'!A0) in older spreadsheets
                 "\uff1d", "\uff0b", "\uff0d", "\uff20")  # full-width = + - @, taken as formulas in East Asian locales
# JSON keeps such characters inside its strings as they are (ensure_ascii=False): a report piped to a terminal
# would run a C1 control (U+009B is CSI) or reorder text; JSON's own \\u escape keeps the same value
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Every control, BiDi and format character shown as an escape (``\\x1b``, ``\\u202e``); valid UTF-8."""
    return _UNSAFE.sub(_escape, str(text))


def valid_utf8(text: str) -> str:
    """Only the lone surrogates (bytes that were not UTF-8) escaped: for data formats like CSV."""
    return _SURROGATE.sub(_escape, text)


def json_safe(dumped: str) -> str:
    """JSON text (json.dumps, ensure_ascii=False) made valid UTF-8: a lone surrogate becomes ``\\\\xff``;
    C1 controls, DEL, BiDi and format characters as JSON escapes (``\\u009b``), the same value.

    Surrogates only occur inside JSON strings, where the escaped backslash keeps
    the document valid; control characters are already escaped by json.dumps.
    """
    dumped = _SURROGATE.sub(lambda m: "\\" + _escape(m), dumped)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def looks_like_formula(text: str) -> bool:
    """A text cell a spreadsheet would evaluate (CSV) or that must be stored as text (xlsx).

    Also after leading spaces: an import that trims them (LibreOffice "Trim spaces") sees the formula.
    """
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)


def int_text(n: int) -> str:
    """An integer from the bundle as text: Python refuses str() beyond 4,300 digits."""
    if abs(n) < 10 ** 30:
        return str(n)
    return f"{'-' if n < 0 else ''}≈10^{int(n.bit_length() * math.log10(2))}"


def json_int(n: int) -> int | str:
    """An integer for JSON: as it is, or as text when no reader could take it as a number."""
    return n if abs(n) < 10 ** 30 else int_text(n)


def csv_cell(value):
    """A CSV cell: text that starts like a formula is prefixed with ``'`` so it stays text; other values unchanged.

    Apply it to text cells only: a number written as ``-5`` must stay a number.
    An xlsx writer stores such text as a string cell (data type ``s``) instead.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def uri_path(path: str) -> str:
    """A file path as a URI reference (SARIF ``artifactLocation.uri``): percent-encoded, from its bytes."""
    try:
        raw = path.encode("utf-8", "surrogateescape")  # the file name's own bytes
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/")
