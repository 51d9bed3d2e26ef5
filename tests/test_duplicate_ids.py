"""Two rows with one id are an input error, and both rows are still checked (their findings never collapse)."""
from engine.check import check_bundle
from engine.rules import load_rules
from tests.bundles import FIX, copy_fixture, input_problems

RULES = load_rules()
ORIGINAL = check_bundle(FIX / "violating", RULES)


def _append(path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _ids(result) -> dict[str, tuple]:
    return {f.id: (f.rule, f.location.file, f.location.line) for f in result.findings}


def test_second_service_with_the_same_id_is_checked_too(tmp_path):
    d = copy_fixture(tmp_path, "violating")
    # another oversized group, on another day, under the id of the planted one (line 353)
    _append(d / "services.csv", "LN-00352,2022-03-22,08:00,90,SP,BP,S01,"
            "TN-001|TN-002|TN-003|TN-004|TN-005|TN-006|TN-007|TN-008|TN-009,presence,present")
    result = check_bundle(d, RULES)
    group = [f for f in result.findings if f.rule == "ASA-GROUP-SIZE"]
    assert sorted(f.location.line for f in group) == [353, 1490]
    assert len({f.id for f in group}) == 2
    [dup] = [f for f in input_problems(result, "services.csv") if "more than once" in f.message["en"]]
    assert (dup.location.line, dup.severity) == (1490, "error")
    # every finding of the original bundle keeps its id
    assert _ids(ORIGINAL).items() <= _ids(result).items()


def test_second_staff_row_with_the_same_id_is_checked_too(tmp_path):
    d = copy_fixture(tmp_path, "violating")
    _append(d / "staff.csv", "A08,AB,employee,T-0042,2023-09-01,,0.5,techniker,36,")  # no aevo either
    result = check_bundle(d, RULES)
    a08 = sorted((f.rule, f.location.line) for f in result.findings if f.entity.id == "A08" and f.rule != "ASA-INPUT")
    assert a08 == [("ASA-STAFF-QUALIFICATION", 16), ("ASA-STAFF-QUALIFICATION", 19)]
    assert any("more than once" in f.message["en"] and f.location.line == 19 for f in input_problems(result))
    assert _ids(ORIGINAL).items() <= _ids(result).items()


def test_overlap_between_two_rows_with_one_service_id_is_a_double_booking(tmp_path):
    d = copy_fixture(tmp_path, "compliant")
    _append(d / "services.csv", "LN-X,2022-01-09,09:30,60,AB,BP,A01,TN-001,presence")  # line 1490
    _append(d / "services.csv", "LN-X,2022-01-09,09:00,60,AB,BP,A01,TN-001,presence")  # line 1491
    result = check_bundle(d, RULES)
    booked = [f for f in result.findings if f.rule == "ASA-DOUBLE-BOOKING"]
    assert [f.location.line for f in booked] == [1490]  # the later session, not the first one
