"""Tests of the submission bundle reader (engine/read/bundle.py); bundles it refuses: test_read_refusals.py."""
from __future__ import annotations

import zipfile
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import openpyxl

from engine.read.bundle import read_bundle
from schemas.submission import Loc

CONTRACT = """\
contract_id: "955-0042-21"
provider_id: "T-0042"
provider_name: "Bildungswerk Beispiel gGmbH"
agency: "Agentur für Arbeit Musterstadt"
pre_phases:
  - start: 2021-03-01
    end: 2021-08-31
    places: 20
    price_per_place_month: 480.00
    staffing:
      AB: 12
      SP: 24
      LK: 24
accompanying_phase:
  start: 2021-09-01
  end: 2024-08-31
  extension:
    start: 2024-09-01
    end: 2026-08-31
  price_per_hour: 62.50
  minimum_share: 0.70
  contingents:
    - {year: 1, start: 2021-09-01, end: 2022-08-31, hours: 4000}
    - {year: 2, start: 2022-09-01, end: 2023-08-31, hours: 4000}
    - {year: 3, start: 2023-09-01, end: 2024-08-31, hours: 4000}
parameters: {max_group: 8}
"""

STAFF = """\
staff_id,role,employment,employer_id,employed_from,employed_to,fte,qualifications,youth_experience_months,equivalence_ref
M01,AB,employee,T-0042,2021-03-01,,1.0,meister|aevo,36,
M02,SP,freelance,M02,2021-03-01,2024-08-31,0.5,studium_soziale_arbeit,24,
M03,LK,employee,T-0042,2021-03-01,,0.25,lehramt,12,
"""

PARTICIPANTS = """\
participant_id,phase,from,to,training_start,training_end
TN001,VP,2021-03-15,2021-08-31,,
TN001,BP,2021-09-01,,2021-09-01,2024-08-31
TN002,BP,2021-10-01,,2021-10-01,2024-07-31
"""

REFERENCE_PERSONS = """\
participant_id,staff_id,from,to,change_reason
TN001,M01,2021-03-15,,
TN002,M01,2021-10-01,,
"""

SUSPENSIONS = """\
participant_id,from,to,reason
TN002,2022-01-10,2022-02-10,illness
"""

SERVICES = """\
service_id,date,start,minutes,element,phase,staff_id,participant_ids,mode
S0001,2021-09-06,09:00,60,AB,BP,M01,TN001,presence
S0002,2021-09-07,14:30,90,SP,BP,M02,TN001|TN002,video
S0003,2021-09-08,10:00,45,SFU,BP,M03,TN002,
"""

INVOICE = """\
contract_year: 1
billed_hours: 3120.5
carry_in_hours: 0
carry_out_hours: 350
settlement_amount: 1234.00
"""

FILES = {
    "contract.yaml": CONTRACT,
    "staff.csv": STAFF,
    "participants.csv": PARTICIPANTS,
    "reference_persons.csv": REFERENCE_PERSONS,
    "suspensions.csv": SUSPENSIONS,
    "services.csv": SERVICES,
    "invoice.yaml": INVOICE,
}


def write_bundle(root: Path, **overrides: str | bytes | None) -> Path:
    """Write the good bundle to ``root``; overrides replace (or with None remove) files."""
    root.mkdir(parents=True, exist_ok=True)
    files = {**FILES, **{k.replace("_csv", ".csv").replace("_yaml", ".yaml"): v for k, v in overrides.items()}}
    for name, content in files.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (root / name).write_bytes(data)
    return root


def errors(sub):
    return [p for p in sub.problems if p.severity == "error"]


def only(problems, **match):
    """The single problem matching all given attributes."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, problems)
    return found[0]


def assert_good_content(sub):
    assert [s.staff_id for s in sub.staff] == ["M01", "M02", "M03"]
    assert len(sub.participants) == 3
    assert len(sub.reference_persons) == 2
    assert len(sub.suspensions) == 1
    assert [s.service_id for s in sub.services] == ["S0001", "S0002", "S0003"]


# --- containers ----------------------------------------------------------------

def test_directory_bundle(tmp_path):
    sub = read_bundle(write_bundle(tmp_path / "bundle"))
    assert sub.name == "bundle"
    assert sub.problems == []
    assert_good_content(sub)
    c = sub.contract
    assert c.contract_id == "955-0042-21" and c.provider_id == "T-0042"
    assert c.pre_phases[0].index == 1
    assert c.pre_phases[0].staffing == {"AB": Decimal(12), "SP": Decimal(24), "LK": Decimal(24)}
    acc = c.accompanying_phase
    assert acc.start == date(2021, 9, 1) and acc.price_per_hour == Decimal("62.50")
    assert [(e.start, e.end) for e in acc.extensions] == [(date(2024, 9, 1), date(2026, 8, 31))]
    assert [ct.year for ct in acc.contingents] == [1, 2, 3]
    assert acc.contingents[1].loc.line == 24
    assert c.parameters == {"max_group": 8}
    m01 = sub.staff[0]
    assert m01.qualifications == ("meister", "aevo") and m01.fte == Decimal("1.0") and m01.employed_to is None
    s2 = sub.services[1]
    assert s2.participant_ids == ("TN001", "TN002") and s2.start == time(14, 30) and s2.mode == "video"
    assert s2.loc.file == "services.csv" and s2.loc.line == 3
    assert sub.services[2].mode is None and sub.services[2].attendance == "present"
    assert sub.participants[1].from_ == date(2021, 9, 1)
    assert sub.invoice.contract_year == 1 and sub.invoice.billed_hours == Decimal("3120.5")


def test_zip_bundle_at_root(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in FILES.items():
            zf.writestr(name, content)
    sub = read_bundle(path)
    assert sub.name == "bundle.zip"
    assert sub.problems == []
    assert_good_content(sub)


def test_zip_bundle_with_top_level_folder(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Abgabe 2023/", "")
        for name, content in FILES.items():
            zf.writestr(f"Abgabe 2023/{name}", content)
        zf.writestr("__MACOSX/Abgabe 2023/._staff.csv", "junk")
    sub = read_bundle(path)
    assert sub.problems == []
    assert_good_content(sub)
    assert sub.services[0].loc.file == "services.csv"


def _csv_rows(text):
    return [line.split(",") for line in text.strip().splitlines()]


def test_xlsx_bundle_with_contract_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("staff", "participants", "reference_persons", "suspensions", "services"):
        ws = wb.create_sheet(name)
        for row in _csv_rows(FILES[name + ".csv"]):
            ws.append(row)
    # typed cells, as a spreadsheet user would enter them
    ws = wb["services"]
    ws["B2"] = date(2021, 9, 6)
    ws["C2"] = time(9, 0)
    ws["D2"] = 60
    ws["G5"] = None  # S0003: empty optional mode stays None
    wb["staff"]["G3"] = 0.5
    ws = wb.create_sheet("contract")
    ws.append(["key", "value"])
    for key, value in [
        ("contract_id", "955-0042-21"), ("provider_id", "T-0042"),
        ("pre_phases.1.start", date(2021, 3, 1)), ("pre_phases.1.end", "31.08.2021"),
        ("pre_phases.1.places", 20), ("pre_phases.1.price_per_place_month", "480,00"),
        ("pre_phases.1.staffing.AB", 12), ("pre_phases.1.staffing.SP", 24), ("pre_phases.1.staffing.LK", 24),
        ("accompanying_phase.start", "2021-09-01"), ("accompanying_phase.end", date(2024, 8, 31)),
        ("accompanying_phase.extension.start", "2024-09-01"), ("accompanying_phase.extension.end", "2026-08-31"),
        ("accompanying_phase.price_per_hour", 62.5), ("accompanying_phase.minimum_share", 0.7),
        ("accompanying_phase.contingents.1.year", 1), ("accompanying_phase.contingents.1.start", "2021-09-01"),
        ("accompanying_phase.contingents.1.end", "2022-08-31"), ("accompanying_phase.contingents.1.hours", 4000),
        ("accompanying_phase.contingents.2.year", 2), ("accompanying_phase.contingents.2.start", "2022-09-01"),
        ("accompanying_phase.contingents.2.end", "2023-08-31"), ("accompanying_phase.contingents.2.hours", 4000),
    ]:
        ws.append([key, value])
    path = tmp_path / "abgabe.xlsx"
    wb.save(path)
    sub = read_bundle(path)
    assert sub.name == "abgabe.xlsx"
    assert sub.problems == []
    assert_good_content(sub)
    assert sub.services[0].date == date(2021, 9, 6) and sub.services[0].start == time(9, 0)
    assert sub.services[2].mode is None
    assert sub.staff[1].fte == Decimal("0.5")
    assert sub.services[1].loc == Loc(file="services", line=3)
    acc = sub.contract.accompanying_phase
    assert acc.price_per_hour == Decimal("62.5") and acc.minimum_share == Decimal("0.7")
    assert [c.hours for c in acc.contingents] == [Decimal(4000), Decimal(4000)]
    assert sub.contract.pre_phases[0].price_per_place_month == Decimal("480.00")
    assert len(acc.extensions) == 1
    assert sub.invoice is None


def test_xlsx_contract_sheet_bad_list_position_is_reported_and_skipped(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("staff", "participants", "reference_persons", "suspensions", "services"):
        ws = wb.create_sheet(name)
        for row in _csv_rows(FILES[name + ".csv"]):
            ws.append(row)
    ws = wb.create_sheet("contract")
    for key, value in [
        ("contract_id", "955-0042-21"), ("provider_id", "T-0042"),
        ("accompanying_phase.start", "2021-09-01"), ("accompanying_phase.end", "2024-08-31"),
        ("accompanying_phase.price_per_hour", 62.5),
        ("accompanying_phase.contingents.1.year", 1), ("accompanying_phase.contingents.1.start", "2021-09-01"),
        ("accompanying_phase.contingents.1.end", "2022-08-31"), ("accompanying_phase.contingents.1.hours", 4000),
        ("accompanying_phase.contingents.x.hours", 5),
        ("accompanying_phase.contingents.999999.hours", 5),
    ]:
        ws.append([key, value])
    path = tmp_path / "abgabe.xlsx"
    wb.save(path)
    sub = read_bundle(path)
    assert [c.hours for c in sub.contract.accompanying_phase.contingents] == [Decimal(4000)]
    bad = [(p.file, p.line) for p in sub.problems if "position" in p.en]
    assert bad == [("contract", 10), ("contract", 11)]


def test_xlsx_bundle_with_contract_yaml_beside(tmp_path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("staff", "participants", "reference_persons", "services"):
        ws = wb.create_sheet(name)
        for row in _csv_rows(FILES[name + ".csv"]):
            ws.append(row)
    ws = wb["services"]
    ws["A4"] = "S0001"  # duplicate id with other content → problem on sheet row 4
    path = tmp_path / "abgabe.xlsx"
    wb.save(path)
    (tmp_path / "contract.yaml").write_text(CONTRACT, encoding="utf-8")
    sub = read_bundle(path)
    assert sub.contract.contract_id == "955-0042-21"
    assert sub.suspensions == []
    p = only(errors(sub))
    assert (p.file, p.line, p.column, p.entity_id) == ("services", 4, "service_id", "S0001")


# --- German dialect ------------------------------------------------------------

def test_german_dialect(tmp_path):
    staff = (
        "Staff_ID; Rolle_unbekannt ;ROLE;employment;employer_id;employed_from;employed_to;fte;"
        "qualifications;youth_experience_months;equivalence_ref\r\n"
        "M01;x;AB;employee;T-0042;1.3.2021;;1,0;meister | aevo |;36;\r\n"
        "\r\n"
        "M02;x;SP;freelance;M02;01.03.2021;31.08.2024;0,5;studium_vergleichbar;24;"
        "Anerkennung für Heilpädagogik Nr. 7 (Prüfung bestanden)\r\n"
    )
    services = (
        "service_id;date;start;minutes;element;phase;staff_id;participant_ids;mode;attendance\r\n"
        "S0001;06.09.2021;9:00;60;AB;BP;M01;TN001;presence;\r\n"
        "S0002;7.9.2021;14:30;90;SP;BP;M02;TN001|TN002;;absent_announced\r\n"
    )
    # staff.csv: Windows-1252 with a UTF-8 byte order mark some exporters put in front anyway;
    # services.csv: UTF-8 with byte order mark
    root = write_bundle(tmp_path / "b", staff_csv=b"\xef\xbb\xbf" + staff.encode("cp1252"),
                        services_csv="\ufeff" + services)
    sub = read_bundle(root)
    only(sub.problems, file="staff.csv", line=1, column="rolle_unbekannt", severity="warning")
    assert errors(sub) == []
    m01, m02 = sub.staff
    assert m01.employed_from == date(2021, 3, 1) and m01.fte == Decimal("1.0")
    assert m01.qualifications == ("meister", "aevo")
    assert m02.fte == Decimal("0.5") and m02.employed_to == date(2024, 8, 31)
    assert m02.equivalence_ref == "Anerkennung für Heilpädagogik Nr. 7 (Prüfung bestanden)"
    assert m02.loc.line == 4  # physical line: the empty line 3 counts
    s1, s2 = sub.services
    assert s1.date == date(2021, 9, 6) and s1.start == time(9, 0) and s1.attendance == "present"
    assert s2.date == date(2021, 9, 7) and s2.attendance == "absent_announced" and s2.mode is None


def test_windows_1252_without_bom(tmp_path):
    reference_persons = REFERENCE_PERSONS.replace("TN002,M01,2021-10-01,,", "TN002,M01,2021-10-01,,Wunsch des Azubis – Gespräch")
    sub = read_bundle(write_bundle(tmp_path / "b", reference_persons_csv=reference_persons.encode("cp1252")))
    assert sub.problems == []
    assert sub.reference_persons[1].change_reason == "Wunsch des Azubis – Gespräch"


def test_utf8_bom_and_umlauts(tmp_path):
    suspensions = "\ufeffparticipant_id;from;to;reason\nTN002;10.01.2022;10.02.2022;Krankheit – Ärztin bestätigt\n"
    sub = read_bundle(write_bundle(tmp_path / "b", suspensions_csv=suspensions))
    assert sub.problems == []
    assert sub.suspensions[0].reason == "Krankheit – Ärztin bestätigt"


def test_excel_sep_hint_line(tmp_path):
    services = "sep=,\n" + SERVICES
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    assert sub.problems == []
    assert sub.services[0].loc.line == 3


# --- problems: exact file / line / column --------------------------------------

def test_bad_date(tmp_path):
    services = SERVICES.replace("S0002,2021-09-07", "S0002,31.02.2023")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    p = only(errors(sub))
    assert (p.file, p.line, p.column) == ("services.csv", 3, "date")
    assert p.de == 'Datum "31.02.2023" ungültig (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)'
    assert p.en == 'invalid date "31.02.2023" (expected DD.MM.YYYY or YYYY-MM-DD)'
    assert (p.entity_type, p.entity_id) == ("service", "S0002")
    assert [s.service_id for s in sub.services] == ["S0001", "S0003"]  # required value bad → row dropped


def test_bad_optional_date_keeps_row(tmp_path):
    staff = STAFF.replace("M02,SP,freelance,M02,2021-03-01,2024-08-31", "M02,SP,freelance,M02,2021-03-01,2024-13-01")
    sub = read_bundle(write_bundle(tmp_path / "b", staff_csv=staff))
    p = only(errors(sub))
    assert (p.file, p.line, p.column) == ("staff.csv", 3, "employed_to")
    assert [s.staff_id for s in sub.staff] == ["M01", "M02", "M03"]
    assert sub.staff[1].employed_to is None


def test_bad_numbers(tmp_path):
    staff = STAFF.replace(",0.5,", ",0.5.1,").replace(",0.25,", ",abc,")
    services = SERVICES.replace(",90,", ",0,").replace(",45,", ",4x5,")
    sub = read_bundle(write_bundle(tmp_path / "b", staff_csv=staff, services_csv=services))
    only(errors(sub), file="staff.csv", line=3, column="fte")
    p = only(errors(sub), file="staff.csv", line=4)
    assert p.column == "fte" and p.en == 'invalid number "abc" (expected e.g. 1.5 or 1,5)'
    p = only(errors(sub), file="services.csv", line=3)
    assert p.column == "minutes" and "out of range" in p.en and "0" in p.de
    p = only(errors(sub), file="services.csv", line=4)
    assert p.column == "minutes" and p.en.startswith('invalid whole number "4x5"')
    assert [s.staff_id for s in sub.staff] == ["M01"]
    assert [s.service_id for s in sub.services] == ["S0001"]


def test_fte_range(tmp_path):
    staff = STAFF.replace(",0.5,", ",1.5,").replace(",0.25,", ",0,")
    sub = read_bundle(write_bundle(tmp_path / "b", staff_csv=staff))
    assert {(p.line, p.column) for p in errors(sub)} == {(3, "fte"), (4, "fte")}
    assert [s.staff_id for s in sub.staff] == ["M01"]
    # dropped staff are not reported again as unknown references by services
    assert not [p for p in sub.problems if p.file == "services.csv"]


def test_unknown_code(tmp_path):
    services = SERVICES.replace(",SP,BP,", ",XY,BP,").replace("presence", "fax")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    p = only(errors(sub), column="element")
    assert (p.file, p.line) == ("services.csv", 3)
    assert p.en == 'unknown code "XY" (allowed: AB, SP, SFU)'
    p = only(errors(sub), column="mode")
    assert (p.line, p.entity_id) == (2, "S0001")
    assert [s.service_id for s in sub.services] == ["S0001", "S0003"]
    assert sub.services[0].mode is None  # bad optional → None, row kept


def test_codes_case_insensitive(tmp_path):
    services = SERVICES.replace(",AB,BP,", ",ab,bp,").replace("presence", "Presence")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    assert sub.problems == []
    assert (sub.services[0].element, sub.services[0].phase, sub.services[0].mode) == ("AB", "BP", "presence")


def test_missing_required_column(tmp_path):
    staff = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 6) for line in STAFF.splitlines())
    sub = read_bundle(write_bundle(tmp_path / "b", staff_csv=staff))
    p = only(sub.problems, file="staff.csv")
    assert (p.line, p.column, p.severity) == (1, "fte", "error")
    assert sub.staff == []
    # staff.csv is unreadable, so references into it are not reported one by one
    assert len(sub.problems) == 1
    assert len(sub.services) == 3


def test_missing_column_with_optional_values(tmp_path):
    participants = "participant_id,phase,from\nTN001,VP,2021-03-15\nTN001,BP,2021-09-01\nTN002,BP,2021-10-01\n"
    sub = read_bundle(write_bundle(tmp_path / "b", participants_csv=participants))
    p = only(sub.problems)
    assert (p.file, p.line, p.column) == ("participants.csv", 1, "to")
    assert len(sub.participants) == 3 and sub.participants[0].to is None


def test_unknown_column_is_warning(tmp_path):
    services = (SERVICES.replace("mode\n", "mode,Bemerkung\n", 1).replace("presence\n", "presence,privat\n")
                .replace("video\n", "video,\n").replace("TN002,\n", "TN002,,\n"))
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    p = only(sub.problems)
    assert (p.file, p.line, p.column, p.severity) == ("services.csv", 1, "bemerkung", "warning")
    assert "privat" not in p.de + p.en
    assert len(sub.services) == 3


def test_v1_1_columns(tmp_path):
    participants = PARTICIPANTS.replace("training_end\n", "training_end,training_completed_on,employment_start,"
                                        "extension_reason\n").replace(
        "2021-08-31,,\n", "2021-08-31,,,,,Praktikum verlängert\n").replace(
        "2024-08-31\n", "2024-08-31,2024-06-30,2024-07-01,\n").replace("2024-07-31\n", "2024-07-31,,,\n")
    services = SERVICES.replace("mode\n", "mode,attendance\n").replace("presence\n", "presence,absent_unannounced\n")
    services = services.replace("video\n", "video,\n").replace(",\nS0003", ",\nS0003").replace("TN002,\n", "TN002,,\n")
    sub = read_bundle(write_bundle(tmp_path / "b", participants_csv=participants, services_csv=services))
    assert sub.problems == []
    tn1_bp = sub.participants[1]
    assert tn1_bp.training_completed_on == date(2024, 6, 30) and tn1_bp.employment_start == date(2024, 7, 1)
    assert sub.participants[0].extension_reason == "Praktikum verlängert"
    assert [s.attendance for s in sub.services] == ["absent_unannounced", "present", "present"]


def test_duplicate_ids(tmp_path):
    staff = STAFF + "M01,AB,employee,T-0042,2021-03-01,,0.5,meister,36,\n"  # same id, other content
    staff += "M02,SP,freelance,M02,2021-03-01,2024-08-31,0.5,studium_soziale_arbeit,24,\n"  # exact copy of line 3
    participants = PARTICIPANTS + "TN002,BP,2021-11-01,,,\n"
    sub = read_bundle(write_bundle(tmp_path / "b", staff_csv=staff, participants_csv=participants))
    p = only(errors(sub), file="staff.csv")
    assert (p.line, p.column, p.entity_type, p.entity_id) == (5, "staff_id", "staff", "M01")
    assert "line 2" in p.en
    w = only(sub.problems, file="staff.csv", severity="warning")
    assert w.line == 6 and w.entity_id == "M02"
    assert [s.staff_id for s in sub.staff] == ["M01", "M02", "M03", "M01"]  # conflicting duplicate kept
    p = only(errors(sub), file="participants.csv")
    assert (p.line, p.entity_type, p.entity_id) == (5, "participant", "TN002")
    assert len(sub.participants) == 4


def test_duplicate_service_id(tmp_path):
    services = SERVICES + "S0002,2021-09-09,10:00,45,SFU,BP,M03,TN002,\n"
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    p = only(errors(sub))
    assert (p.file, p.line, p.column, p.entity_type, p.entity_id) == ("services.csv", 5, "service_id",
                                                                       "service", "S0002")


def test_unknown_staff_reference(tmp_path):
    services = SERVICES.replace(",M02,", ",M99,")
    reference_persons = REFERENCE_PERSONS.replace("TN002,M01", "TN002,M77")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services, reference_persons_csv=reference_persons))
    p = only(errors(sub), file="services.csv")
    assert (p.line, p.column, p.entity_type, p.entity_id) == (3, "staff_id", "service", "S0002")
    assert p.de == 'staff_id "M99" nicht in staff.csv'
    p = only(errors(sub), file="reference_persons.csv")
    assert (p.line, p.column, p.entity_type, p.entity_id) == (3, "staff_id", "participant", "TN002")
    assert len(sub.services) == 3 and len(sub.reference_persons) == 2  # records are kept


def test_unknown_participant_reference(tmp_path):
    services = SERVICES.replace("TN001|TN002", "TN001|TN999")
    suspensions = SUSPENSIONS.replace("TN002", "TN404")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services, suspensions_csv=suspensions))
    p = only(errors(sub), file="services.csv")
    assert (p.line, p.column, p.entity_type, p.entity_id) == (3, "participant_ids", "service", "S0002")
    assert "TN999" in p.en
    p = only(errors(sub), file="suspensions.csv")
    assert (p.line, p.column, p.entity_id) == (2, "participant_id", "TN404")


def test_wrong_encoding_utf16(tmp_path):
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=SERVICES.encode("utf-16")))
    p = only(errors(sub))
    assert (p.file, p.line, p.column) == ("services.csv", 1, "")
    assert "UTF-16" in p.en and "UTF-8" in p.de
    assert len(sub.services) == 3  # what can be read is read


def test_wrong_encoding_nul_and_undefined_bytes(tmp_path):
    services = SERVICES.encode("ascii").replace(b"S0002,", b"S00\x0002,").replace(b"S0003,", b"S0\x8103,")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    enc = [p for p in errors(sub) if "encoding" in p.en]
    assert [(p.file, p.line) for p in enc] == [("services.csv", 3), ("services.csv", 4)]
    assert [s.service_id for s in sub.services] == ["S0001", "S00\ufffd02", "S0\ufffd03"]


def test_period_end_before_start(tmp_path):
    participants = PARTICIPANTS.replace("2021-03-15,2021-08-31", "2021-03-15,2021-02-28")
    staff = STAFF.replace("2021-03-01,2024-08-31", "2021-03-01,2020-08-31")
    suspensions = SUSPENSIONS.replace("2022-02-10", "2022-01-09")
    contract = CONTRACT.replace("end: 2026-08-31", "end: 2024-08-31")
    sub = read_bundle(write_bundle(tmp_path / "b", participants_csv=participants, staff_csv=staff,
                                   suspensions_csv=suspensions, contract_yaml=contract))
    p = only(errors(sub), file="participants.csv")
    assert (p.line, p.column, p.entity_type, p.entity_id) == (2, "to", "participant", "TN001")
    assert p.de == "Ende 28.02.2021 liegt vor Beginn 15.03.2021"
    p = only(errors(sub), file="staff.csv")
    assert (p.line, p.column, p.entity_id) == (3, "employed_to", "M02")
    only(errors(sub), file="suspensions.csv", line=2, column="to")
    p = only(errors(sub), file="contract.yaml")
    assert (p.line, p.column, p.entity_type, p.entity_id) == (17, "accompanying_phase.extension.end", "contract",
                                                             "955-0042-21")
    assert len(sub.participants) == 3 and len(sub.staff) == 3


def test_row_with_wrong_cell_count(tmp_path):
    services = SERVICES.replace("S0001,2021-09-06,09:00,60,AB,BP,M01,TN001,presence",
                                "S0001,2021-09-06,09:00,60,AB,BP,M01,TN001,presence,extra")
    services = services.replace("S0003,2021-09-08,10:00,45,SFU,BP,M03,TN002,", "S0003,2021-09-08,10:00,45,SFU,BP,M03")
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=services))
    too_many = only(errors(sub), line=2)
    assert too_many.entity_id == "S0001" and "10" in too_many.en
    # a short row lacking required cells: one problem naming them, the row is not read
    short = only(errors(sub), line=4)
    assert short.column == "" and "participant_ids" in short.en and "not read" in short.en
    assert [s.service_id for s in sub.services] == ["S0002"]


def test_missing_required_and_optional_files(tmp_path):
    sub = read_bundle(write_bundle(tmp_path / "b", services_csv=None, suspensions_csv=None, invoice_yaml=None))
    p = only(sub.problems)
    assert (p.file, p.line, p.severity) == ("services.csv", 0, "error")
    assert sub.services == [] and sub.suspensions == [] and sub.invoice is None


def test_contract_value_problems(tmp_path):
    contract = (CONTRACT.replace("places: 20", "places: zwanzig")
                .replace("price_per_hour: 62.50", 'price_per_hour: "62,50"')
                .replace("hours: 4000}\n    - {year: 3", "hours: viel}\n    - {year: 3")
                .replace("parameters:", "parameter:"))
    sub = read_bundle(write_bundle(tmp_path / "b", contract_yaml=contract))
    p = only(errors(sub), column="pre_phases[1].places")
    assert (p.file, p.line) == ("contract.yaml", 8)
    p = only(errors(sub), column="accompanying_phase.contingents[2].hours")
    assert p.line == 24
    w = only(sub.problems, severity="warning")
    assert (w.line, w.column) == (26, "parameter")
    acc = sub.contract.accompanying_phase
    assert acc.price_per_hour == Decimal("62.50")
    assert [c.year for c in acc.contingents] == [1, 3]
    assert sub.contract.pre_phases == []


def test_contract_extension_list_and_german_values(tmp_path):
    contract = CONTRACT.replace(
        "  extension:\n    start: 2024-09-01\n    end: 2026-08-31\n",
        '  extension:\n    - {start: "01.09.2024", end: "31.08.2025"}\n    - {start: 2025-09-01, end: 2026-08-31}\n')
    sub = read_bundle(write_bundle(tmp_path / "b", contract_yaml=contract))
    assert sub.problems == []
    assert [e.start for e in sub.contract.accompanying_phase.extensions] == [date(2024, 9, 1), date(2025, 9, 1)]


def test_invoice_problems(tmp_path):
    sub = read_bundle(write_bundle(tmp_path / "b", invoice_yaml="contract_year: 1\nbilled_hours: -3\n"))
    p = only(sub.problems)
    assert (p.file, p.line, p.column) == ("invoice.yaml", 2, "billed_hours")
    assert sub.invoice.contract_year == 1 and sub.invoice.billed_hours is None
    sub = read_bundle(write_bundle(tmp_path / "c", invoice_yaml="a: &a [1]\nb: !!python/object:os.system x\n"))
    p = only(sub.problems)
    assert (p.file, p.line) == ("invoice.yaml", 2) and sub.invoice is None
