"""A problem in a rule file, reported as ``file:line: message`` in German or English."""
from __future__ import annotations

from dataclasses import dataclass

from engine.report.words import Word, t


@dataclass(frozen=True)
class RuleProblem:
    """``word``: a key of engine/report/words.py ``TEXT``; ``values``: (name, value) pairs filled into it
    (a ``Word`` value is translated too)."""
    file: str
    line: int
    word: str
    values: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, file: str, line: int, word: str, /, **values) -> RuleProblem:
        return cls(file, line, word, tuple(values.items()))

    def text(self, lang: str) -> str:
        values = {k: t(v, lang) if isinstance(v, Word) else v for k, v in self.values}
        return t(self.word, lang).format(**values)

    @property
    def message(self) -> str:
        """The English text (finding ids, order and the English reports are built from it)."""
        return self.text("en")

    def shown(self, lang: str) -> str:
        return f"{self.file}:{self.line}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.shown("en")

    def __lt__(self, other: RuleProblem) -> bool:  # the order of old: file, line, English text
        return (self.file, self.line, self.message) < (other.file, other.line, other.message)
