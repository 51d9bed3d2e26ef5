"""Labels of the fact fields (schemas/facts.py), German and English: what the reports show in a finding's
evidence instead of the field's name ("Beginn der Kohorte = 01.08.2024", not "cohort_start = 2024-08-01").

One label per field name; a name used by several fact types means the same there. JSON keeps the field
names (tools read them); text, HTML and the other reports for people show these labels.
``tests/test_fact_labels.py``: every field of every fact type, so every field a rule reads, has both.
"""
from __future__ import annotations

# field -> (German, English)
FIELD_LABELS: dict[str, tuple[str, str]] = {
    # service
    "service_id": ("Leistung", "service"),
    "date": ("Datum", "date"),
    "start": ("Beginn", "start"),
    "end": ("Ende", "end"),
    "minutes": ("Minuten", "minutes"),
    "hours": ("Stunden", "hours"),
    "element": ("Leistungsart", "element"),
    "phase": ("Phase", "phase"),
    "staff_id": ("Personal", "staff member"),
    "staff_role": ("Funktion des Personals", "staff role"),
    "participant_ids": ("Teilnehmende", "participants"),
    "participant_count": ("Zahl der Teilnehmenden", "number of participants"),
    "attendance": ("Teilnahme", "attendance"),
    "billable_attendance": ("Teilnahme abrechenbar", "attendance billable"),
    "mode": ("Form", "mode"),
    "cohort_start": ("Beginn der begleitenden Phase (Kohorte)", "start of the accompanying phase (cohort)"),
    "suspended_participant": ("unterbrochen: Teilnehmende/r", "suspended participant"),
    "outside_participant_phase": ("außerhalb der Phase der/des Teilnehmenden",
                                  "outside the participant's phase"),
    "period_participant": ("Teilnehmende/r (Zeitraum)", "participant (period)"),
    "outside_contract_phase": ("außerhalb der Vertragsphase", "outside the contract's phase"),
    "outside_employment": ("außerhalb der Beschäftigung des Personals", "outside the staff member's employment"),
    "staff_overlap_with": ("zeitgleiche Leistung desselben Personals", "overlapping service of the same staff"),
    "participant_overlap_with": ("zeitgleiche Leistung derselben Teilnehmenden",
                                 "overlapping service of the same participant"),
    "overlap_participant": ("doppelt gebuchte/r Teilnehmende/r", "participant booked twice"),
    "aftercare_participant": ("Teilnehmende/r in der Nachbetreuung", "participant in follow-up care"),
    "employment_limit": ("Nachbetreuung nach Beschäftigungsbeginn bis", "follow-up care after employment until"),
    "training_limit": ("Nachbetreuung nach Ausbildungsende bis", "follow-up care after training until"),
    # staff
    "role": ("Funktion", "role"),
    "employment": ("Beschäftigungsart", "employment"),
    "employer_id": ("Arbeitgeber", "employer"),
    "employer_is_provider": ("beim Träger beschäftigt", "employed by the provider"),
    "has_trade_qualification": ("Berufsabschluss (Fachkraft)", "trade qualification"),
    "has_aevo": ("Ausbildereignung (AEVO)", "trainer aptitude (AEVO)"),
    "youth_experience_months": ("Berufserfahrung mit jungen Menschen (Monate)",
                                "experience with young people (months)"),
    "has_social_degree": ("Abschluss Sozialpädagogik/Soziale Arbeit", "degree in social pedagogy/social work"),
    "has_comparable_degree": ("vergleichbarer Abschluss", "comparable degree"),
    "has_equivalence_ref": ("Nachweis der Gleichwertigkeit", "proof of equivalence"),
    "qualifications": ("Qualifikationen", "qualifications"),
    "employed_from": ("beschäftigt ab", "employed from"),
    "employed_to": ("beschäftigt bis", "employed to"),
    # participant, suspension, reference person
    "participant_id": ("Teilnehmende/r", "participant"),
    "from_date": ("von", "from"),
    "to_date": ("bis", "to"),
    "days_without_refperson": ("Tage ohne Bezugsperson", "days without a reference person"),
    "first_day_without_refperson": ("erster Tag ohne Bezugsperson", "first day without a reference person"),
    "refperson_not_employed": ("Bezugsperson nicht beschäftigt", "reference person not employed"),
    "phase_months": ("Monate der Phase", "months of the phase"),
    "has_extension_reason": ("Verlängerungsgrund angegeben", "extension reason given"),
    "placement_date": ("Beginn der Ausbildung oder begleitenden Phase", "start of training or accompanying phase"),
    "months_to_placement": ("Monate bis zum Übergang", "months to placement"),
    "other_phase_overlap_days": ("Tage zugleich in der begleitenden Phase", "days also in the accompanying phase"),
    "other_phase_overlap_from": ("zugleich in der begleitenden Phase ab", "also in the accompanying phase from"),
    "other_phase_line": ("Zeile der begleitenden Phase", "line of the accompanying phase"),
    "reason": ("Grund", "reason"),
    "suspension_from": ("Unterbrechung ab", "suspension from"),
    "suspension_to": ("Unterbrechung bis", "suspension to"),
    "length_months": ("Dauer der Unterbrechung (Monate)", "length of the suspension (months)"),
    "first_of_suspension": ("erste Zeile der Unterbrechung", "first row of the suspension"),
    "suspension_rows": ("Zeilen der Unterbrechung", "rows of the suspension"),
    "is_change": ("Wechsel der Bezugsperson", "change of reference person"),
    "previous_staff_id": ("bisherige Bezugsperson", "previous reference person"),
    "change_reason": ("Grund des Wechsels", "reason for the change"),
    # contract
    "contract_id": ("Vertrag", "contract"),
    "bp_start": ("Beginn der begleitenden Phase", "start of the accompanying phase"),
    "bp_end": ("Ende der begleitenden Phase", "end of the accompanying phase"),
    "bp_months": ("Monate der begleitenden Phase", "months of the accompanying phase"),
    "extension_count": ("Zahl der Verlängerungen", "number of extensions"),
    "extension_months": ("Monate der Verlängerung", "months of extension"),
    "extension_follows_phase": ("Verlängerung schließt an", "extension follows the phase"),
    "prephase_count": ("Zahl der Vorphasen", "number of pre-phases"),
    "prephases_before_bp": ("Vorphasen vor der begleitenden Phase", "pre-phases before the accompanying phase"),
    "contingents_tile_term": ("Kontingente decken die Laufzeit lückenlos", "contingents cover the term"),
    "contingent_gap": ("Lücke zwischen Kontingenten", "gap between contingents"),
    # contract year
    "year": ("Vertragsjahr", "contract year"),
    "contingent_hours": ("Stundenkontingent", "contingent hours"),
    "carry_in_hours": ("Übertrag aus dem Vorjahr (h)", "carry-in hours"),
    "available_hours": ("verfügbare Stunden", "available hours"),
    "documented_hours": ("dokumentierte Stunden", "documented hours"),
    "not_delivered_hours": ("nicht erbrachte Stunden", "hours not delivered"),
    "dropped_hours": ("nicht abrechenbare Stunden", "unbillable hours"),
    "billable_hours": ("abrechenbare Stunden", "billable hours"),
    "minimum_hours": ("Mindestabnahme (h)", "minimum purchase (hours)"),
    "allowed_carry_out": ("zulässiger Übertrag (h)", "allowed carry-out (hours)"),
    "settlement_amount": ("Ausgleichszahlung (EUR)", "settlement (EUR)"),
    "has_claim": ("Rechnung für das Jahr", "invoice for the year"),
    "claimed_billed_hours": ("abgerechnete Stunden laut Rechnung", "hours billed in the invoice"),
    "claimed_carry_in": ("Übertrag herein laut Rechnung", "carry-in claimed"),
    "claimed_carry_out": ("Übertrag hinaus laut Rechnung", "carry-out claimed"),
    "claimed_settlement": ("Ausgleichszahlung laut Rechnung", "settlement claimed"),
    "billed_hours_diff": ("Abweichung der abgerechneten Stunden", "difference in billed hours"),
    "settlement_diff": ("Abweichung der Ausgleichszahlung", "difference in settlement"),
    "allowed_carry_in": ("zulässiger Übertrag herein (h)", "allowed carry-in (hours)"),
    "carry_out_excess": ("Übertrag hinaus über dem zulässigen (h)", "carry-out above the allowed (hours)"),
    "carry_in_excess": ("Übertrag herein über dem zulässigen (h)", "carry-in above the allowed (hours)"),
    "payable_hours": ("bezahlbare Stunden", "payable hours"),
    "claim_file": ("Datei der Rechnung", "invoice file"),
    "claim_line": ("Zeile der Rechnung", "invoice line"),
    # pre-phase
    "index": ("Vorphase Nr.", "pre-phase no."),
    "places": ("Plätze", "places"),
    "peak_occupancy": ("höchste Belegung", "peak occupancy"),
    "peak_date": ("Tag der höchsten Belegung", "day of peak occupancy"),
    "month": ("Monat", "month"),
    "participants": ("Teilnehmende im Monat", "participants in the month"),
    "fte": ("Stellen (Vollzeit)", "posts (full-time)"),
    "ratio": ("Betreuungsschlüssel", "staffing ratio"),
    "max_participants": ("höchstens Teilnehmende", "at most participants"),
}

# fields holding a code of the data contract: shown with its label (engine/report/words.py CODES)
CODE_FIELDS: dict[str, str] = {"staff_role": "role", "role": "role", "employment": "employment", "phase": "phase",
                               "element": "element", "mode": "mode", "attendance": "attendance"}


def field_label(name: str, lang: str) -> str:
    """The field's label in ``lang``; the name itself for a field without one."""
    pair = FIELD_LABELS.get(name)
    return name if pair is None else pair[0 if lang == "de" else 1]
