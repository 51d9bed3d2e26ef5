"""CSV text: a stray quote, an over-long line or a flood of junk never hides rows, and costs are bounded."""
import json

import pytest
from click.testing import CliRunner

from benchmarks.hostile import junk_services, junk_zip, quoted_cell_services
from cli import main
from engine.check import check_bundle, check_submission
from engine.read.bundle import read_bundle
from engine.rules import load_rules
from tests.bundles import FIX, copy_fixture, errors, input_problems

RULES = load_rules()
VIOLATING = check_bundle(FIX / "violating", RULES)


def _edit_line(path, number: int, edit) -> str:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = edit(lines[number - 1])
    path.write_text("".join(lines), encoding="utf-8")
    return lines[number - 1]


@pytest.mark.parametrize("number", [2, 150, 1489])
def test_stray_quote_hides_nothing(tmp_path, number):
    d = copy_fixture(tmp_path, "violating")
    _edit_line(d / "services.csv", number, lambda ln: ln.replace(",", ',"', 1))  # a quote opening field 2
    result = check_bundle(d, RULES)
    stray = [f for f in input_problems(result, "services.csv") if "unbalanced quote" in f.message["en"]]
    assert [(f.location.line, f.severity) for f in stray] == [(number, "error")]
    # every violation of the bundle is still found; the damaged line itself adds its own errors
    assert set(errors(VIOLATING)) <= set(errors(result))
    assert len(result.ledger.years[0].dropped_services) >= len(VIOLATING.ledger.years[0].dropped_services)


def test_stray_quote_in_a_large_file_loses_no_rows(tmp_path):
    d = copy_fixture(tmp_path)
    rows = [f"LN-{n:06d},2022-01-{1 + n % 28:02d},08:00,45,SP,BP,S01,TN-001,presence\n" for n in range(5000)]
    rows[10] = rows[10].replace(",SP,", ',"SP,')
    (d / "services.csv").write_text((FIX / "compliant" / "services.csv").read_text().splitlines(True)[0]
                                    + "".join(rows), encoding="utf-8")
    sub = read_bundle(d)
    assert len(sub.services) == 4999  # all but the damaged line (its element is '"SP')
    assert [p.line for p in sub.problems if "unbalanced" in p.en] == [12]


def test_quoted_value_over_lines_is_one_record_with_a_warning(tmp_path):
    d = copy_fixture(tmp_path)
    text = (d / "suspensions.csv").read_text(encoding="utf-8")
    (d / "suspensions.csv").write_text(text.replace("parental_leave", '"parental_leave\nsee file, page 2"'),
                                       encoding="utf-8")
    sub = read_bundle(d)
    [s] = [s for s in sub.suspensions if s.participant_id == "TN-007"]
    assert s.reason == "parental_leave\nsee file, page 2"
    assert [(p.line, p.severity) for p in sub.problems if "line break" in p.en] == [(2, "warning")]
    assert [s.loc.line for s in sub.suspensions] == [2, 4]  # the row after it is read, at its physical line


def test_over_long_line_is_reported_and_the_next_rows_read(tmp_path):
    d = copy_fixture(tmp_path)
    _edit_line(d / "services.csv", 5, lambda ln: ln.rstrip("\n") + "x" * 5000 + "\n")
    sub = read_bundle(d, max_line_chars=1000)
    assert [(p.line, p.column) for p in sub.problems] == [(5, "")]
    assert "longer than 1000" in sub.problems[0].en
    assert len(sub.services) == len(read_bundle(FIX / "compliant").services) - 1


def test_huge_quoted_cell_with_line_breaks_is_bounded_and_rows_after_it_read(tmp_path):
    d = copy_fixture(tmp_path)
    data = quoted_cell_services(mb=0.25)  # ~87,000 lines inside one quote after line 2
    (d / "services.csv").write_bytes(data)
    sub = read_bundle(d, max_rows=1_000_000)
    assert [p.line for p in sub.problems if "unbalanced" in p.en] == [3]
    # every valid row, before and after the junk, is read
    assert len(sub.services) == len(read_bundle(FIX / "compliant").services)
    assert len(sub.problems) <= 1002  # the junk is counted, not listed one by one


def test_a_limit_that_ends_reading_is_listed_past_the_cap(tmp_path):
    d = copy_fixture(tmp_path)
    (d / "services.csv").write_bytes(junk_services(3000))
    sub = read_bundle(d, max_rows=2500)
    assert any("more than 2500 data rows" in p.en and p.line == 2382 for p in sub.problems)  # 120 rows before


def test_problems_per_file_are_capped_and_counted(tmp_path):
    d = copy_fixture(tmp_path)
    (d / "services.csv").write_bytes(junk_services(3000))
    sub = read_bundle(d)
    listed = [p for p in sub.problems if p.file == "services.csv"]
    assert len(listed) == 1001
    assert "2000 more problems" in listed[-1].en and listed[-1].severity == "error"


def test_services_with_unlisted_errors_are_still_unbillable(tmp_path):
    d = copy_fixture(tmp_path)
    text = (d / "services.csv").read_text(encoding="utf-8")
    (d / "services.csv").write_text(text.replace(",presence\n", ",bad-mode\n"), encoding="utf-8")
    capped = read_bundle(d, max_problems=5)
    full = read_bundle(d, max_problems=100_000)
    assert len(full.problems) > 100 and len(capped.problems) == 6
    assert sorted(p.entity_id for p in full.problems[5:]) == capped.unlisted_service_errors
    dropped = lambda sub: sorted(s for y in check_submission(sub, RULES).ledger.years for s in y.dropped_services)
    assert dropped(capped) == dropped(full)


def test_junk_zip_gives_a_bounded_report(tmp_path):
    z = junk_zip(tmp_path / "junk.zip", lines=100_000)
    assert z.stat().st_size < 4000
    r = CliRunner().invoke(main, ["check", str(z), "--format", "json", "--lang", "en"])
    assert r.exit_code == 1
    doc = json.loads(r.output)
    services = [f for f in doc["findings"] if f["location"]["file"] == "services.csv"]
    assert len(services) == 1001 and any("99000 more problems" in f["message"] for f in services)


def test_header_past_the_column_limit_is_reported(tmp_path):
    d = copy_fixture(tmp_path)
    lines = (d / "services.csv").read_text(encoding="utf-8").splitlines(True)
    lines[0] = lines[0].rstrip("\n") + "," * 240 + "attendance\n"
    (d / "services.csv").write_text("".join(lines), encoding="utf-8")
    sub = read_bundle(d)
    assert any("more than 200 columns" in p.en and '"attendance"' in p.en and p.line == 1 for p in sub.problems)
