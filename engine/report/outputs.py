"""Reports to files (``-o/--output FILE``, repeatable): the format from the extension, all or nothing.

Every report is rendered in memory first; then each is written to a temporary
file beside its target and, once all are written, renamed over the targets. A
run that fails or is interrupted before that leaves no file half-written (the
temporary files are removed); an existing target keeps its old content.
"""
from __future__ import annotations

import os
import signal
import tempfile
import threading
from pathlib import Path

from engine.report.words import WordsError

EXTENSIONS = {
    ".json": "json", ".html": "html", ".htm": "html", ".sarif": "sarif", ".xml": "junit",
    ".csv": "csv", ".xlsx": "xlsx", ".md": "markdown", ".txt": "text",
}


class OutputError(WordsError, ValueError):
    """A target that cannot be written: a usage error, said before anything is checked."""


def format_of(path: Path) -> str:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(EXTENSIONS))
        raise OutputError("out_unknown_format", path=path, suffix_de=path.suffix or "–", suffix_en=path.suffix or "-",
                          known=known)
    return fmt


def plan(paths: list[Path]) -> list[tuple[Path, str]]:
    """(target, format) of every ``-o``; an unknown extension, a repeated or unwritable target is refused."""
    out: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for path in paths:
        fmt = format_of(path)
        real = os.path.realpath(path)
        if real in seen:
            raise OutputError("out_given_twice", path=path)
        seen.add(real)
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise OutputError("out_no_folder", path=path, folder=folder)
        if path.is_dir():
            raise OutputError("out_is_folder", path=path)
        if not os.access(folder, os.W_OK):
            raise OutputError("out_not_writable", path=path)
        out.append((path, fmt))
    return out


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class Pieces(list):
    """A report as UTF-8 pieces in order (JSON and SARIF, one piece per submission; engine/report/json_pieces.py):
    written one by one, never joined, so a large report is not held twice."""


def write_all(items: list[tuple[Path, bytes | Pieces]]) -> None:
    """Write every file or none: temporary files beside the targets, renamed when all are complete."""
    temps: list[tuple[str, Path]] = []
    blocked = ({signal.SIGINT, signal.SIGTERM} if threading.current_thread() is threading.main_thread() else set())
    try:
        for path, data in items:
            folder = path.parent if str(path.parent) else Path(".")
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                if isinstance(data, Pieces):
                    fh.writelines(data)
                else:
                    fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, _mode())
        old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)  # the renames as one step
        try:
            for tmp, path in temps:
                os.replace(tmp, path)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        temps = []
    finally:
        for tmp, _path in temps:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def as_bytes(report: str | bytes | Pieces) -> bytes:
    if isinstance(report, Pieces):
        return b"".join(report)
    return report if isinstance(report, bytes) else report.encode("utf-8")


def encoded(report: str | bytes | Pieces) -> bytes | Pieces:
    """What a file receives: the report's bytes, or its pieces as they are."""
    return report if isinstance(report, Pieces) else as_bytes(report)


def titles_of(ruleset) -> dict[str, dict[str, str]]:
    """Rule titles by id, in both languages, the built-in rules included."""
    from engine.rules import BUILTIN_RULES

    titles = {lr.rule.id: {"de": lr.rule.title.de, "en": lr.rule.title.en} for lr in ruleset.rules}
    titles.update({b.id: b.title for b in BUILTIN_RULES})
    return titles


def render(fmt: str, results: list, ruleset, lang: str, failed: list[tuple[str, str]] = (),
           color: bool = False, quiet: bool = False, info=None) -> str | bytes | Pieces:
    """The report of a check run in ``fmt``: text, json, html, junit, sarif, csv, xlsx, markdown.

    ``info``: the audit's header (engine/audit/run.py ``AuditInfo``: check date, waivers, baseline) or None.
    """
    if fmt == "json":
        from engine.report.text import json_pieces

        return Pieces(json_pieces(results, lang, failed, info))
    if fmt == "junit":
        from engine.report.pipeline import render_junit

        return render_junit(results, lang, failed, info)
    if fmt == "sarif":
        from engine.report.pipeline import sarif_pieces

        return Pieces(sarif_pieces(results, ruleset, lang, failed, info))
    if fmt == "html":
        from engine.report.html import render_html

        return render_html(results, lang, titles_of(ruleset), failed, info)
    if fmt == "csv":
        from engine.report.findings_csv import render_findings_csv

        return render_findings_csv(results, lang, titles_of(ruleset), failed)
    if fmt == "xlsx":
        from engine.report.xlsx import render_findings_xlsx

        return render_findings_xlsx(results, lang, titles_of(ruleset), failed,
                                    info.check_date if info is not None else None)
    if fmt == "markdown":
        from engine.report.markdown import render_markdown

        return render_markdown(results, lang, titles_of(ruleset), failed)
    from engine.report.text import render_overview, render_summaries, render_text

    out = render_summaries(results, lang, color=color) if quiet else render_text(results, lang, titles_of(ruleset),
                                                                                 color=color, info=info)
    if len(results) > 1 or failed:
        out += render_overview(results, lang, failed)
    return out
