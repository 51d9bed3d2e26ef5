"""``asa-check template FILE.xlsx``: an empty workbook to the data contract, for providers.

One sheet per table (``staff``, ``participants``, ``reference_persons``,
``suspensions``, ``services``) with the header row of the data contract, a list
to choose from in every code column, date and time formats; the sheet
``contract`` with its keys in column A (values go into column B; rows starting
with ``#`` are optional and read only once the ``#`` is removed); and the sheet
``Anleitung`` with the instructions in German (asa-check ignores it). The
columns come from the reader's own table specs (``engine/read/bundle.py``), so
the template cannot drift from what is read.
"""
from __future__ import annotations

import io

from engine.read import bundle as reader
from engine.read.values import parse_date, parse_list, parse_time
from engine.report.words import code_label
from schemas.submission import ATTENDANCES, ELEMENTS, EMPLOYMENTS, MODES, PHASES, ROLES

INSTRUCTIONS_SHEET = "Anleitung"
CODES = {"role": ROLES, "employment": EMPLOYMENTS, "phase": PHASES, "element": ELEMENTS, "mode": MODES,
         "attendance": ATTENDANCES}
ROWS = 5000  # rows prepared with lists and formats (more rows may be added)
DATE_FORMAT = "DD.MM.YYYY"
TIME_FORMAT = "HH:MM"

# (key, required, example, explanation); "#" before a key: optional, remove it to use the row
CONTRACT_KEYS = [
    ("contract_id", True, "955-0042-21", "Maßnahmenummer"),
    ("provider_id", True, "T-0042", "Kennung des Maßnahmeträgers"),
    ("provider_name", False, "Bildungswerk Beispiel gGmbH", "Name des Trägers"),
    ("agency", False, "Agentur für Arbeit Musterstadt", "Agentur für Arbeit"),
    ("#pre_phases.1.start", False, "01.03.2021", "Vorphase 1: Beginn"),
    ("#pre_phases.1.end", False, "31.08.2021", "Vorphase 1: Ende"),
    ("#pre_phases.1.places", False, "20", "Vorphase 1: eingekaufte Plätze"),
    ("#pre_phases.1.price_per_place_month", False, "480,00", "Vorphase 1: Preis je Platz und Monat (EUR)"),
    ("#pre_phases.1.staffing.AB", False, "12", "Vorphase 1: Personalschlüssel Ausbildungsbegleitung"),
    ("#pre_phases.1.staffing.SP", False, "24", "Vorphase 1: Personalschlüssel Sozialpädagogik"),
    ("#pre_phases.1.staffing.LK", False, "24", "Vorphase 1: Personalschlüssel Lehrkräfte"),
    ("accompanying_phase.start", True, "01.09.2021", "begleitende Phase: Beginn"),
    ("accompanying_phase.end", True, "31.08.2024", "begleitende Phase: Ende (drei Jahre)"),
    ("#accompanying_phase.extension.start", False, "01.09.2024", "Verlängerung: Beginn"),
    ("#accompanying_phase.extension.end", False, "31.08.2026", "Verlängerung: Ende (höchstens zwei Jahre)"),
    ("accompanying_phase.price_per_hour", True, "62,50", "Preis je Stunde des Kontingents (EUR)"),
    ("#accompanying_phase.minimum_share", False, "0,70", "Mindestabnahme (falls angegeben: 0,70)"),
] + [
    row for year in (1, 2, 3) for row in (
        (f"accompanying_phase.contingents.{year}.year", True, str(year), f"Vertragsjahr {year}: Nummer"),
        (f"accompanying_phase.contingents.{year}.start", True, "", f"Vertragsjahr {year}: Beginn"),
        (f"accompanying_phase.contingents.{year}.end", True, "", f"Vertragsjahr {year}: Ende"),
        (f"accompanying_phase.contingents.{year}.hours", True, "4000", f"Vertragsjahr {year}: Stundenkontingent"),
    )
] + [
    ("#parameters.group_hours", False, "per_service", "Vertragsparameter: per_service oder per_participant"),
]


def _kind(col) -> str:
    if col.name in CODES:
        return "Code: " + ", ".join(f"{c} ({code_label(col.name, c, 'de')})" for c in CODES[col.name])
    if col.parse is parse_date:
        return "Datum (TT.MM.JJJJ)"
    if col.parse is parse_time:
        return "Uhrzeit (HH:MM)"
    if col.parse is parse_list:
        return "Liste, getrennt durch | (z. B. TN-001|TN-002)"
    if col.name in ("minutes", "youth_experience_months"):
        return "ganze Zahl"
    if col.name == "fte":
        return "Zahl (Stellenanteil, z. B. 0,5)"
    return "Text"


INTRO = [
    "Vorlage für eine Einreichung AsA flex (§§ 74–75a SGB III), geprüft mit asa-check.",
    "",
    "So füllen Sie die Mappe aus:",
    "1. Blatt „contract“: in Spalte B die Werte zu den Schlüsseln in Spalte A. Zeilen mit # am Anfang sind "
    "optional; entfernen Sie das #, wenn Sie den Wert angeben (z. B. für eine Vorphase oder die Verlängerung).",
    "2. Je Datensatz eine Zeile in den Blättern staff, participants, reference_persons, suspensions und services. "
    "Die erste Zeile (Spaltennamen) nicht ändern.",
    "3. Code-Spalten: Wert aus der Liste wählen. Datum als Datum (TT.MM.JJJJ), Uhrzeit als HH:MM, "
    "Dezimalzahlen mit Komma.",
    "4. Eine Rechnung (optional) als Blatt „invoice“ (Schlüssel in Spalte A, Werte in Spalte B: contract_year, "
    "billed_hours, carry_in_hours, carry_out_hours, settlement_amount) oder als invoice.yaml neben der Mappe.",
    "5. Prüfen: asa-check check MAPPE.xlsx",
    "",
    "Dieses Blatt wird beim Prüfen nicht gelesen. Datenvertrag: docs/submission-format.md.",
    "",
    "Spalten der Tabellenblätter:",
]


def template_workbook():
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET
    lines = [[line] for line in INTRO]
    for spec in reader._SPECS:
        for col in spec.cols:
            need = "Pflicht" if col.value_required else "optional"
            lines.append([spec.sheet, col.name, need, _kind(col)])
    for i, row in enumerate(lines, 1):
        for j, value in enumerate(row, 1):
            guide.cell(row=i, column=j, value=value)
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 26
    guide.column_dimensions["D"].width = 90

    contract = wb.create_sheet("contract")
    for j, head in enumerate(("key", "value", "Beispiel", "Erläuterung"), 1):
        contract.cell(row=1, column=j, value=head).font = Font(bold=True)
    for i, (key, _required, example, text) in enumerate(CONTRACT_KEYS, 2):
        contract.cell(row=i, column=1, value=key)
        contract.cell(row=i, column=3, value=example).data_type = "s"
        contract.cell(row=i, column=4, value=text)
    for letter, width in (("A", 44), ("B", 20), ("C", 28), ("D", 60)):
        contract.column_dimensions[letter].width = width
    contract.freeze_panes = "A2"

    for spec in reader._SPECS:
        ws = wb.create_sheet(spec.sheet)
        for j, col in enumerate(spec.cols, 1):
            cell = ws.cell(row=1, column=j, value=col.name)
            cell.font = Font(bold=True)
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(12, len(col.name) + 2)
            area = f"{letter}2:{letter}{ROWS + 1}"
            if col.name in CODES:
                dv = DataValidation(type="list", formula1='"' + ",".join(CODES[col.name]) + '"',
                                    allow_blank=True, showErrorMessage=True, errorTitle="Ungültiger Code",
                                    error="Bitte einen Wert aus der Liste wählen.")
                ws.add_data_validation(dv)
                dv.add(area)
            elif col.parse in (parse_date, parse_time):
                is_date = col.parse is parse_date
                dv = DataValidation(type="date" if is_date else "time", operator="greaterThanOrEqual",
                                    formula1="1" if is_date else "0", allow_blank=True, showErrorMessage=True,
                                    errorTitle="Ungültiger Wert",
                                    error="Bitte ein Datum (TT.MM.JJJJ) eingeben." if is_date
                                    else "Bitte eine Uhrzeit (HH:MM) eingeben.")
                ws.add_data_validation(dv)
                dv.add(area)
                ws.column_dimensions[letter].number_format = DATE_FORMAT if is_date else TIME_FORMAT
        ws.freeze_panes = "A2"
    wb.active = 0
    return wb


def render_template() -> bytes:
    return _save(template_workbook())


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- filled with a folder bundle's data (the sample fixtures/compliant.xlsx, tests) --------------

def _flat(node, prefix: str = "") -> dict[str, object]:
    """contract.yaml as the sheet's dotted keys: lists numbered from 1."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = ((str(i), v) for i, v in enumerate(node, 1))
    else:
        return {prefix: node}
    out: dict[str, object] = {}
    for key, value in items:
        out.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _typed(col, text: str):
    """A cell as a provider types it in Excel: dates and times typed, whole numbers as numbers."""
    from datetime import date, time

    if text == "":
        return None
    try:
        if col.parse is parse_date:
            return date.fromisoformat(text)
        if col.parse is parse_time:
            return time.fromisoformat(text if len(text) > 4 else "0" + text)
    except ValueError:
        return text  # as written: the reader reports it
    if col.name in ("minutes", "youth_experience_months") and text.isdigit():
        return int(text)
    return text


def filled_template(bundle) -> bytes:
    """The template filled with a folder bundle's data (ISO dates, ',' CSV): contract and invoice as sheets."""
    import csv
    from pathlib import Path

    import yaml

    bundle = Path(bundle)
    wb = template_workbook()
    contract = wb["contract"]
    keys = {str(contract.cell(row=r, column=1).value).lstrip("#"): r for r in range(2, contract.max_row + 1)}
    data = yaml.safe_load((bundle / "contract.yaml").read_text(encoding="utf-8"))
    for key, value in _flat({k: v for k, v in data.items() if v not in ({}, [], None)}).items():
        row = keys.get(key)
        if row is None:
            row = contract.max_row + 1
        contract.cell(row=row, column=1, value=key)
        contract.cell(row=row, column=2, value=value)
    if (bundle / "invoice.yaml").exists():
        invoice = wb.create_sheet("invoice")
        for i, (key, value) in enumerate(_flat(yaml.safe_load((bundle / "invoice.yaml").read_text())).items(), 1):
            invoice.cell(row=i, column=1, value=key)
            invoice.cell(row=i, column=2, value=value)
    for spec in reader._SPECS:
        path = bundle / spec.file
        if not path.exists():
            continue
        ws = wb[spec.sheet]
        cols = {c.name: c for c in spec.cols}
        heads = [c.value for c in ws[1]]
        with open(path, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), 2):
                for j, name in enumerate(heads, 1):
                    value = _typed(cols[name], (row.get(name) or "").strip())
                    if value is not None:
                        ws.cell(row=i, column=j, value=value)
    return _save(wb)
