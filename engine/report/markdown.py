"""Findings as a Markdown table (``-o FILE.md``): for a pull request, a wiki page or a ticket.

Columns from ``FINDING_COLUMNS``; every cell has Markdown and HTML characters
escaped, so a value from the bundle cannot add markup, links or table cells.
"""
from __future__ import annotations

import re
from decimal import Decimal

from engine.report.columns import finding_rows, headers
from engine.report.safe import printable
from engine.report.words import t

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def cell(value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)):
        text = str(value)
        return text.replace(".", ",") if lang == "de" else text
    if isinstance(value, int):
        return str(value)
    return _SPECIAL.sub(r"\\\1", printable(str(value)))


_LIST_NUMBER = re.compile(r"^(\d{1,9})([.)])")


def item(value, lang: str) -> str:
    """``cell``, safe at the start of a list item too: a bundle named ``# Keine Befunde`` or ``1. ok`` gives no
    heading or nested list, leading spaces no code block."""
    text = cell(value, lang)
    stripped = text.lstrip(" ")
    if stripped != text:  # spaces as entities: text, never indentation
        return "&#32;" * (len(text) - len(stripped)) + stripped
    if text[:1] in ("#", "+", "-", "="):
        return "\\" + text
    return _LIST_NUMBER.sub(r"\1\\\2", text)


def render_markdown(results: list, lang: str, titles: dict, failed: list[tuple[str, str]] = ()) -> str:
    lines = [f"# {t('report_title', lang)}", ""]
    for r in results:
        s = r.summary()
        lines.append(f"- {item(r.submission, lang)}: {s['error']} {t('errors', lang)}, {s['warning']} "
                     f"{t('warnings', lang)}, {s['info']} {t('infos', lang)}")
    for name, why in failed:
        lines.append(f"- {item(name, lang)}: {t('bundle_not_checked', lang)}: {cell(why, lang)}")
    head = headers(lang)
    lines += ["", "| " + " | ".join(cell(h, lang) for h in head) + " |", "|" + "---|" * len(head)]
    for row in finding_rows(results, lang, titles, failed):
        lines.append("| " + " | ".join(cell(v, lang) for v in row) + " |")
    return "\n".join(lines) + "\n"
