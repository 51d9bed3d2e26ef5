"""Files the auditor hands to the check (``--parameters``, ``--waivers``): safe YAML, problems in German and English.

They never come from the provider's bundle. A file that cannot be used is a usage error whose
lines read ``file:line: problem``; each line is kept as a (de, en) pair until the language is known.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 1_000_000


class AuditorFileError(Exception):
    """The auditor's file cannot be used: (de, en) lines ``file:line: problem``."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("\n".join(en for _, en in problems))
        self.problems = problems

    def text(self, lang: str) -> str:
        return "\n".join(de if lang == "de" else en for de, en in self.problems)


def load_yaml(path: Path, error: type[AuditorFileError]) -> tuple[Any, yaml.Node | None]:
    """The file's data and its node tree (for line numbers); raises ``error`` when it cannot be read."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise error([(f"{name}: Datei größer als {MAX_FILE_BYTES} Bytes",
                          f"{name}: file larger than {MAX_FILE_BYTES} bytes")])
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise error([(f"{where}: nicht lesbar ({type(exc).__name__})",
                      f"{where}: not readable ({type(exc).__name__})")]) from None
    return data, node
