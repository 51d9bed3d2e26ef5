"""CSV text: encoding detection and ``(line, cells)`` records of a CSV file."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from engine.read_limits import Limits, Problems

_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))


@dataclass
class Encoding:
    codec: str
    replace_nul: bool = False
    skip_bytes: int = 0  # a UTF-8 byte order mark in front of a Windows-1252 file


def sniff_encoding(stream: BinaryIO, file: str, problems: Problems) -> Encoding:
    """Decide the encoding in one streaming pass: UTF-8 if every line decodes, else Windows-1252.

    A UTF-16/32 file (recognised by its byte order mark) is read correctly but
    reported; NUL bytes or bytes undefined in Windows-1252 are reported with the
    first line they occur on and replaced when decoding.
    """
    first = stream.readline()
    for bom, codec, label in _BOMS:
        if first.startswith(bom):
            problems.add(file, 1, "", f"falsche Kodierung: Datei ist {label} (erwartet UTF-8 oder Windows-1252)",
                         f"wrong encoding: file is {label} (expected UTF-8 or Windows-1252)")
            return Encoding(codec)
    utf8_ok, nul_line, undefined_line = True, 0, 0
    for lineno, raw in enumerate(itertools.chain([first], stream), 1):
        if not nul_line and b"\x00" in raw:
            nul_line = lineno
        if utf8_ok:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                # a UTF-8 sequence never contains b"\n", so a line decodes on its own
                utf8_ok = False
        if not undefined_line and _CP1252_UNDEFINED.intersection(raw):
            undefined_line = lineno
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
                     skip_bytes=len(codecs.BOM_UTF8) if first.startswith(codecs.BOM_UTF8) else 0)


_SEP_HINT = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def csv_rows(stream: BinaryIO, enc: Encoding, file: str, problems: Problems,
              limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """``(physical line, cells)`` per CSV record; the delimiter is taken from the header line."""
    stream.read(enc.skip_bytes)
    text = io.TextIOWrapper(stream, encoding=enc.codec, errors="replace", newline="")
    lines: Iterator[str] = iter(text)
    if enc.replace_nul:
        lines = (ln.replace("\x00", "\ufffd") for ln in lines)
    head: list[str] = []
    for ln in lines:
        head.append(ln)
        if ln.strip():
            break
    first = head[-1] if head else ""
    hint = _SEP_HINT.fullmatch(first)
    if hint and hint[1] in ";,\t":  # Excel's "sep=;" line; keep the line count
        delimiter = hint[1]
        head[-1] = "\n"
    else:
        delimiter = "," if first.count(",") > first.count(";") else ";"
    if csv.field_size_limit() <= limits.max_cell_chars:
        csv.field_size_limit(limits.max_cell_chars + 1)
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter, skipinitialspace=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.add(file, start, "", f"CSV-Zeile nicht lesbar ({e})", f"CSV line not readable ({e})")
            if reader.line_num < start:
                return
            continue
        yield start, row
