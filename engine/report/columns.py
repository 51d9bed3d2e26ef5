"""The columns of the findings table (CSV, xlsx, Markdown), declared once.

A field added to a finding joins every table with one entry in ``FINDING_COLUMNS``:
its key, the word of its header (``engine/report/words.py``) and how its value is
taken from a finding. Values are text, whole numbers, ``Decimal``/``float`` or
``None`` (empty); each writer formats them for its medium (German decimal comma
in CSV, typed number cells in xlsx).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from engine.report.words import t
from schemas.finding import Finding


@dataclass(frozen=True)
class Row:
    """What a column may read besides the finding: its bundle's result, the language, rule titles."""

    result: Any  # engine.check.CheckResult
    lang: str
    titles: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Column:
    key: str
    word: str  # header: t(word, lang)
    value: Callable[[Row, Finding], Any]

    def header(self, lang: str) -> str:
        return t(self.word, lang)


FINDING_COLUMNS: list[Column] = [
    Column("submission", "col_submission", lambda r, f: r.result.submission),
    Column("rule", "col_rule", lambda r, f: f.rule),
    Column("severity", "col_severity", lambda r, f: t(f.severity, r.lang)),
    Column("title", "col_title", lambda r, f: r.titles.get(f.rule, {}).get(r.lang, "")),
    Column("file", "col_file", lambda r, f: f.location.file),
    Column("line", "col_line", lambda r, f: f.location.line or None),
    Column("column", "col_column", lambda r, f: f.location.column),
    Column("entity_type", "col_entity_type", lambda r, f: t(f.entity.type, r.lang)),
    Column("entity_id", "col_entity_id", lambda r, f: f.entity.id),
    Column("message", "col_message", lambda r, f: f.message[r.lang]),
    # money at stake (engine/audit/stake.py): hours taken out of billing, their value, the contract year
    Column("hours", "col_hours", lambda r, f: f.hours),
    Column("amount", "col_amount", lambda r, f: f.amount),
    Column("contract_year", "col_contract_year", lambda r, f: f.contract_year),
    # against --baseline: new / persisting; empty without one
    Column("status", "col_status", lambda r, f: t(f.status, r.lang) if f.status else None),
    Column("source", "col_source", lambda r, f: f.source),
    Column("id", "col_id", lambda r, f: f.id),
]


def finding_rows(results: list, lang: str, titles: dict, failed: list[tuple[str, str]] = ()) -> list[list]:
    """The findings of every bundle as rows of ``FINDING_COLUMNS``; then one row per bundle not checked."""
    rows = []
    for result in results:
        ctx = Row(result, lang, titles)
        rows.extend([col.value(ctx, f) for col in FINDING_COLUMNS] for f in result.findings)
    for name, why in failed:  # named in every format, never only on stderr
        extra = {"submission": name, "severity": t("error", lang),
                 "message": f"{t('bundle_not_checked', lang)}: {why}"}
        rows.append([extra.get(col.key) for col in FINDING_COLUMNS])
    return rows


def headers(lang: str) -> list[str]:
    return [col.header(lang) for col in FINDING_COLUMNS]
