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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from engine import workers
from engine.check import CheckResult, check_bundle
from engine.read.bundle import BundleError
from engine.rules import RuleSet
from engine.shrink import share_findings


@dataclass
class BundleOutcome:
    path: str
    result: CheckResult | None = None
    error_de: str = ""
    error_en: str = ""


MAX_DEPTH = 2  # folders below a named folder searched for bundles (--max-depth)
BUNDLE_SUFFIXES = (".zip", ".xlsx")


@dataclass
class Discovery:
    """What the search below named folders passed over, one entry each (said on stderr)."""

    links: list[Path] = field(default_factory=list)  # symbolic links, never followed
    hidden: list[Path] = field(default_factory=list)  # folders whose name starts with "."
    unreadable: list[Path] = field(default_factory=list)
    too_deep: list[Path] = field(default_factory=list)  # folders below --max-depth, not searched
    empty: list[Path] = field(default_factory=list)  # named folders holding no bundle


def is_bundle_folder(path: Path) -> bool:
    return (path / "contract.yaml").exists()


def _looks_like_bundle(path: Path) -> bool:
    """A folder with data files of its own: the reader says what it lacks (e.g. contract.yaml)."""
    try:
        return any(p.suffix.lower() in (".csv", ".yaml", ".yml") for p in path.iterdir() if p.is_file())
    except OSError:
        return True


def expand(paths: list[str | Path], links: list[Path] | None = None, max_depth: int = MAX_DEPTH,
           found: Discovery | None = None) -> list[Path]:
    """Bundles named on the command line: a bundle, a folder of bundles (searched below), or a glob.

    Below a named folder bundles are searched ``max_depth`` levels deep (1: only
    its entries), never through a symbolic link (a link to ``..`` would never end,
    one to ``.`` would repeat every bundle) and not in hidden folders; what was
    passed over is added to ``found`` (and links to ``links``). A named folder
    that holds no bundle is listed in ``found.empty``, unless it has data files
    of its own (then it is kept, so the reader can say what it lacks). A path
    that does not exist is kept as it is, so the reader can say so. Each bundle
    is listed once, however many names lead to it.
    """
    found = found if found is not None else Discovery()
    out: list[Path] = []
    seen: set[str] = set()
    for raw in map(str, paths):
        matches = sorted(glob.glob(raw)) if any(ch in raw for ch in "*?[") else [raw]
        for m in matches or [raw]:
            p = Path(m)
            below: list[Path] = []
            if p.is_dir() and not is_bundle_folder(p):
                below = _bundles_below(p, found, max_depth)
                if not below and not _looks_like_bundle(p):
                    found.empty.append(p)
                    continue
            for bundle in below or [p]:
                real = os.path.realpath(bundle)
                if real not in seen:
                    seen.add(real)
                    out.append(bundle)
    if links is not None:
        links.extend(found.links)
    return out


def _bundles_below(folder: Path, found: Discovery, max_depth: int = MAX_DEPTH) -> list[Path]:
    """Folder, zip and xlsx bundles below ``folder`` to ``max_depth``, in sorted order, never through a link."""
    out: list[Path] = []
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:  # unreadable folder: nothing to find there
            found.unreadable.append(current)
            continue
        below = []
        for e in entries:
            path = Path(e.path)
            if e.is_symlink():
                if e.name.lower().endswith(BUNDLE_SUFFIXES) or e.is_dir():
                    found.links.append(path)
            elif e.is_dir(follow_symlinks=False):
                if e.name.startswith("."):
                    found.hidden.append(path)
                elif is_bundle_folder(path):
                    out.append(path)
                elif depth + 1 < max_depth:
                    below.append((path, depth + 1))
                else:
                    found.too_deep.append(path)
            elif e.name.lower().endswith(BUNDLE_SUFFIXES) and not e.name.startswith("."):
                out.append(path)
        stack.extend(below)
    return sorted(out, key=lambda p: p.parts)  # as a depth-first walk in name order


def _check_one(ruleset: RuleSet, limits: dict, path: str) -> BundleOutcome:
    try:
        result = check_bundle(path, ruleset, **limits)
    except BundleError as exc:
        return BundleOutcome(path, None, exc.de, exc.en)
    share_findings(result)  # smaller to send, smaller to keep: the parent holds every result (engine/shrink.py)
    return BundleOutcome(path, result)


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
