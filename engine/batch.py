"""Many bundles at once, in worker processes (durable_rules: one Host per process).

Each worker checks one bundle at a time, so memory is bounded by the largest
bundle, not by the total; a worker that dies loses only its bundle. Results
come back in input order, whatever ``jobs``, so reports and finding ids are the
same for any number of workers.
"""
from __future__ import annotations

import functools
import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from engine import workers
from engine.check import CheckResult, check_bundle
from engine.read.bundle import BundleError
from engine.rules import RuleSet


@dataclass
class BundleOutcome:
    path: str
    result: CheckResult | None = None
    error_de: str = ""
    error_en: str = ""


def expand(paths: list[str | Path], links: list[Path] | None = None) -> list[Path]:
    """Bundles named on the command line: a bundle, a folder of bundles (searched below), or a glob.

    A path that holds no bundle is kept as it is, so the reader can say why it is not one.
    Below a named folder no symbolic link is followed (a link to ``..`` would never end,
    one to ``.`` would repeat every bundle); the links passed over are added to ``links``.
    Each bundle is listed once, however many names lead to it.
    """
    out: list[Path] = []
    seen: set[str] = set()
    for raw in map(str, paths):
        matches = sorted(glob.glob(raw)) if any(ch in raw for ch in "*?[") else [raw]
        for m in matches or [raw]:
            p = Path(m)
            found = _bundles_below(p, links) if p.is_dir() and not (p / "contract.yaml").exists() else []
            for bundle in found or [p]:
                real = os.path.realpath(bundle)
                if real not in seen:
                    seen.add(real)
                    out.append(bundle)
    return out


def _bundles_below(folder: Path, links: list[Path] | None = None) -> list[Path]:
    """Folder, zip and xlsx bundles below ``folder``, in sorted order, never through a symbolic link."""
    out: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:  # unreadable folder: nothing to find there
            continue
        below = []
        for e in entries:
            path = Path(e.path)
            if e.is_symlink():
                if links is not None and (e.name.lower().endswith((".zip", ".xlsx")) or e.is_dir()):
                    links.append(path)
            elif e.is_dir(follow_symlinks=False):
                if (path / "contract.yaml").exists():
                    out.append(path)
                else:
                    below.append(path)
            elif e.name.lower().endswith((".zip", ".xlsx")):
                out.append(path)
        stack.extend(below)
    return sorted(out, key=lambda p: p.parts)  # as a depth-first walk in name order


def _check_one(ruleset: RuleSet, limits: dict, path: str) -> BundleOutcome:
    try:
        return BundleOutcome(path, check_bundle(path, ruleset, **limits))
    except BundleError as exc:
        return BundleOutcome(path, None, exc.de, exc.en)


def check_many(paths: list[Path], ruleset: RuleSet, jobs: int | None = None,
               on_done: Callable[[BundleOutcome], None] | None = None, limits: dict | None = None,
               memory_mb: int | None = None) -> list[BundleOutcome]:
    """Check every bundle in a worker process (see engine/workers.py); outcomes in input order.

    A bundle whose worker crashes, is killed or exceeds ``memory_mb`` is an
    outcome without result, its error saying why; the others are still checked.
    """
    names = [str(p) for p in paths]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(names)))
    task = functools.partial(_check_one, ruleset, limits or {})
    outcomes: list[BundleOutcome | None] = [None] * len(names)
    for done in workers.run(task, names, jobs, memory_mb * 1024 * 1024 if memory_mb else None):
        if done.status == "ok":
            outcome = done.value
        elif done.status == "error":
            outcome = BundleOutcome(
                names[done.index], None,
                f"interner Fehler beim Prüfen, keine Befunde ausgegeben ({done.de}); bitte melden",
                f"internal error while checking, no findings reported ({done.en}); please report")
        else:
            outcome = BundleOutcome(names[done.index], None, f"{done.de}; keine Befunde ausgegeben",
                                    f"{done.en}; no findings reported")
        outcomes[done.index] = outcome
        if on_done:
            on_done(outcome)
    return outcomes  # type: ignore[return-value]
