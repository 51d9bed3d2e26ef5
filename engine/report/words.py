"""User-facing words of the CLI and reports, German (default) and English."""
from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "submission": {"de": "Einreichung", "en": "Submission"},
    "rules": {"de": "Regeln", "en": "Rules"},
    "error": {"de": "Fehler", "en": "error"},
    "warning": {"de": "Warnung", "en": "warning"},
    "info": {"de": "Hinweis", "en": "info"},
    "errors": {"de": "Fehler", "en": "errors"},
    "warnings": {"de": "Warnungen", "en": "warnings"},
    "infos": {"de": "Hinweise", "en": "infos"},
    "finding": {"de": "Befund", "en": "finding"},
    "findings": {"de": "Befunde", "en": "findings"},
    "source": {"de": "Quelle", "en": "Source"},
    "summary": {"de": "Zusammenfassung", "en": "Summary"},
    "no_findings": {"de": "Keine Befunde.", "en": "No findings."},
    "service": {"de": "Leistung", "en": "service"},
    "staff": {"de": "Personal", "en": "staff"},
    "participant": {"de": "Teilnehmende/r", "en": "participant"},
    "contract": {"de": "Vertrag", "en": "contract"},
    "contract_year": {"de": "Vertragsjahr", "en": "contract year"},
    "prephase": {"de": "Vorphase", "en": "pre-phase"},
    "file": {"de": "Datei", "en": "file"},
    "rule": {"de": "Regel", "en": "rule"},
    "invoice": {"de": "Rechnung", "en": "invoice"},
    "bundle_error": {"de": "Einreichung nicht lesbar", "en": "cannot read submission"},
    "bundle_not_checked": {"de": "Einreichung nicht geprüft", "en": "submission not checked"},
    "more_findings": {"de": "… und {n} weitere (höchstens {limit} je Regel und Einreichung aufgeführt)",
                      "en": "… and {n} more (at most {limit} listed per rule and submission)"},
    "link_skipped": {"de": "symbolischer Link nicht verfolgt", "en": "symbolic link not followed"},
    "rules_error": {"de": "Regeln fehlerhaft", "en": "rules have problems"},
    "report_title": {"de": "Prüfbericht AsA flex", "en": "AsA flex audit report"},
    "severity": {"de": "Schwere", "en": "Severity"},
    "title": {"de": "Titel", "en": "Title"},
    "place": {"de": "Fundstelle", "en": "Location"},
    "record": {"de": "Datensatz", "en": "Record"},
    "message": {"de": "Befund", "en": "Finding"},
    "overrides": {"de": "Abweichende Parameter (gelten für diese Prüfung)",
                  "en": "Parameters overridden (in force for this check)"},
}


def t(key: str, lang: str) -> str:
    entry = TEXT.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["de"])


def more_findings(result, rule: str, lang: str) -> str:
    """"… and N more" for a rule whose findings were capped, or ""."""
    n = result.omitted_count(rule)
    return t("more_findings", lang).format(n=n, limit=result.limit) if n else ""
