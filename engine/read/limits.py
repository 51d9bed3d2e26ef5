"""Limits of the bundle reader, and the problem list it fills.

Every limit protects the check against a hostile or broken bundle; none comes
from the bundle itself. ``BundleError`` is the one way reading a bundle can
fail as a whole; everything else is an ``InputProblem`` at its place.
"""
from __future__ import annotations

from dataclasses import dataclass

from schemas.submission import InputProblem

# Memory follows the rows read: about 3 KB per row at the peak of a check (record, fact,
# engine payload). With these defaults one worker stays under about 2 GB, so two fit a
# 2-core laptop with 8 GB (docs/performance.md).
MAX_FILE_BYTES = 100 * 1024 * 1024  # per file (CSV file, zip member, workbook)
MAX_ROWS = 500_000  # data rows per submission, all files together
MAX_CELL_CHARS = 10_000  # characters per cell
MAX_LINE_CHARS = 100_000  # characters per physical line of a CSV file
MAX_COLUMNS = 200  # cells per row looked at (a sheet may be formatted out to column XFD)
MAX_YAML_BYTES = 256 * 1024  # contract.yaml / invoice.yaml are a few hundred bytes; PyYAML is slow
MAX_YAML_DEPTH = 50  # nesting; PyYAML's scanner is quadratic in flow nesting ([[[[...)
MAX_YAML_ALIASES = 200  # a real contract.yaml has none
MAX_YAML_NODES = 100_000  # nodes after expanding aliases
MAX_ZIP_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 100  # uncompressed / compressed size of a zip and of each member
MAX_PERIOD_MONTHS = 1_200  # a pre-phase, extension or contingent: longer is outside the data contract
MAX_PERIODS = 100  # pre-phases or contingents listed in contract.yaml (a contract has a handful)
MAX_PROBLEMS_PER_FILE = 1_000  # problems listed one by one per file; the rest are counted


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
    max_line_chars: int = MAX_LINE_CHARS
    max_problems: int = MAX_PROBLEMS_PER_FILE
    rows_read: int = 0  # data rows read so far, all files of the bundle together


MAX_COLUMN_CHARS = 120  # a column (or key path) named in a problem


class Problems(list):
    """The problem list of one bundle.

    At most ``cap`` problems are kept per file: a broken or hostile file gives
    millions, and each becomes a finding. The rest are counted and summed up by
    ``close`` in one problem per file. Services whose errors were not kept are
    remembered (``unlisted_services``): an input error makes a service's hours
    unbillable whether it is listed or not.
    """

    def __init__(self, cap: int = MAX_PROBLEMS_PER_FILE):
        super().__init__()
        self.cap = cap
        self.unlisted_services: set[str] = set()
        self._kept: dict[str, int] = {}
        self._over: dict[str, list[int]] = {}  # file -> [errors, warnings] not kept

    def add(self, file: str, line: int, column: str, de: str, en: str, *,
            severity: str = "error", entity: tuple[str, str] = ("", ""), always: bool = False) -> None:
        """``always``: listed even past the cap (a limit that ends reading must be seen)."""
        kept = self._kept.get(file, 0)
        if kept >= self.cap and not always:
            self._over.setdefault(file, [0, 0])[severity != "error"] += 1
            if severity == "error" and entity[0] == "service":
                self.unlisted_services.add(entity[1])
            return
        self._kept[file] = kept + 1
        if len(column) > MAX_COLUMN_CHARS:
            column = column[:MAX_COLUMN_CHARS - 1] + "…"
        self.append(InputProblem(file=file, line=line, column=column, de=de, en=en,
                                 severity=severity, entity_type=entity[0], entity_id=entity[1]))

    def close(self) -> None:
        """Add one problem per file saying how many were not listed."""
        for file, (errors, warnings) in sorted(self._over.items()):
            self.append(InputProblem(
                file=file, line=0, severity="error" if errors else "warning",
                de=f"{errors + warnings} weitere Probleme in dieser Datei ({errors} Fehler, {warnings} Warnungen) "
                   f"werden nicht einzeln aufgeführt (höchstens {self.cap} je Datei)",
                en=f"{errors + warnings} more problems in this file ({errors} errors, {warnings} warnings) "
                   f"are not listed one by one (at most {self.cap} per file)"))
        self._over = {}
