"""Limits an auditor can rely on (issue 9), end to end on edited copies of the fixture bundles.

Each test edits one thing in a copy of a fixture and checks the finding the
law asks for; each fails on the code before issue 9.
"""
import shutil
from pathlib import Path

import pytest

from engine.check import check_bundle
from engine.rules import load_rules

FIX = Path(__file__).resolve().parent.parent / "fixtures"
RULES = load_rules()


@pytest.fixture
def copy(tmp_path):
    def make(name: str) -> Path:
        d = tmp_path / name
        shutil.copytree(FIX / name, d)
        return d
    return make


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, *lines: str) -> int:
    """Append rows; the line number of the first one."""
    text = path.read_text(encoding="utf-8")
    first = len(text.splitlines()) + 1
    path.write_text(text + "".join(line + "\n" for line in lines), encoding="utf-8")
    return first


def found(bundle: Path, rule: str) -> list:
    return [f for f in check_bundle(bundle, RULES).findings if f.rule == rule]


# --- 1. calendar -------------------------------------------------------------------------------------

def test_suspension_31_march_to_30_september_is_six_months(copy):
    d = copy("compliant")
    append(d / "suspensions.csv", "TN-020,2023-03-31,2023-09-30,parental_leave")
    assert found(d, "ASA-SUSPENSION-LENGTH") == []


def test_follow_up_care_six_months_from_30_august_end_29_february(copy):
    d = copy("compliant")
    edit(d / "participants.csv", "TN-003,BP,2021-09-01,2023-12-31,2021-09-01,2023-08-31,2023-06-28,2023-07-01",
         "TN-003,BP,2021-09-01,2024-03-31,2021-09-01,2023-08-31,2023-06-28,2023-08-30")
    edit(d / "reference_persons.csv", "TN-003,A01,2021-03-15,2023-12-31,", "TN-003,A01,2021-03-15,2024-03-31,")
    append(d / "services.csv", "LN-09001,2024-02-29,18:00,60,AB,BP,A01,TN-003,company",
           "LN-09002,2024-03-01,18:00,60,AB,BP,A01,TN-003,company")
    assert [f.entity.id for f in found(d, "ASA-AFTERCARE-LIMIT")] == ["LN-09002"]


# --- 2. conditions over the right period and phase ------------------------------------------------------

def test_two_adjoining_six_month_suspensions_are_one_of_twelve_months(copy):
    d = copy("compliant")
    line = append(d / "suspensions.csv", "TN-020,2023-01-02,2023-07-01,parental_leave",
                  "TN-020,2023-07-02,2024-01-01,parental_leave")
    [f] = found(d, "ASA-SUSPENSION-LENGTH")
    assert (f.location.line, f.entity.id) == (line, "TN-020")
    assert f"suspensions.csv:{line}, suspensions.csv:{line + 1}" in f.message["en"]


def test_reference_person_who_left_leaves_the_participant_uncovered(copy):
    d = copy("compliant")
    edit(d / "reference_persons.csv", "TN-011,A02,2021-03-29,2023-06-30,", "TN-011,A02,2021-03-29,2023-09-30,")
    edit(d / "reference_persons.csv", "TN-011,A06,2023-07-01,,staff_left", "TN-011,A06,2023-10-01,,staff_left")
    [f] = found(d, "ASA-REFPERSON-MISSING")
    assert (f.entity.id, f.location.line) == ("TN-011", 23) and "92 day" in f.message["en"]


def test_reference_person_is_checked_in_the_vorphase(copy):
    d = copy("compliant")
    edit(d / "reference_persons.csv", "TN-001,A01,2021-03-01,,", "TN-001,A01,2021-09-01,,")
    [f] = found(d, "ASA-REFPERSON-MISSING")
    assert (f.entity.id, f.location.line) == ("TN-001", 2) and "184 day" in f.message["en"]


def test_group_size_is_not_a_vorphase_limit(copy):
    d = copy("compliant")
    group = "|".join(f"TN-{n:03d}" for n in range(1, 11))
    append(d / "services.csv", f"LN-09001,2021-05-12,19:00,90,SFU,VP,L01,{group},presence")
    assert found(d, "ASA-GROUP-SIZE") == []


def test_contingent_is_drawn_only_by_billable_hours(copy):
    d = copy("violating")  # year 1: 459.5 h documented, of which 1 h cancelled and 4.5 h dropped: 454 h billable
    edit(d / "contract.yaml", "end: 2022-08-31, hours: 400}", "end: 2022-08-31, hours: 455}")
    assert found(d, "ASA-CONTINGENT-EXCEEDED") == []
    edit(d / "contract.yaml", "end: 2022-08-31, hours: 455}", "end: 2022-08-31, hours: 453.5}")
    assert [f.entity.id for f in found(d, "ASA-CONTINGENT-EXCEEDED")] == ["1"]


def test_vorphase_and_accompanying_phase_on_the_same_days(copy):
    d = copy("compliant")
    edit(d / "participants.csv", "TN-001,VP,2021-03-01,2021-08-31,,,,", "TN-001,VP,2021-03-01,2021-09-15,,,,")
    [f] = found(d, "ASA-PHASE-OVERLAP")
    assert (f.entity.id, f.location.line) == ("TN-001", 2) and "15 day(s)" in f.message["en"]


def test_vorphase_continued_after_the_training_began(copy):
    d = copy("compliant")
    edit(d / "participants.csv", "TN-001,VP,2021-03-01,2021-08-31,,,,", "TN-001,VP,2021-03-01,2021-10-31,,,,")
    edit(d / "participants.csv", "TN-001,BP,2021-09-01,,2021-09-01,2024-08-31,,",
         "TN-001,BP,2021-11-01,,2021-08-31,2024-08-31,,")
    [f] = found(d, "ASA-PREPHASE-PLACEMENT")
    assert f.entity.id == "TN-001" and "2021-08-31, in month 6" in f.message["en"]


def test_remedial_tuition_by_video_is_a_warning(copy):
    d = copy("compliant")
    edit(d / "services.csv", "LN-00006,2021-03-05,08:00,90,SFU,VP,L02,TN-002|TN-006|TN-012|TN-014,presence",
         "LN-00006,2021-03-05,08:00,90,SFU,VP,L02,TN-002|TN-006|TN-012|TN-014,video")
    assert [(f.entity.id, f.severity) for f in found(d, "ASA-SFU-REMOTE")] == [("LN-00006", "warning")]


def test_a_cancelled_session_is_information_and_left_out_of_billing():
    r = check_bundle(FIX / "violating", RULES)
    assert {f.severity for f in r.findings if f.rule == "ASA-ABSENCE-BILLING"} == {"info"}
    assert "LN-00415" in r.ledger.year(1).not_delivered_services


# --- 3. who may set a limit ---------------------------------------------------------------------------------

def test_contract_yaml_cannot_raise_the_group_limit(copy):
    d = copy("violating")
    edit(d / "contract.yaml", "parameters: {}", "parameters:\n  max_group_size: 10")
    findings = check_bundle(d, RULES).findings
    assert [f.entity.id for f in findings if f.rule == "ASA-GROUP-SIZE"] == ["LN-00352"]
    [f] = [f for f in findings if f.rule == "ASA-INPUT" and f.location.file == "contract.yaml"]
    line = next(n for n, text in enumerate((d / "contract.yaml").read_text().splitlines(), 1) if "max_group" in text)
    assert (f.severity, f.location.line, f.location.column) == ("error", line, "parameters.max_group_size")
