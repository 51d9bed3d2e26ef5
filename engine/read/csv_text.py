"""CSV text: encoding detection and ``(line, cells)`` records of a CSV file.

The file is read one physical line at a time and no line may be longer than
``Limits.max_line_chars``, so one bad line never costs more than that. A quoted
value may span lines (an Excel cell with a line break), but only when it closes
within ``MAX_RECORD_LINES`` lines and no line inside it looks like a row of its
own. Otherwise the opening quote is a stray one: it is reported at its line,
that line is read with the quote as a plain character, and reading goes on with
the next line. No quote can make rows disappear.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections import deque
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Optional

from engine.read.limits import Limits, Problems

_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_UNDEFINED_BYTES = tuple(bytes([b]) for b in sorted(_CP1252_UNDEFINED))
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
_BLOCK = 1 << 20
MAX_RECORD_LINES = 100  # physical lines one quoted value may span


@dataclass
class Encoding:
    codec: str
    replace_nul: bool = False
    skip_bytes: int = 0  # a UTF-8 byte order mark in front of a Windows-1252 file


def sniff_encoding(stream: BinaryIO, file: str, problems: Problems) -> Encoding:
    """Decide the encoding in one streaming pass: UTF-8 if the whole file decodes, else Windows-1252.

    A UTF-16/32 file (recognised by its byte order mark) is read correctly but
    reported; NUL bytes or bytes undefined in Windows-1252 are reported with the
    first line they occur on and replaced when decoding. Read in blocks, so a
    file without line breaks costs no more memory than any other.
    """
    head = stream.read(4)
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            problems.add(file, 1, "", f"falsche Kodierung: Datei ist {label} (erwartet UTF-8 oder Windows-1252)",
                         f"wrong encoding: file is {label} (expected UTF-8 or Windows-1252)")
            return Encoding(codec)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok, nul_line, undefined_line, line = True, 0, 0, 1
    block = head + stream.read(_BLOCK)
    while block:
        if not nul_line and b"\x00" in block:
            nul_line = line + block.count(b"\n", 0, block.index(b"\x00"))
        if not undefined_line:
            at = min((i for i in (block.find(b) for b in _UNDEFINED_BYTES) if i >= 0), default=-1)
            if at >= 0:
                undefined_line = line + block.count(b"\n", 0, at)
        if utf8_ok:
            try:
                utf8.decode(block)
            except UnicodeDecodeError:
                utf8_ok = False
        line += block.count(b"\n")
        block = stream.read(_BLOCK)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends inside a UTF-8 sequence
            utf8_ok = False
    if nul_line:
        problems.add(file, nul_line, "", "falsche Kodierung: NUL-Bytes in der Datei (erwartet UTF-8 oder Windows-1252)",
                     "wrong encoding: NUL bytes in the file (expected UTF-8 or Windows-1252)")
    if utf8_ok:
        return Encoding("utf-8-sig", replace_nul=bool(nul_line))
    if undefined_line:
        problems.add(file, undefined_line, "",
                     "falsche Kodierung: Bytes weder UTF-8 noch Windows-1252; unlesbare Zeichen ersetzt",
                     "wrong encoding: bytes neither UTF-8 nor Windows-1252; unreadable characters replaced")
    return Encoding("cp1252", replace_nul=bool(nul_line),
                    skip_bytes=len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)


class _Lines:
    """Physical lines ``(number, text)``, at most ``limit`` characters each, with push-back.

    An over-long line is reported, skipped without holding it in memory, and
    given as ``(number, None)``.
    """

    def __init__(self, text: io.TextIOWrapper, limit: int, replace_nul: bool, file: str, problems: Problems):
        self.text, self.limit, self.replace_nul = text, limit, replace_nul
        self.file, self.problems = file, problems
        self.number = 0
        self.back: deque[tuple[int, Optional[str]]] = deque()

    def next(self) -> Optional[tuple[int, Optional[str]]]:
        if self.back:
            return self.back.popleft()
        line = self.text.readline(self.limit + 1)
        if not line:
            return None
        self.number += 1
        if len(line) > self.limit and not line.endswith(("\n", "\r")):
            while line and not line.endswith(("\n", "\r")):
                line = self.text.readline(self.limit)
            self.problems.add(self.file, self.number, "", f"Zeile länger als {self.limit} Zeichen; nicht gelesen",
                              f"line longer than {self.limit} characters; not read")
            return self.number, None
        if self.replace_nul:
            line = line.replace("\x00", "\ufffd")
        return self.number, line

    def push_back(self, items: list[tuple[int, Optional[str]]]) -> None:
        self.back.extendleft(reversed(items))


class _Parser:
    """One csv reader for a whole file, given one record's text at a time.

    It notes whether the reader asked for more text: then a quoted value is
    still open at the end of what it was given.
    """

    def __init__(self, delimiter: str, quoting: int = csv.QUOTE_MINIMAL):
        self.text: Optional[str] = None
        self.wanted_more = False
        self.reader = csv.reader(self, delimiter=delimiter, skipinitialspace=True, quoting=quoting)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.text is None:
            self.wanted_more = True
            raise StopIteration
        text, self.text = self.text, None
        return text

    def parse(self, text: str) -> tuple[list[str], bool]:
        """Cells of ``text``, and whether a quoted value is still open at its end."""
        self.text, self.wanted_more = text, False
        try:
            cells = next(self.reader)
        except StopIteration:
            cells = []
        self.text = None
        return cells, self.wanted_more


_SEP_HINT = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def csv_rows(stream: BinaryIO, enc: Encoding, file: str, problems: Problems,
             limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """``(physical line, cells)`` per CSV record; the delimiter is taken from the header line."""
    stream.read(enc.skip_bytes)
    text = io.TextIOWrapper(stream, encoding=enc.codec, errors="replace", newline="")
    lines = _Lines(text, limits.max_line_chars, enc.replace_nul, file, problems)
    delimiter = ""
    while True:  # the header is the first non-empty line; an Excel "sep=;" line may come before it
        item = lines.next()
        if item is None:
            return
        line = item[1]
        if line is None or not line.strip():
            continue
        hint = _SEP_HINT.fullmatch(line)
        if not delimiter and hint and hint[1] in ";,\t":
            delimiter = hint[1]
            continue
        delimiter = delimiter or ("," if line.count(",") > line.count(";") else ";")
        lines.push_back([item])
        break
    if csv.field_size_limit() <= limits.max_line_chars:
        csv.field_size_limit(limits.max_line_chars + 1)
    width = 0  # cells of the header, once read
    parser = _Parser(delimiter)
    while (item := lines.next()) is not None:
        number, line = item
        if line is None:
            continue
        if '"' not in line:
            cells = line.rstrip("\r\n").split(delimiter)
        else:
            cells, still_open = parser.parse(line)
            if still_open:
                cells = _quoted_lines(lines, parser, number, line, delimiter, width, file, problems)
        if not width and any(c.strip() for c in cells):
            width = max(i for i, c in enumerate(cells) if c.strip()) + 1
        yield number, cells


def _quoted_lines(lines: _Lines, parser: _Parser, number: int, line: str, delimiter: str, width: int,
                  file: str, problems: Problems) -> list[str]:
    """The record whose quoted value opens in line ``number``: over several lines, or this line alone.

    A value that closes in time and gives no more cells than the header is one
    record spanning lines (a warning says which). Otherwise the quote is stray:
    reported, the line read with the quote as a plain character, and the lines
    looked at given back to be read as rows.
    """
    taken: list[tuple[int, Optional[str]]] = []
    parts, size = [line], len(line)
    width = width or line.count(delimiter) + 1  # in the header itself: as wide as its first line
    while len(parts) < MAX_RECORD_LINES:
        item = lines.next()
        if item is None:
            break
        taken.append(item)
        nxt = item[1]
        if nxt is None or size + len(nxt) > lines.limit:
            break
        if width > 1 and nxt.count(delimiter) >= width - 1:  # a row of its own, not the rest of a value
            break
        parts.append(nxt)
        size += len(nxt)
        if '"' not in nxt:
            continue
        cells, still_open = parser.parse("".join(parts))
        if still_open:
            continue
        if width and any(c.strip() for c in cells[width:]):
            break
        problems.add(file, number, "", f"Wert mit Zeilenumbruch: der Datensatz reicht von Zeile {number} bis "
                     f"{item[0]}", f"value with a line break: the record spans lines {number} to {item[0]}",
                     severity="warning")
        return cells
    lines.push_back(taken)
    problems.add(file, number, "", 'Anführungszeichen (") ohne Gegenstück: der Wert endet nicht vor der nächsten '
                 "Zeile; die Zeile wird mit dem Zeichen als Text gelesen",
                 'unbalanced quote ("): the value does not end before the next row; the line is read with the '
                 "quote as a plain character")
    return _Parser(delimiter, csv.QUOTE_NONE).parse(line)[0]
