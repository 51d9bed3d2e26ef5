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
    "selection_note": {"de": "Regelauswahl ({which}): Befunde, Stunden und Beträge nur der gewählten Regeln; "
                             "das Stundenkonto bleibt vollständig (alle Regeln)",
                       "en": "rule selection ({which}): findings, hours and amounts of the selected rules only; "
                             "the ledger stays complete (every rule)"},
    # findings table (CSV, xlsx, Markdown): engine/report/columns.py
    "col_submission": {"de": "Einreichung", "en": "submission"},
    "col_rule": {"de": "Regel", "en": "rule"},
    "col_severity": {"de": "Schwere", "en": "severity"},
    "col_title": {"de": "Titel", "en": "title"},
    "col_file": {"de": "Datei", "en": "file"},
    "col_line": {"de": "Zeile", "en": "line"},
    "col_column": {"de": "Spalte", "en": "column"},
    "col_entity_type": {"de": "Datensatzart", "en": "record type"},
    "col_entity_id": {"de": "Datensatz", "en": "record"},
    "col_message": {"de": "Befund", "en": "finding"},
    "col_source": {"de": "Quelle", "en": "source"},
    "col_id": {"de": "Befund-ID", "en": "finding id"},
    "col_status": {"de": "Status", "en": "status"},
    "col_hours": {"de": "Stunden", "en": "hours"},
    "col_amount": {"de": "Betrag (EUR)", "en": "amount (EUR)"},
    "col_contract_year": {"de": "Vertragsjahr", "en": "contract year"},
    "new": {"de": "neu", "en": "new"},
    "persisting": {"de": "bestehend", "en": "persisting"},
    "col_not_listed": {"de": "nicht aufgeführt", "en": "not listed"},
    "checked": {"de": "geprüft", "en": "checked"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "sheet_findings": {"de": "Befunde", "en": "Findings"},
    "sheet_summary": {"de": "Übersicht", "en": "Summary"},
    "sheet_ledger": {"de": "Stundenkonto", "en": "Ledger"},
    "empty_bundle_path": {"de": "leerer Pfad als Einreichung", "en": "empty bundle path"},
    "no_rule_matches": {"de": "keine Regel passt zu", "en": "no rule matches"},
    "hidden_skipped": {"de": "versteckter Ordner nicht durchsucht", "en": "hidden folder not searched"},
    "unreadable_skipped": {"de": "Ordner nicht lesbar, nicht durchsucht", "en": "folder not readable, not searched"},
    "too_deep": {"de": "{n} Ordner tiefer als --max-depth {depth} nicht durchsucht",
                 "en": "{n} folder(s) deeper than --max-depth {depth} not searched"},
    "folder_without_bundle": {
        "de": "keine Einreichung in diesem Ordner. Eine Einreichung ist ein Ordner mit contract.yaml und den "
              "CSV-Dateien (staff.csv, participants.csv, reference_persons.csv, services.csv, optional "
              "suspensions.csv, invoice.yaml), eine .zip-Datei mit diesen Dateien oder eine .xlsx-Mappe "
              "(docs/submission-format.md); gesucht wird bis --max-depth Ebenen tief",
        "en": "no submission in this folder. A submission is a folder holding contract.yaml and the CSV files "
              "(staff.csv, participants.csv, reference_persons.csv, services.csv, optional suspensions.csv, "
              "invoice.yaml), a .zip file holding them or an .xlsx workbook (docs/submission-format.md); "
              "folders are searched --max-depth levels deep"},
    "rules_dir_missing": {"de": "Regelverzeichnis nicht gefunden", "en": "rules directory not found"},
    "no_rule_files": {"de": "keine Regeldateien (*.yaml) in", "en": "no rule files (*.yaml) in"},
    "template_xlsx": {"de": "die Vorlage ist eine .xlsx-Datei", "en": "the template is an .xlsx file"},
    "exists_use_force": {"de": "gibt es schon (überschreiben mit --force)", "en": "exists (overwrite with --force)"},
    "template_written": {"de": "Vorlage geschrieben", "en": "template written"},
    "unknown_command": {"de": "unbekannter Befehl", "en": "unknown command"},
    "default": {"de": "Vorgabe", "en": "default"},
    "config_file": {"de": "Konfigurationsdatei", "en": "configuration file"},
    "none": {"de": "keine", "en": "none"},
    # rules test / coverage / diff / lint (engine/authoring)
    "example_ok": {"de": "ok    ", "en": "ok  "},
    "example_fail": {"de": "FEHLER", "en": "FAIL"},
    "expected_got": {"de": "erwartet {expected}, erhalten {actual}", "en": "expected {expected}, got {actual}"},
    "passed_failed": {"de": "{passed} bestanden, {failed} fehlgeschlagen", "en": "{passed} passed, {failed} failed"},
    "limit_not_pinned": {"de": "{label} verschoben ändert das Ergebnis keines Beispiels — Beispiele an der Grenze "
                                "ergänzen (letzter zulässiger und erster verletzender Wert)",
                         "en": "moving {label} changes no example's result — add examples at the boundary "
                               "(last compliant and first violating value)"},
    "col_findings": {"de": "Befunde", "en": "findings"},
    "never_fired": {"de": "   <- nie angeschlagen: kein Beispiel im Korpus prüft diese Regel",
                    "en": "   <- never fired: no fixture exercises this rule"},
    "rules_fired": {"de": "{fired} von {total} Regeln schlugen auf {bundles} Einreichung(en) an",
                    "en": "{fired} of {total} rules fired on {bundles} bundle(s)"},
    "unreadable_count": {"de": "; {n} nicht lesbar", "en": "; {n} unreadable"},
    "unreadable": {"de": "nicht lesbar", "en": "unreadable"},
    "no_change": {"de": "keine Änderung der Befunde auf dem Korpus", "en": "no change in findings on the corpus"},
    "lint_summary": {"de": "{problems} Problem(e) in {rules} Regel(n)", "en": "{problems} problem(s) in {rules} rule(s)"},
    "catalog_written": {"de": "Katalog geschrieben in", "en": "catalog written to"},
    "no_corpus_bundles": {"de": "keine Einreichungen im Korpus", "en": "no bundles found in the corpus"},
    "rule_file_not_loaded": {"de": "Regeldatei nicht geladen", "en": "rule file not loaded"},
    "ledger_missing": {"de": "rules/ledger.yaml fehlt in", "en": "ledger.yaml missing in"},
    "no_contract": {"de": "kein Vertrag in der Einreichung", "en": "no contract in bundle"},
    "no_such_year": {"de": "Vertragsjahr {year} gibt es im Vertrag nicht", "en": "contract year {year} not in contract"},
    "not_rules_or_revision": {"de": "'{spec}' ist weder ein Regelverzeichnis noch eine git-Revision mit rules/",
                              "en": "'{spec}' is neither a rules directory nor a git revision with rules/"},
    # JUnit / SARIF
    "n_findings": {"de": "{n} Befund(e)", "en": "{n} finding(s)"},
    "not_checked_case": {"de": "nicht geprüft", "en": "not checked"},
    "parameter_override": {"de": "abweichender Parameter", "en": "parameter override"},
    "reference_person": {"de": "Bezugsperson", "en": "reference person"},
    "suspension": {"de": "Unterbrechung", "en": "suspension"},
}

# codes of the data contract with their labels (German first): shown as "rechtzeitig abgesagt (absent_announced)"
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "role": {"AB": ("Ausbildungsbegleitung", "training support"), "SP": ("Sozialpädagogik", "social pedagogy"),
             "LK": ("Lehrkraft", "teacher")},
    "employment": {"employee": ("angestellt", "employee"), "freelance": ("Honorarkraft", "freelance"),
                   "agency": ("Leiharbeit", "agency worker"), "subcontractor": ("Unterauftrag", "subcontractor")},
    "phase": {"VP": ("Vorphase", "pre-phase"), "BP": ("begleitende Phase", "accompanying phase")},
    "element": {"AB": ("Ausbildungsbegleitung", "training support"),
                "SP": ("sozialpädagogische Begleitung", "social-pedagogical support"),
                "SFU": ("Stütz- und Förderunterricht", "remedial teaching")},
    "mode": {"presence": ("in Präsenz", "in person"), "phone": ("telefonisch", "by phone"),
             "video": ("per Video", "by video"), "company": ("im Betrieb", "at the company")},
    "attendance": {"present": ("anwesend", "present"),
                   "absent_unannounced": ("unentschuldigt ferngeblieben", "absent without notice"),
                   "absent_announced": ("rechtzeitig abgesagt", "cancelled in time"),
                   "cancelled_by_provider": ("vom Träger abgesagt", "cancelled by the provider")},
}


def code_label(column: str, code: str, lang: str) -> str:
    """The label of a code (``absent_announced`` -> ``rechtzeitig abgesagt``); the code itself when unknown."""
    pair = CODES.get(column, {}).get(code)
    return code if pair is None else pair[0 if lang == "de" else 1]


def t(key: str, lang: str) -> str:
    entry = TEXT.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["de"])


def more_findings(result, rule: str, lang: str) -> str:
    """"… and N more" for a rule whose findings were capped, or ""."""
    n = result.omitted_count(rule)
    return t("more_findings", lang).format(n=n, limit=result.limit) if n else ""


def rules_version_text(version: str, lang: str) -> str:
    """``25 rules, sha256:…`` (the id in every report) as shown to a reader: ``25 Regeln, sha256:…`` in German."""
    count, sep, rest = version.partition(" rules, ")
    if lang != "de" or not sep or not count.isdigit():
        return version
    return f"{count} {'Regel' if count == '1' else 'Regeln'}, {rest}"
