"""Small hand-made bundles for tests: a copy of a fixture with files edited."""
from __future__ import annotations

import shutil
from pathlib import Path

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def copy_fixture(tmp_path: Path, name: str = "compliant", to: str = "b") -> Path:
    d = tmp_path / to
    shutil.copytree(FIX / name, d)
    return d


def replace(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file; the test fails if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def input_problems(result, file: str | None = None) -> list:
    """ASA-INPUT findings of a check result, optionally of one file."""
    return [f for f in result.findings if f.rule == "ASA-INPUT" and (file is None or f.location.file == file)]


def errors(result) -> list[tuple[str, str, int]]:
    """(rule, file, line) of every error, to compare runs."""
    return sorted((f.rule, f.location.file, f.location.line) for f in result.findings if f.severity == "error")
