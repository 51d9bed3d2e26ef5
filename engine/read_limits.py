"""Limits of the bundle reader, and the problem list it fills.

Every limit protects the check against a hostile or broken bundle; none comes
from the bundle itself. ``BundleError`` is the one way reading a bundle can
fail as a whole; everything else is an ``InputProblem`` at its place.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.submission import InputProblem

MAX_FILE_BYTES = 200 * 1024 * 1024  # per file (CSV file, zip member, workbook)
MAX_ROWS = 2_000_000  # data rows per CSV file / sheet
MAX_CELL_CHARS = 10_000  # characters per cell
MAX_COLUMNS = 200  # cells per row looked at (a sheet may be formatted out to column XFD)
MAX_YAML_BYTES = 256 * 1024  # contract.yaml / invoice.yaml are a few hundred bytes; PyYAML is slow
MAX_YAML_DEPTH = 50  # nesting; PyYAML's scanner is quadratic in flow nesting ([[[[...)
MAX_YAML_ALIASES = 200  # a real contract.yaml has none
MAX_YAML_NODES = 100_000  # nodes after expanding aliases
MAX_ZIP_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 100  # total uncompressed / compressed size of a zip


class BundleError(Exception):
    """The bundle cannot be read at all. ``str(e)`` is German, ``e.en`` English."""

    def __init__(self, de: str, en: str):
        super().__init__(de)
        self.de = de
        self.en = en


@dataclass
class Limits:
    max_file_bytes: int
    max_rows: int
    max_cell_chars: int


class Problems(list):
    """The problem list of one bundle, with a shorthand to add one."""

    def add(self, file: str, line: int, column: str, de: str, en: str, *,
            severity: str = "error", entity: tuple[str, str] = ("", "")) -> None:
        self.append(InputProblem(file=file, line=line, column=column, de=de, en=en,
                                 severity=severity, entity_type=entity[0], entity_id=entity[1]))
