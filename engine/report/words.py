"""User-facing words of the CLI and reports, German (default) and English."""
from __future__ import annotations

from engine.report.words_tools import TOOL_WORDS

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
    # hour ledger: figures and formulas (engine/report/ledger_rows.py)
    "lg_contingent": {"de": "Stundenkontingent", "en": "Hour contingent"},
    "lg_contingent_of_year": {"de": "Kontingent Vertragsjahr {year}", "en": "contingent of contract year {year}"},
    "lg_carry_in": {"de": "Übertrag aus dem Vorjahr", "en": "Carry-in from previous year"},
    "lg_first_year": {"de": "erstes Vertragsjahr", "en": "first contract year"},
    "lg_carry_in_from": {"de": "= zulässiger Übertrag aus Vertragsjahr {year}",
                         "en": "= allowed carry-out of contract year {year}"},
    "lg_available": {"de": "Verfügbare Stunden", "en": "Available hours"},
    "lg_documented": {"de": "Dokumentierte Stunden", "en": "Documented hours"},
    "lg_documented_sum": {"de": "Summe aus {services} (BP) {start} – {end}", "en": "sum of {services} (BP) {start} – {end}"},
    "lg_not_delivered": {"de": "Nicht erbracht (abgesagt, ausgefallen)", "en": "Not delivered (cancelled)"},
    "lg_not_delivered_why": {"de": "{services} mit nicht abrechenbarer Anwesenheit (attendance)",
                             "en": "{services} with an attendance that is not billable"},
    "lg_dropped_by_rule": {"de": "  davon nicht abrechenbar: {rule}", "en": "  unbillable: {rule}"},
    "lg_dropped": {"de": "Nicht abrechenbar", "en": "Unbillable"},
    "lg_dropped_why": {"de": "{services} mit Fehlerbefund (jede einmal gezählt)",
                       "en": "{services} with an error finding (each counted once)"},
    "lg_dropped_amount": {"de": "Wert der nicht abrechenbaren Stunden", "en": "Value of the unbillable hours"},
    "lg_billable": {"de": "Abrechenbare Stunden", "en": "Billable hours"},
    "lg_payable": {"de": "Vergütbare Stunden", "en": "Payable hours"},
    "lg_excess_not_paid": {"de": " (über den verfügbaren Stunden wird nichts vergütet)",
                           "en": " (hours beyond the available hours are not paid)"},
    "lg_minimum": {"de": "Mindestabnahme", "en": "Minimum purchase"},
    "lg_minimum_payment": {"de": "Mindestvergütung", "en": "Minimum payment"},
    "lg_monthly_installment": {"de": "Monatlicher Abschlag", "en": "Monthly installment"},
    "lg_settlement": {"de": "Ausgleichszahlung", "en": "Settlement payment"},
    "lg_no_settlement": {"de": "0 (vergütbare Stunden {payable} ≤ Mindestabnahme {minimum})",
                         "en": "0 (payable hours {payable} ≤ minimum {minimum})"},
    "lg_total_payment": {"de": "Vergütung des Jahres", "en": "Payment for the year"},
    "lg_allowed_carry_out": {"de": "Zulässiger Übertrag ins Folgejahr", "en": "Allowed carry-out to next year"},
    "lg_last_year_no_carry": {"de": "0 (letztes Vertragsjahr der Laufzeit)", "en": "0 (last contract year of the term)"},
    "lg_carry_in_first": {"de": " (Übertrag wird zuerst verbraucht, Rest verfällt)",
                          "en": " (carry-in used first, the rest lapses)"},
    "lg_payment_effect": {"de": "Auswirkung der Befunde auf die Vergütung", "en": "Effect of the findings on the payment"},
    "lg_billed_hours": {"de": "Abgerechnete Stunden", "en": "Billed hours"},
    "lg_claim_carry_in": {"de": "Übertrag aus dem Vorjahr", "en": "Carry-in"},
    "lg_claim_carry_out": {"de": "Übertrag ins Folgejahr", "en": "Carry-out"},
    "lg_places": {"de": "Eingekaufte Plätze", "en": "Places purchased"},
    "lg_minimum_places": {"de": "Mindestplätze", "en": "Minimum places"},
    "lg_prephase_minimum_total": {"de": "{n} Monate × {places} × {price} = {total}",
                                  "en": "{n} months × {places} × {price} = {total}"},
    "lg_peak_occupancy": {"de": "Höchste Belegung", "en": "Peak occupancy"},
    "lg_peak_occupancy_why": {"de": "höchste Zahl an einem Tag aktiver Teilnehmender (participants.csv, VP)",
                              "en": "most participants active on one day (participants.csv, VP)"},
    "lg_payment_by_occupancy": {"de": "Vergütung nach Belegung", "en": "Payment by occupancy"},
    "lg_payment_by_occupancy_sum": {"de": "Σ Monate: min(max(Belegung{sep}{minimum}){sep}{places}) × {price}",
                                    "en": "Σ months: min(max(occupancy{sep}{minimum}){sep}{places}) × {price}"},
    # hour ledger: text tables (engine/report/ledger.py)
    "lg_no_contract": {"de": "Kein Vertrag: contract.yaml fehlt oder ist ungültig; kein Stundenkonto berechnet.",
                       "en": "No contract: contract.yaml is missing or invalid; no ledger computed."},
    "lg_title": {"de": "Stundenkonto Vertrag {contract}", "en": "Hour ledger of contract {contract}"},
    "lg_parameters": {"de": "Parameter", "en": "Parameters"},
    "lg_overrides": {"de": "Abweichende Parameter (gelten für diese Berechnung):",
                     "en": "Parameters overridden (in force for this computation):"},
    "lg_no_contingents": {"de": "Keine Stundenkontingente im Vertrag.", "en": "No hour contingents in the contract."},
    "lg_overview": {"de": "Übersicht", "en": "Overview"},
    "lg_col_year": {"de": "Jahr", "en": "Year"},
    "lg_col_contingent": {"de": "Kontingent", "en": "Contingent"},
    "lg_col_carry_in": {"de": "Übertrag ein", "en": "Carry-in"},
    "lg_col_billable": {"de": "Abrechenbar", "en": "Billable"},
    "lg_col_payable": {"de": "Vergütbar", "en": "Payable"},
    "lg_col_minimum": {"de": "Mindestabnahme", "en": "Minimum"},
    "lg_col_settlement": {"de": "Ausgleichszahlung", "en": "Settlement"},
    "lg_col_carry_out": {"de": "Übertrag aus", "en": "Carry-out"},
    "lg_year_title": {"de": "Vertragsjahr {year}: {start} – {end}", "en": "Contract year {year}: {start} – {end}"},
    "lg_col_figure": {"de": "Position", "en": "Figure"},
    "lg_col_value": {"de": "Wert", "en": "Value"},
    "lg_col_calculation": {"de": "Berechnung", "en": "Calculation"},
    "lg_claim_title": {"de": "Rechnung (invoice.yaml) für Vertragsjahr {year}",
                       "en": "Invoice (invoice.yaml) for contract year {year}"},
    "lg_col_claimed": {"de": "Rechnung", "en": "Claimed"},
    "lg_col_computed": {"de": "Berechnet", "en": "Computed"},
    "lg_col_claim_diff": {"de": "Abweichung (Rechnung − berechnet)", "en": "Claimed − computed"},
    "lg_year_months_title": {"de": "Vertragsjahr {year} nach Monaten", "en": "Contract year {year} by month"},
    "lg_col_month": {"de": "Monat", "en": "Month"},
    "lg_col_documented": {"de": "Dokumentiert", "en": "Documented"},
    "lg_col_not_delivered": {"de": "Nicht erbracht", "en": "Not delivered"},
    "lg_col_dropped": {"de": "Nicht abrechenbar", "en": "Unbillable"},
    "lg_total": {"de": "Summe", "en": "Total"},
    "lg_prephase_title": {"de": "Vorphase {index}: {start} – {end}", "en": "Pre-phase {index}: {start} – {end}"},
    "lg_over_places": {"de": "Belegung über den eingekauften Plätzen (nicht vergütet) in: {months}",
                       "en": "Occupancy above the places purchased (not paid) in: {months}"},
    "lg_prephase_months_title": {"de": "Vorphase {index} nach Monaten", "en": "Pre-phase {index} by month"},
    "lg_col_period": {"de": "Zeitraum", "en": "Period"},
    "lg_col_occupancy": {"de": "Belegung", "en": "Occupancy"},
    "lg_col_paid_places": {"de": "Vergütete Plätze", "en": "Paid places"},
    "lg_col_amount": {"de": "Betrag", "en": "Amount"},
    "lg_unassigned": {"de": "Leistungen (BP) außerhalb aller Vertragsjahre, keinem Jahr zugerechnet: {hours} ({ids})",
                      "en": "Services (BP) outside every contract year, counted in no year: {hours} ({ids})"},
    "lg_unmatched_claim_year": {"de": "invoice.yaml nennt Vertragsjahr {year}, für das kein Kontingent besteht.",
                                "en": "invoice.yaml names contract year {year}, which has no contingent."},
    "lg_no_such_year": {"de": "kein Vertragsjahr {year} (Vertragsjahre: {have})",
                        "en": "no contract year {year} (contract years: {have})"},
    # hour ledger: CSV and xlsx column headers (engine/report/ledger.py YEAR_COLUMNS, MONTH_COLUMNS)
    "lgcol_contract_id": {"de": "Vertrag", "en": "contract_id"},
    "lgcol_year": {"de": "Vertragsjahr", "en": "year"},
    "lgcol_start": {"de": "Beginn", "en": "start"},
    "lgcol_end": {"de": "Ende", "en": "end"},
    "lgcol_month": {"de": "Monat", "en": "month"},
    "lgcol_contingent": {"de": "Kontingent_h", "en": "contingent_hours"},
    "lgcol_carry_in": {"de": "Übertrag_ein_h", "en": "carry_in_hours"},
    "lgcol_available": {"de": "Verfügbar_h", "en": "available_hours"},
    "lgcol_documented_hours": {"de": "Dokumentiert_h", "en": "documented_hours"},
    "lgcol_not_delivered_hours": {"de": "Nicht_erbracht_h", "en": "not_delivered_hours"},
    "lgcol_dropped_hours": {"de": "Nicht_abrechenbar_h", "en": "dropped_hours"},
    "lgcol_dropped_amount": {"de": "Nicht_abrechenbar_Wert_EUR", "en": "dropped_amount_eur"},
    "lgcol_billable_hours": {"de": "Abrechenbar_h", "en": "billable_hours"},
    "lgcol_payable_hours": {"de": "Vergütbar_h", "en": "payable_hours"},
    "lgcol_minimum_hours": {"de": "Mindestabnahme_h", "en": "minimum_hours"},
    "lgcol_monthly_installment": {"de": "Monatsabschlag_EUR", "en": "monthly_installment_eur"},
    "lgcol_minimum_payment": {"de": "Mindestvergütung_EUR", "en": "minimum_payment_eur"},
    "lgcol_settlement_amount": {"de": "Ausgleichszahlung_EUR", "en": "settlement_amount_eur"},
    "lgcol_total_payment": {"de": "Vergütung_EUR", "en": "total_payment_eur"},
    "lgcol_allowed_carry_out": {"de": "Übertrag_aus_zulässig_h", "en": "allowed_carry_out_hours"},
    "lgcol_payment_effect": {"de": "Auswirkung_Befunde_EUR", "en": "payment_effect_eur"},
    "lgcol_claimed_billed_hours": {"de": "Rechnung_Stunden_h", "en": "claimed_billed_hours"},
    "lgcol_claimed_carry_in": {"de": "Rechnung_Übertrag_ein_h", "en": "claimed_carry_in_hours"},
    "lgcol_claimed_carry_out": {"de": "Rechnung_Übertrag_aus_h", "en": "claimed_carry_out_hours"},
    "lgcol_claimed_settlement": {"de": "Rechnung_Ausgleich_EUR", "en": "claimed_settlement_eur"},
    "lgcol_billed_hours_diff": {"de": "Abweichung_Stunden_h", "en": "billed_hours_diff"},
    "lgcol_settlement_diff": {"de": "Abweichung_Ausgleich_EUR", "en": "settlement_diff_eur"},
    # engine/report/audit_text.py
    "unbillable": {"de": "nicht abrechenbar", "en": "unbillable"},
    "au_no_hours_taken_out_of_billing": {"de": "keine Stunden aus der Abrechnung genommen", "en": "no hours taken out of billing"},
    "au_not_in_the_ledger": {"de": "nicht im Stundenkonto", "en": "not in the ledger"},
    "au_why": {"de": "Warum", "en": "Why"},
    "au_persisting": {"de": "fortbestehend", "en": "persisting"},
    "value": {"de": "Wert", "en": "value"},
    "au_effect_on_the_payment": {"de": "Auswirkung auf die Vergütung", "en": "effect on the payment"},
    "au_effect": {"de": "Auswirkung", "en": "effect"},
    "au_waived": {"de": "Ausgenommen (Waivers)", "en": "Waived"},
    "au_since_the_baseline": {"de": "Seit der Vergleichsbasis", "en": "Since the baseline"},
    "au_resolved": {"de": "behoben", "en": "resolved"},
    "au_waived_findings": {"de": "Ausgenommene Befunde (Waivers)", "en": "Waived findings"},
    "au_waiver": {"de": "Ausnahme", "en": "waiver"},
    "au_approved_by": {"de": "genehmigt von", "en": "approved by"},
    "au_until": {"de": "bis", "en": "until"},
    "au_resolved_since_the_baseline": {"de": "Behoben seit der Vergleichsbasis", "en": "Resolved since the baseline"},
    "au_waiver_expired_no_longer_applied": {"de": "Ausnahme abgelaufen, gilt nicht mehr", "en": "waiver expired, no longer applied"},
    "au_stale_waiver_matched_nothing": {"de": "Ausnahme ohne Treffer (veraltet)", "en": "stale waiver (matched nothing)"},
    # engine/report/why.py
    "why_valid_from": {"de": "gültig ab ", "en": "valid from "},
    "why_to": {"de": "bis ", "en": "to "},
    "why_as": {"de": ", da ", "en": ", as "},
    "why_rule_default": {"de": "Vorgabe der Regel", "en": "rule default"},
    "why_set_by_auditor": {"de": "Prüfer", "en": "auditor"},
    "why_set_by_contract": {"de": "Einreichung", "en": "submission"},
    "why_overridden_by": {"de": "abweichend gesetzt von {who}", "en": "overridden by the {who}"},
    "why_default_not_dated": {"de": "Vorgabe der Regel, kein datierter Wert für {field} = {on}",
                              "en": "rule default, no dated value for {field} = {on}"},
    # engine/report/svg.py
    "svg_available": {"de": "verfügbar", "en": "available"},
    "svg_minimum": {"de": "Mindestabnahme", "en": "minimum"},
    "svg_documented_cumulative": {"de": "dokumentiert (kumuliert)", "en": "documented (cumulative)"},
    "svg_billable_cumulative": {"de": "abrechenbar (kumuliert)", "en": "billable (cumulative)"},
    "svg_available_contingent_carry_in": {"de": "verfügbar = Kontingent + Übertrag", "en": "available = contingent + carry-in"},
    "svg_minimum_purchase": {"de": "Mindestabnahme", "en": "minimum purchase"},
    "svg_findings_and_unbillable_amount_per_rule": {"de": "Befunde und nicht abrechenbarer Betrag je Regel", "en": "Findings and unbillable amount per rule"},
    "svg_year_chart_title": {"de": "Vertragsjahr {year}: dokumentierte und abrechenbare Stunden (kumuliert) je Monat",
                             "en": "Contract year {year}: documented and billable hours (cumulative) per month"},
    "svg_unbillable_eur": {"de": "nicht abrechenbar (€)", "en": "unbillable (EUR)"},
    # engine/report/html_ledger.py
    "ht_hour_ledger": {"de": "Stundenkonto", "en": "Hour ledger"},
    "ht_contract_year": {"de": "Vertragsjahr", "en": "Contract year"},
    "ht_invoice": {"de": "Rechnung", "en": "Invoice"},
    "ht_computed": {"de": "berechnet", "en": "computed"},
    "ht_difference": {"de": "Differenz", "en": "Difference"},
    "ht_documented": {"de": "dokumentiert", "en": "documented"},
    "ht_not_delivered": {"de": "nicht erbracht", "en": "not delivered"},
    "ht_billable": {"de": "abrechenbar", "en": "billable"},
    "ht_billable_cumulative": {"de": "abrechenbar kumuliert", "en": "billable cumulative"},
    "ht_period": {"de": "Zeitraum", "en": "Period"},
    "ht_occupancy": {"de": "Belegung", "en": "Occupancy"},
    "ht_paid_places": {"de": "vergütete Plätze", "en": "paid places"},
    "ht_amount": {"de": "Betrag", "en": "Amount"},
    "ht_occupancy_over_places": {"de": "Belegung über den eingekauften Plätzen (nicht vergütet) in",
                                 "en": "Occupancy above the places purchased (not paid) in"},
    "ht_pre_phase": {"de": "Vorphase", "en": "Pre-phase"},
    # engine/report/html.py
    "ht_check_date": {"de": "Prüfdatum", "en": "Check date"},
    "ht_tool": {"de": "Werkzeug", "en": "Tool"},
    "ht_waivers": {"de": "Ausnahmen (Waivers)", "en": "Waivers"},
    "ht_baseline": {"de": "Vergleichsbasis (Baseline)", "en": "Baseline"},
    "ht_expired_waivers_no_longer_applied": {"de": "Abgelaufene Ausnahmen (gelten nicht mehr)", "en": "Expired waivers (no longer applied)"},
    "ht_expires": {"de": "läuft ab", "en": "expires"},
    "ht_reason": {"de": "Grund", "en": "reason"},
    "ht_stale_waivers_matched_nothing": {"de": "Ausnahmen ohne Treffer (veraltet)", "en": "Stale waivers (matched nothing)"},
    "ht_selects": {"de": "Auswahl", "en": "selects"},
    "ht_contract": {"de": "Vertrag (Maßnahmenummer)", "en": "Contract"},
    "ht_provider": {"de": "Träger", "en": "Provider"},
    "ht_agency": {"de": "Agentur", "en": "Agency"},
    "ht_extension": {"de": "Verlängerung", "en": "extension"},
    "ht_accompanying_phase": {"de": "Begleitende Phase", "en": "Accompanying phase"},
    "ht_places": {"de": "Plätze", "en": "places"},
    "ht_pre_phases": {"de": "Vorphasen", "en": "Pre-phases"},
    "ht_data_cut_off_last_service": {"de": "Datenstand (letzte Leistung)", "en": "Data cut-off (last service)"},
    "ht_ledger_parameters": {"de": "Parameter des Stundenkontos", "en": "Ledger parameters"},
    "ht_unbillable_hours": {"de": "Nicht abrechenbare Stunden", "en": "Unbillable hours"},
    "ht_value_at_the_hourly_price": {"de": "Wert zum Stundenpreis", "en": "Value at the hourly price"},
    "ht_effect_on_the_payment": {"de": "Auswirkung auf die Vergütung", "en": "Effect on the payment"},
    "ht_new_since_the_baseline": {"de": "neu seit der Vergleichsbasis", "en": "new since the baseline"},
    "ht_each_service_counted_once": {"de": "je Leistung einmal gezählt", "en": "each service counted once"},
    "ht_waiver": {"de": "Ausnahme", "en": "Waiver"},
    "ht_and": {"de": "und", "en": "and"},
    "ht_more": {"de": "weitere", "en": "more"},
    "ht_findings_per_rule": {"de": "Befunde je Regel", "en": "Findings per rule"},
    "ht_rules_chart_caption": {"de": "Grau: Zahl der Befunde; blau: Wert der nicht abrechenbaren Stunden zum Stundenpreis.",
                               "en": "Grey: number of findings; blue: value of the unbillable hours at the hourly price."},
    # -o/--output targets (engine/report/outputs.py)
    "out_unknown_format": {"de": "{path}: Format unbekannt (Endung {suffix_de}); bekannt: {known}",
                           "en": "{path}: unknown format (extension {suffix_en}); known: {known}"},
    "out_given_twice": {"de": "{path}: zweimal als Ausgabe angegeben", "en": "{path}: given twice as output"},
    "out_no_folder": {"de": "{path}: Verzeichnis {folder} gibt es nicht",
                      "en": "{path}: folder {folder} does not exist"},
    "out_is_folder": {"de": "{path}: ist ein Verzeichnis", "en": "{path}: is a folder"},
    "out_not_writable": {"de": "{path}: Verzeichnis nicht beschreibbar", "en": "{path}: folder not writable"},
    # the configuration file (engine/config.py)
    "cfg_not_a_table": {"de": "{path}: [tool.asa-check] ist keine Tabelle",
                        "en": "{path}: [tool.asa-check] is not a table"},
    "cfg_too_large": {"de": "{path}: größer als {max} Bytes", "en": "{path}: larger than {max} bytes"},
    "cfg_not_toml": {"de": "{path}: kein gültiges TOML: {problem}", "en": "{path}: not valid TOML: {problem}"},
    "cfg_not_readable": {"de": "{path}: nicht lesbar ({why})", "en": "{path}: not readable ({why})"},
    "cfg_not_a_command": {"de": "{label}: [{dotted}] ist kein Befehl von asa-check",
                          "en": "{label}: [{dotted}] is not an asa-check command"},
    "cfg_unknown_key": {"de": "{label}: unbekannter Schlüssel {dotted}{where}: keine Option --{key}",
                        "en": "{label}: unknown key {dotted}{where}: no option --{key}"},
    "cfg_in_command": {"de": " (Befehl {command})", "en": " (command {command})"},
    "cfg_expected_bool": {"de": "{label}: {key}: erwartet true oder false",
                          "en": "{label}: {key}: expected true or false"},
    "cfg_bad_value": {"de": "{label}: {key}: {problem_de}", "en": "{label}: {key}: {problem_en}"},
    # the baseline (engine/audit/baseline.py)
    "bl_too_large": {"de": "{where}: Datei zu groß", "en": "{where}: file too large"},
    "bl_not_json_why": {"de": "{where}: kein JSON-Bericht von asa-check ({why})",
                        "en": "{where}: not a JSON report of asa-check ({why})"},
    "bl_not_json": {"de": "{where}: kein JSON-Bericht von asa-check", "en": "{where}: not a JSON report of asa-check"},
    "bl_submissions_not_list": {"de": "{where}: submissions: Liste erwartet",
                                "en": "{where}: submissions: expected a list"},
    "bl_findings_not_list": {"de": "{where}: Einreichung {n}: findings: Liste erwartet",
                             "en": "{where}: submission {n}: findings: expected a list"},
    "bl_id_missing": {"de": "{where}: Einreichung {n}, Befund {k}: id fehlt",
                      "en": "{where}: submission {n}, finding {k}: id missing"},
    # the auditor's files: --parameters, --waivers (engine/audit/files.py, engine/audit/waivers.py)
    "af_too_large": {"de": "{where}: Datei größer als {max} Bytes", "en": "{where}: file larger than {max} bytes"},
    "af_not_readable": {"de": "{where}: nicht lesbar ({why})", "en": "{where}: not readable ({why})"},
    "wv_not_a_date": {"de": "{where}: {key}: Datum JJJJ-MM-TT erwartet",
                      "en": "{where}: {key}: expected a date YYYY-MM-DD"},
    "wv_not_a_list": {"de": "{where}: erwartet genau den Schlüssel waivers: mit einer Liste",
                      "en": "{where}: expected exactly the key waivers: holding a list"},
    "wv_not_a_mapping": {"de": "{where}: Eintrag {n}: eine Zuordnung erwartet",
                         "en": "{where}: entry {n}: expected a mapping"},
    "wv_unknown_field": {"de": "{where}: {key}: unbekanntes Feld (erlaubt: {allowed})",
                         "en": "{where}: {key}: unknown field (allowed: {allowed})"},
    "wv_not_text": {"de": "{where}: {key}: Text erwartet", "en": "{where}: {key}: expected text"},
    "wv_required": {"de": "{where}: {key}: Pflichtfeld fehlt (Eintrag {n})",
                    "en": "{where}: {key}: required field missing (entry {n})"},
    "wv_finding_or_rule": {"de": "{where}: finding: entweder finding oder rule + entity angeben",
                           "en": "{where}: finding: give either finding or rule + entity"},
    "wv_neither": {"de": "{where}: rule: finding oder rule + entity angeben (Eintrag {n})",
                   "en": "{where}: rule: give finding or rule + entity (entry {n})"},
    "wv_to_before_from": {"de": "{where}: to: liegt vor from", "en": "{where}: to: is before from"},
    "wv_id_twice": {"de": "{where}: id: {id} kommt doppelt vor", "en": "{where}: id: {id} is given twice"},
    # parameters set by contract.yaml or the auditor (engine/parameters.py)
    "pm_dated_otherwise": {"de": "{periods}; sonst {rest}", "en": "{periods}; otherwise {rest}"},
    "pm_from": {"de": "ab {date}", "en": "from {date}"},
    "pm_to": {"de": "bis {date}", "en": "to {date}"},
    "pm_authority_statute": {"de": "Gesetz", "en": "statute"},
    "pm_authority_tender": {"de": "Ausschreibung", "en": "tender"},
    "pm_authority_contract": {"de": "Vertrag", "en": "contract"},
    "pm_set_by_auditor": {"de": "Prüfer", "en": "auditor"},
    "pm_set_by_submission": {"de": "Einreichung", "en": "submission"},
    "pm_applied": {"de": "{key} = {value} (festgelegt: {law}; {authority}; gesetzt von {side}, {file}:{line})",
                   "en": "{key} = {value} (declared: {law}; {authority}; set by the {side}, {file}:{line})"},
    "pm_kind": {"de": "{kind_de}", "en": "{kind_en}"},
    "pm_like": {"de": "wie {default}", "en": "like {default}"},
    "pm_owner_not_mapping": {"de": "„{key}“: erwartet eine Zuordnung, z. B. {{{key}: {{name: Wert}}}}",
                             "en": "'{key}': expected a mapping, e.g. {{{key}: {{name: value}}}}"},
    "pm_file_not_mapping": {"de": "erwartet genau den Schlüssel parameters: mit einer Zuordnung, "
                                  "z. B. parameters: {{max_group_size: 8}}",
                            "en": "expected exactly the key parameters: holding a mapping, "
                                  "e.g. parameters: {{max_group_size: 8}}"},
    "pm_unknown": {"de": "unbekannter Parameter „{key}“ (siehe asa-check rules list)",
                   "en": "unknown parameter '{key}' (see asa-check rules list)"},
    "pm_statute": {"de": "„{key}“ ist gesetzlich festgelegt ({owners}) und kann nicht überschrieben werden",
                   "en": "'{key}' is set by statute ({owners}) and cannot be overridden"},
    "pm_wrong_kind": {"de": "„{key}“ hat nicht die erwartete Art ({expected})",
                      "en": "'{key}' is not of the expected kind ({expected})"},
    "pm_contract_not_mapping": {"de": "eine Zuordnung erwartet, z. B. parameters: {{group_hours: per_participant}}; "
                                      "wird ignoriert",
                                "en": "expected a mapping, e.g. parameters: {{group_hours: per_participant}}; ignored"},
    "pm_ignored": {"de": "{problem}; wird ignoriert", "en": "{problem}; ignored"},
    "pm_unknown_ignored": {"de": "unbekannter Parameter {key} wird ignoriert (siehe asa-check rules list)",
                           "en": "unknown parameter {key} is ignored (see asa-check rules list)"},
    "pm_fixed": {"de": "„{key}“ ist {by} festgelegt ({authority}): contract.yaml darf den Wert nicht ändern "
                       "(das darf {who}); es gilt: {law_de}",
                 "en": "'{key}' is set {by} ({authority}): contract.yaml may not change it ({who}); "
                       "in force: {law_en}"},
    "pm_by_statute": {"de": "durch das Gesetz", "en": "by the statute"},
    "pm_by_tender": {"de": "durch die Ausschreibung", "en": "by the tender"},
    "pm_who_statute": {"de": "niemand", "en": "nobody may"},
    "pm_who_tender": {"de": "nur die Parameterdatei des Prüfers", "en": "only the auditor's parameters file may"},
    "pm_wrong_kind_declared_used": {"de": "„{key}“ hat nicht die erwartete Art ({expected}); "
                                          "es gilt der festgelegte Wert",
                                    "en": "'{key}' is not of the expected kind ({expected}); "
                                          "the declared value is used"},
    "pm_minimum_share": {"de": "Mindestabnahme {share} weicht von der Ausschreibung ab (ledger.minimum_share = "
                               "{in_force}); nur die Parameterdatei des Prüfers darf sie ändern; es gilt {in_force}",
                         "en": "minimum share {share} differs from the tender (ledger.minimum_share = {in_force}); "
                               "only the auditor's parameters file may change it; {in_force} applies"},
}

assert not TEXT.keys() & TOOL_WORDS.keys(), "a word defined twice"
TEXT.update(TOOL_WORDS)

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


class Word(str):
    """A key of ``TEXT`` used as a value filled into another word: translated when the text is made."""


class Phrase:
    """A word of ``TEXT`` with the values filled into it, kept until the language is known
    (a ``Word`` or ``Phrase`` value is translated too)."""

    def __init__(self, word: str, /, **values):
        self.word, self.values = word, values

    def text(self, lang: str) -> str:
        values = {k: v.text(lang) if isinstance(v, Phrase) else t(v, lang) if isinstance(v, Word) else v
                  for k, v in self.values.items()}
        return t(self.word, lang).format(**values)


class WordsError(Exception):
    """An error whose text is a ``Phrase``: ``str(e)`` is English, ``e.text(lang)`` either language."""

    def __init__(self, word: str, /, **values):
        self.phrase = Phrase(word, **values)
        super().__init__(self.phrase.text("en"))

    def text(self, lang: str) -> str:
        return self.phrase.text(lang)

    @property
    def de(self) -> str:
        return self.text("de")

    @property
    def en(self) -> str:
        return self.text("en")


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
