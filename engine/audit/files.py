"""Files the auditor hands to the check (``--parameters``, ``--waivers``): safe YAML, problems in German and English.

They never come from the provider's bundle. A file that cannot be used is a usage error whose
lines read ``file:line: problem``; each line is kept as a ``Phrase`` (engine/report/words.py) until the
language is known.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from engine.rules import construct_plain

from engine.report.words import Phrase

MAX_FILE_BYTES = 1_000_000


class AuditorFileError(Exception):
    """The auditor's file cannot be used: lines ``file:line: problem``, each a ``Phrase``."""

    def __init__(self, problems: list[Phrase | At]):
        super().__init__("\n".join(p.text("en") for p in problems))
        self.problems = problems

    def text(self, lang: str) -> str:
        return "\n".join(p.text(lang) for p in self.problems)


class At:
    """A problem at a place of the auditor's file: ``file:line: problem``."""

    def __init__(self, where: str, phrase: Phrase):
        self.where, self.phrase = where, phrase

    def text(self, lang: str) -> str:
        return f"{self.where}: {self.phrase.text(lang)}"


def load_yaml(path: Path, error: type[AuditorFileError]) -> tuple[Any, yaml.Node | None]:
    """The file's data and its node tree (for line numbers); raises ``error`` when it cannot be read."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise error([Phrase("af_too_large", where=name, max=MAX_FILE_BYTES)])
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = None if node is None else construct_plain(node)  # parsed once, for values and lines
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise error([Phrase("af_not_readable", where=where, why=type(exc).__name__)]) from None
    return data, node
