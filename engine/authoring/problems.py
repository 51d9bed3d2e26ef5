"""A problem in a rule file, reported as ``file:line: message`` in German or English."""
from __future__ import annotations

from dataclasses import dataclass

from engine.report.words import TEXT, Word, t


def schema_problem(err: dict) -> dict[str, str]:
    """A pydantic error as ``problem_de``/``problem_en``: pydantic's own text in English, German from the words
    table where its type is known there (and the English made from the same word is pydantic's text)."""
    en = err["msg"]
    word = f"schema_{err['type']}"
    ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    de = en
    if word in TEXT:
        try:
            if t(word, "en").format(**ctx) == en:
                de = t(word, "de").format(**{k: v.replace(" or ", " oder ") for k, v in ctx.items()})
        except (KeyError, IndexError, ValueError):
            pass
    return {"problem_de": de, "problem_en": en}


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
