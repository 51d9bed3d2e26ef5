"""Many bundles at once, in worker processes (durable_rules: one Host per process).

Each worker checks one bundle at a time, so memory is bounded by the largest
bundle, not by the total. Results come back in input order, whatever ``jobs``,
so reports and finding ids are the same for any number of workers.
"""
from __future__ import annotations

import glob
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from engine.check import CheckResult, check_bundle
from engine.read import BundleError
from engine.rules import RuleSet, load_rules


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


_worker_rules: RuleSet | None = None
_worker_limits: dict = {}


def _init(rules_dir: str | None, limits: dict) -> None:
    global _worker_rules, _worker_limits
    _worker_rules, _worker_limits = load_rules(rules_dir), limits


def _check_one(path: str) -> BundleOutcome:
    assert _worker_rules is not None
    try:
        return BundleOutcome(path, check_bundle(path, _worker_rules, **_worker_limits))
    except BundleError as exc:
        return BundleOutcome(path, None, exc.de, exc.en)


def check_many(paths: list[Path], rules_dir: str | None, ruleset: RuleSet, jobs: int | None = None,
               on_done: Callable[[BundleOutcome], None] | None = None, limits: dict | None = None
               ) -> list[BundleOutcome]:
    jobs = jobs or os.cpu_count() or 1
    names = [str(p) for p in paths]
    limits = limits or {}
    if jobs == 1 or len(names) == 1:
        global _worker_rules, _worker_limits
        _worker_rules, _worker_limits = ruleset, limits
        outcomes = []
        for n in names:
            outcomes.append(_check_one(n))
            if on_done:
                on_done(outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=min(jobs, len(names)), initializer=_init,
                             initargs=(rules_dir, limits)) as pool:
        outcomes = []
        for outcome in pool.map(_check_one, names, chunksize=1):
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
        return outcomes
