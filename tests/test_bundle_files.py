"""The files of a bundle: nothing outside it is read, ambiguity is an error, odd names never stop the check."""
import io
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from engine.check import check_bundle
from engine.read.bundle import BundleError, read_bundle
from engine.rules import load_rules
from tests.bundles import CONTRACT_ROWS, FIX, copy_fixture, errors, input_problems, workbook

RULES = load_rules()


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def _fixture_members(name: str = "compliant", skip: tuple[str, ...] = ()) -> list[tuple[str, bytes]]:
    return [(f.name, f.read_bytes()) for f in sorted((FIX / name).iterdir()) if f.name not in skip]


def _cli_json(*args) -> tuple[int, str, dict]:
    r = CliRunner().invoke(main, ["check", *map(str, args), "--format", "json", "--lang", "en"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.output, json.loads(r.output) if r.output.startswith("{") else {}


# --- nothing from outside the bundle ---------------------------------------------

def test_symlinked_file_is_refused_and_its_target_never_quoted(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("staff_id,role\nTOP-SECRET-LINE,AB\n", encoding="utf-8")
    d = copy_fixture(tmp_path, "violating")
    (d / "staff.csv").unlink()
    (d / "staff.csv").symlink_to(secret)
    code, out, doc = _cli_json(d)
    assert code == 1
    assert "TOP-SECRET" not in out and str(secret) not in out and "secret" not in out
    [p] = [f for f in doc["findings"] if f["rule"] == "ASA-INPUT" and f["location"]["file"] == "staff.csv"
           and f["location"]["line"] == 0]
    assert "symbolic link" in p["message"]
    # the rest of the bundle is checked
    assert any(f["rule"] == "ASA-SUSPENSION-LENGTH" for f in doc["findings"])


def test_symlinked_contract_stops_the_bundle_without_reading_the_target(tmp_path):
    d = copy_fixture(tmp_path)
    (d / "contract.yaml").rename(tmp_path / "elsewhere.yaml")
    (d / "contract.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    r = CliRunner().invoke(main, ["check", str(d), "--lang", "en"])
    assert r.exit_code == 2 and "symbolic link" in r.output and "elsewhere" not in r.output


def test_pipe_in_a_bundle_is_refused_without_waiting(tmp_path):
    d = copy_fixture(tmp_path)
    (d / "suspensions.csv").unlink()
    os.mkfifo(d / "suspensions.csv")
    result = check_bundle(d, RULES)
    [p] = input_problems(result, "suspensions.csv")
    assert "not a regular file" in p.message["en"]


def test_symlink_member_of_a_zip_is_refused(tmp_path):
    z = tmp_path / "b.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, data in _fixture_members(skip=("staff.csv",)):
            zf.writestr(name, data)
        link = zipfile.ZipInfo("staff.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    result = check_bundle(z, RULES)
    assert any("symbolic link" in p.message["en"] for p in input_problems(result, "staff.csv"))
    assert "passwd" not in json.dumps([f.message for f in result.findings])


def test_zip_member_with_a_suspicious_ratio_is_refused_and_the_rest_read(tmp_path):
    members = _fixture_members(skip=("services.csv",)) + [
        ("services.csv", (FIX / "compliant" / "services.csv").read_bytes().splitlines(True)[0] + b"\n" * 3_000_000),
        ("noise.bin", os.urandom(100_000)),  # keeps the ratio of the whole archive low
    ]
    sub = read_bundle(_zip(tmp_path / "b.zip", members))
    [p] = [p for p in sub.problems if p.file == "services.csv"]
    assert "suspiciously highly compressed" in p.en and p.severity == "error"
    assert sub.staff and sub.contract


def test_workbook_part_with_a_suspicious_ratio_stops_the_workbook_before_inflating(tmp_path):
    path = workbook(tmp_path / "b.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/pad.bin", b"\0" * 3_000_000)
        zf.writestr("xl/media/noise.bin", os.urandom(200_000))  # keeps the ratio of the whole archive low
    with pytest.raises(BundleError, match="pad.bin"):
        read_bundle(path)


# --- ambiguity ----------------------------------------------------------------------

def test_two_files_differing_in_case_are_an_error_naming_both(tmp_path):
    d = copy_fixture(tmp_path, "violating")
    shutil.copy(FIX / "compliant" / "services.csv", d / "Services.csv")
    result = check_bundle(d, RULES)
    [p] = [f for f in input_problems(result) if "ambiguous" in f.message["en"]]
    assert p.severity == "error" and '"services.csv"' in p.message["en"] and '"Services.csv"' in p.message["en"]
    # the exact name is the one read: its planted violations are still found
    assert any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)


def test_yaml_and_yml_side_by_side_are_ambiguous(tmp_path):
    d = copy_fixture(tmp_path)
    shutil.copy(d / "invoice.yaml", d / "invoice.yml")
    result = check_bundle(d, RULES)
    assert any("ambiguous" in f.message["en"] and "invoice.yml" in f.message["en"] for f in input_problems(result))


def test_zip_member_stored_twice_is_an_error(tmp_path):
    members = _fixture_members("violating") + [("services.csv", (FIX / "compliant" / "services.csv").read_bytes())]
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name it is told to write
        z = _zip(tmp_path / "b.zip", members)
    result = check_bundle(z, RULES)
    [p] = [f for f in input_problems(result, "services.csv") if "ambiguous" in f.message["en"]]
    assert "2 times" in p.message["en"] and p.severity == "error"
    assert any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)  # the first entry is the one read


def test_zip_members_differing_in_case_are_an_error(tmp_path):
    z = _zip(tmp_path / "b.zip", _fixture_members() + [("STAFF.CSV", b"staff_id\nX\n")])
    sub = read_bundle(z)
    assert any("ambiguous" in p.en and '"STAFF.CSV"' in p.en for p in sub.problems)
    assert len(sub.staff) > 1  # staff.csv, the exact name, is read


def test_workbook_sheets_differing_in_case_or_spaces_are_ambiguous_hidden_ones_flagged(tmp_path):
    def add_hidden_copy(wb):
        ws = wb.create_sheet("Services ")
        ws.append(["service_id", "date"])
        ws.sheet_state = "hidden"

    path = workbook(tmp_path / "b.xlsx", "violating", edit=add_hidden_copy)
    result = check_bundle(path, RULES)
    [p] = [f for f in input_problems(result) if "ambiguous" in f.message["en"]]
    assert p.severity == "error" and '"services"' in p.message["en"] and '"Services "' in p.message["en"]
    assert any(f.rule == "ASA-GROUP-SIZE" for f in result.findings)


def test_hidden_sheet_is_read_with_a_warning(tmp_path):
    def hide(wb):
        wb["suspensions"].sheet_state = "hidden"

    sub = read_bundle(workbook(tmp_path / "b.xlsx", edit=hide))
    assert [(p.file, p.severity) for p in sub.problems if "hidden" in p.en] == [("suspensions", "warning")]
    assert sub.suspensions


def test_contract_sheet_and_contract_yaml_beside_are_ambiguous(tmp_path):
    path = workbook(tmp_path / "b.xlsx", contract_rows=CONTRACT_ROWS)
    shutil.copy(FIX / "compliant" / "contract.yaml", tmp_path / "contract.yaml")
    sub = read_bundle(path)
    [p] = [p for p in sub.problems if "ambiguous" in p.en]
    assert p.severity == "error" and "contract.yaml" in p.en


# --- odd names and keys ---------------------------------------------------------------

def test_non_utf8_file_name_in_a_folder_is_reported_and_the_rest_checked(tmp_path):
    d = copy_fixture(tmp_path, "violating")
    with open(os.path.join(os.fsencode(d), b"st\xe4ff-notes.csv"), "wb") as fh:
        fh.write(b"x\n")
    code, out, doc = _cli_json(d)
    assert code == 1
    [p] = [f for f in doc["findings"] if "UTF-8" in f["message"]]
    assert p["location"]["file"] == "st\\xe4ff-notes.csv" and p["severity"] == "warning"
    assert sum(f["severity"] == "error" for f in doc["findings"]) == 31
    out.encode("utf-8")


def test_non_utf8_member_name_in_a_zip_is_reported_and_the_rest_checked(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in _fixture_members("violating"):
            zf.writestr(name, data)
        zf.writestr("notes-é.csv", b"x\n")  # non-ASCII: stored with the UTF-8 flag
    raw = buf.getvalue().replace("é".encode(), b"\xff\xfe")  # flagged UTF-8, but not UTF-8
    z = tmp_path / "b.zip"
    z.write_bytes(raw)
    result = check_bundle(z, RULES)
    [p] = [f for f in input_problems(result) if "UTF-8" in f.message["en"]]
    assert p.location.file == "notes-\\xff\\xfe.csv"
    assert len(errors(result)) == 31


def test_non_utf8_bundle_name_is_shown_escaped(tmp_path):
    d = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"abgabe-\xff")))
    shutil.copytree(FIX / "compliant", d)
    assert read_bundle(d).name == "abgabe-\\xff"


def test_contract_sheet_key_with_thousands_of_dots_is_reported_and_skipped(tmp_path):
    rows = CONTRACT_ROWS + [("parameters" + ".x" * 5000, 1)]
    sub = read_bundle(workbook(tmp_path / "b.xlsx", contract_rows=rows))
    [p] = [p for p in sub.problems if "key too long" in p.en]
    assert (p.file, p.line) == ("contract", len(rows))
    assert sub.contract.contract_id == "955-0042-21" and sub.services


# --- workbook extent -------------------------------------------------------------------

def _declare_range(path: Path, sheet: str, ref: str) -> None:
    """Rewrite a sheet's declared range (<dimension ref=…>), as a careless or hostile tool may."""
    with zipfile.ZipFile(path) as zf:
        members = [(i, zf.read(i)) for i in zf.infolist()]
    import re

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            if info.filename.endswith(".xml") and b"<dimension" in data and sheet.encode() in _sheet_of(members, info):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref.encode() + b'"', data)
            zf.writestr(info, data)


def _sheet_of(members, info) -> bytes:
    """The sheet title a worksheet part belongs to (via workbook.xml order; openpyxl writes sheetN in order)."""
    import re

    workbook_xml = dict((i.filename, d) for i, d in members)["xl/workbook.xml"]
    titles = re.findall(rb'<sheet [^>]*name="([^"]*)"', workbook_xml)
    m = re.search(rb"sheet(\d+)\.xml$", info.filename.encode())
    return titles[int(m[1]) - 1] if m else b""


def test_sheet_declaring_a_smaller_range_than_its_data_is_read_in_full(tmp_path):
    path = workbook(tmp_path / "b.xlsx", "violating")
    whole = check_bundle(path, RULES)
    _declare_range(path, "services", "A1:C3")
    result = check_bundle(path, RULES)
    assert errors(result) == errors(whole) and len(errors(whole)) == 29  # the invoice is not in the workbook
    assert result.ledger.years[0].dropped_services == whole.ledger.years[0].dropped_services


def test_columns_past_the_limit_are_reported(tmp_path):
    def far_column(wb):
        ws = wb["services"]
        ws.cell(row=1, column=250, value="attendance")

    sub = read_bundle(workbook(tmp_path / "b.xlsx", edit=far_column))
    [p] = [p for p in sub.problems if "more than 200 columns" in p.en]
    assert (p.file, p.line, p.severity) == ("services", 1, "error") and '"attendance"' in p.en


# --- discovery of bundles below a folder ---------------------------------------------------

def test_discovery_follows_no_symbolic_link_and_lists_each_bundle_once(tmp_path):
    from engine.batch import expand

    root = tmp_path / "corpus"
    shutil.copytree(FIX / "violating", root / "a")
    shutil.copytree(FIX / "compliant", root / "deep" / "er" / "c")
    z = _zip(root / "b.zip", _fixture_members())
    (root / "up").symlink_to("..", target_is_directory=True)
    (root / "deep" / "loop").symlink_to("../..", target_is_directory=True)
    (root / "me").symlink_to(".", target_is_directory=True)
    (root / "a-again").symlink_to("a", target_is_directory=True)
    (root / "b-again.zip").symlink_to("b.zip")
    links: list[Path] = []
    found = expand([root, root / "a", str(root / "*.zip")], links)
    assert found == [root / "a", z, root / "deep" / "er" / "c"]
    assert sorted(p.name for p in links) == ["a-again", "b-again.zip", "loop", "me", "up"]


def test_check_on_a_folder_with_link_loops_reports_each_bundle_once(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIX / "violating", root / "violating")
    (root / "me").symlink_to(".", target_is_directory=True)
    (root / "violating" / "up").symlink_to("..", target_is_directory=True)
    r = CliRunner().invoke(main, ["check", str(root), str(root / "violating"), "--format", "json", "--jobs", "2"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["summary"]["error"] == 31 and doc["submission"] == "violating"
    assert "me" in r.stderr
